package agent

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Elicitation is a request for the user's input that an API makes while it
// is being called: an MCP server's elicitation/create (form mode). Fields
// are the values asked for, as questions whose Slot is the field's name.
type Elicitation struct {
	// Key identifies the request in the session: the call's idempotency key
	// and the request's content. The agent sets it.
	Key string `json:"key,omitempty"`
	// API is the API that asks. The agent sets it.
	API     string     `json:"api,omitempty"`
	Message string     `json:"message"`
	Fields  []Question `json:"fields"`
}

// ElicitResult is the user's response to an Elicitation.
type ElicitResult struct {
	// Action is ElicitAccept (Values holds the answers), ElicitDecline or
	// ElicitCancel.
	Action string         `json:"action"`
	Values map[string]any `json:"values,omitempty"`
}

// Elicitation actions, as MCP names them.
const (
	ElicitAccept  = "accept"
	ElicitDecline = "decline"
	ElicitCancel  = "cancel"
)

// Elicitor puts an Elicitation to the user and returns the response.
type Elicitor func(ctx context.Context, e Elicitation) (ElicitResult, error)

// ErrNoQuestion is returned by Answer when the session has no pending
// question.
var ErrNoQuestion = errors.New("agent: no question is pending in the session")

type elicitorKey struct{}

// WithElicitor returns a context whose turns put an API's request for input
// to the user through f while the call waits: a front end that can ask at
// once (a terminal, an MCP client that supports elicitation) sets it.
// Without one, the turn answers the API's request with cancel, ends with the
// request's fields as pending questions (status needs_info), and the turn
// that gets the answers calls the API again, giving them when it asks again.
func WithElicitor(ctx context.Context, f Elicitor) context.Context {
	return context.WithValue(ctx, elicitorKey{}, f)
}

func elicitorFrom(ctx context.Context) Elicitor {
	f, _ := ctx.Value(elicitorKey{}).(Elicitor)
	return f
}

// Answer is a turn whose input is the user's answers to the pending
// questions, keyed by slot (for an API's request for input, by field name),
// as structured values — an MCP form, say — so no model reads them. Values
// are checked against the questions' types and allowed values; a rejected
// value leaves the questions pending and the reply says why. It returns
// ErrNoQuestion when nothing is pending.
func (a *Agent) Answer(ctx context.Context, sessionID string, answers map[string]any, emit func(Event)) (*Reply, error) {
	return a.runTurn(ctx, sessionID, emit, func(ctx context.Context, t *turn) error {
		if t.st.active() && (t.st.Confirm != nil || t.st.ConfirmPlan) {
			return fmt.Errorf("%w: a confirmation is pending (answer yes or no)", ErrNoQuestion)
		}
		if !t.st.active() || len(t.st.Pending) == 0 {
			return ErrNoQuestion
		}
		t.record(ctx, EventMessage, map[string]any{"role": "user", "answers": answers})
		if e := t.st.Eliciting; e != nil {
			values, err := CoerceAnswers(e.Fields, answers)
			if err != nil {
				return t.reask(ctx, err)
			}
			t.settleElicited(ctx, ElicitResult{Action: ElicitAccept, Values: values})
			return t.advance(ctx)
		}
		// An answer to a pending question has the question's type; other
		// slots (a change of an earlier value) are checked by the catalogue.
		pending := map[string]Question{}
		for _, q := range t.st.Pending {
			pending[q.Slot] = q
		}
		checked := make(map[string]any, len(answers))
		for k, v := range answers {
			if q, ok := pending[k]; ok {
				var err error
				if v, err = coerce(q, v); err != nil {
					return t.reask(ctx, err)
				}
			}
			checked[k] = v
		}
		if err := t.checkChoices(checked); err != nil {
			return t.reask(ctx, err)
		}
		if _, err := t.a.cat.checkAll(t.st.notChoices(checked)); err != nil {
			return t.reask(ctx, err)
		}
		t.applyAnswers(ctx, checked)
		return t.advance(ctx)
	})
}

// reask ends the turn with the pending questions asked again, saying why
// the answer was not taken.
func (t *turn) reask(ctx context.Context, why error) error {
	t.reply.Questions = t.st.Pending
	return t.finish(ctx, StatusNeedsInfo, "I did not get that ("+why.Error()+"). "+questionsText(t.st.Pending))
}

