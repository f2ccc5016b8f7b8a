package mcp

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/toolsmith-dev/toolsmith/agent"
)

// maxElicitations bounds the questions put to the client in one run call.
const maxElicitations = 20

// runInput is the run tool's input.
type runInput struct {
	Message string         `json:"message"`
	Session string         `json:"session"`
	Answers map[string]any `json:"answers"`
}

// run answers the run tool: one agent turn, then, while the agent asks and
// the client supports elicitation, the questions as a form (or a yes/no for
// a confirmation) and a turn on the answers. A client on protocol
// 2026-07-28 or later gets each form as an input request of the result
// (multi round-trip requests), whose request state names the agent session,
// so its retry may reach any replica; an older client is asked within the
// call. A declined or cancelled elicitation, or a client without
// elicitation, ends the call with the questions pending in the session,
// which any replica resumes.
func (s *Server) run(ctx context.Context, ns string, n *nsServer, req *sdk.CallToolRequest) (*sdk.CallToolResult, error) {
	var in runInput
	if len(req.Params.Arguments) > 0 {
		if err := json.Unmarshal(req.Params.Arguments, &in); err != nil {
			return toolError(fmt.Errorf("bad arguments: %w", err)), nil
		}
	}
	retry := req.Params.RequestState != ""
	if !retry && strings.TrimSpace(in.Message) == "" && in.Answers == nil {
		return toolError(errors.New("give message (a request, or words answering the questions) or answers")), nil
	}
	if in.Session == "" && !retry {
		if in.Answers != nil {
			return toolError(errors.New("answers need the session that asked the questions")), nil
		}
		in.Session = newSessionID()
	}
	a, err := s.agentFor(ctx, ns, n)
	if err != nil {
		return nil, err
	}
	timeout := s.TurnTimeout
	if timeout <= 0 {
		timeout = DefaultTurnTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	ss := req.Session
	elicits, mrtr := canElicit(ss), multiRoundTrip(ss)
	report := s.reporter(ctx, req)
	if elicits && !mrtr {
		// An API that asks for input during a call puts its question to
		// this client while the call waits.
		ctx = agent.WithElicitor(ctx, func(_ context.Context, e agent.Elicitation) (agent.ElicitResult, error) {
			return elicitFields(ctx, ss, fmt.Sprintf("%s asks: %s", e.API, e.Message), e.Fields)
		})
	}
	var reply *agent.Reply
	note := ""
	switch {
	case retry:
		var st askState
		if err := json.Unmarshal([]byte(req.Params.RequestState), &st); err != nil || st.Session == "" {
			return toolError(errors.New("bad request state")), nil
		}
		in.Session = st.Session
		res, _ := req.Params.InputResponses[inputKey].(*sdk.ElicitResult)
		if res == nil {
			return toolError(errors.New("the input response is missing")), nil
		}
		reply, note, err = s.respond(ctx, a, st, res, report)
	case in.Answers != nil:
		reply, err = a.Answer(ctx, in.Session, in.Answers, report)
	default:
		reply, err = a.TurnStream(ctx, in.Session, in.Message, report)
	}
	if errors.Is(err, agent.ErrNoQuestion) {
		return toolError(fmt.Errorf("session %s: %w; send a message instead", in.Session, err)), nil
	}
	if err != nil {
		return nil, err
	}
	for i := 0; elicits && note == "" && i < maxElicitations; i++ {
		params, st, ok := ask(reply)
		if !ok {
			break
		}
		if mrtr {
			raw, _ := json.Marshal(st)
			return &sdk.CallToolResult{InputRequests: sdk.InputRequestMap{inputKey: params}, RequestState: string(raw)}, nil
		}
		res, eerr := ss.Elicit(ctx, params)
		if eerr != nil {
			s.logger().Warn("mcp: elicitation failed", "session", in.Session, "err", eerr)
			note = "The question could not be asked (" + eerr.Error() + ")"
			break
		}
		if reply, note, err = s.respond(ctx, a, st, res, report); err != nil {
			return nil, err
		}
	}
	return runResult(reply, note)
}

// inputKey names the one input request of a run result.
const inputKey = "toolsmith"

// askState is what a run result waiting for input carries to the retry:
// the agent session and whether it asked questions or a confirmation.
type askState struct {
	Session string `json:"session"`
	Confirm bool   `json:"confirm,omitempty"`
}

// ask is the form putting a reply's questions, or its confirmation, to the
// user; ok is false when the reply asks nothing.
func ask(reply *agent.Reply) (*sdk.ElicitParams, askState, bool) {
	st := askState{Session: reply.SessionID}
	switch reply.Status {
	case agent.StatusNeedsInfo:
		if len(reply.Questions) == 0 {
			return nil, st, false
		}
		return &sdk.ElicitParams{Message: reply.Text, RequestedSchema: questionsForm(reply.Questions)}, st, true
	case agent.StatusNeedsConfirmation:
		st.Confirm = true
		return &sdk.ElicitParams{Message: reply.Text, RequestedSchema: confirmForm(reply.Text)}, st, true
	}
	return nil, st, false
}

// respond takes the user's response to a form: accepted answers make a
// turn; a decline or cancel leaves the question pending and says so in
// note.
func (s *Server) respond(ctx context.Context, a *agent.Agent, st askState, res *sdk.ElicitResult, report func(agent.Event)) (*agent.Reply, string, error) {
	if res.Action != agent.ElicitAccept {
		reply, err := pendingReply(ctx, a, st.Session)
		what := "question"
		if st.Confirm {
			what = "confirmation"
		}
		return reply, "The " + what + " was " + declined(res.Action), err
	}
	if !st.Confirm {
		reply, err := a.Answer(ctx, st.Session, res.Content, report)
		return reply, "", err
	}
	yes, _ := res.Content[confirmField].(bool)
	answer := "no"
	if yes {
		answer = "yes"
	}
	reply, err := a.TurnStream(ctx, st.Session, answer, report)
	return reply, "", err
}

// pendingReply restates what a session waits for, without a turn.
func pendingReply(ctx context.Context, a *agent.Agent, session string) (*agent.Reply, error) {
	st, err := a.State(ctx, session)
	if err != nil {
		return nil, err
	}
	reply := &agent.Reply{SessionID: session, Status: st.Status, Questions: st.Pending, Confirm: st.Confirm, Plan: st.Plan}
	for i := len(st.History) - 1; i >= 0; i-- {
		if st.History[i].Kind == agent.EventReply {
			var last agent.Reply
			if json.Unmarshal(st.History[i].Data, &last) == nil {
				reply.Text = last.Text
			}
			break
		}
	}
	return reply, nil
}

func declined(action string) string {
	if action == agent.ElicitDecline {
		return "declined"
	}
	return "cancelled"
}

// multiRoundTrip reports whether the client speaks protocol 2026-07-28 or
// later, where a server asks for input by returning input requests
// (SEP-2322) rather than sending elicitation/create.
func multiRoundTrip(ss *sdk.ServerSession) bool {
	if ss == nil {
		return false
	}
	p := ss.InitializeParams()
	return p != nil && p.ProtocolVersion >= "2026-07-28"
}

// elicitFields puts questions to the client as a form and checks the
// answers' shape.
func elicitFields(ctx context.Context, ss *sdk.ServerSession, message string, qs []agent.Question) (agent.ElicitResult, error) {
	res, err := ss.Elicit(ctx, &sdk.ElicitParams{Message: message, RequestedSchema: questionsForm(qs)})
	if err != nil {
		return agent.ElicitResult{}, err
	}
	return agent.ElicitResult{Action: res.Action, Values: res.Content}, nil
}

// canElicit reports whether the client announced form elicitation.
func canElicit(ss *sdk.ServerSession) bool {
	if ss == nil {
		return false
	}
	p := ss.InitializeParams()
	if p == nil || p.Capabilities == nil || p.Capabilities.Elicitation == nil {
		return false
	}
	e := p.Capabilities.Elicitation
	return e.Form != nil || e.URL == nil
}

// runResult is the run tool's result: the reply as structured content, and
// its text with what to do about pending questions.
func runResult(reply *agent.Reply, note string) (*sdk.CallToolResult, error) {
	text := reply.Text
	switch reply.Status {
	case agent.StatusNeedsInfo, agent.StatusNeedsConfirmation:
		if note != "" {
			text += "\n" + note + ": it is still pending."
		}
		what := "answers (values keyed by slot: " + slots(reply.Questions) + ") or message"
		if reply.Status == agent.StatusNeedsConfirmation {
			what = `message "yes" or "no"`
		}
		text += fmt.Sprintf("\nTo continue, call run with session %q and %s.", reply.SessionID, what)
	}
	raw, err := json.Marshal(reply)
	if err != nil {
		return nil, err
	}
	return &sdk.CallToolResult{
		Content:           []sdk.Content{&sdk.TextContent{Text: text}},
		StructuredContent: json.RawMessage(raw),
	}, nil
}

func slots(qs []agent.Question) string {
	names := make([]string, len(qs))
	for i, q := range qs {
		names[i] = q.Slot
	}
	return strings.Join(names, ", ")
}

// reporter sends a turn's events to the client: each as a log message
// (logger "toolsmith", level info), and as a progress notification when
// the call asked for progress.
func (s *Server) reporter(ctx context.Context, req *sdk.CallToolRequest) func(agent.Event) {
	ss := req.Session
	if ss == nil {
		return nil
	}
	token := req.Params.GetProgressToken()
	var count float64
	return func(e agent.Event) {
		msg := eventSummary(e)
		//lint:ignore SA1019 MCP logging is deprecated from protocol 2026-07-28 but still served to the clients that use it (the conformance suite's logging-set-level)
		if err := ss.Log(ctx, &sdk.LoggingMessageParams{Level: "info", Logger: "toolsmith", Data: map[string]any{"event": e.Kind, "summary": msg, "data": e.Data}}); err != nil {
			s.logger().Debug("mcp: log message not sent", "err", err)
		}
		if token != nil {
			count++
			if err := ss.NotifyProgress(ctx, &sdk.ProgressNotificationParams{ProgressToken: token, Progress: count, Message: msg}); err != nil {
				s.logger().Debug("mcp: progress not sent", "err", err)
			}
		}
	}
}

// eventSummary says in a few words what an event is.
func eventSummary(e agent.Event) string {
	switch e.Kind {
	case agent.EventPlan:
		var p struct {
			Status string `json:"status"`
			Steps  []any  `json:"steps"`
		}
		json.Unmarshal(e.Data, &p)
		return fmt.Sprintf("planned: %s, %d steps", p.Status, len(p.Steps))
	case agent.EventCall:
		var c agent.CallRecord
		json.Unmarshal(e.Data, &c)
		if c.Error != "" {
			return fmt.Sprintf("called %s: failed: %s", c.API, c.Error)
		}
		return "called " + c.API
	case agent.EventQuestions:
		return "asking the user"
	case agent.EventAnswers:
		return "answers taken"
	case agent.EventConfirm:
		return "confirmation taken"
	case agent.EventMessage:
		return "message received"
	}
	return e.Kind
}

// newSessionID returns a random agent session id.
func newSessionID() string {
	var b [12]byte
	rand.Read(b[:])
	return "mcp-" + hex.EncodeToString(b[:])
}
