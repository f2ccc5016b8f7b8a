package toolmaker

import (
	"context"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// TestMakeBigBench makes the six test tools with the example's scripted
// replies (two after a repair) and checks that the registry holds what the
// tool user needs. The evaluation over them is package eval's.
func TestMakeBigBench(t *testing.T) {
	f := newFixture(t, bigbenchScript, Options{AutoMake: -1})
	tasks := makeAll(t, f)
	ctx := context.Background()
	wantAttempts := map[string]int{"dyck_languages": 2, "word_sorting": 2}
	for _, task := range tasks {
		tool, err := f.store.GetTool(ctx, "", task.Name)
		if err != nil {
			t.Fatal(err)
		}
		if want := max(1, wantAttempts[task.Name]); tool.Provenance.Attempts != want {
			t.Errorf("%s: made in %d replies, want %d", task.Name, tool.Provenance.Attempts, want)
		}
		a, err := f.tm.Solve(ctx, task.Examples[10].Input, "")
		if err != nil || a.Path != PathParse || a.Family != task.Name || !SameAnswer(a.Text, task.Examples[10].Target) {
			t.Errorf("%s: an unseen instance: %+v, %v", task.Name, a, err)
		}
	}
	tool, err := f.store.GetTool(ctx, "", "word_sorting")
	if err != nil {
		t.Fatal(err)
	}
	if tool.Verification.Status != registry.VerifyPassed || tool.Parse != "Parse" || tool.Format != "Format" ||
		len(tool.Demos) != 3 || len(tool.Tests) != 6 || tool.Schemas["Solve"] == nil ||
		tool.Provenance.CostUSD <= 0 || tool.Provenance.MakerModel == "" {
		t.Errorf("registered tool incomplete: %+v", tool)
	}
	if !strings.Contains(string(tool.Demos[0].Args), `"words":[`) {
		t.Errorf("demo arguments %s, want Solve's arguments by name", tool.Demos[0].Args)
	}
	fam, err := f.store.GetFamily(ctx, "", "dyck_languages")
	if err != nil || fam.Status != registry.FamilyReady || fam.Tool != "dyck_languages" {
		t.Errorf("family %+v, %v; want ready with its tool", fam, err)
	}
}

// TestAnswerDirectly: the Maker answers with no tool, metered as a request
// of its own.
func TestAnswerDirectly(t *testing.T) {
	rules := script("Answer the task directly", "apple pear") + "models:\n  maker: openai:gpt-4.1\n"
	f := newFixture(t, rules, Options{})
	a, err := f.tm.AnswerDirectly(context.Background(), "Sort the following words alphabetically: List: pear apple")
	if err != nil {
		t.Fatal(err)
	}
	if a.Text != "apple pear" || a.Path != PathMaker || a.Request == "" || a.Usage.ByRole[llm.Maker].Calls != 1 || a.Usage.Cost <= 0 {
		t.Errorf("answer %+v", a)
	}
	if _, err := newFixture(t, script("Write the tool", fenced(wordSort)), Options{}).tm.AnswerDirectly(context.Background(), "x"); err == nil {
		t.Error("no reply: want an error")
	}
}
