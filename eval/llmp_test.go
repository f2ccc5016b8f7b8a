package eval

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tmc/langchaingo/llms"
	"github.com/toolsmith-dev/toolsmith/llm/llmtest"
	"github.com/toolsmith-dev/toolsmith/planner/search"
)

const (
	// llmpTestData holds copies of a few LLM+P problems (see
	// testdata/README.md); llmpScript the example's scripted replies.
	llmpTestData = "testdata/llmp"
	llmpScript   = "../examples/llmp/scripted.yaml"
)

// translator returns the translator model of a scripted-model file, or of
// the rules (YAML list items) when script is not a file name.
func translator(t *testing.T, script string) llms.Model {
	t.Helper()
	if strings.HasSuffix(script, ".yaml") {
		return llmtest.File(t, script, "").Translator
	}
	return llmtest.Models(t, "rules:\n"+script).Translator
}

// llmpOptions are quick limits: floortile p01 takes seconds, so it ends at
// the limit.
func llmpOptions(m llms.Model) LLMPOptions {
	return LLMPOptions{Model: m, Search: search.Options{Timeout: 300 * time.Millisecond}, OptimumTimeout: 2 * time.Second, Jobs: 2}
}

// TestLLMP runs the evaluation on the test copies with the example's
// scripted replies: every problem parses (blocksworld p02 after one repair),
// the planner solves all but floortile's, every plan is valid for the ground
// truth and optimal, and floortile's broken example is left out.
func TestLLMP(t *testing.T) {
	var progress []string
	opts := llmpOptions(translator(t, llmpScript))
	opts.Jobs = 1
	opts.Scripted = llmpScript
	opts.Progress = func(domain, problem string, done, total int) {
		progress = append(progress, domain+"/"+problem)
	}
	rep, err := LLMP(context.Background(), llmpTestData, opts)
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ n, parsed, solved, valid, repairs, known, optimal int }
	want := map[string]row{
		"blocksworld": {3, 3, 3, 3, 1, 3, 3},
		"floortile":   {1, 1, 0, 0, 0, 0, 0},
		"tyreworld":   {1, 1, 1, 1, 0, 1, 1},
		"total":       {5, 5, 4, 4, 1, 4, 4},
	}
	for _, d := range append(rep.Domains, rep.Total) {
		got := row{d.N, d.Parsed, d.Solved, d.Valid, d.Repairs, d.OptimumKnown, d.Optimal}
		if got != want[d.Domain] {
			t.Errorf("%s: %+v, want %+v", d.Domain, got, want[d.Domain])
		}
		if d.OptimumKnown > 0 && d.CostRatio != 1 {
			t.Errorf("%s: cost ratio %v, want 1", d.Domain, d.CostRatio)
		}
	}
	if len(rep.Domains) != 3 || strings.Join(progress, " ") != "blocksworld/p01 blocksworld/p02 blocksworld/p03 floortile/p01 tyreworld/p01" {
		t.Fatalf("domains %d, progress %v", len(rep.Domains), progress)
	}
	bw, ft := rep.Domains[0], rep.Domains[1]
	if p := bw.Problems[1]; p.Replies != 2 || len(p.Rejected) != 1 || !strings.Contains(p.Rejected[0].Errors[0], "problem.pddl:") {
		t.Errorf("blocksworld p02: %+v", p)
	}
	if p := bw.Problems[0]; !p.Valid || p.Steps != 0 || p.Optimum == nil || *p.Optimum != 0 {
		t.Errorf("blocksworld p01 (the goal holds already): %+v", p)
	}
	if bw.Example != "p_example" || !strings.Contains(ft.Example, "p_example.pddl does not check") || !strings.Contains(ft.Example, "undeclared object robot2") {
		t.Errorf("examples: %q, %q", bw.Example, ft.Example)
	}
	if p := ft.Problems[0]; p.Status != "limit" || p.Valid {
		t.Errorf("floortile p01: %+v", p)
	}
	text := reportText(t, rep)
	for _, want := range []string{"## LLM+P: 5 problems in 3 domains", "| blocksworld |", "3 (100%)", "| total ", "floortile: example: none: p_example.pddl does not check",
		"floortile p01: not solved (limit", "measure the pipeline", "plans validated against the ground-truth problem"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	var b strings.Builder
	if err := Write(&b, rep, JSON); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Domains []map[string]any `json:"domains"`
	}
	if err := json.Unmarshal([]byte(b.String()), &doc); err != nil || len(doc.Domains) != 3 {
		t.Fatalf("%v: %s", err, b.String())
	}
	for _, k := range []string{"domain", "n", "parsed", "solved", "valid", "repairs"} {
		if _, ok := doc.Domains[0][k]; !ok {
			t.Errorf("the JSON of a domain lacks %q", k)
		}
	}
}

