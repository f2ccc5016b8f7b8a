package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/tmc/langchaingo/llms"
	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/planner"
)

// understand asks the Translator for a plan request.
func (t *turn) understand(ctx context.Context, message string) (planner.Request, error) {
	system := "You turn a user's request into a call of " + fnPlanRequest +
		": the goal APIs whose results the user wants and the values the user gave, keyed by slot. " +
		"Use only these APIs and slots; leave out what the user did not say.\nAPIs:\n" + t.a.cat.text
	var req planner.Request
	err := t.callTranslator(ctx, "understand", system, "User request: "+message, t.a.cat.request, func(reply llm.Reply) (err error) {
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
		req.Goals = append(req.Goals, name)
	}
	known, _ := args["known"].(map[string]any)
	keys, err := a.cat.checkAll(known)
	if err != nil {
		return req, err
	}
	for _, k := range keys {
		req.Known = append(req.Known, planner.Known{Key: k, Value: known[k]})
	}
	return req, nil
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
	var answers map[string]any
	err := t.callTranslator(ctx, "answers", system, prompt, t.a.cat.answers, func(reply llm.Reply) (err error) {
		if answers, err = toolArgs(reply, fnGiveAnswers); err != nil {
			return err
		}
		if len(answers) == 0 {
			return errors.New("no answer given")
		}
		_, err = t.a.cat.checkAll(answers)
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
func (t *turn) applyAnswers(answers map[string]any) {
	t.record(EventAnswers, answers)
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
		return false, t.finish(ctx, StatusNeedsInfo, "I did not get that ("+t.explain(err)+"). "+questionsText(t.st.Pending))
	}
	t.applyAnswers(answers)
	return true, nil
}
