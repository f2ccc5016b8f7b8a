package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/planner"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// ask ends the turn with every question of the plan asked at once, each
// phrased by the User model, with an id, a type and the allowed values.
func (t *turn) ask(ctx context.Context, steps []planner.Step) error {
	slots := t.a.cat.slots
	prev := map[string]string{}
	for _, q := range t.st.Pending {
		prev[q.Slot] = q.ID
	}
	var qs []Question
	for _, s := range steps {
		id, ok := prev[s.Slot]
		if !ok {
			t.st.Questions++
			id = fmt.Sprintf("q%d", t.st.Questions)
		}
		info := slots[s.Slot]
		typ := info.Type
		if typ == "" {
			typ = "string"
		}
		qs = append(qs, Question{ID: id, Slot: s.Slot, Text: s.Question, DataType: typ, Allowed: info.Allowed})
	}
	if phrased, err := t.phrase(ctx, qs); err == nil {
		for i := range qs {
			qs[i].Text = phrased[qs[i].Slot]
		}
	} else {
		t.a.log.Warn("questions not phrased by the model; using the planner's", "err", err)
		t.reply.Degraded = true
	}
	t.st.Pending = qs
	t.reply.Questions = qs
	t.record(ctx, EventQuestions, qs)
	return t.finish(ctx, StatusNeedsInfo, questionsText(qs))
}

// phrase asks the User model to word the questions; it returns them by slot.
func (t *turn) phrase(ctx context.Context, qs []Question) (map[string]string, error) {
	var lines []string
	for _, q := range qs {
		line := fmt.Sprintf("- %s: %s", q.Slot, q.Text)
		if len(q.Allowed) > 0 {
			line += fmt.Sprintf(" (one of %v)", q.Allowed)
		}
		lines = append(lines, line)
	}
	system := "You phrase questions to the user of a travel and task assistant. " +
		"Reply with a JSON object that maps each slot to one short, friendly question."
	prompt := "The user asked: " + t.st.Request.Query + "\nPhrase the questions for these missing values:\n" + strings.Join(lines, "\n")
	var lastErr error
	for attempt := 0; attempt < 2; attempt++ {
		p := prompt
		if lastErr != nil {
			p += "\nYour previous reply was rejected: " + lastErr.Error()
		}
		var text string
		err := t.modelSpan(ctx, llm.User, "phrase questions", func(ctx context.Context) (err error) {
			text, err = llm.CompleteJSON(ctx, t.a.opts.Models.User, system, p)
			return err
		})
		if err != nil {
			return nil, err
		}
		var out map[string]string
		if err := json.Unmarshal([]byte(extractJSON(text)), &out); err != nil {
			lastErr = fmt.Errorf("not a JSON object of strings: %v", err)
			continue
		}
		lastErr = nil
		for _, q := range qs {
			if strings.TrimSpace(out[q.Slot]) == "" {
				lastErr = fmt.Errorf("no question for %s", q.Slot)
			}
		}
		if lastErr == nil {
			return out, nil
		}
	}
	return nil, lastErr
}

// extractJSON returns the first {...} block of text (models like to wrap
// JSON in prose or code fences).
func extractJSON(text string) string {
	i, j := strings.Index(text, "{"), strings.LastIndex(text, "}")
	if i < 0 || j < i {
		return text
	}
	return text[i : j+1]
}

// questionsText lists the questions for the user; a choice lists its
// options, numbered.
func questionsText(qs []Question) string {
	var b strings.Builder
	if len(qs) == 1 {
		b.WriteString(qs[0].Text)
	} else {
		b.WriteString("I need a few details:")
		for _, q := range qs {
			fmt.Fprintf(&b, "\n  [%s] %s", q.ID, q.Text)
			if len(q.Allowed) > 0 && len(q.Options) == 0 {
				fmt.Fprintf(&b, " (one of %v)", q.Allowed)
			}
		}
	}
	for _, q := range qs {
		for i, o := range q.Options {
			fmt.Fprintf(&b, "\n  %d. %s", i+1, scalarText(o.Value))
			if o.Label != "" {
				fmt.Fprintf(&b, " (%s)", o.Label)
			}
		}
	}
	return b.String()
}

// respond ends the turn with the User model's answer from the step results.
func (t *turn) respond(ctx context.Context) error {
	results := t.results()
	raw, _ := json.MarshalIndent(results, "", "  ")
	system := "You answer the user from the results of the API calls made for them. " +
		"Say what was done — each call with an effect other than read changed something: name it and its values — " +
		"and which API gave what. Be brief and do not invent anything the results do not say."
	prompt := "The user asked: " + t.st.Request.Query + "\nResults of the calls, in order:\n" + string(raw)
	var text string
	err := t.modelSpan(ctx, llm.User, "respond", func(ctx context.Context) (err error) {
		text, err = llm.Complete(ctx, t.a.opts.Models.User, system, prompt)
		return err
	})
	if err == nil && strings.TrimSpace(text) == "" {
		err = errors.New("empty answer")
	}
	if err != nil {
		t.a.log.Warn("answer not written by the model; summarising the results", "err", err)
		t.reply.Degraded = true
		text = summary(results)
	}
	return t.finish(ctx, StatusAnswered, text)
}

// result is one successful call, for the final answer.
type result struct {
	API string `json:"api"`
	// Effect says whether the call changed something (write, destructive)
	// or only read.
	Effect  registry.Effect `json:"effect"`
	Args    map[string]any  `json:"args"`
	Outputs map[string]any  `json:"outputs"`
}

func (t *turn) results() []result {
	var out []result
	seen := map[string]bool{}
	for _, d := range t.st.Done {
		for _, c := range t.st.Calls {
			if c.Step == d.ID && c.API == d.API && c.Error == "" && !seen[c.Key] {
				seen[c.Key] = true
				api := t.a.cat.apis[c.API]
				out = append(out, result{API: c.API, Effect: registry.EffectOf(&api), Args: c.Args, Outputs: c.Outputs})
				break
			}
		}
	}
	return out
}

// summary states the results plainly, API by API.
func summary(rs []result) string {
	if len(rs) == 0 {
		return "Done: no API call was needed."
	}
	var b strings.Builder
	b.WriteString("Done.")
	for _, r := range rs {
		keys := make([]string, 0, len(r.Outputs))
		for k := range r.Outputs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s=%v", k, r.Outputs[k]))
		}
		if r.Effect.SideEffect() {
			args, _ := json.Marshal(r.Args)
			fmt.Fprintf(&b, "\n  %s (%s) was called with %s", r.API, r.Effect, args)
			if len(parts) > 0 {
				fmt.Fprintf(&b, " and gave %s", strings.Join(parts, ", "))
			}
			continue
		}
		fmt.Fprintf(&b, "\n  %s gave %s", r.API, strings.Join(parts, ", "))
	}
	return b.String()
}
