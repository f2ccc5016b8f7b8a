package agent

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"

	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/planner"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// turn is one turn of a session under way.
type turn struct {
	a       *Agent
	id      string
	req     string // the meter's request id of this turn
	st      *State
	sess    *registry.Session // as last saved
	version uint64            // of sess
	msg     Message
	emit    func(Event)
	reply   *Reply
	// events are the history events recorded since the last save.
	events []json.RawMessage
	// tried maps the writer ids of saves that failed (and may yet land)
	// to the number of events they carried.
	tried map[string]int
	// lost reports whether the session's lease was lost.
	lost func() bool
	// shrunk is set once the request was stopped for exceeding the budget.
	shrunk bool
	// eliciting is set when an API asked for input during a call that no
	// one could give then (see elicitor).
	eliciting *Elicitation
	mu        sync.Mutex // guards st.Elicited and eliciting while a call runs
}

// record adds an event to the history (and to the events the next save
// appends to the store's log) and reports it to emit.
func (t *turn) record(_ context.Context, kind string, data any) {
	raw, err := json.Marshal(data)
	if err != nil {
		raw, _ = json.Marshal(err.Error())
	}
	e := Event{At: time.Now().UTC(), Kind: kind, Data: raw}
	t.st.History = append(t.st.History, e)
	if n := len(t.st.History) - RecentEvents; n > 0 {
		t.st.History = append(t.st.History[:0], t.st.History[n:]...)
	}
	t.st.HistoryTotal++
	// The event as JSON, without encoding its data a second time.
	line := make([]byte, 0, len(raw)+80)
	line = append(line, `{"at":"`...)
	line = e.At.AppendFormat(line, time.RFC3339Nano)
	line = append(line, `","kind":`...)
	line = strconv.AppendQuote(line, kind)
	line = append(line, `,"data":`...)
	line = append(line, raw...)
	line = append(line, '}')
	t.events = append(t.events, line)
	if t.emit != nil {
		t.emit(e)
	}
}

// finish sets the reply, records it and saves the session.
func (t *turn) finish(ctx context.Context, status Status, text string) error {
	t.st.Status = status
	t.st.Running = nil
	t.reply.Status = status
	t.reply.Text = text
	t.reply.Plan = t.st.Plan
	t.reply.Confirm = t.st.Confirm
	t.reply.Cost = t.a.opts.Models.Meter.Request(t.a.opts.Namespace, t.req)
	// The history's reply leaves out the plan and the calls: they have
	// events of their own.
	brief := *t.reply
	brief.Plan, brief.Calls = nil, nil
	t.record(ctx, EventReply, &brief)
	if t.msg.ID != "" {
		raw, _ := json.Marshal(t.reply)
		t.st.remember(t.msg.ID, raw)
	}
	if err := t.save(ctx); err != nil {
		return err
	}
	t.a.failpoint("saved")
	return nil
}

// run handles the turn's message.
func (t *turn) run(ctx context.Context) error {
	err := t.handle(ctx)
	if errors.Is(err, errStateTooLarge) && !t.shrunk {
		return t.stopOversized(ctx)
	}
	return err
}

func (t *turn) handle(ctx context.Context) error {
	message := t.msg.Text
	prev, active := t.st.Status, t.st.active()
	interrupted := prev == statusRunning
	resumed := t.st.Running
	t.record(ctx, EventMessage, map[string]string{"role": "user", "text": message})
	t.st.Status = statusRunning
	t.st.Running = &RunningTurn{ID: t.msg.ID, Text: message}

	// Calls that an interrupted turn left in doubt are settled first.
	if unknown, err := t.settleInterrupted(ctx); err != nil || unknown != nil {
		if err != nil {
			return err
		}
		return t.askUnknown(ctx, unknown, "")
	}
	ok, clear := yesNo(message)
	switch {
	case t.st.Unknown != "":
		return t.chooseUnknown(ctx, message)
	case interrupted && active && (clear && ok || resumed != nil && (t.msg.ID != "" && t.msg.ID == resumed.ID || message == resumed.Text)):
		// The message repeats the interrupted turn's (or says go on).
		return t.advance(ctx)
	case interrupted && active && clear && !ok:
		return t.finish(ctx, StatusFailed, "Cancelled: nothing more was called.")
	case active && (t.st.Confirm != nil || t.st.ConfirmPlan):
		if !clear {
			// Not a yes or no: perhaps the user changes a value instead.
			answers, err := t.extractAnswers(ctx, message)
			if err != nil {
				return t.finish(ctx, StatusNeedsConfirmation, "Please answer yes or no. "+t.confirmText())
			}
			t.st.Confirm, t.st.ConfirmPlan = nil, false
			t.applyAnswers(ctx, answers)
			return t.advance(ctx)
		}
		t.record(ctx, EventConfirm, map[string]any{"approved": ok})
		if !ok {
			t.st.Confirm, t.st.ConfirmPlan = nil, false
			return t.finish(ctx, StatusFailed, "Cancelled: nothing more was called.")
		}
		if t.st.ConfirmPlan {
			t.st.approvePlan(t.st.Plan)
		} else {
			args, _ := t.bind(*t.st.Confirm)
			t.st.confirm(t.key(*t.st.Confirm, args))
		}
		t.st.Confirm, t.st.ConfirmPlan = nil, false
	case active && t.st.Eliciting != nil:
		done, err := t.takeElicited(ctx, message)
		if err != nil || !done {
			return err
		}
	case active && len(t.st.Pending) > 0:
		done, err := t.takeAnswers(ctx, message)
		if err != nil || !done {
			return err
		}
	case clear && !active && (prev == StatusAnswered || prev == StatusFailed || interrupted):
		// A yes or no with nothing to confirm: a repeated confirmation,
		// say, whose first copy was already carried out.
		return t.finishQuiet(ctx, "Nothing is waiting for a yes or no: the last request is finished. What would you like to do?")
	default:
		return t.newRequest(ctx, message)
	}
	return t.advance(ctx)
}

