package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/tmc/langchaingo/llms"
	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/planner"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// Names of the functions the Translator model is offered.
const (
	fnPlanRequest = "plan_request"
	fnGiveAnswers = "give_answers"
)

// slotInfo is what the agent knows of a slot from the registry.
type slotInfo struct {
	Type        string // JSON type
	Allowed     []any
	Description string
}

// slots returns every input slot of the catalogue.
func (a *Agent) slots() map[string]slotInfo {
	out := map[string]slotInfo{}
	for _, api := range a.apis {
		for _, in := range api.Inputs {
			s := out[in.SlotType()]
			if s.Type == "" {
				s.Type = jsonType(in)
			}
			if len(in.Allowed) > 0 && len(s.Allowed) == 0 {
				s.Allowed = in.Allowed
			}
			if s.Description == "" {
				s.Description = in.Description
			}
			out[in.SlotType()] = s
		}
	}
	return out
}

// jsonType guesses an input's JSON type from its allowed and default values.
func jsonType(in registry.Input) string {
	vals := append([]any{in.Default}, in.Allowed...)
	for _, v := range vals {
		switch v.(type) {
		case int, int64, float64:
			return "number"
		case bool:
			return "boolean"
		case string:
			return "string"
		}
	}
	return "string"
}

// requestSchema is the JSON Schema of plan_request: goals from the API names,
// known values by slot (with their allowed values as enums).
func (a *Agent) requestSchema() map[string]any {
	names := make([]string, 0, len(a.apis))
	for n := range a.apis {
		names = append(names, n)
	}
	sort.Strings(names)
	return map[string]any{
		"type": "object",
		"properties": map[string]any{
			"goals": map[string]any{
				"type":        "array",
				"description": "the APIs whose results the user wants",
				"items":       map[string]any{"type": "string", "enum": names},
			},
			"known": map[string]any{
				"type":                 "object",
				"description":          "values the user gave, keyed by slot",
				"properties":           slotProperties(a.slots(), nil),
				"additionalProperties": false,
			},
		},
		"required": []string{"goals"},
	}
}

