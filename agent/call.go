package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"

	"github.com/toolsmith-dev/toolsmith/planner"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// sideEffect reports whether calling the step's API changes the world: a
// write or destructive effect (as the plan or the registry says), an API
// that asks for confirmation, or, when nothing is declared, an HTTP method
// other than GET, HEAD and OPTIONS.
func sideEffect(step planner.Step, api registry.API) bool {
	switch {
	case step.Effect != "":
		return step.Effect.SideEffect()
	case api.Effect != "":
		return api.Effect.SideEffect()
	case api.Confirm || step.Confirm:
		return true
	case api.Binding != nil && api.Binding.Kind == registry.BindHTTP:
		switch strings.ToUpper(api.Binding.Method) {
		case "", http.MethodGet, http.MethodHead, http.MethodOptions:
			return false
		}
		return true
	}
	return false
}

// bindingKind says how api is invoked ("" when it has no binding).
func bindingKind(api registry.API) registry.BindingKind {
	if api.Binding == nil {
		return ""
	}
	return api.Binding.Kind
}

// keyed reports whether api honours idempotency keys, so that a call whose
// outcome is unknown may be sent again with the same key.
func keyed(api registry.API) bool {
	return api.Binding != nil && api.Binding.Idempotency == registry.IdempotencyKey
}

// invoker returns the invoker of api, or why there is none.
func (t *turn) invoker(api registry.API, known bool) (Invoker, error) {
	inv := t.a.invokers[bindingKind(api)]
	switch {
	case !known:
		return nil, errors.New("unknown API")
	case api.Binding == nil:
		return nil, errors.New("the API has no binding: nothing can call it")
	case inv == nil:
		return nil, fmt.Errorf("no invoker for binding kind %q", bindingKind(api))
	}
	return inv, nil
}

// call invokes a step's API that has no side effects, retrying per policy.
// A call already made with the same idempotency key is not made again: its
// outputs are reused.
func (t *turn) call(ctx context.Context, step planner.Step, args map[string]any, key string) CallRecord {
	if c := t.st.call(key); c != nil && c.Error == "" && c.State != CallFailed {
		return *c
	}
	rec := CallRecord{Step: step.ID, API: step.API, Args: args, Key: key, Request: t.st.Requests, At: time.Now().UTC()}
	api, ok := t.a.cat.apis[step.API]
	inv, err := t.invoker(api, ok)
	if err != nil {
		rec.Error = err.Error()
	} else {
		start := time.Now()
		cctx, span := t.a.span(ctx, "agent.call", attribute.String("api", step.API), attribute.String("step", step.ID))
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
				break // a call its setup prevents cannot succeed on a retry
			}
		}
		rec.DurationMS = float64(time.Since(start).Microseconds()) / 1000
		span.SetAttributes(attribute.Int("attempts", rec.Attempts))
		endSpan(span, errorOf(rec))
	}
	rec.State = CallDone
	if rec.Error != "" {
		rec.State = CallFailed
	}
	t.st.Calls = append(t.st.Calls, rec)
	t.reply.Calls = append(t.reply.Calls, rec)
	t.record(ctx, EventCall, rec)
	return rec
}

func errorOf(rec CallRecord) error {
	if rec.Error == "" {
		return nil
	}
	return errors.New(rec.Error)
}