// finishQuiet ends a turn that changed nothing, keeping the status of the
// last request.
func (t *turn) finishQuiet(ctx context.Context, text string) error {
	status := StatusAnswered
	for i := len(t.st.History) - 1; i >= 0; i-- {
		if e := t.st.History[i]; e.Kind == EventReply {
			var r struct{ Status Status }
			if json.Unmarshal(e.Data, &r) == nil && r.Status != "" {
				status = r.Status
			}
			break
		}
	}
	return t.finish(ctx, status, text)
}

// newRequest starts a request from message: a tool task, or a plan request
// the Translator understands.
func (t *turn) newRequest(ctx context.Context, message string) error {
	if t.a.opts.Tools != nil {
		answer, ok, err := t.a.opts.Tools.SolveTask(ctx, message)
		if err != nil {
			t.a.log.Warn("tool task failed", "session", t.id, "err", err)
			return t.finish(ctx, StatusFailed, "The tool for this task failed: "+t.explain(err))
		}
		if ok {
			return t.finish(ctx, StatusAnswered, answer)
		}
	}
	req, err := t.understand(ctx, message)
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("agent: understanding the message: %w", err)
	}
	if err != nil {
		var ce *llm.CallError
		if errors.As(err, &ce) {
			t.a.log.Warn("translator failed", "session", t.id, "err", err)
			t.reply.Degraded = true
			return t.finish(ctx, StatusFailed, "I could not reach the language model to understand that; please send it again in a moment.")
		}
		return t.finish(ctx, StatusClarify, "I could not turn that into a request ("+err.Error()+"). Could you say which result you want and give the details you have?")
	}
	*t.st = State{Request: req, Requests: t.st.Requests + 1, History: t.st.History, HistoryTotal: t.st.HistoryTotal,
		Turns: t.st.Turns, Questions: t.st.Questions, Replies: t.st.Replies, Status: statusRunning, Running: t.st.Running,
		Writer: t.st.Writer}
	return t.advance(ctx)
}

// explain words an error for the user: model failures are named as such,
// without the provider's details (which are logged).
func (t *turn) explain(err error) string {
	var ce *llm.CallError
	if errors.As(err, &ce) {
		return "the language model did not answer"
	}
	return err.Error()
}

