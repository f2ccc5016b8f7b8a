package llmp

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
)

func TestDescribe(t *testing.T) {
	plan := []pddl.Step{{Action: "unstack", Args: []string{"b3", "b2"}}, {Action: "put-down", Args: []string{"b3"}}}
	// The prompt holds the problem and the plan, one step a line.
	prompt := `(?s)` + regexp.QuoteMeta(MarkDescribe) + `\nThree blocks\.\n\n` + regexp.QuoteMeta(MarkPlan) + `\n\(unstack b3 b2\)\n\(put-down b3\)\n\nDescribe the plan in 2 numbered sentences`
	tests := []struct {
		name    string
		rules   string
		want    []string
		byModel bool
		note    string
	}{
		{"the model's", reply(prompt, "1. Take b3 off b2.\n\n2) Put b3 on the table."), []string{"Take b3 off b2.", "Put b3 on the table."}, true, ""},
		{"steps numbered otherwise", reply(prompt, "Step 1: Take b3 off b2.\n- Put b3 on the table."), []string{"Take b3 off b2.", "Put b3 on the table."}, true, ""},
		{"too few sentences", reply(prompt, "Move b3 to the table."), []string{"Unstack b3 b2.", "Put down b3."}, false, "1 sentences for 2 steps"},
		{"the model fails", reply("nothing matches", "x"), []string{"Unstack b3 b2.", "Put down b3."}, false, "the model failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := (&Translator{Model: model(t, tt.rules)}).Describe(context.Background(), "Three blocks.", plan)
			if strings.Join(w.Sentences, "|") != strings.Join(tt.want, "|") || w.ByModel != tt.byModel || !strings.Contains(w.Note, tt.note) {
				t.Errorf("got %+v, want %q by model %v, note %q", w, tt.want, tt.byModel, tt.note)
			}
		})
	}
	if w := (&Translator{}).Describe(context.Background(), "x", nil); len(w.Sentences) != 0 || w.ByModel || w.Note == "" {
		t.Errorf("empty plan: %+v", w)
	}
	if w := (&Translator{}).Describe(context.Background(), "x", plan); len(w.Sentences) != 2 || w.ByModel || w.Note != "no model" {
		t.Errorf("no model: %+v", w)
	}
}

func TestSentence(t *testing.T) {
	for _, tt := range []struct {
		step pddl.Step
		want string
	}{
		{pddl.Step{Action: "pick-up", Args: []string{"b1"}}, "Pick up b1."},
		{pddl.Step{Action: "fill_shot", Args: []string{"shot1", "ingredient1", "left"}}, "Fill shot shot1 ingredient1 left."},
		{pddl.Step{Action: "noop"}, "Noop."},
	} {
		if got := Sentence(tt.step); got != tt.want {
			t.Errorf("Sentence(%v) = %q, want %q", tt.step, got, tt.want)
		}
	}
}
