package search

import (
	"context"
	"slices"
	"testing"
)

// TestHMaxGripper: h_max from the initial state of gripper with two balls, and the
// relaxed plan of best supporters, which reaches the goal when its
// operators are applied in order ignoring deletes.
func TestHMaxGripper(t *testing.T) {
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

// TestHMax checks h_max, best supporters and the relaxed plan on a small
// task: a costs 2; b costs 5 through a (not 10 directly); c needs both
// (max 5, plus 1); d is unreachable; e is derived from a by an axiom.
func TestHMax(t *testing.T) {
	task := &Task{
		Facts:   []string{"a", "b", "c", "d", "e"},
		Primary: 4,
		Operators: []Operator{
			{Name: "make-a", Add: []int32{0}, Cost: 2},
			{Name: "a-to-b", Pre: []int32{0}, Add: []int32{1}, Cost: 3},
			{Name: "make-b", Add: []int32{1}, Cost: 10},
			{Name: "make-c", Pre: []int32{0, 1}, Add: []int32{2}, Cost: 1},
			{Name: "d-to-d", Pre: []int32{3}, Add: []int32{3}, Cost: 1},
		},
		Axioms:   []Axiom{{Pre: []int32{0}, Head: 4}},
		Goal:     []int32{2},
		UsesCost: true,
	}
	rc := HMax(task, nil)
	if want := []int64{2, 5, 6, Infinity, 2}; !slices.Equal(rc.Fact, want) {
		t.Errorf("h_max = %v, want %v", rc.Fact, want)
	}
	if want := []int32{0, 1, 3, -1, -1}; !slices.Equal(rc.Supporter, want) {
		t.Errorf("supporters = %v, want %v", rc.Supporter, want)
	}
	ops, cost, ok := rc.Plan(task, []int32{2})
	if !ok || cost != 6 || !slices.Equal(ops, []int32{0, 1, 3}) {
		t.Errorf("relaxed plan = %v cost %d ok %v, want [0 1 3] cost 6", ops, cost, ok)
	}
	if _, _, ok := rc.Plan(task, []int32{2, 3}); ok {
		t.Error("a relaxed plan reaches the unreachable fact d")
	}
	// From a state holding a, only b's and c's costs remain.
	rc = HMax(task, []int32{0})
	if want := []int64{0, 3, 4, Infinity, 0}; !slices.Equal(rc.Fact, want) {
		t.Errorf("h_max from {a} = %v, want %v", rc.Fact, want)
	}
	if rc.Supporter[0] != -1 {
		t.Errorf("a fact of the state has supporter %d", rc.Supporter[0])
	}
}