// advance plans and executes until the request is answered, a question or a
// confirmation is needed, or the request fails.
func (t *turn) advance(ctx context.Context) error {
	for calls := 0; ; {
		req := t.st.Request
		req.Done = t.st.Done
		pctx, span := t.a.span(ctx, "agent.plan", attribute.Int("known", len(req.Known)), attribute.Int("done", len(req.Done)))
		plan, err := t.a.planner.Plan(pctx, req)
		if err != nil && ctx.Err() != nil {
			endSpan(span, err)
			return fmt.Errorf("agent: planning: %w", err)
		}
		if plan != nil {
			span.SetAttributes(attribute.String("status", string(plan.Status)), attribute.Int("steps", len(plan.Steps)), attribute.Int64("cost", plan.Cost))
		}
		endSpan(span, err)
		if err != nil {
			t.a.log.Error("planning failed", "session", t.id, "err", err)
			return t.finish(ctx, StatusFailed, "Planning failed: an internal error (logged); nothing was called.")
		}
		t.st.Plan = plan
		t.record(ctx, EventPlan, plan)
		switch plan.Status {
		case planner.StatusInfeasible, planner.StatusInvalid:
			return t.finish(ctx, StatusFailed, problemsText(plan)+t.failuresText())
		}
		if qs := valueQuestions(plan); len(qs) > 0 {
			return t.ask(ctx, qs)
		}
		approved := t.a.opts.Approve && t.approved(plan)
		if t.a.opts.Approve && !approved && hasCalls(plan) {
			t.st.ConfirmPlan = true
			return t.finish(ctx, StatusNeedsConfirmation, t.confirmText())
		}
		progressed := false
		for _, step := range plan.Steps {
			if step.API == planner.GetInfo && step.Options != nil {
				// A choice: the steps before it (the read it offers the
				// values of) have run; ask now — unless there is one value
				// to take, which the confirmation shows (see onlyOption).
				if _, ok := t.onlyOption(step, plan); ok {
					continue // bind takes the value
				}
				return t.askChoice(ctx, step)
			}
			if step.API == planner.GetInfo || t.done(step.ID) {
				continue
			}
			if calls++; calls > t.a.opts.MaxSteps {
				return t.finish(ctx, StatusFailed, fmt.Sprintf("Stopped after %d API calls in one turn.", t.a.opts.MaxSteps))
			}
			args, err := t.bind(step)
			if err != nil {
				return t.finish(ctx, StatusFailed, err.Error())
			}
			key := t.key(step, args)
			// An approved plan covers a confirmation only where the plan
			// showed every value the call is made with.
			if step.Confirm && !t.st.Confirmed[key] && !(approved && literalArgs(step)) {
				s := step
				t.st.Confirm = &s
				return t.finish(ctx, StatusNeedsConfirmation, t.confirmText())
			}
			var rec CallRecord
			if api, ok := t.a.cat.apis[step.API]; ok && sideEffect(step, api) {
				if rec, err = t.callOnce(ctx, step, api, args, key); err != nil {
					return err
				}
				if rec.State == CallUnknown {
					return t.askUnknown(ctx, &rec, "")
				}
			} else {
				rec = t.call(ctx, step, args, key)
				if rec.Error != "" && ctx.Err() != nil {
					// The turn ran out of time: the state (with the failed
					// call) is saved for the next turn, which replans.
					if err := t.save(context.WithoutCancel(ctx)); err != nil {
						return err
					}
					return fmt.Errorf("agent: calling %s: %w", step.API, ctx.Err())
				}
			}
			if t.eliciting != nil {
				// The API asked for input nobody could give during the
				// call: ask the user, then call again with the answers.
				return t.askElicited(ctx)
			}
			if rec.Error != "" {
				// Plan around the failing API.
				t.st.Request.Failed = append(t.st.Request.Failed, step.API)
				progressed = true
				break
			}
			t.st.Done = append(t.st.Done, planner.Done{ID: step.ID, API: step.API, Instance: step.Instance, Outputs: rec.Outputs})
			progressed = true
		}
		if !progressed || !t.remaining(plan) {
			return t.respond(ctx)
		}
	}
}

// remaining reports whether plan has API steps not yet done.
func (t *turn) remaining(plan *planner.Plan) bool {
	for _, s := range plan.Steps {
		if s.API != planner.GetInfo && !t.done(s.ID) {
			return true
		}
	}
	return false
}

// approvalKey identifies a plan's API step for approval: approving a plan
// approves each of its calls as shown, so the plan made again after some
// of them ran needs no new approval, while a call that changed — after a
// failure or a choice, say — does.
func approvalKey(s planner.Step) string {
	raw, _ := json.Marshal(s)
	sum := sha256.Sum256(raw)
	return "plan:" + hex.EncodeToString(sum[:8])
}

// approvePlan records the user's approval of every call of p.
func (s *State) approvePlan(p *planner.Plan) {
	if p == nil {
		return
	}
	for _, st := range p.Steps {
		if st.API != planner.GetInfo {
			s.confirm(approvalKey(st))
		}
	}
}

// approved reports whether the user approved every call of p not yet made.
func (t *turn) approved(p *planner.Plan) bool {
	for _, s := range p.Steps {
		if s.API != planner.GetInfo && !t.done(s.ID) && !t.st.Confirmed[approvalKey(s)] {
			return false
		}
	}
	return true
}

// literalArgs reports whether every argument of step is a value written in
// the plan, none an earlier step's output.
func literalArgs(step planner.Step) bool {
	for _, a := range step.Args {
		if a.IsRef() {
			return false
		}
	}
	return true
}

func hasCalls(p *planner.Plan) bool {
	for _, s := range p.Steps {
		if s.API != planner.GetInfo {
			return true
		}
	}
	return false
}

