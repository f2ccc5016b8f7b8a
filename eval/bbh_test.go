package eval

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/toolsmith-dev/toolsmith/llm/llmtest"
	"github.com/toolsmith-dev/toolsmith/registry"
	"github.com/toolsmith-dev/toolsmith/registry/registrytest"
	"github.com/toolsmith-dev/toolsmith/sandbox"
	"github.com/toolsmith-dev/toolsmith/toolmaker"
)

const (
	// bbhTestData are 12 examples of each BIG-Bench task (see its README).
	bbhTestData = "../toolmaker/testdata/bbh"
	// bigbenchScript is the BIG-Bench example's scripted-model file.
	bigbenchScript = "../examples/bigbench/scripted.yaml"
)

// newToolmaker returns a Toolmaker over a fresh bbolt store and an
// in-process sandbox whose models answer from the BIG-Bench example's
// scripted replies, after the rules of extra (YAML list items), which come
// first.
func newToolmaker(t *testing.T, extra string, opts toolmaker.Options) *toolmaker.Toolmaker {
	t.Helper()
	runner, err := sandbox.NewInProcess(sandbox.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { runner.Close() })
	opts.AutoMake, opts.NoStats = -1, true
	return toolmaker.New(registrytest.Bolt(t), runner, llmtest.File(t, bigbenchScript, extra), opts)
}

func loadBBH(t *testing.T, names ...string) []Task {
	t.Helper()
	if len(names) == 0 {
		tasks, err := LoadBBH(bbhTestData)
		if err != nil {
			t.Fatal(err)
		}
		return tasks
	}
	var tasks []Task
	for _, n := range names {
		task, err := LoadBBHTask(filepath.Join(bbhTestData, n+".json"))
		if err != nil {
			t.Fatal(err)
		}
		tasks = append(tasks, task)
	}
	return tasks
}

