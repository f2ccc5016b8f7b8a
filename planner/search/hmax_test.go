package search

import (
	"context"
	"testing"
)

// TestHMax: h_max from the initial state of gripper with two balls, and the
// relaxed plan of best supporters, which reaches the goal when its
// operators are applied in order ignoring deletes.
func TestHMax(t *testing.T) {
	g, err := Ground(context.Background(), gripperTask(t, 2))
	if err != nil {
		t.Fatal(err)
	}
	rc := HMax(g, g.Init)
	want := map[string]int64{"at-robby rooma": 0, "at-robby roomb": 1, "carry ball1 left": 1, "at ball1 roomb": 2}
	for f, name := range g.Facts {
		if w, ok := want[name]; ok && rc.Fact[f] != w {
			t.Errorf("h_max(%s) = %d, want %d", name, rc.Fact[f], w)
		}
	}
	if hg := max(rc.Fact[g.Goal[0]], rc.Fact[g.Goal[1]]); hg != 2 {
		t.Errorf("h_max(goal) = %d, want 2", hg)
	}
	ops, cost, ok := rc.Plan(g, g.Goal)
	if !ok || cost != int64(len(ops)) || cost < 2 {
		t.Fatalf("relaxed plan %v cost %d ok %v", ops, cost, ok)
	}
	s := g.InitState()
	for _, o := range ops {
		op := &g.Operators[o]
		if !allTrue(s, op.Pre) {
			t.Fatalf("relaxed plan: %s does not apply", op)
		}
		for _, f := range op.Add {
			s[f] = true
		}
	}
	if !allTrue(s, g.Goal) {
		t.Error("the relaxed plan does not reach the goal")
	}
	for o := range ops {
		if a := g.Operators[ops[o]].Action; g.Operators[ops[o]].Name != gripperTask(t, 2).Actions[a].Name {
			t.Errorf("operator %s: Action %d names another action", &g.Operators[ops[o]], a)
		}
	}
}
