package toolmaker

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// TestEvalBigBench runs the whole pipeline on the test copy of the six
// tasks with the example's scripted replies: six tools made (two after a
// repair), every instance dispatched to its tool and answered through Parse
// with no User or Maker call.
func TestEvalBigBench(t *testing.T) {
	f := newFixture(t, bigbenchScript, Options{AutoMake: -1})
	tasks, err := LoadBBH("testdata/bbh")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := f.tm.Eval(context.Background(), tasks, EvalOptions{Seed: 1, Concurrency: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Tasks) != 6 || rep.Instances != 72 {
		t.Fatalf("%d tasks, %d instances; want 6, 72", len(rep.Tasks), rep.Instances)
	}
	wantReplies := map[string]int{"dyck_languages": 2, "word_sorting": 2}
	for _, r := range rep.Tasks {
		if !r.ToolMade {
			t.Errorf("%s: no tool: %s", r.Task, r.MakeError)
		}
		if want := max(1, wantReplies[r.Task]); r.MakeReplies != want {
			t.Errorf("%s: tool made in %d replies, want %d", r.Task, r.MakeReplies, want)
		}
		if r.Accuracy != 1 || r.DispatchAccuracy != 1 || r.ZeroCallShare != 1 {
			t.Errorf("%s: accuracy %v dispatch %v zero-call %v, want all 1; wrong: %+v", r.Task, r.Accuracy, r.DispatchAccuracy, r.ZeroCallShare, r.Wrong)
		}
		if r.UserCalls != 0 || r.DispatcherCalls != r.N || r.MakerCalls != r.MakeReplies {
			t.Errorf("%s: calls maker %d user %d dispatcher %d for %d instances", r.Task, r.MakerCalls, r.UserCalls, r.DispatcherCalls, r.N)
		}
		if r.MakeCostUSD <= 0 || r.UseCostPerInstanceUSD <= 0 || r.MakeCostUSD < 10*r.UseCostPerInstanceUSD {
			t.Errorf("%s: make cost %v, use cost per instance %v: making should cost far more", r.Task, r.MakeCostUSD, r.UseCostPerInstanceUSD)
		}
	}
	var b strings.Builder
	if err := rep.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + b.String())
	for _, want := range []string{"word_sorting", "total", "100%", "instances/s", "scripted model"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
	// The registry holds the verified tools with what the tool user needs.
	tool, err := f.store.GetTool(context.Background(), "", "word_sorting")
	if err != nil {
		t.Fatal(err)
	}
	if tool.Verification.Status != registry.VerifyPassed || tool.Parse != "Parse" || tool.Format != "Format" ||
		len(tool.Demos) != 3 || len(tool.Tests) != 6 || tool.Schemas["Solve"] == nil ||
		tool.Provenance.Attempts != 2 || tool.Provenance.CostUSD <= 0 || tool.Provenance.MakerModel == "" {
		t.Errorf("registered tool incomplete: %+v", tool)
	}
	if !strings.Contains(string(tool.Demos[0].Args), `"words":[`) {
		t.Errorf("demo arguments %s, want Solve's arguments by name", tool.Demos[0].Args)
	}
	fam, err := f.store.GetFamily(context.Background(), "", "dyck_languages")
	if err != nil || fam.Status != registry.FamilyReady || fam.Tool != "dyck_languages" {
		t.Errorf("family %+v, %v; want ready with its tool", fam, err)
	}
}

// TestEvalBaseline has the Maker answer every instance directly as well.
func TestEvalBaseline(t *testing.T) {
	rules := script("Write the tool", fenced(wordSort), "Answer the task directly", "no idea") +
		"  - role: dispatcher\n    reply: word_sorting\nmodels:\n  maker: openai:gpt-4.1\n  user: openai:gpt-4.1-mini\n"
	f := newFixture(t, rules, Options{AutoMake: -1})
	rep, err := f.tm.Eval(context.Background(), []Task{loadTask(t, "word_sorting")}, EvalOptions{Baseline: true, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Tasks[0]
	if r.Accuracy != 1 || r.BaselineAccuracy == nil || *r.BaselineAccuracy != 0 || r.BaselineCostPerInstUSD <= 0 {
		t.Fatalf("report %+v", r)
	}
	if r.BaselineCostPerInstUSD <= r.UseCostPerInstanceUSD {
		t.Errorf("the Maker answering directly (%v per instance) should cost more than dispatch and use (%v)", r.BaselineCostPerInstUSD, r.UseCostPerInstanceUSD)
	}
	var b strings.Builder
	rep.WriteTable(&b)
	if !strings.Contains(b.String(), "maker direct") {
		t.Errorf("table without the baseline:\n%s", b.String())
	}
}

// TestEvalFailedMaking: a task whose tool cannot be made is reported with
// the reasons; its instances, which no model can answer here, count as
// failed requests, and the other tasks are unaffected.
func TestEvalFailedMaking(t *testing.T) {
	rules := script(`Task family: word_sorting\n`, fenced(wordSort), `Task family: dyck_languages\n`, "no code today") +
		"  - role: dispatcher\n    when: 'Request to route:\\nSort'\n    reply: word_sorting\n  - role: dispatcher\n    reply: unknown\n"
	f := newFixture(t, rules, Options{AutoMake: -1})
	rep, err := f.tm.Eval(context.Background(), []Task{loadTask(t, "dyck_languages"), loadTask(t, "word_sorting")}, EvalOptions{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	d, w := rep.Tasks[0], rep.Tasks[1]
	if d.ToolMade || !strings.Contains(d.MakeError, "no Go code") || d.Errors != 3 || d.Accuracy != 0 || d.MakeReplies != 3 {
		t.Errorf("dyck: %+v", d)
	}
	if !w.ToolMade || w.Accuracy != 1 {
		t.Errorf("word_sorting: %+v", w)
	}
	var b strings.Builder
	rep.WriteTable(&b)
	if !strings.Contains(b.String(), "dyck_languages: no tool") || !strings.Contains(b.String(), "3 requests failed") {
		t.Errorf("table:\n%s", b.String())
	}
}

// TestEvalParseDispatch routes the mixed stream by the tools' parsers: on
// these tasks exactly one parser accepts each request, so no model is
// called at all after making.
func TestEvalParseDispatch(t *testing.T) {
	f := newFixture(t, bigbenchScript, Options{AutoMake: -1, ParseDispatch: true})
	tasks, err := LoadBBH("testdata/bbh")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := f.tm.Eval(context.Background(), tasks, EvalOptions{Seed: 3, Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	tot := rep.Total
	if tot.Accuracy != 1 || tot.DispatchAccuracy != 1 || tot.ZeroCallShare != 1 || tot.DispatcherCalls != 0 || tot.UseCostPerInstanceUSD != 0 {
		t.Errorf("total %+v", tot)
	}
}

func TestLoadTaskRejects(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"broken.json":    `{"examples": [`,
		"empty.json":     `{"examples": []}`,
		"no_target.json": `{"examples": [{"input": "x"}]}`,
		"bad name!.json": `{"examples": [{"input": "x", "target": "y"}]}`,
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadTask(p); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
	if _, err := LoadBBH(filepath.Join(dir, "none")); err == nil {
		t.Error("an empty directory accepted")
	}
}