// TestLLMPValidatesAgainstTheGroundTruth: a problem the model got wrong
// (a goal left out) is solved, but its plan is not valid for the ground
// truth.
func TestLLMPValidatesAgainstTheGroundTruth(t *testing.T) {
	truth, err := os.ReadFile(filepath.Join(llmpTestData, "blocksworld/p02.pddl"))
	if err != nil {
		t.Fatal(err)
	}
	wrong := strings.Replace(string(truth), "(on b3 b1)", "", 1)
	var rules strings.Builder
	rules.WriteString("  - role: translator\n    when: 'Problem to translate, in words:\\s+You have 3 blocks'\n    reply: |\n")
	for _, l := range strings.Split(strings.TrimSpace(wrong), "\n") {
		rules.WriteString("      " + l + "\n")
	}
	opts := llmpOptions(translator(t, rules.String()))
	opts.Domains = []string{"blocksworld"}
	rep, err := LLMP(context.Background(), llmpTestData, opts)
	if err != nil {
		t.Fatal(err)
	}
	d := rep.Domains[0]
	p := d.Problems[1]
	if p.Problem != "p02" || !p.Parsed || p.Status != "solved" || p.Valid || !strings.Contains(p.Invalid, "goal not reached") {
		t.Errorf("p02: %+v", p)
	}
	// The other problems' prompts match no rule: the model failed, and the
	// evaluation went on.
	if q := d.Problems[2]; q.Status != "error" || q.Parsed || !strings.Contains(q.Error, "no rule") {
		t.Errorf("p03: %+v", q)
	}
	if d.N != 3 || d.Parsed != 2 || d.Solved != 2 || d.Valid != 0 {
		t.Errorf("blocksworld %+v", d)
	}
	if text := reportText(t, rep); !strings.Contains(text, "blocksworld p02: plan invalid for the ground truth: goal not reached") {
		t.Errorf("report:\n%s", text)
	}
}

func TestLLMPBadInput(t *testing.T) {
	m := translator(t, llmpScript)
	for _, tt := range []struct {
		name, dir string
		domains   []string
		want      string
	}{
		{"missing directory", filepath.Join(t.TempDir(), "llmp"), nil, "does not exist"},
		{"no domains", t.TempDir(), nil, "no domain directories"},
		{"unknown domain", llmpTestData, []string{"sokoban"}, `no domain "sokoban"`},
	} {
		opts := llmpOptions(m)
		opts.Domains = tt.domains
		if _, err := LLMP(context.Background(), tt.dir, opts); !isInputErr(err) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an input error with %q", tt.name, err, tt.want)
		}
	}
	// A domain that does not parse is reported, not fatal.
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "broken"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "broken", "domain.pddl"), []byte("(define (domain x)"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := LLMP(context.Background(), dir, llmpOptions(m))
	if err != nil || len(rep.Domains) != 1 || rep.Domains[0].Error == "" || !strings.Contains(reportText(t, rep), "broken: not run:") {
		t.Errorf("%+v, %v", rep, err)
	}
}

func TestLLMPCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := LLMP(ctx, llmpTestData, llmpOptions(translator(t, llmpScript))); err == nil {
		t.Fatal("a cancelled evaluation: want an error")
	}
}
