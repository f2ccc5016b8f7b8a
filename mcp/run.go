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
// a confirmation) and a turn on the answers. A declined or cancelled
// elicitation, or a client without elicitation, ends the call with the
// questions pending in the session, which any replica resumes.
func (s *Server) run(ctx context.Context, ns string, n *nsServer, req *sdk.CallToolRequest) (*sdk.CallToolResult, error) {
	var in runInput
	if len(req.Params.Arguments) > 0 {
		if err := json.Unmarshal(req.Params.Arguments, &in); err != nil {
			return toolError(fmt.Errorf("bad arguments: %w", err)), nil
		}
	}
	if strings.TrimSpace(in.Message) == "" && in.Answers == nil {
		return toolError(errors.New("give message (a request, or words answering the questions) or answers")), nil
	}
	if in.Session == "" {
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
	elicits := canElicit(ss)
	report := s.reporter(ctx, req)
	if elicits {
		// An API that asks for input during a call puts its question to
		// this client while the call waits.
		ctx = agent.WithElicitor(ctx, func(_ context.Context, e agent.Elicitation) (agent.ElicitResult, error) {
			return elicitFields(ctx, ss, fmt.Sprintf("%s asks: %s", e.API, e.Message), e.Fields)
		})
	}
	var reply *agent.Reply
	if in.Answers != nil {
		reply, err = a.Answer(ctx, in.Session, in.Answers, report)
	} else {
		reply, err = a.TurnStream(ctx, in.Session, in.Message, report)
	}
	if errors.Is(err, agent.ErrNoQuestion) {
		return toolError(fmt.Errorf("session %s has no pending question: send a message instead", in.Session)), nil
	}
	if err != nil {
		return nil, err
	}
	note := ""
	for i := 0; elicits && i < maxElicitations; i++ {
		var answered bool
		switch reply.Status {
		case agent.StatusNeedsInfo:
			r, eerr := elicitFields(ctx, ss, reply.Text, reply.Questions)
			if eerr != nil {
				s.logger().Warn("mcp: elicitation failed", "session", in.Session, "err", eerr)
				note = "The question could not be asked (" + eerr.Error() + ")"
				break
			}
			if r.Action != agent.ElicitAccept {
				note = "The question was " + declined(r.Action)
				break
			}
			reply, err = a.Answer(ctx, in.Session, r.Values, report)
			answered = true
		case agent.StatusNeedsConfirmation:
			res, eerr := ss.Elicit(ctx, &sdk.ElicitParams{Message: reply.Text, RequestedSchema: confirmForm(reply.Text)})
			if eerr != nil {
				s.logger().Warn("mcp: elicitation failed", "session", in.Session, "err", eerr)
				note = "The confirmation could not be asked (" + eerr.Error() + ")"
				break
			}
			if res.Action != agent.ElicitAccept {
				note = "The confirmation was " + declined(res.Action)
				break
			}
			yes, _ := res.Content[confirmField].(bool)
			answer := "no"
			if yes {
				answer = "yes"
			}
			reply, err = a.TurnStream(ctx, in.Session, answer, report)
			answered = true
		}
		if err != nil {
			return nil, err
		}
		if !answered {
			break
		}
	}
	return runResult(reply, note)
}

func declined(action string) string {
	if action == agent.ElicitDecline {
		return "declined"
	}
	return "cancelled"
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
