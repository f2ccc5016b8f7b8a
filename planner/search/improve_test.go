package search

import (
	"context"
	"slices"
	"testing"
)

func TestEliminateActions(t *testing.T) {
	p, err := Ground(context.Background(), gripperTask(t, 2))
	if err != nil {
		t.Fatal(err)
	}
	op := func(name string) int32 {
		for i := range p.Operators {
			if p.Operators[i].String() == name {
				return int32(i)
			}
		}
		t.Fatalf("no operator %q", name)
		return -1
	}
	optimal := []int32{op("pick ball1 rooma left"), op("pick ball2 rooma right"), op("move rooma roomb"),
		op("drop ball1 roomb left"), op("drop ball2 roomb right")}
	// A detour (there and back) and a pick/drop pair that achieve nothing.
	padded := append([]int32{op("move rooma roomb"), op("move roomb rooma"),
		op("pick ball1 rooma left"), op("drop ball1 rooma left")}, optimal...)
	got := eliminateActions(p, padded)
	if !slices.Equal(got, optimal) {
		t.Errorf("eliminated to %v, want %v", got, optimal)
	}
	if _, err := p.Check(intOps(got)); err != nil {
		t.Error(err)
	}
	// An optimal plan stays as it is.
	if got := eliminateActions(p, optimal); !slices.Equal(got, optimal) {
		t.Errorf("optimal plan changed to %v", got)
	}
}

func intOps(ops []int32) []int {
	out := make([]int, len(ops))
	for i, o := range ops {
		out[i] = int(o)
	}
	return out
}

// TestKeepPlan: with KeepPlan, lama returns the search's own plan, which is
// never better than the improved one.
func TestKeepPlan(t *testing.T) {
	task := blocksTask(t, []string{"c", "a", "b", "d"}, []string{"a b c d"})
	_, kept := solve(t, task, Options{KeepPlan: true})
	_, improved := solve(t, task, Options{})
	if kept.Status != Solved || improved.Status != Solved {
		t.Fatal("not solved")
	}
	if improved.Cost > kept.Cost {
		t.Errorf("improved plan costs %d, search's plan %d", improved.Cost, kept.Cost)
	}
}
