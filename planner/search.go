package planner

import (
	"context"
	"fmt"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
	"github.com/toolsmith-dev/toolsmith/planner/search"
)

// searcher finds a plan for a task and returns its action names in order,
// or nil when the task has no plan.
type searcher interface {
	plan(ctx context.Context, t *pddl.Task, large bool, opts Options) ([]string, error)
}

// searchEngine plans with package planner/search: A* with LM-cut (optimal)
// on tasks up to Options.LargeTask actions, greedy best-first search with FF
// above, unless Options say otherwise. A* chosen by default gives up after
// optimalBudget expansions and the greedy search plans instead.
type searchEngine struct{}

// optimalBudget is how many states a default A* may expand before the
// planner stops looking for the cheapest plan and takes the greedy search's:
// a request whose cheapest plan hides among many equally cheap ones (an
// update with twenty optional inputs, each asked or read from another
// call) took A* seconds to tens of seconds. The greedy plan obeys the same
// rules (what may be called, what must be confirmed); it may ask or call
// more than the cheapest would. The budget counts expansions, not time, so
// a request is planned the same way on any machine.
const optimalBudget = 2000

func defaultSearcher() searcher { return searchEngine{} }

func (searchEngine) plan(ctx context.Context, t *pddl.Task, large bool, opts Options) ([]string, error) {
	prob, err := search.Ground(ctx, t)
	if err != nil {
		return nil, fmt.Errorf("ground: %w", err)
	}
	so := search.Options{Search: opts.Search, Heuristic: opts.Heuristic}
	budgeted := false
	if so.Search == "" {
		so.Search = "astar"
		if large {
			so.Search = "gbfs"
		} else {
			so.MaxExpansions, budgeted = optimalBudget, true
		}
	}
	if so.Heuristic == "" {
		so.Heuristic = "lmcut"
		if so.Search != "astar" {
			so.Heuristic = "ff"
		}
	}
	res, err := search.Plan(ctx, prob, so)
	if err != nil {
		return nil, err
	}
	if budgeted && res.Status == search.Limit && ctx.Err() == nil {
		// FF whatever heuristic A* had: greedy search with LM-cut or
		// h_add ran past a minute on the tasks the budget is for.
		greedy := search.Options{Search: "gbfs", Heuristic: "ff"}
		if res, err = search.Plan(ctx, prob, greedy); err != nil {
			return nil, err
		}
	}
	switch res.Status {
	case search.Solved:
		names := make([]string, len(res.Plan))
		for i, s := range res.Plan {
			names[i] = s.Action
		}
		return names, nil
	case search.Unsolvable:
		return nil, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("search stopped: %s", res.Reason)
}