// callOnce makes a call with side effects at most once: its intent (state
// calling, with the idempotency key and the arguments' hash) is saved
// before the API is invoked, and its outcome after. A failed save of the
// intent means no call. A call already done with the same key is not made
// again; one whose outcome is unknown is not repeated (the user decides).
func (t *turn) callOnce(ctx context.Context, step planner.Step, api registry.API, args map[string]any, key string) (CallRecord, error) {
	if c := t.st.call(key); c != nil {
		switch c.State {
		case CallDone, "":
			if c.Error == "" {
				return *c, nil
			}
		case CallCalling, CallUnknown:
			c.State = CallUnknown
			return *c, nil
		case CallSkipped:
			return *c, nil
		}
	}
	inv, err := t.invoker(api, true)
	if err != nil {
		rec := CallRecord{Step: step.ID, API: step.API, Args: args, Key: key, Request: t.st.Requests, SideEffect: true,
			State: CallFailed, Error: err.Error(), At: time.Now().UTC()}
		t.st.Calls = append(t.st.Calls, rec)
		t.reply.Calls = append(t.reply.Calls, rec)
		t.record(ctx, EventCall, rec)
		return rec, nil
	}
	idx := -1
	if c := t.st.call(key); c != nil { // failed without effect before: call again
		for i := range t.st.Calls {
			if &t.st.Calls[i] == c {
				idx = i
			}
		}
		c.State, c.Error, c.At = CallCalling, "", time.Now().UTC()
	} else {
		t.st.Calls = append(t.st.Calls, CallRecord{Step: step.ID, API: step.API, Instance: step.Instance, Args: args, Key: key, ArgsHash: argsHash(args),
			Request: t.st.Requests, SideEffect: true, State: CallCalling, At: time.Now().UTC()})
		idx = len(t.st.Calls) - 1
	}
	t.record(ctx, EventIntent, map[string]any{"step": step.ID, "api": step.API, "idempotency_key": key, "args_hash": argsHash(args)})
	if err := t.save(ctx); err != nil {
		// Not saved: not called.
		t.st.Calls = append(t.st.Calls[:idx], t.st.Calls[idx+1:]...)
		return CallRecord{}, err
	}
	t.a.failpoint("intent-saved")
	rec := &t.st.Calls[idx]
	t.invokeOnce(ctx, rec, api, inv)
	t.a.failpoint("invoked")
	t.reply.Calls = append(t.reply.Calls, *rec)
	t.record(ctx, EventCall, *rec)
	if err := t.saveOutcome(ctx); err != nil {
		return *rec, err
	}
	t.a.failpoint("result-saved")
	return *rec, nil
}

// invokeOnce sends a call with side effects and settles its record: done,
// failed (certainly without effect), or unknown. A call whose outcome is
// unknown is sent again (with the same key) only when the API honours
// idempotency keys; otherwise its status-check API, if declared, is asked.
func (t *turn) invokeOnce(ctx context.Context, rec *CallRecord, api registry.API, inv Invoker) {
	start := time.Now()
	cctx, span := t.a.span(ctx, "agent.call", attribute.String("api", rec.API), attribute.String("step", rec.Step), attribute.Bool("side_effect", true))
	for {
		rec.Attempts++
		out, err := inv.Invoke(cctx, Invocation{API: api, Args: rec.Args, IdempotencyKey: rec.Key, Once: true, Elicit: t.elicitor(ctx, rec.Key, rec.API)})
		if t.eliciting != nil {
			// The API asked for input and was told no one could give it
			// now: the call did not go through; it is made again with the
			// user's answers.
			rec.State, rec.Error = CallFailed, "waiting for the user's input: "+t.eliciting.Message
			break
		}
		if err == nil {
			rec.State, rec.Outputs, rec.Error = CallDone, out, ""
			break
		}
		rec.Error = err.Error()
		var ce *ConfigError
		retry := ctx.Err() == nil && rec.Attempts <= t.a.opts.Retries && !errors.As(err, &ce)
		switch {
		case errors.Is(err, ErrNotSent) && retry:
			continue
		case certainFailure(err):
			rec.State = CallFailed
		case keyed(api) && retry:
			continue
		default:
			rec.State = CallUnknown
		}
		break
	}
	if rec.State == CallUnknown {
		t.check(ctx, rec, api)
	}
	rec.DurationMS += float64(time.Since(start).Microseconds()) / 1000
	span.SetAttributes(attribute.Int("attempts", rec.Attempts), attribute.String("state", rec.State))
	endSpan(span, errorOf(*rec))
}

