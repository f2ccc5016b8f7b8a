package agent

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"

	"github.com/toolsmith-dev/toolsmith/planner"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// turn is one turn of a session under way.
type turn struct {
	a     *Agent
	id    string
	req   string // the meter's request id of this turn
	st    *State
	emit  func(Event)
	reply *Reply
	// eliciting is set when an API asked for input during a call that no
	// one could give then (see elicitor).
	eliciting *Elicitation
	mu        sync.Mutex // guards st.Elicited and eliciting while a call runs
}

func (t *turn) record(ctx context.Context, kind string, data any) {
	t.st.record(kind, data)
	if t.emit != nil {
		t.emit(t.st.History[len(t.st.History)-1])
	}
}

// finish sets the reply, records it and saves the session.
func (t *turn) finish(ctx context.Context, status Status, text string) error {
	t.st.Status = status
	t.reply.Status = status
	t.reply.Text = text
	t.reply.Plan = t.st.Plan
	t.reply.Confirm = t.st.Confirm
	t.reply.Cost = t.a.opts.Models.Meter.Request(t.req)
	t.record(ctx, EventReply, t.reply)
	return t.a.save(ctx, t.id, t.st)
}

func (t *turn) run(ctx context.Context, message string) error {
	t.record(ctx, EventMessage, map[string]string{"role": "user", "text": message})
	switch {
	case t.st.active() && (t.st.Confirm != nil || t.st.ConfirmPlan):
		ok, clear := yesNo(message)
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
	case t.st.active() && t.st.Eliciting != nil:
		done, err := t.takeElicited(ctx, message)
		if err != nil || !done {
			return err
		}
	case t.st.active() && len(t.st.Pending) > 0:
		done, err := t.takeAnswers(ctx, message)
		if err != nil || !done {
			return err
		}
	default:
		if t.a.opts.Tools != nil {
			answer, ok, err := t.a.opts.Tools.SolveTask(ctx, message)
			if err != nil {
				return t.finish(ctx, StatusFailed, "The tool for this task failed: "+err.Error())
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
			return t.finish(ctx, StatusClarify, "I could not turn that into a request ("+err.Error()+"). Could you say which result you want and give the details you have?")
		}
		history := t.st.History
		*t.st = State{Request: req, History: history, Turns: t.st.Turns, Questions: t.st.Questions}
	}
	return t.advance(ctx)
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
			return t.finish(ctx, StatusFailed, "Planning failed: "+err.Error())
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
				// values of) have run; ask now.
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
			rec := t.call(ctx, step, args, key)
			if t.eliciting != nil {
				// The API asked for input nobody could give during the
				// call: ask the user, then call again with the answers.
				return t.askElicited(ctx)
			}
			if rec.Error != "" && ctx.Err() != nil {
				// The turn ran out of time: the state (with the failed
				// call) is saved for the next turn, which replans.
				if err := t.a.save(context.WithoutCancel(ctx), t.id, t.st); err != nil {
					return err
				}
				return fmt.Errorf("agent: calling %s: %w", step.API, ctx.Err())
			}
			if rec.Error != "" {
				// Plan around the failing API.
				t.st.Request.Failed = append(t.st.Request.Failed, step.API)
				progressed = true
				break
			}
			t.st.Done = append(t.st.Done, planner.Done{ID: step.ID, API: step.API, Instance: step.Instance, Outputs: rec.Outputs})
			if err := t.a.save(ctx, t.id, t.st); err != nil {
				return err
			}
			progressed = true
		}
		if !progressed {
			return t.respond(ctx)
		}
		if !t.remaining(plan) {
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

// key is the idempotency key of a call: the same session, API, instance and
// arguments give the same key.
func (t *turn) key(step planner.Step, args map[string]any) string {
	raw, _ := json.Marshal(args) // map keys are sorted: canonical
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s", t.a.opts.Namespace, t.id, step.API, step.Instance)
	h.Write(raw)
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// call invokes the step's API, retrying per policy. A call already made with
// the same idempotency key is not made again: its outputs are reused.
func (t *turn) call(ctx context.Context, step planner.Step, args map[string]any, key string) CallRecord {
	for _, c := range t.st.Calls {
		if c.Key == key && c.Error == "" {
			return c
		}
	}
	rec := CallRecord{Step: step.ID, API: step.API, Args: args, Key: key, At: time.Now().UTC()}
	api, ok := t.a.cat.apis[step.API]
	inv := t.a.invokers[bindingKind(api)]
	switch {
	case !ok:
		rec.Error = "unknown API"
	case api.Binding == nil:
		rec.Error = "the API has no binding: nothing can call it"
	case inv == nil:
		rec.Error = fmt.Sprintf("no invoker for binding kind %q", bindingKind(api))
	default:
		start := time.Now()
		cctx, span := t.a.span(ctx, "agent.call", attribute.String("api", step.API), attribute.String("step", step.ID))
		defer func() {
			span.SetAttributes(attribute.Int("attempts", rec.Attempts))
			var err error
			if rec.Error != "" {
				err = errors.New(rec.Error)
			}
			endSpan(span, err)
		}()
		for rec.Attempts = 1; ; rec.Attempts++ {
			out, err := inv.Invoke(cctx, Invocation{API: api, Args: args, IdempotencyKey: key, Elicit: t.elicitor(ctx, key, step.API)})
			if t.eliciting != nil {
				rec.Error = "waiting for the user's input: " + t.eliciting.Message
				break
			}
			if err == nil {
				rec.Outputs, rec.Error = out, ""
				break
			}
			rec.Error = err.Error()
			var ce *ConfigError
			if ctx.Err() != nil || rec.Attempts > t.a.opts.Retries || errors.As(err, &ce) {
				break
			}
		}
		rec.DurationMS = float64(time.Since(start).Microseconds()) / 1000
	}
	t.st.Calls = append(t.st.Calls, rec)
	t.reply.Calls = append(t.reply.Calls, rec)
	t.record(ctx, EventCall, rec)
	return rec
}

// bindingKind says how api is invoked ("" when it has no binding).
func bindingKind(api registry.API) registry.BindingKind {
	if api.Binding == nil {
		return ""
	}
	return api.Binding.Kind
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

func (s *State) confirm(key string) {
	if s.Confirmed == nil {
		s.Confirmed = map[string]bool{}
	}
	s.Confirmed[key] = true
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
