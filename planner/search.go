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
// above, unless Options say otherwise.
type searchEngine struct{}

func defaultSearcher() searcher { return searchEngine{} }

func (searchEngine) plan(ctx context.Context, t *pddl.Task, large bool, opts Options) ([]string, error) {
	prob, err := search.Ground(ctx, t)
	if err != nil {
		return nil, fmt.Errorf("ground: %w", err)
	}
	so := search.Options{Search: opts.Search, Heuristic: opts.Heuristic}
	if so.Search == "" {
		so.Search = "astar"
		if large {
			so.Search = "gbfs"
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
