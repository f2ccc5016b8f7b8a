package llmp

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tmc/langchaingo/llms"
	"github.com/toolsmith-dev/toolsmith/llm/llmtest"
	"github.com/toolsmith-dev/toolsmith/planner/pddl"
)

// testdata holds copies of LLM+P problems (see ../testdata/README.md).
const testdata = "../testdata/llmp"

// model returns a translator answering from the scripted-model rules
// (YAML list items).
func model(t *testing.T, rules string) llms.Model {
	t.Helper()
	return llmtest.Models(t, "rules:\n"+rules).Translator
}

// reply is a scripted rule: when matches the prompt, reply answers.
func reply(when, text string) string {
	var b strings.Builder
	when = strings.ReplaceAll(strings.ReplaceAll(when, "'", "''"), "\n", `\n`) // a newline in a pattern, as \n
	b.WriteString("  - role: translator\n    when: '" + when + "'\n    reply: |\n")
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		b.WriteString("      " + l + "\n")
	}
	return b.String()
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdata, path))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// blocksworld returns the request for blocksworld p02 with its example.
func blocksworld(t *testing.T) (Request, string) {
	t.Helper()
	src := read(t, "blocksworld/domain.pddl")
	d, err := pddl.ParseDomain("domain.pddl", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return Request{Domain: d, DomainPDDL: src, Text: read(t, "blocksworld/p02.nl"),
		Example: &Example{Text: read(t, "blocksworld/p_example.nl"), PDDL: read(t, "blocksworld/p_example.pddl")}}, read(t, "blocksworld/p02.pddl")
}

func TestTranslate(t *testing.T) {
	req, truth := blocksworld(t)
	undeclared := strings.Replace(truth, "(on-table b2)", "(on-table b9)", 1)
	if undeclared == truth {
		t.Fatal("the test's flaw no longer applies")
	}
	// The prompt holds the domain, the example and the problem; the repair
	// prompt the error with its position.
	first := `(?s)\(define \(domain blocksworld-4ops\).*A solved example\. The problem, in words:\nYou have 5 blocks\..*Its problem file:\n\(define \(problem BW-rand-5\).*` +
		regexp.QuoteMeta(MarkProblem) + `\n` + regexp.QuoteMeta(strings.TrimSpace(req.Text)[:40])
	repair := first + `.*` + regexp.QuoteMeta(MarkRepair) + `\nproblem\.pddl:\d+:\d+: undeclared object b9`
	tests := []struct {
		name     string
		rules    string
		repairs  int
		replies  int
		rejected int
		invalid  bool
	}{
		{"first reply", reply(first, truth), 0, 1, 0, false},
		{"in prose", reply(first, "Here you are:\n```pddl\n"+truth+"```\nbye"), 0, 1, 0, false},
		{"repaired", reply(repair, truth) + reply(first, undeclared), 0, 2, 1, false},
		{"never right", reply(first, undeclared), 0, 1 + DefaultRepairs, 1 + DefaultRepairs, true},
		{"no repairs", reply(first, undeclared), -1, 1, 1, true},
		{"three repairs", reply(first, "no PDDL today"), 3, 4, 4, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := &Translator{Model: model(t, tt.rules), Repairs: tt.repairs}
			res, err := tr.Translate(context.Background(), req)
			var inv *InvalidError
			if tt.invalid != errors.As(err, &inv) || !tt.invalid && err != nil {
				t.Fatalf("error %v, want invalid %v", err, tt.invalid)
			}
			if res.Replies != tt.replies || len(res.Rejected) != tt.rejected || res.Repairs() != tt.replies-1 {
				t.Fatalf("replies %d, rejected %v; want %d, %d", res.Replies, res.Rejected, tt.replies, tt.rejected)
			}
			if tt.invalid {
				if res.Problem != nil || res.Task != nil || inv.Replies != tt.replies || len(inv.Errors) == 0 {
					t.Errorf("invalid: %+v, %+v", res, inv)
				}
				return
			}
			if res.Problem == nil || res.Task == nil || res.Problem.Name != "BW-rand-3" || strings.TrimSpace(res.PDDL) != strings.TrimSpace(truth) {
				t.Errorf("translation %+v", res)
			}
			if tt.rejected > 0 && !strings.Contains(res.Rejected[0].Errors[0], "problem.pddl:") {
				t.Errorf("rejection without a position: %v", res.Rejected)
			}
		})
	}
}

func TestTranslateWithoutExample(t *testing.T) {
	req, truth := blocksworld(t)
	req.Example = nil
	// Only a prompt without the example is answered.
	tr := &Translator{Model: model(t, reply(`(?s)^system: .*\nhuman: The domain, in PDDL:\n\(define.*\)\n\n`+regexp.QuoteMeta(MarkProblem), truth))}
	res, err := tr.Translate(context.Background(), req)
	if err != nil || res.Problem == nil {
		t.Fatalf("%+v, %v", res, err)
	}
}

func TestTranslateModelFails(t *testing.T) {
	req, _ := blocksworld(t)
	tr := &Translator{Model: model(t, reply("nothing matches this", "x"))}
	res, err := tr.Translate(context.Background(), req)
	var inv *InvalidError
	if err == nil || errors.As(err, &inv) || res.Replies != 0 {
		t.Fatalf("%+v, %v: want the model's error", res, err)
	}
	if _, err := (&Translator{}).Translate(context.Background(), req); err == nil {
		t.Error("no model: want an error")
	}
}

func TestCheckProblem(t *testing.T) {
	req, truth := blocksworld(t)
	for _, tt := range []struct {
		name, src, want string
	}{
		{"syntax", strings.TrimSuffix(strings.TrimSpace(truth), ")"), "p.pddl:"},
		{"another domain", strings.Replace(truth, "blocksworld-4ops", "blocks", 1), "blocks"},
		{"unknown predicate", strings.Replace(truth, "(arm-empty)", "(hand-empty)", 1), "hand-empty"},
	} {
		_, _, errs := CheckProblem(req.Domain, "p.pddl", tt.src)
		if len(errs) == 0 || !strings.Contains(strings.Join(errs, "\n"), tt.want) {
			t.Errorf("%s: %v, want an error with %q", tt.name, errs, tt.want)
		}
	}
	// Many errors are cut to ten lines, the last counting the rest.
	var many strings.Builder
	many.WriteString("(define (problem p) (:domain blocksworld-4ops) (:init")
	for i := range 15 {
		many.WriteString(" (clear x" + string(rune('a'+i)) + ")")
	}
	many.WriteString(") (:goal (arm-empty)))")
	_, _, errs := CheckProblem(req.Domain, "p.pddl", many.String())
	if len(errs) != maxErrorLines || !strings.HasPrefix(errs[len(errs)-1], "... and 6 more errors") {
		t.Errorf("%d lines: %v", len(errs), errs)
	}
}
