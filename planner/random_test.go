package planner

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
	"github.com/toolsmith-dev/toolsmith/planner/search"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// randomRegistry returns n APIs over a small vocabulary of slots, some of
// them internal ids.
func randomRegistry(rng *rand.Rand, n int) []registry.API {
	const vocab = 7
	slot := func() string { return fmt.Sprintf("s%d", rng.IntN(vocab)) }
	internal := func(s string) bool { return s == "s0" || s == "s1" }
	var apis []registry.API
	for i := range n {
		a := registry.API{Name: fmt.Sprintf("A%d", i), Cost: 1 + rng.IntN(4)}
		seen := map[string]bool{}
		for range rng.IntN(3) {
			s := slot()
			if seen[s] {
				continue
			}
			seen[s] = true
			in := registry.Input{Name: s, Required: rng.IntN(4) > 0, NotAskable: internal(s)}
			if rng.IntN(6) == 0 {
				in.Aliases = []string{slot()}
			}
			a.Inputs = append(a.Inputs, in)
		}
		for range 1 + rng.IntN(2) {
			a.Outputs = append(a.Outputs, registry.Output{Name: "o" + slot()[1:], Type: slot()})
		}
		apis = append(apis, a)
	}
	return apis
}

// optimalCost solves the exported task with A* and the blind heuristic.
func optimalCost(t *testing.T, p *Planner, req Request) (int64, bool) {
	t.Helper()
	ctx := context.Background()
	d, pr, _, err := p.Materialise(ctx, req)
	if errors.Is(err, ErrNoTask) {
		return 0, false
	}
	if err != nil {
		t.Fatal(err)
	}
	res := solveBlind(t, d, pr)
	if res.Status != search.Solved {
		return 0, false
	}
	return res.Cost, true
}

// solveBlind normalises, grounds and solves a PDDL task with A* and the
// blind heuristic, which gives the optimum.
func solveBlind(t *testing.T, d *pddl.Domain, pr *pddl.Problem) *search.Result {
	t.Helper()
	ctx := context.Background()
	task, err := pddl.Normalize(d, pr)
	if err != nil {
		t.Fatal(err)
	}
	gp, err := search.Ground(ctx, task)
	if err != nil {
		t.Fatal(err)
	}
	res, err := search.Plan(ctx, gp, search.Options{Search: "astar", Heuristic: "blind"})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestRandomRegistriesOptimal checks on random registries that plans are
// valid (every required input bound to a value or an earlier step) and
// optimal (their cost is the optimum of the unpruned task), with and
// without the pruning that only applies without policies.
func TestRandomRegistriesOptimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	ctx := context.Background()
	multi, infeasible := 0, 0
	for c := range 200 {
		apis := randomRegistry(rng, 6+rng.IntN(10))
		pruned, err := New(apis, Options{})
		if err != nil {
			t.Fatal(err)
		}
		withPolicy, err := New(apis, Options{Rules: []string{`unused :- api("none").`}})
		if err != nil {
			t.Fatal(err)
		}
		req := Request{Goals: []string{apis[rng.IntN(len(apis))].Name}}
		for range rng.IntN(3) {
			req.Known = append(req.Known, Known{Key: fmt.Sprintf("s%d", 2+rng.IntN(5)), Value: "v"})
		}
		want, solvable := optimalCost(t, pruned, req)
		if !solvable {
			infeasible++
		}
		for name, p := range map[string]*Planner{"pruned": pruned, "with policy": withPolicy} {
			plan, err := p.Plan(ctx, req)
			if err != nil {
				t.Fatalf("case %d %s: %v", c, name, err)
			}
			if !solvable {
				if plan.Status != StatusInfeasible {
					t.Errorf("case %d %s: status %s, want infeasible\n%s", c, name, plan.Status, plan.Text())
				}
				continue
			}
			if got := plan.Cost; got != (want+costScale-1)/costScale {
				t.Errorf("case %d %s: cost %d, optimum %d (scaled %d)\n%s", c, name, got, (want+costScale-1)/costScale, want, plan.Text())
			}
			checkBindings(t, apis, plan)
			if name == "pruned" && len(plan.Steps) >= 3 {
				multi++
			}
		}
	}
	// The cases must exercise chains and dead ends, not only single calls.
	if multi < 20 || infeasible < 5 {
		t.Errorf("%d plans of three steps or more, %d infeasible cases: the generator is too easy", multi, infeasible)
	}
	t.Logf("%d plans of three steps or more, %d infeasible", multi, infeasible)
}

// checkBindings verifies that every required input of every call is bound
// to a value or to an earlier step.
func checkBindings(t *testing.T, apis []registry.API, plan *Plan) {
	t.Helper()
	byName := map[string]registry.API{}
	for _, a := range apis {
		byName[a.Name] = a
	}
	seen := map[string]bool{}
	for _, s := range plan.Steps {
		if s.API != GetInfo {
			for _, in := range byName[s.API].Inputs {
				arg, ok := s.Args[in.Name]
				if in.Required && !ok {
					t.Errorf("%s: %s.%s unbound\n%s", s.ID, s.API, in.Name, plan.Text())
				}
				if ok && arg.IsRef() && !seen[arg.From] {
					t.Errorf("%s: %s.%s refers to %s, not an earlier step\n%s", s.ID, s.API, in.Name, arg.From, plan.Text())
				}
			}
		}
		seen[s.ID] = true
	}
}
