package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	llmpTestData = "../../eval/testdata/llmp"
	llmpScript   = "../../examples/llmp/scripted.yaml"
)

// fromText runs "toolsmith --scripted SCRIPT pddl from-text" on a problem
// of the test copies of LLM+P, with the domain's files.
func fromText(t *testing.T, script, domain, problem string, args ...string) (int, string, string) {
	t.Helper()
	d := filepath.Join(llmpTestData, domain)
	all := append([]string{"--scripted", script, "pddl", "from-text", "--domain", filepath.Join(d, "domain.pddl")}, args...)
	return runCLI(t, "", append(all, filepath.Join(d, problem+".nl"))...)
}

func withExample(domain string) []string {
	d := filepath.Join(llmpTestData, domain)
	return []string{"--example-text", filepath.Join(d, "p_example.nl"), "--example-pddl", filepath.Join(d, "p_example.pddl")}
}

// TestPDDLFromText: blocksworld p02's first scripted reply misses a
// parenthesis; the repaired problem is printed, then the plan, which the
// validator accepts for the ground truth, then the plan in words.
func TestPDDLFromText(t *testing.T) {
	dir := t.TempDir()
	planFile := filepath.Join(dir, "plan")
	code, out, errOut := fromText(t, llmpScript, "blocksworld", "p02", append(withExample("blocksworld"), "--words")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	problem, rest, ok := strings.Cut(out, "\n\n")
	plan, words, ok2 := strings.Cut(rest, "\n\n")
	if !ok || !ok2 || !strings.HasPrefix(problem, "(define (problem BW-rand-3)") || !strings.HasSuffix(plan, "; cost = 6 (unit cost)") ||
		!strings.HasPrefix(words, "1. Take b1 off b3.\n") || strings.Count(words, "\n") != 6 {
		t.Fatalf("output:\n%s", out)
	}
	for _, want := range []string{"scripted model", "; reply 1 rejected:\n;   problem.pddl:", "in 2 replies (repairs: 1)"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if err := os.WriteFile(planFile, []byte(plan+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := filepath.Join(llmpTestData, "blocksworld")
	if code, out, errOut := runCLI(t, "", "pddl", "validate", filepath.Join(d, "domain.pddl"), filepath.Join(d, "p02.pddl"), planFile); code != 0 {
		t.Errorf("the plan is not valid for the ground truth: %s %s", out, errOut)
	}
}

func TestPDDLFromTextJSONAndFiles(t *testing.T) {
	dir := t.TempDir()
	problemFile, planFile := filepath.Join(dir, "p.pddl"), filepath.Join(dir, "plan")
	// Tyreworld has no words in the scripted file: the plan's own words.
	code, out, errOut := fromText(t, llmpScript, "tyreworld", "p01", "--json", "--words")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc fromTextResult
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Status != "solved" || doc.Replies != 1 || len(doc.Plan) == 0 || doc.Cost == nil || int(*doc.Cost) != len(doc.Plan) ||
		doc.Words == nil || doc.Words.ByModel || len(doc.Words.Sentences) != len(doc.Plan) || !strings.Contains(doc.Words.Note, "the model failed") {
		t.Fatalf("document %+v", doc)
	}
	if !strings.Contains(errOut, "; words: the plan's own") {
		t.Errorf("stderr does not say the words are the plan's own: %s", errOut)
	}
	code, out, errOut = fromText(t, llmpScript, "tyreworld", "p01", "--problem-file", problemFile, "--plan-file", planFile)
	if code != 0 || out != "" {
		t.Fatalf("exit %d, stdout %q: %s", code, out, errOut)
	}
	d := filepath.Join(llmpTestData, "tyreworld")
	if code, out, errOut := runCLI(t, "", "pddl", "validate", filepath.Join(d, "domain.pddl"), problemFile, planFile); code != 0 {
		t.Errorf("the written plan and problem: %s %s", out, errOut)
	}
}

func TestPDDLFromTextStdin(t *testing.T) {
	d := filepath.Join(llmpTestData, "blocksworld")
	text, err := os.ReadFile(filepath.Join(d, "p03.nl"))
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, string(text), "--scripted", llmpScript, "pddl", "from-text", "--domain", filepath.Join(d, "domain.pddl"), "-")
	if code != 0 || !strings.Contains(out, "; cost = ") {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
}

func TestPDDLFromTextFailures(t *testing.T) {
	dir := t.TempDir()
	script := func(name, reply string) string {
		p := filepath.Join(dir, name)
		body := "rules:\n  - role: translator\n    reply: |\n      " + strings.ReplaceAll(reply, "\n", "\n      ") + "\n"
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	broken := script("broken.yaml", "(define (problem p) (:domain blocksworld-4ops) (:init (clear b9)) (:goal (clear b9)))")
	none := filepath.Join(dir, "none.yaml")
	if err := os.WriteFile(none, []byte("rules:\n  - role: maker\n    reply: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		script  string
		domain  string
		problem string
		args    []string
		code    int
		want    string
	}{
		{"never a valid problem", broken, "blocksworld", "p02", []string{"--repairs", "1"}, exitNoProblem, "no reply of the model parsed and checked in 2 replies"},
		{"the model fails", none, "blocksworld", "p02", nil, 1, "pddl from-text:"},
		{"limit", llmpScript, "floortile", "p01", []string{"--timeout", "100ms"}, exitPlanLimit, "limit reached"},
		{"broken example", llmpScript, "floortile", "p01", withExample("floortile"), 2, "--example-pddl does not check against the domain, and a solved example must be right: " + filepath.Join(llmpTestData, "floortile", "p_example.pddl") + ":14:14: undeclared object robot2"},
		{"example text alone", llmpScript, "blocksworld", "p02", []string{"--example-text", "x.nl"}, 2, "--example-text and --example-pddl go together"},
		{"unknown search, before any model call", none, "blocksworld", "p02", []string{"--search", "best"}, 2, "best"},
		{"missing problem", llmpScript, "blocksworld", "p99", nil, 2, "p99.nl"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := fromText(t, tt.script, tt.domain, tt.problem, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d with %q", code, errOut, tt.code, tt.want)
			}
		})
	}
	code, _, errOut := runCLI(t, "", "--scripted", llmpScript, "pddl", "from-text", "p.nl")
	if code != 2 || !strings.Contains(errOut, "--domain is required") {
		t.Errorf("no domain: exit %d, %q", code, errOut)
	}
	code, _, errOut = runCLI(t, " \n", "--scripted", llmpScript, "pddl", "from-text", "--domain", filepath.Join(llmpTestData, "blocksworld", "domain.pddl"), "-")
	if code != 2 || !strings.Contains(errOut, "the problem text is empty") {
		t.Errorf("empty text: exit %d, %q", code, errOut)
	}
}