func (t *turn) done(id string) bool {
	_, ok := t.st.outputsOf(id)
	return ok
}

// bind resolves a step's arguments: literals as they are, references from
// the outputs of executed steps.
func (t *turn) bind(step planner.Step) (map[string]any, error) {
	args := make(map[string]any, len(step.Args))
	for name, arg := range step.Args {
		if !arg.IsRef() {
			args[name] = arg.Value
			continue
		}
		outs, ok := t.st.outputsOf(arg.From)
		if !ok {
			if v, ok := t.onlyChoice(arg.From); ok {
				args[name] = v
				continue
			}
			return nil, fmt.Errorf("step %s (%s) needs %s.%s, which has not been produced", step.ID, step.API, arg.From, arg.Field)
		}
		v, ok := outs[arg.Field]
		if !ok {
			return nil, fmt.Errorf("step %s (%s) needs output %q of %s, which it did not return", step.ID, step.API, arg.Field, arg.From)
		}
		args[name] = v
	}
	return args, nil
}

// key is the idempotency key of a call: the same session, request, API,
// instance and arguments give the same key; a new request of the session
// gives new keys.
func (t *turn) key(step planner.Step, args map[string]any) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%d\x00%s\x00%s\x00%s", t.a.opts.Namespace, t.id, t.st.Requests, step.API, step.Instance, argsHash(args))
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// argsHash is a hash of arguments (map keys sorted: canonical).
func argsHash(args map[string]any) string {
	raw, _ := json.Marshal(args)
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:8])
}

// confirmText describes what waits for confirmation.
func (t *turn) confirmText() string {
	if t.st.ConfirmPlan && t.st.Plan != nil {
		return "Here is the plan:\n" + t.st.Plan.Text() + "\nShall I go ahead? (yes/no)"
	}
	if s := t.st.Confirm; s != nil {
		args, _ := t.bind(*s)
		raw, _ := json.Marshal(args)
		return fmt.Sprintf("I am about to call %s with %s. Shall I go ahead? (yes/no)", s.API, raw)
	}
	return ""
}

// stopOversized stops a request whose state does not fit the budget: its
// results are dropped (calls whose outcome is in doubt are kept), the user
// is told, and the session stays usable.
func (t *turn) stopOversized(ctx context.Context) error {
	t.shrunk = true
	var kept []CallRecord
	for _, c := range t.st.Calls {
		if !c.settled() {
			c.Outputs = nil
			kept = append(kept, c)
		}
	}
	// The recent events are in the store's log already (or go there with
	// this save): the state keeps none of them.
	*t.st = State{Requests: t.st.Requests, Calls: kept, Unknown: t.st.Unknown, HistoryTotal: t.st.HistoryTotal,
		Turns: t.st.Turns, Questions: t.st.Questions, Writer: t.st.Writer}
	t.reply.Questions, t.reply.Unknown, t.reply.Choices = nil, nil, nil
	for i := range t.reply.Calls {
		t.reply.Calls[i].Outputs = nil
	}
	return t.finish(ctx, StatusFailed, fmt.Sprintf("I stopped this request: its results do not fit in the session (%d bytes at most), so nothing more will be called for it. Please ask for less at a time.", t.a.opts.StateBudget))
}

// yesNo reads a confirmation: ok is the answer, clear whether there was one.
func yesNo(msg string) (ok, clear bool) {
	w := strings.ToLower(strings.Trim(strings.TrimSpace(msg), ".!"))
	switch {
	case w == "":
		return false, false
	case strings.HasPrefix(w, "yes"), w == "y", w == "ok", w == "okay", strings.HasPrefix(w, "sure"),
		strings.HasPrefix(w, "go ahead"), strings.HasPrefix(w, "confirm"), strings.HasPrefix(w, "approve"), strings.HasPrefix(w, "do it"):
		return true, true
	case strings.HasPrefix(w, "no"), w == "n", strings.HasPrefix(w, "cancel"), strings.HasPrefix(w, "stop"), strings.HasPrefix(w, "don't"):
		return false, true
	}
	return false, false
}

// failuresText says why this turn's failed calls failed.
func (t *turn) failuresText() string {
	var b strings.Builder
	for _, c := range t.reply.Calls {
		if c.Error != "" {
			fmt.Fprintf(&b, " %s failed: %s.", c.API, strings.TrimRight(c.Error, "."))
		}
	}
	return b.String()
}

func problemsText(p *planner.Plan) string {
	var b strings.Builder
	b.WriteString("I cannot do that: ")
	for i, pr := range p.Issues {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(pr.Message)
	}
	if len(p.Issues) == 0 {
		b.WriteString("no plan reaches the goal")
	}
	b.WriteString(".")
	return b.String()
}