// elicitor is the Elicitor of the call with idempotency key callKey: a
// request answered earlier in the session gets the same answer; otherwise
// the Elicitor of the turn's context asks the user now; without one, the
// request is kept for the user (t.eliciting) and answered with cancel.
func (t *turn) elicitor(turnCtx context.Context, callKey, api string) Elicitor {
	live := elicitorFrom(turnCtx)
	return func(ctx context.Context, e Elicitation) (ElicitResult, error) {
		e.API = api
		e.Key = elicitationKey(callKey, e)
		t.mu.Lock()
		r, ok := t.st.Elicited[e.Key]
		t.mu.Unlock()
		if ok {
			return r, nil
		}
		if live != nil {
			r, err := live(ctx, e)
			if err != nil {
				return ElicitResult{}, err
			}
			t.mu.Lock()
			t.st.elicited(e.Key, r)
			t.record(ctx, EventAnswers, map[string]any{"api": api, "elicitation": e.Message, "response": r})
			t.mu.Unlock()
			return r, nil
		}
		t.mu.Lock()
		t.eliciting = &e
		t.mu.Unlock()
		return ElicitResult{Action: ElicitCancel}, nil
	}
}

// elicitationKey identifies an API's request for input within a call.
func elicitationKey(callKey string, e Elicitation) string {
	raw, _ := json.Marshal([]any{e.Message, e.Fields})
	h := sha256.New()
	h.Write([]byte(callKey))
	h.Write(raw)
	return hex.EncodeToString(h.Sum(nil))[:32]
}

func (s *State) elicited(key string, r ElicitResult) {
	if s.Elicited == nil {
		s.Elicited = map[string]ElicitResult{}
	}
	s.Elicited[key] = r
}

// askElicited ends the turn with the fields of the API's request for input
// as questions.
func (t *turn) askElicited(ctx context.Context) error {
	e := *t.eliciting
	t.eliciting = nil
	qs := make([]Question, len(e.Fields))
	for i, f := range e.Fields {
		t.st.Questions++
		f.ID = fmt.Sprintf("q%d", t.st.Questions)
		f.Elicit = e.Key
		qs[i] = f
	}
	e.Fields = qs
	t.st.Eliciting = &e
	t.st.Pending = qs
	t.reply.Questions = qs
	t.record(ctx, EventQuestions, qs)
	return t.finish(ctx, StatusNeedsInfo, elicitationText(e))
}

// elicitationText puts an API's request for input to the user.
func elicitationText(e Elicitation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s asks: %s", e.API, e.Message)
	for _, q := range e.Fields {
		fmt.Fprintf(&b, "\n  [%s] %s", q.Slot, q.Text)
		if len(q.Allowed) > 0 {
			fmt.Fprintf(&b, " (one of %v)", q.Allowed)
		}
		if q.Default != nil {
			fmt.Fprintf(&b, " (default %v)", q.Default)
		}
		if q.Optional {
			b.WriteString(" (optional)")
		}
	}
	if len(e.Fields) > 1 {
		b.WriteString("\nAnswer as name: value, one per line (or \"no\" to decline).")
	}
	return b.String()
}

// takeElicited reads the user's reply to an API's request for input: "no"
// or "cancel" declines it; otherwise the values, as JSON, "name: value"
// lines, or — for a request of one field — the message itself. done is
// false when the turn already ended by asking again.
func (t *turn) takeElicited(ctx context.Context, message string) (done bool, err error) {
	e := t.st.Eliciting
	values, perr := parseFieldAnswers(e.Fields, message)
	if perr != nil {
		if ok, clear := yesNo(message); clear && !ok {
			t.record(ctx, EventAnswers, map[string]any{"api": e.API, "declined": true})
			t.settleElicited(ctx, ElicitResult{Action: ElicitDecline})
			return true, nil
		}
		return false, t.reask(ctx, perr)
	}
	t.settleElicited(ctx, ElicitResult{Action: ElicitAccept, Values: values})
	return true, nil
}

// settleElicited keeps the user's response to the pending request for
// input, for the call made again.
func (t *turn) settleElicited(ctx context.Context, r ElicitResult) {
	e := t.st.Eliciting
	t.st.elicited(e.Key, r)
	if r.Action == ElicitAccept {
		t.record(ctx, EventAnswers, r.Values)
	}
	t.st.Eliciting = nil
	t.st.Pending = nil
}