// check asks the status-check API declared for api whether the call of
// rec took effect: an answer settles it as done (with the answer as its
// outputs), "not done" (HTTP 404, ErrNotDone) as failed; anything else
// leaves it unknown. It reports whether the check was made.
func (t *turn) check(ctx context.Context, rec *CallRecord, api registry.API) bool {
	if ctx.Err() != nil || api.Binding == nil || api.Binding.StatusCheck == "" {
		return false
	}
	capi, ok := t.a.cat.apis[api.Binding.StatusCheck]
	inv, err := t.invoker(capi, ok)
	if err != nil {
		t.a.log.Warn("status check impossible", "api", rec.API, "check", api.Binding.StatusCheck, "err", err)
		return false
	}
	args := map[string]any{}
	for _, in := range capi.Inputs {
		if v, ok := rec.Args[in.Name]; ok {
			args[in.Name] = v
		}
	}
	out, err := inv.Invoke(ctx, Invocation{API: capi, Args: args, IdempotencyKey: rec.Key})
	outcome := map[string]any{"idempotency_key": rec.Key, "api": rec.API, "checked_with": capi.Name}
	switch {
	case err == nil:
		rec.State, rec.Outputs, rec.Error = CallDone, out, ""
		outcome["state"] = CallDone
	case notDone(err):
		rec.State = CallFailed
		rec.Error += " (checked: it did not take effect)"
		outcome["state"] = CallFailed
	default:
		outcome["state"] = CallUnknown
		outcome["error"] = err.Error()
	}
	t.record(ctx, EventOutcome, outcome)
	return true
}

// settleInterrupted settles the calls an interrupted turn left in state
// calling: each is sent again with its key when its API honours idempotency
// keys, checked when a status-check API is declared, and otherwise marked
// unknown. It returns the first call still unknown, for the user to decide.
func (t *turn) settleInterrupted(ctx context.Context) (*CallRecord, error) {
	changed := false
	for i := range t.st.Calls {
		rec := &t.st.Calls[i]
		if rec.State != CallCalling {
			continue
		}
		changed = true
		api, ok := t.a.cat.apis[rec.API]
		inv, err := t.invoker(api, ok)
		switch {
		case err != nil:
			rec.State, rec.Error = CallUnknown, "interrupted; "+err.Error()
		case keyed(api):
			rec.Error = ""
			t.invokeOnce(ctx, rec, api, inv)
			t.record(ctx, EventOutcome, map[string]any{"idempotency_key": rec.Key, "api": rec.API, "state": rec.State, "resent": true})
		default:
			rec.State, rec.Error = CallUnknown, "interrupted while the call was being made"
			t.check(ctx, rec, api)
		}
		if rec.State == CallDone {
			t.st.Done = append(t.st.Done, planner.Done{ID: rec.Step, API: rec.API, Instance: rec.Instance, Outputs: rec.Outputs})
		}
	}
	if !changed {
		return nil, nil
	}
	if err := t.saveOutcome(ctx); err != nil {
		return nil, err
	}
	for i := range t.st.Calls {
		if t.st.Calls[i].State == CallUnknown {
			return &t.st.Calls[i], nil
		}
	}
	return nil, nil
}

// Choices for a call whose outcome is unknown.
const (
	ChoiceCheck = "check"
	ChoiceRetry = "retry"
	ChoiceSkip  = "skip"
)

// askUnknown ends the turn telling the user that a call's outcome is
// unknown, with the choices: check (with a status-check API), retry, skip.
func (t *turn) askUnknown(ctx context.Context, rec *CallRecord, note string) error {
	t.st.Unknown = rec.Key
	api := t.a.cat.apis[rec.API]
	choices := []string{ChoiceRetry, ChoiceSkip}
	var how []string
	if api.Binding != nil && api.Binding.StatusCheck != "" {
		choices = append([]string{ChoiceCheck}, choices...)
		how = append(how, fmt.Sprintf("%q to ask %s whether it did", ChoiceCheck, api.Binding.StatusCheck))
	}
	how = append(how, fmt.Sprintf("%q to call it again (it may then take effect twice)", ChoiceRetry),
		fmt.Sprintf("%q to go on without it", ChoiceSkip))
	args, _ := json.Marshal(rec.Args)
	text := fmt.Sprintf("I called %s with %s, but I do not know whether it took effect (%s). Reply %s.",
		rec.API, args, rec.Error, strings.Join(how, ", or "))
	if note != "" {
		text = note + " " + text
	}
	r := *rec
	t.reply.Unknown, t.reply.Choices = &r, choices
	return t.finish(ctx, StatusOutcomeUnknown, text)
}