func slotProperties(slots map[string]slotInfo, only []string) map[string]any {
	props := map[string]any{}
	for name, s := range slots {
		if only != nil && !contains(only, name) {
			continue
		}
		p := map[string]any{"type": s.Type}
		if s.Description != "" {
			p["description"] = s.Description
		}
		if len(s.Allowed) > 0 {
			p["enum"] = s.Allowed
		}
		props[name] = p
	}
	return props
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// catalogue describes the APIs for the Translator's system prompt.
func (a *Agent) catalogue() string {
	names := make([]string, 0, len(a.apis))
	for n := range a.apis {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		api := a.apis[n]
		fmt.Fprintf(&b, "- %s: %s\n", n, api.Description)
		for _, in := range api.Inputs {
			fmt.Fprintf(&b, "    input %s (slot %s)", in.Name, in.SlotType())
			if in.Required {
				b.WriteString(" required")
			}
			if len(in.Allowed) > 0 {
				fmt.Fprintf(&b, " one of %v", in.Allowed)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// understand asks the Translator for a plan request. Output that does not
// validate goes back to the model once, with the error.
func (t *turn) understand(ctx context.Context, message string) (planner.Request, error) {
	a := t.a
	system := "You turn a user's request into a call of " + fnPlanRequest +
		": the goal APIs whose results the user wants and the values the user gave, keyed by slot. " +
		"Use only these APIs and slots; leave out what the user did not say.\nAPIs:\n" + a.catalogue()
	tool := llm.FunctionTool(fnPlanRequest, "Plan the user's request.", a.requestSchema())
	prompt := "User request: " + message
	var lastErr error
	for attempt := 0; attempt < 2; attempt++ {
		if lastErr != nil {
			prompt = "User request: " + message + "\nYour previous call was rejected: " + lastErr.Error() + ". Call " + fnPlanRequest + " again, correctly."
		}
		var reply llm.Reply
		err := t.modelSpan(ctx, llm.Translator, "understand", func(ctx context.Context) (err error) {
			reply, err = llm.CallTools(ctx, a.opts.Models.Translator, system, prompt, []llms.Tool{tool})
			return err
		})
		if err != nil {
			return planner.Request{}, err
		}
		req, err := a.parseRequestCall(reply, message)
		if err == nil {
			return req, nil
		}
		lastErr = err
	}
	return planner.Request{}, lastErr
}

func toolArgs(reply llm.Reply, name string) (map[string]any, error) {
	for _, c := range reply.ToolCalls {
		if c.FunctionCall == nil || c.FunctionCall.Name != name {
			continue
		}
		var args map[string]any
		if err := json.Unmarshal([]byte(c.FunctionCall.Arguments), &args); err != nil {
			return nil, fmt.Errorf("the arguments of %s are not a JSON object: %v", name, err)
		}
		return args, nil
	}
	return nil, fmt.Errorf("no call of %s in the reply", name)
}

func (a *Agent) parseRequestCall(reply llm.Reply, message string) (planner.Request, error) {
	args, err := toolArgs(reply, fnPlanRequest)
	if err != nil {
		return planner.Request{}, err
	}
	req := planner.Request{Query: message}
	goals, _ := args["goals"].([]any)
	if len(goals) == 0 {
		return req, errors.New("goals is empty: name at least one API")
	}
	for _, g := range goals {
		name, _ := g.(string)
		if _, ok := a.apis[name]; !ok {
			return req, fmt.Errorf("goal %v is not an API of the catalogue", g)
		}
		req.Goals = append(req.Goals, name)
	}
	known, _ := args["known"].(map[string]any)
	slots := a.slots()
	keys := make([]string, 0, len(known))
	for k := range known {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := known[k]
		if err := checkSlot(slots, k, v); err != nil {
			return req, err
		}
		req.Known = append(req.Known, planner.Known{Key: k, Value: v})
	}
	return req, nil
}

// checkSlot validates a value for a slot (or an "Api.input" key).
func checkSlot(slots map[string]slotInfo, key string, v any) error {
	s, ok := slots[key]
	if !ok {
		if strings.Contains(key, ".") {
			return nil // Api.input keys are checked by the planner
		}
		return fmt.Errorf("%q is not a slot of the catalogue", key)
	}
	if v == nil {
		return fmt.Errorf("slot %s has no value", key)
	}
	if len(s.Allowed) > 0 {
		for _, al := range s.Allowed {
			if fmt.Sprint(al) == fmt.Sprint(v) {
				return nil
			}
		}
		return fmt.Errorf("%v is not an allowed value of %s (allowed: %v)", v, key, s.Allowed)
	}
	switch s.Type {
	case "number":
		if _, ok := v.(float64); !ok {
			return fmt.Errorf("slot %s takes a number, not %v", key, v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("slot %s takes true or false, not %v", key, v)
		}
	}
	return nil
}

// extractAnswers asks the Translator for the values the message gives, by
// slot: answers to the pending questions, or changes to earlier values.
// Output that does not validate goes back to the model once.
func (t *turn) extractAnswers(ctx context.Context, message string) (map[string]any, error) {
	a := t.a
	slots := a.slots()
	var lines []string
	for _, q := range t.st.Pending {
		lines = append(lines, fmt.Sprintf("- %s (%s): %s", q.Slot, q.ID, q.Text))
	}
	var known []string
	for _, k := range t.st.Request.Known {
		known = append(known, fmt.Sprintf("- %s = %v", k.Key, k.Value))
	}
	schema := map[string]any{
		"type":                 "object",
		"properties":           slotProperties(slots, nil),
		"additionalProperties": false,
	}
	system := "You extract the user's answers to pending questions by calling " + fnGiveAnswers +
		" with the values keyed by slot. Include a slot the user changes even if it was answered before."
	prompt := "Pending questions:\n" + strings.Join(lines, "\n") + "\nValues so far:\n" + strings.Join(known, "\n") + "\nUser message: " + message
	tool := llm.FunctionTool(fnGiveAnswers, "Give the user's answers by slot.", schema)
	var lastErr error
	for attempt := 0; attempt < 2; attempt++ {
		p := prompt
		if lastErr != nil {
			p += "\nYour previous call was rejected: " + lastErr.Error() + ". Call " + fnGiveAnswers + " again, correctly."
		}
		var reply llm.Reply
		err := t.modelSpan(ctx, llm.Translator, "answers", func(ctx context.Context) (err error) {
			reply, err = llm.CallTools(ctx, a.opts.Models.Translator, system, p, []llms.Tool{tool})
			return err
		})
		if err != nil {
			return nil, err
		}
		answers, err := toolArgs(reply, fnGiveAnswers)
		if err == nil {
			for k, v := range answers {
				if err = checkSlot(slots, k, v); err != nil {
					break
				}
			}
		}
		if err == nil && len(answers) == 0 {
			err = errors.New("no answer given")
		}
		if err == nil {
			return answers, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

// applyAnswers records answers as known values. A changed earlier value
// makes the plan start again from it: executed steps are forgotten, and calls
// already made with the same arguments are reused through their idempotency
// keys, so nothing is called twice.
func (t *turn) applyAnswers(ctx context.Context, answers map[string]any) {
	t.record(ctx, EventAnswers, answers)
	changed := false
	for k, v := range answers {
		for _, kn := range t.st.Request.Known {
			if kn.Key == k && fmt.Sprint(kn.Value) != fmt.Sprint(v) {
				changed = true
			}
		}
		t.st.setKnown(k, v)
	}
	if changed {
		t.st.Done = nil
	}
	var still []Question
	for _, q := range t.st.Pending {
		if _, ok := answers[q.Slot]; !ok {
			still = append(still, q)
		}
	}
	t.st.Pending = still
}

// takeAnswers handles a reply to pending questions. done is false when the
// turn already ended by asking again.
func (t *turn) takeAnswers(ctx context.Context, message string) (done bool, err error) {
	answers, err := t.extractAnswers(ctx, message)
	if err != nil {
		t.reply.Questions = t.st.Pending
		return false, t.finish(ctx, StatusNeedsInfo, "I did not get that ("+err.Error()+"). "+questionsText(t.st.Pending))
	}
	t.applyAnswers(ctx, answers)
	return true, nil
}
