package search

import (
	"context"
	"testing"
	"time"
)

// tableHeuristic returns fixed values per fact that is true (the first one
// listed in h that holds), for testing search with a chosen heuristic.
type tableHeuristic struct {
	p *Task
	h map[string]int64
}

func (t *tableHeuristic) evaluate(c *evalContext) int64 {
	for f, name := range t.p.Facts {
		if v, ok := t.h[name]; ok && c.s.has(int32(f)) {
			return v
		}
	}
	return 0
}

// TestAStarReopens: with an admissible but inconsistent heuristic A* first
// expands b reached through the expensive road and must expand it again
// when the cheap path through a appears: s, b, a, b — four expansions.
func TestAStarReopens(t *testing.T) {
	sp := taskSpec{
		objects: "s a b g - city",
		actions: []actSpec{{name: "drive", params: "city city", pre: []string{"at ?0", "road ?0 ?1"},
			eff: []string{"at ?1", "del at ?0"}, cost: "len ?0 ?1"}},
		init:  []string{"at s", "road s a", "road a b", "road s b", "road b g"},
		goal:  []string{"at g"},
		costs: map[string]int64{"len s a": 1, "len a b": 1, "len s b": 3, "len b g": 5},
	}
	p, err := Ground(context.Background(), buildTask(t, sp))
	if err != nil {
		t.Fatal(err)
	}
	cfg := searchConfig{evals: []evalSpec{{"blind", costNormal}}, weight: 1, reopen: true}
	e, err := newEngine(p, &analysis{layout: newLayout(p, nil)}, cfg, 0, newLimits(context.Background(), Options{}, time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	e.evals = []evaluator{&tableHeuristic{p: p, h: map[string]int64{"at a": 5}}}
	res := e.eagerSearch()
	if res.Status != Solved || res.Cost != 7 || e.stats.Expanded != 4 {
		t.Errorf("%v cost %d after %d expansions, want cost 7 after 4", res.Status, res.Cost, e.stats.Expanded)
	}
}