func reportText(t *testing.T, r Result) string {
	t.Helper()
	var b strings.Builder
	if err := Write(&b, r, Markdown); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestBBH runs the whole pipeline on the test copy of the six tasks with
// the example's scripted replies: six tools made (two after a repair), every
// instance dispatched to its tool and answered through Parse with no User
// or Maker call.
func TestBBH(t *testing.T) {
	tm := newToolmaker(t, "", toolmaker.Options{})
	var (
		mu           sync.Mutex // Progress is called from the workers
		made, solved int
	)
	rep, err := BBH(context.Background(), tm, loadBBH(t), BBHOptions{Seed: 1, Concurrency: 3, Scripted: bigbenchScript,
		Progress: func(stage string, done, total int) {
			mu.Lock()
			defer mu.Unlock()
			if strings.HasPrefix(stage, "made ") {
				made++
			} else {
				solved = max(solved, done)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Tasks) != 6 || rep.Instances != 72 || made != 6 || solved != 72 {
		t.Fatalf("%d tasks, %d instances, progress %d made %d solved; want 6, 72", len(rep.Tasks), rep.Instances, made, solved)
	}
	wantReplies := map[string]int{"dyck_languages": 2, "word_sorting": 2}
	for _, r := range rep.Tasks {
		if !r.ToolMade {
			t.Errorf("%s: no tool: %s", r.Task, r.MakeError)
		}
		if want := max(1, wantReplies[r.Task]); r.MakeReplies != want {
			t.Errorf("%s: tool made in %d replies, want %d", r.Task, r.MakeReplies, want)
		}
		if r.N != 12 || r.Accuracy != 1 || r.DispatchAccuracy != 1 || r.ZeroCallShare != 1 {
			t.Errorf("%s: n %d accuracy %v dispatch %v zero-call %v, want 12 and all 1; wrong: %+v", r.Task, r.N, r.Accuracy, r.DispatchAccuracy, r.ZeroCallShare, r.Wrong)
		}
		if r.UserCalls != 0 || r.DispatcherCalls != r.N || r.MakerCalls != r.MakeReplies {
			t.Errorf("%s: calls maker %d user %d dispatcher %d for %d instances", r.Task, r.MakerCalls, r.UserCalls, r.DispatcherCalls, r.N)
		}
		if r.MakeCostUSD <= 0 || r.UseCostPerInstanceUSD <= 0 || r.MakeCostUSD < 10*r.UseCostPerInstanceUSD {
			t.Errorf("%s: make cost %v, use cost per instance %v: making should cost far more", r.Task, r.MakeCostUSD, r.UseCostPerInstanceUSD)
		}
	}
	if tot := rep.Total; tot.N != 72 || tot.Correct != 72 || !tot.ToolMade || tot.MakeReplies != 8 || tot.BaselineAccuracy != nil {
		t.Errorf("total %+v", tot)
	}
	text := reportText(t, rep)
	for _, want := range []string{"| word_sorting ", "| total ", "yes (2)", "100%", "instances/s", "scripted model (" + bigbenchScript} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
}

// TestBBHBaseline has the Maker answer every instance directly as well.
func TestBBHBaseline(t *testing.T) {
	tm := newToolmaker(t, "  - role: maker\n    when: 'Answer the task directly'\n    reply: no idea\n", toolmaker.Options{})
	rep, err := BBH(context.Background(), tm, loadBBH(t, "word_sorting"), BBHOptions{Baseline: true, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Tasks[0]
	if r.N != 5 || r.Accuracy != 1 || r.BaselineAccuracy == nil || *r.BaselineAccuracy != 0 || r.BaselineCostPerInstUSD <= 0 {
		t.Fatalf("report %+v", r)
	}
	if r.BaselineCostPerInstUSD <= r.UseCostPerInstanceUSD {
		t.Errorf("the Maker answering directly (%v per instance) should cost more than dispatch and use (%v)", r.BaselineCostPerInstUSD, r.UseCostPerInstanceUSD)
	}
	if text := reportText(t, rep); !strings.Contains(text, "maker direct") || strings.Contains(text, "scripted model") {
		t.Errorf("report without the baseline, or claiming a scripted model it was not told of:\n%s", text)
	}
}

// TestBBHFailedMaking: a task whose tool cannot be made is reported with
// the reasons; its instances, which no model can answer here, count as
// failed requests, and the other tasks are unaffected.
func TestBBHFailedMaking(t *testing.T) {
	extra := "  - role: maker\n    when: 'Task family: dyck_languages\\n'\n    reply: no code today\n" +
		"  - role: dispatcher\n    when: 'Complete the rest of the sequence'\n    reply: unknown\n"
	tm := newToolmaker(t, extra, toolmaker.Options{})
	rep, err := BBH(context.Background(), tm, loadBBH(t, "dyck_languages", "word_sorting"), BBHOptions{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	d, w := rep.Tasks[0], rep.Tasks[1]
	if d.ToolMade || !strings.Contains(d.MakeError, "no Go code") || d.Errors != 3 || d.Accuracy != 0 || d.MakeReplies != 3 || len(d.Wrong) != 3 {
		t.Errorf("dyck: %+v", d)
	}
	if !w.ToolMade || w.Accuracy != 1 {
		t.Errorf("word_sorting: %+v", w)
	}
	if rep.Total.ToolMade || rep.Total.Errors != 3 {
		t.Errorf("total %+v", rep.Total)
	}
	text := reportText(t, rep)
	for _, want := range []string{"dyck_languages: no tool", "3 requests failed", "dyck_languages: 3 wrong", `got "error: `} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
}

// TestBBHParseDispatch routes the mixed stream by the tools' parsers: on
// these tasks exactly one parser accepts each request, so no model is
// called at all after making.
func TestBBHParseDispatch(t *testing.T) {
	tm := newToolmaker(t, "", toolmaker.Options{ParseDispatch: true})
	rep, err := BBH(context.Background(), tm, loadBBH(t), BBHOptions{Seed: 3, Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	tot := rep.Total
	if tot.Accuracy != 1 || tot.DispatchAccuracy != 1 || tot.ZeroCallShare != 1 || tot.DispatcherCalls != 0 || tot.UseCostPerInstanceUSD != 0 {
		t.Errorf("total %+v", tot)
	}
}

// TestBBHCancelled stops the stream when the context ends.
func TestBBHCancelled(t *testing.T) {
	tm := newToolmaker(t, "", toolmaker.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	tasks := loadBBH(t)
	_, err := BBH(ctx, tm, tasks, BBHOptions{Progress: func(stage string, done, total int) {
		if stage == "solving" && done == 5 {
			cancel()
		}
	}})
	if err == nil || ctx.Err() == nil {
		t.Fatalf("error %v, want the cancellation", err)
	}
}

func TestLoadBBHRejects(t *testing.T) {
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
		if _, err := LoadBBHTask(p); !isInputErr(err) {
			t.Errorf("%s: %v, want an input error", name, err)
		}
	}
	if _, err := LoadBBH(t.TempDir()); !isInputErr(err) || !strings.Contains(err.Error(), "no task files") {
		t.Errorf("an empty directory: %v", err)
	}
	if _, err := LoadBBH(filepath.Join(dir, "none")); !isInputErr(err) || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("a missing directory: %v", err)
	}
}

// TestSplitLATM: 3 of the first 5 examples train, 3 of the next 5
// validate; the same seed gives the same split.
func TestSplitLATM(t *testing.T) {
	exs := loadBBH(t, "word_sorting")[0].Examples
	train, valid := SplitLATM(exs, nil)
	if len(train) != 3 || len(valid) != 3 || train[0] != exs[0] || valid[0] != exs[5] {
		t.Fatalf("train %v valid %v", train, valid)
	}
	in := func(x registry.Example, from []registry.Example) bool {
		for _, e := range from {
			if e == x {
				return true
			}
		}
		return false
	}
	for _, x := range train {
		if !in(x, exs[:5]) {
			t.Errorf("training example %v not among the first five", x)
		}
	}
	for _, x := range valid {
		if !in(x, exs[5:10]) {
			t.Errorf("validation example %v not among the next five", x)
		}
	}
	if tr, _ := SplitLATM(exs[:4], nil); len(tr) != 2 {
		t.Errorf("four examples: %d to train, want 2", len(tr))
	}
}
