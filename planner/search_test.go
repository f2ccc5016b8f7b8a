package planner

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
	"github.com/toolsmith-dev/toolsmith/planner/search"
)

// TestOptimalSearchHasABudget: a task on which A* with LM-cut needs more
// than optimalBudget expansions (elevators p01: about 2,200) is planned by
// the default engine all the same, by the greedy search once A* gives up
// (without the fallback, the budget would end the search with an error).
func TestOptimalSearchHasABudget(t *testing.T) {
	dir := filepath.Join("search", "testdata", "ipc", "elevators-sat08-strips")
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	d, err := pddl.ParseDomain("domain.pddl", read("domain.pddl"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := pddl.ParseProblem("p01.pddl", read("p01.pddl"))
	if err != nil {
		t.Fatal(err)
	}
	task, err := pddl.Normalize(d, p)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	prob, err := search.Ground(ctx, task)
	if err != nil {
		t.Fatal(err)
	}
	res, err := search.Plan(ctx, prob, search.Options{Search: "astar", Heuristic: "lmcut", MaxExpansions: optimalBudget})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != search.Limit {
		t.Fatalf("A* finished within the budget (%v): the test needs a harder task", res.Status)
	}
	names, err := searchEngine{}.plan(ctx, task, false, Options{})
	if err != nil || len(names) == 0 {
		t.Fatalf("plan %v, err %v: the default engine did not fall back to the greedy search", names, err)
	}
}
