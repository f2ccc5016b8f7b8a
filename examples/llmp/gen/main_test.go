package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/eval/llmp"
)

// testdata holds copies of LLM+P problems (see eval/testdata/README.md);
// they are the first problems of their domains, so their flaws are those of
// the full data.
const testdata = "../../../eval/testdata/llmp"

// TestScriptedAnswersTestdata translates the test copies with
// scripted.yaml: each is answered with its ground truth, after the repairs
// its flaws plan (this also fails when scripted.yaml no longer parses).
func TestScriptedAnswersTestdata(t *testing.T) {
	script, err := os.ReadFile("../scripted.yaml")
	if err != nil {
		t.Fatal(err)
	}
	domains, probs, err := loadProblems(testdata)
	if err != nil {
		t.Fatal(err)
	}
	if len(probs) < 5 {
		t.Fatalf("%d test problems", len(probs))
	}
	if err := verify(script, domains, probs); err != nil {
		t.Fatal(err)
	}
}

// TestFlaws: each flaw makes the ground truth fail to parse or check, the
// way it says.
func TestFlaws(t *testing.T) {
	domains, probs, err := loadProblems(testdata)
	if err != nil {
		t.Fatal(err)
	}
	p := probs[1] // blocksworld p02
	d := domains[p.domain]
	for _, tt := range []struct {
		fl   flaw
		want string
	}{
		{syntaxFlaw, "unclosed '('"},
		{undeclaredFlaw, "undeclared object b1-extra"},
		{domainFlaw, "blocksworld-4ops-problem"},
	} {
		broken, err := tt.fl.apply(d, p.truth)
		if err != nil {
			t.Fatal(err)
		}
		_, _, errs := llmp.CheckProblem(d, llmp.ProblemFile, broken)
		if !strings.Contains(strings.Join(errs, "\n"), tt.want) {
			t.Errorf("%s: %v, want an error with %q", tt.fl.name, errs, tt.want)
		}
	}
}

// TestAnchor: a problem's pattern finds its own text in the prompt and no
// other, even when the other text only adds digits to a word ("1 hubs"
// against "10 hubs").
func TestAnchor(t *testing.T) {
	texts := []string{"You have 1 hubs and a jack.", "You have 10 hubs and a jack.", "You have 1 hubs and a jack. More."}
	var probs []*problem
	for _, s := range texts {
		probs = append(probs, &problem{text: s, words: strings.Fields(s)})
	}
	for i, p := range probs {
		re := regexp.MustCompile(anchorOf(p, probs))
		for j, q := range probs {
			prompt := llmp.MarkProblem + "\n" + q.text + "\n\nWrite the problem file for this problem."
			if re.MatchString(prompt) != (i == j) {
				t.Errorf("the pattern of %q on %q: %v", p.text, q.text, i != j)
			}
		}
	}
}
