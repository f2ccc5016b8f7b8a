package llmp

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/planner/pddl"
)

// Words is a plan in sentences, one a step.
type Words struct {
	Sentences []string `json:"sentences"`
	// ByModel is set when the model wrote them; otherwise they are the
	// plan's own words (see Sentence) and Note says why the model's were
	// not used.
	ByModel bool   `json:"by_model"`
	Note    string `json:"note,omitempty"`
}

// numbering matches a sentence's leading "1.", "1)", "Step 1:" or "- ".
var numbering = regexp.MustCompile(`^\s*(?:(?i:step)\s*)?(?:\d+\s*[.):]|[-*•])\s*`)

// Describe has the model tell the plan of the problem text as one sentence
// per step. When the call fails or the reply does not have one sentence per
// step, the sentences are the plan's own words (Sentence), and Note says
// why: the result is always usable.
func (t *Translator) Describe(ctx context.Context, text string, plan []pddl.Step) Words {
	fallback := func(note string) Words {
		w := Words{Note: note}
		for _, s := range plan {
			w.Sentences = append(w.Sentences, Sentence(s))
		}
		return w
	}
	if len(plan) == 0 {
		return Words{Sentences: []string{}, Note: "the plan is empty: the goal holds already"}
	}
	if t.Model == nil {
		return fallback("no model")
	}
	reply, err := llm.Complete(ctx, t.Model, describeSystem, describePrompt(text, plan))
	if err != nil {
		return fallback(fmt.Sprintf("the model failed: %v", err))
	}
	var lines []string
	for _, l := range strings.Split(reply, "\n") {
		if l = strings.TrimSpace(numbering.ReplaceAllString(l, "")); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) != len(plan) {
		return fallback(fmt.Sprintf("the model wrote %d sentences for %d steps", len(lines), len(plan)))
	}
	return Words{Sentences: lines, ByModel: true}
}

// Sentence renders a step in its own words: the action's name with its
// hyphens and underscores as spaces, then the arguments ("pick-up b1" is
// "Pick up b1.").
func Sentence(s pddl.Step) string {
	name := strings.NewReplacer("-", " ", "_", " ").Replace(s.Action)
	if name != "" {
		name = strings.ToUpper(name[:1]) + name[1:]
	}
	return strings.Join(append([]string{name}, s.Args...), " ") + "."
}
