package search

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestGroundGripper(t *testing.T) {
	p, err := Ground(context.Background(), gripperTask(t, 2))
	if err != nil {
		t.Fatal(err)
	}
	// at-robby x2, at ball room x4, free x2, carry x4
	if len(p.Facts) != 12 {
		t.Errorf("facts = %d %v, want 12", len(p.Facts), p.Facts)
	}
	// move 2x2 less the two moves from a room to itself (which change
	// nothing), pick 2x2x2, drop 2x2x2
	if len(p.Operators) != 18 {
		t.Errorf("operators = %d, want 18", len(p.Operators))
	}
	var names []string
	for i := range p.Operators {
		names = append(names, p.Operators[i].String())
	}
	if !slices.Contains(names, "pick ball1 rooma left") {
		t.Errorf("no operator \"pick ball1 rooma left\" in %v", names)
	}
	if len(p.Init) != 5 || len(p.Goal) != 2 || p.Unsolvable {
		t.Errorf("init %v goal %v unsolvable %v", p.Init, p.Goal, p.Unsolvable)
	}
}

func TestGroundFoldsStatics(t *testing.T) {
	p, err := Ground(context.Background(), logisticsTask(t, 2, []string{"pk1 p1 p2"}))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range p.Facts {
		if strings.HasPrefix(f, "in-city") {
			t.Errorf("static fact %q kept", f)
		}
	}
	for i := range p.Operators {
		o := &p.Operators[i]
		if o.Name == "drive-truck" && o.Args[1][1:] != o.Args[2][1:] {
			t.Errorf("truck drives between cities: %s", o)
		}
		if o.Name == "load-truck" && o.Args[0] == "pk1" && o.Args[1] == "t2" && o.Args[2] == "p1" {
			t.Errorf("unreachable operator %s grounded", o)
		}
	}
}

func TestGroundUnreachableGoal(t *testing.T) {
	task := gripperTask(t, 1)
	// Nothing can put a ball into a third, unconnected predicate.
	task.Goal[0].Pred = "lost"
	p, err := Ground(context.Background(), task)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Unsolvable {
		t.Fatal("goal on a never-true atom not detected")
	}
	res, err := Plan(context.Background(), p, Options{})
	if err != nil || res.Status != Unsolvable {
		t.Fatalf("Plan = %v, %v; want Unsolvable", res, err)
	}
}

// liftTask: a lift serves passengers with a conditional, quantified stop
// action (miconic-simpleadl style) and a negative precondition (the doors
// must not be locked).
func liftTask(t testing.TB) taskSpec {
	return taskSpec{
		objects: "f0 f1 f2 - floor; p1 p2 - passenger",
		actions: []actSpec{
			{name: "up", params: "floor floor", pre: []string{"lift-at ?0", "above ?0 ?1"}, eff: []string{"lift-at ?1", "del lift-at ?0"}},
			{name: "down", params: "floor floor", pre: []string{"lift-at ?0", "above ?1 ?0"}, eff: []string{"lift-at ?1", "del lift-at ?0"}},
			{name: "stop", params: "floor", pre: []string{"lift-at ?0", "not locked ?0"}, eff: []string{
				"forall ?1-passenger: when boarded ?1 & destin ?1 ?0: served ?1",
				"forall ?1-passenger: when boarded ?1 & destin ?1 ?0: del boarded ?1",
				"forall ?1-passenger: when origin ?1 ?0 & not served ?1: boarded ?1",
			}},
			{name: "lock", params: "floor", pre: []string{"lift-at ?0"}, eff: []string{"locked ?0"}},
		},
		init: []string{"lift-at f0", "above f0 f1", "above f0 f2", "above f1 f2",
			"origin p1 f2", "destin p1 f0", "origin p2 f1", "destin p2 f2"},
		goal: []string{"served p1", "served p2"},
	}
}

func TestGroundConditionalEffects(t *testing.T) {
	p, err := Ground(context.Background(), buildTask(t, liftTask(t)))
	if err != nil {
		t.Fatal(err)
	}
	var stop *Operator
	for i := range p.Operators {
		if p.Operators[i].String() == "stop f2" {
			stop = &p.Operators[i]
		}
	}
	if stop == nil {
		t.Fatal("no operator stop f2")
	}
	if len(stop.NegPre) != 1 || p.Facts[stop.NegPre[0]] != "locked f2" {
		t.Errorf("stop f2 negative precondition = %v", stop.NegPre)
	}
	// p2 is served at f2, p1 boards at f2 (static destin/origin folded).
	var effs []string
	for _, ce := range stop.Cond {
		e := p.Facts[ce.Fact]
		if ce.Delete {
			e = "del " + e
		}
		effs = append(effs, e)
	}
	slices.Sort(effs)
	want := []string{"boarded p1", "del boarded p2", "served p2"}
	if !slices.Equal(effs, want) {
		t.Errorf("stop f2 conditional effects = %v, want %v", effs, want)
	}
}