// parseFieldAnswers reads a message as the values of fields.
func parseFieldAnswers(fields []Question, message string) (map[string]any, error) {
	msg := strings.TrimSpace(message)
	raw := map[string]any{}
	switch {
	case strings.HasPrefix(msg, "{"):
		if err := json.Unmarshal([]byte(msg), &raw); err != nil {
			return nil, fmt.Errorf("not a JSON object: %v", err)
		}
	case len(fields) == 1 && !namedAnswer(fields, msg):
		raw[fields[0].Slot] = msg
	default:
		for _, line := range strings.FieldsFunc(msg, func(r rune) bool { return r == '\n' || r == ';' }) {
			name, v, ok := strings.Cut(line, ":")
			if !ok {
				name, v, ok = strings.Cut(line, "=")
			}
			if !ok {
				return nil, fmt.Errorf("%q is not name: value", strings.TrimSpace(line))
			}
			raw[strings.TrimSpace(name)] = strings.TrimSpace(v)
		}
	}
	return CoerceAnswers(fields, raw)
}

// namedAnswer reports whether msg reads "field: value" for one of fields.
func namedAnswer(fields []Question, msg string) bool {
	for _, sep := range []string{":", "="} {
		if name, _, ok := strings.Cut(msg, sep); ok {
			for _, f := range fields {
				if strings.TrimSpace(name) == f.Slot {
					return true
				}
			}
		}
	}
	return false
}

// CoerceAnswers checks answers to questions (keyed by slot) against the
// questions' types and allowed values, converts text to each question's
// type ("3" to 3 for a number, "yes" to true for a boolean), and fills in
// the defaults of questions left out; a required question without an answer
// or a default is an error.
func CoerceAnswers(fields []Question, answers map[string]any) (map[string]any, error) {
	byName := map[string]Question{}
	for _, f := range fields {
		byName[f.Slot] = f
	}
	names := make([]string, 0, len(answers))
	for k := range answers {
		names = append(names, k)
	}
	sort.Strings(names)
	out := map[string]any{}
	for _, k := range names {
		f, ok := byName[k]
		if !ok {
			return nil, fmt.Errorf("%q is not asked for", k)
		}
		v, err := coerce(f, answers[k])
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	for _, f := range fields {
		if _, ok := out[f.Slot]; !ok && !f.Optional {
			if f.Default == nil {
				return nil, fmt.Errorf("%s is required", f.Slot)
			}
			out[f.Slot] = f.Default
		}
	}
	return out, nil
}

// coerce converts v to the field's type and checks its allowed values.
func coerce(f Question, v any) (any, error) {
	s, isText := v.(string)
	if isText {
		s = strings.TrimSpace(s)
		switch f.DataType {
		case "number":
			n, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, fmt.Errorf("%s takes a number, not %q", f.Slot, s)
			}
			v = n
		case "integer":
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%s takes a whole number, not %q", f.Slot, s)
			}
			v = float64(n)
		case "boolean":
			b, clear := yesNo(s)
			if s == "true" || s == "false" {
				b, clear = s == "true", true
			}
			if !clear {
				return nil, fmt.Errorf("%s takes yes or no, not %q", f.Slot, s)
			}
			v = b
		default:
			v = s
		}
	}
	switch f.DataType {
	case "number", "integer":
		n, ok := v.(float64)
		if !ok {
			return nil, fmt.Errorf("%s takes a number, not %v", f.Slot, v)
		}
		if f.DataType == "integer" && n != float64(int64(n)) {
			return nil, fmt.Errorf("%s takes a whole number, not %v", f.Slot, v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return nil, fmt.Errorf("%s takes true or false, not %v", f.Slot, v)
		}
	case "string":
		if _, ok := v.(string); !ok {
			return nil, fmt.Errorf("%s takes text, not %v", f.Slot, v)
		}
	}
	if len(f.Allowed) > 0 {
		for _, a := range f.Allowed {
			if fmt.Sprint(a) == fmt.Sprint(v) {
				return a, nil
			}
		}
		return nil, fmt.Errorf("%v is not an allowed value of %s (allowed: %v)", v, f.Slot, f.Allowed)
	}
	return v, nil
}