// choice reads the user's answer about a call whose outcome is unknown.
func choice(msg string) string {
	w := strings.ToLower(strings.Trim(strings.TrimSpace(msg), ".!\"'"))
	switch {
	case strings.HasPrefix(w, "check"), strings.HasPrefix(w, "verify"):
		return ChoiceCheck
	case strings.HasPrefix(w, "retry"), strings.HasPrefix(w, "try again"), strings.HasPrefix(w, "call it again"):
		return ChoiceRetry
	case strings.HasPrefix(w, "skip"), strings.HasPrefix(w, "go on"):
		return ChoiceSkip
	}
	return ""
}

// chooseUnknown handles the user's answer about the call whose outcome is
// unknown (State.Unknown).
func (t *turn) chooseUnknown(ctx context.Context, message string) error {
	rec := t.st.call(t.st.Unknown)
	if rec == nil {
		t.st.Unknown = ""
		return t.advance(ctx)
	}
	api, ok := t.a.cat.apis[rec.API]
	if rec.settled() {
		// Settled since the user was asked (the turn that made it learnt
		// its outcome late).
		t.st.Unknown = ""
		return t.afterSettled(ctx, rec)
	}
	switch choice(message) {
	case ChoiceCheck:
		if !ok || !t.check(ctx, rec, api) {
			return t.askUnknown(ctx, rec, fmt.Sprintf("There is no status-check API for %s to ask.", rec.API))
		}
		if rec.State == CallUnknown {
			return t.askUnknown(ctx, rec, "The check did not tell.")
		}
		t.st.Unknown = ""
		if err := t.saveOutcome(ctx); err != nil {
			return err
		}
		return t.afterSettled(ctx, rec)
	case ChoiceRetry:
		inv, err := t.invoker(api, ok)
		if err != nil {
			return t.askUnknown(ctx, rec, "It cannot be called: "+err.Error()+".")
		}
		t.record(ctx, EventOutcome, map[string]any{"idempotency_key": rec.Key, "api": rec.API, "choice": ChoiceRetry})
		rec.State, rec.Error = CallCalling, ""
		if err := t.save(ctx); err != nil {
			return err
		}
		t.a.failpoint("intent-saved")
		t.invokeOnce(ctx, rec, api, inv)
		t.a.failpoint("invoked")
		t.reply.Calls = append(t.reply.Calls, *rec)
		t.record(ctx, EventCall, *rec)
		if rec.State == CallUnknown {
			return t.askUnknown(ctx, rec, "")
		}
		t.st.Unknown = ""
		if err := t.saveOutcome(ctx); err != nil {
			return err
		}
		t.a.failpoint("result-saved")
		return t.afterSettled(ctx, rec)
	case ChoiceSkip:
		rec.State = CallSkipped
		t.st.Unknown = ""
		t.record(ctx, EventOutcome, map[string]any{"idempotency_key": rec.Key, "api": rec.API, "choice": ChoiceSkip})
		if isGoal(t.st.Request, rec.API) {
			return t.finish(ctx, StatusFailed, fmt.Sprintf("Skipped %s: it was not called again, and whether it took effect is still unknown. Nothing more was called.", rec.API))
		}
		t.st.Request.Failed = append(t.st.Request.Failed, rec.API)
		return t.advance(ctx)
	}
	return t.askUnknown(ctx, rec, "Before anything else:")
}

// afterSettled goes on with the request once a call whose outcome was
// unknown is settled: done, its outputs serve the plan; failed, it is
// planned again (it certainly did not take effect, and the user had
// confirmed it).
func (t *turn) afterSettled(ctx context.Context, rec *CallRecord) error {
	if rec.State == CallDone && !t.done(rec.Step) {
		t.st.Done = append(t.st.Done, planner.Done{ID: rec.Step, API: rec.API, Instance: rec.Instance, Outputs: rec.Outputs})
	}
	if !t.st.active() && len(t.st.Request.Goals) == 0 {
		return t.finish(ctx, StatusAnswered, fmt.Sprintf("%s: %s.", rec.API, rec.State))
	}
	return t.advance(ctx)
}

func isGoal(req planner.Request, api string) bool {
	for _, g := range req.Goals {
		if g == api {
			return true
		}
	}
	return false
}
