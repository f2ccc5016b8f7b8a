package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/tmc/langchaingo/llms"
	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/planner"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// understandSystem is the Translator's instruction for a new request; the
// APIs it may use follow it.
const understandSystem = "You turn a user's request into a call of " + fnPlanRequest +
	": the goal APIs whose results the user wants and the values the user gave, keyed by slot. " +
	"When the user wants one API called more than once (two cities, two dates), name it once in goals " +
	"and give one entry per call in calls, each with a short tag and that call's values by input name; " +
	"a call that feeds another API's inputs takes as tag the word that names its role in them (origin, destination). " +
	"Use only these APIs and slots; leave out what the user did not say.\nAPIs:\n"

// understand asks the Translator for a plan request. It sees the APIs
// relevant to the message within the budget, and the session's earlier
// request, so that a follow-up ("and also ...") can build on it.
func (t *turn) understand(ctx context.Context, message string) (planner.Request, error) {
	prompt := "User request: " + message
	var pinned, slots []string
	if prev := t.st.Request; len(prev.Goals) > 0 {
		pinned = t.st.apisInUse()
		var known []string
		for _, k := range prev.Known {
			known = append(known, fmt.Sprintf("%s = %v", k.Key, k.Value))
			slots = append(slots, k.Key)
		}
		prompt = fmt.Sprintf("Earlier in this conversation the user asked %q (goals %s; values: %s). "+
			"That request is settled: name as goals only what this message asks for, "+
			"and reuse an earlier value only where the user refers to it.\n%s",
			prev.Query, strings.Join(prev.Goals, ", "), strings.Join(known, "; "), prompt)
	}
	v := t.a.cat.fit(message, pinned, slots, promptSize(understandSystem, prompt), t.a.opts.TranslatorBudget, requestSize)
	var req planner.Request
	err := t.callTranslator(ctx, "understand", understandSystem+v.text, prompt, v.request, func(reply llm.Reply) (err error) {
		req, err = t.a.parseRequestCall(reply, message)
		return err
	})
	return req, err
}

// callTranslator offers the Translator one function and reads its call
// with parse. A call that parse rejects goes back to the model once, with
// the reason; a model error ends it at once.
func (t *turn) callTranslator(ctx context.Context, purpose, system, prompt string, tool llms.Tool, parse func(llm.Reply) error) error {
	var rejected error
	for attempt := 0; attempt < 2; attempt++ {
		p := prompt
		if rejected != nil {
			p += "\nYour previous call was rejected: " + rejected.Error() + ". Call " + tool.Function.Name + " again, correctly."
		}
		var reply llm.Reply
		err := t.modelSpan(ctx, llm.Translator, purpose, func(ctx context.Context) (err error) {
			reply, err = llm.CallTools(ctx, t.a.opts.Models.Translator, system, p, []llms.Tool{tool})
			return err
		})
		if err != nil {
			return err
		}
		if rejected = parse(reply); rejected == nil {
			return nil
		}
	}
	return rejected
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
		if _, ok := a.cat.apis[name]; !ok {
			return req, fmt.Errorf("goal %v is not an API of the catalogue", g)
		}
		if !slices.Contains(req.Goals, name) {
			req.Goals = append(req.Goals, name)
		}
	}
	known, _ := args["known"].(map[string]any)
	keys, err := a.cat.checkAll(known)
	if err != nil {
		return req, err
	}
	for _, k := range keys {
		req.Known = append(req.Known, planner.Known{Key: k, Value: known[k]})
	}
	calls, _ := args["calls"].([]any)
	return a.cat.addCalls(req, calls)
}

