package llmp

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
	"github.com/toolsmith-dev/toolsmith/planner/search"
)

func task(t *testing.T, domain, problem string) *pddl.Task {
	t.Helper()
	d, err := pddl.ParseDomain(domain, []byte(read(t, domain)))
	if err != nil {
		t.Fatal(err)
	}
	_, tk, errs := CheckProblem(d, problem, read(t, problem))
	if errs != nil {
		t.Fatal(errs)
	}
	return tk
}

func TestSolve(t *testing.T) {
	ctx := context.Background()
	tk := task(t, "blocksworld/domain.pddl", "blocksworld/p02.pddl")
	p, err := Solve(ctx, tk, search.Options{})
	if err != nil || p.Status != search.Solved || len(p.Steps) == 0 || p.Cost != int64(len(p.Steps)) || p.UsesCost {
		t.Fatalf("%+v, %v", p, err)
	}
	if cost, err := pddl.Validate(tk, p.Steps); err != nil || cost != p.Cost {
		t.Errorf("the plan does not validate: %v (cost %d)", err, cost)
	}
	opt, err := Solve(ctx, tk, search.Options{Search: "astar"})
	if err != nil || opt.Status != search.Solved || opt.Cost > p.Cost {
		t.Errorf("astar: %+v, %v", opt, err)
	}
	// Floortile p01 takes seconds: a millisecond is a limit, not a failure.
	hard := task(t, "floortile/domain.pddl", "floortile/p01.pddl")
	p, err = Solve(ctx, hard, search.Options{Timeout: time.Millisecond})
	if err != nil || p.Status != search.Limit || p.Reason == "" {
		t.Errorf("limit: %+v, %v", p, err)
	}
	// No block can be on itself: proven unsolvable.
	d, err := pddl.ParseDomain("domain.pddl", []byte(read(t, "blocksworld/domain.pddl")))
	if err != nil {
		t.Fatal(err)
	}
	_, never, errs := CheckProblem(d, "never.pddl", "(define (problem never) (:domain blocksworld-4ops) (:objects b1) (:init (on-table b1) (clear b1) (arm-empty)) (:goal (on b1 b1)))")
	if errs != nil {
		t.Fatal(errs)
	}
	if p, err := Solve(ctx, never, search.Options{}); err != nil || p.Status != search.Unsolvable {
		t.Errorf("unsolvable: %+v, %v", p, err)
	}
	if _, err := Solve(ctx, tk, search.Options{Search: "best"}); err == nil {
		t.Error("an unknown search: want an error")
	}
}

func TestCheckOptions(t *testing.T) {
	for _, tt := range []struct {
		opts search.Options
		ok   bool
	}{
		{search.Options{}, true},
		{search.Options{Search: "astar", Heuristic: "lmcut"}, true},
		{search.Options{Search: "best"}, false},
		{search.Options{Search: "gbfs", Heuristic: "h2"}, false},
	} {
		err := CheckOptions(tt.opts)
		var oe *search.OptionError
		if tt.ok != (err == nil) || !tt.ok && !errors.As(err, &oe) {
			t.Errorf("%+v: %v", tt.opts, err)
		}
	}
}