// addCalls adds to req the calls of one API the Translator tells apart
// (planner instances, "Api#tag"): a goal API called several times becomes
// one goal per call, and each call's values are known for its inputs.
func (c *catalogue) addCalls(req planner.Request, calls []any) (planner.Request, error) {
	byAPI := map[string][]string{}
	for n, raw := range calls {
		call, _ := raw.(map[string]any)
		name, _ := call["api"].(string)
		api, ok := c.apis[name]
		if !ok {
			return req, fmt.Errorf("calls[%d]: %q is not an API of the catalogue", n, call["api"])
		}
		rawTag, _ := call["tag"].(string)
		tag := instanceTag(rawTag)
		if tag == "" {
			return req, fmt.Errorf("calls[%d]: give the call of %s a tag of letters or digits, not %q", n, name, rawTag)
		}
		inst := name + "#" + tag
		if slices.Contains(byAPI[name], inst) {
			return req, fmt.Errorf("calls[%d]: two calls of %s are tagged %q: tag each call differently", n, name, tag)
		}
		byAPI[name] = append(byAPI[name], inst)
		values, _ := call["values"].(map[string]any)
		inputs := make([]string, 0, len(values))
		for in := range values {
			inputs = append(inputs, in)
		}
		sort.Strings(inputs)
		for _, input := range inputs {
			in, ok := inputNamed(api, input)
			if !ok {
				return req, fmt.Errorf("calls[%d]: %s has no input %q", n, api.Name, input)
			}
			key := inst + "." + input
			if err := (slotInfo{Type: jsonType(in), Allowed: in.Allowed}).check(key, values[input]); err != nil {
				return req, fmt.Errorf("calls[%d]: %w", n, err)
			}
			req.Known = append(req.Known, planner.Known{Key: key, Value: values[input]})
		}
	}
	var goals []string
	for _, g := range req.Goals {
		if insts, ok := byAPI[g]; ok {
			goals = append(goals, insts...)
		} else {
			goals = append(goals, g)
		}
	}
	req.Goals = goals
	return req, nil
}

// instanceTag makes a Translator's tag a safe instance tag: lower-case
// letters, digits and underscores.
func instanceTag(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	return strings.TrimRight(b.String(), "_")
}

func inputNamed(api registry.API, name string) (registry.Input, bool) {
	for _, in := range api.Inputs {
		if in.Name == name {
			return in, true
		}
	}
	return registry.Input{}, false
}

// extractAnswers asks the Translator for the values the message gives, by
// slot: answers to the pending questions, or changes to earlier values.
// Output that does not validate goes back to the model once.
func (t *turn) extractAnswers(ctx context.Context, message string) (map[string]any, error) {
	var lines []string
	for _, q := range t.st.Pending {
		lines = append(lines, fmt.Sprintf("- %s (%s): %s", q.Slot, q.ID, q.Text))
	}
	var known []string
	for _, k := range t.st.Request.Known {
		known = append(known, fmt.Sprintf("- %s = %v", k.Key, k.Value))
	}
	system := "You extract the user's answers to pending questions by calling " + fnGiveAnswers +
		" with the values keyed by slot. Include a slot the user changes even if it was answered before."
	prompt := "Pending questions:\n" + strings.Join(lines, "\n") + "\nValues so far:\n" + strings.Join(known, "\n") + "\nUser message: " + message
	v := t.a.cat.fit("", t.st.apisInUse(), t.st.slotsInUse(), promptSize(system, prompt), t.a.opts.TranslatorBudget, answersSize)
	v.withChoices(t.st.Pending)
	var answers map[string]any
	err := t.callTranslator(ctx, "answers", system, prompt, v.answers, func(reply llm.Reply) (err error) {
		if answers, err = toolArgs(reply, fnGiveAnswers); err != nil {
			return err
		}
		if len(answers) == 0 {
			return errors.New("no answer given")
		}
		if err := t.checkChoices(answers); err != nil {
			return err
		}
		_, err = t.a.cat.checkAll(t.st.notChoices(answers))
		return err
	})
	if err != nil {
		return nil, err
	}
	return answers, nil
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
	if answers, ok := t.choicesFirst(message); ok {
		t.applyAnswers(ctx, answers)
		return true, nil
	}
	answers, err := t.extractAnswers(ctx, message)
	if err != nil {
		t.reply.Questions = t.st.Pending
		return false, t.finish(ctx, StatusNeedsInfo, "I did not get that ("+t.explain(err)+"). "+questionsText(t.st.Pending))
	}
	t.applyAnswers(ctx, answers)
	return true, nil
}
