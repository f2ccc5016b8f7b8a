package search

import "time"

// anytime runs LAMA's iterations: the first search (cfg), then lazy
// weighted A* over the same evaluators, with their costs plus one and the
// task's costs for g, with weights 5, 3, 2, 1 and 1 again, each pruned by
// the cost of the best plan so far. Every better plan goes to
// opts.OnPlan. It ends when a search exhausts the states below the bound
// (the best plan is then optimal) or a limit is reached; the result is
// the best plan found (Status Solved) or, when none was, the outcome of
// the first search.
func anytime(t *Task, an *analysis, cfg searchConfig, opts Options, lim *limits) (*Result, error) {
	start := time.Now()
	var best *Result
	var total Stats
	add := func(st Stats) {
		total.Expanded += st.Expanded
		total.Evaluated += st.Evaluated
		total.Generated += st.Generated
		total.States = max(total.States, st.States)
		total.MemoryBytes = max(total.MemoryBytes, st.MemoryBytes)
		total.BytesPerState = max(total.BytesPerState, st.BytesPerState)
		if total.Config == "" {
			total.Config = st.Config
		} else {
			total.Config += "; " + st.Config
		}
	}
	finish := func(res *Result) (*Result, error) {
		if best != nil {
			res = best
		}
		res.Stats = total
		res.Stats.Time = time.Since(start)
		return res, nil
	}
	bound := opts.Bound
	later := cfg
	later.cost = costNormal
	later.reopen = true
	later.lazy = true
	later.evals = append([]evalSpec(nil), later.evals...)
	for i := range later.evals {
		// With action costs, the heuristics count them plus one, which
		// keeps zero-cost actions from looking free (as LAMA does).
		later.evals[i].cost = costNormal
		if t.UsesCost {
			later.evals[i].cost = costPlusOne
		}
	}
	weights := []int64{0, 5, 3, 2, 1}
	for i := 0; ; i++ {
		c := cfg
		if i > 0 {
			c = later
			c.weight = weights[min(i, len(weights)-1)]
		}
		res, err := run(t, an, c, bound, lim)
		if err != nil {
			return nil, err
		}
		add(res.Stats)
		switch res.Status {
		case Solved:
			if !opts.KeepPlan && c.weight != 1 {
				improve(t, res)
			}
			if best == nil || res.Cost < best.Cost {
				best = res
				if opts.OnPlan != nil {
					r := *res
					r.Stats = total
					r.Stats.Time = time.Since(start)
					opts.OnPlan(&r)
				}
			}
			bound = best.Cost
			if bound <= 0 {
				best.Optimal = true
				return finish(res)
			}
		case Unsolvable:
			// The search space below the bound is exhausted: no plan
			// cheaper than the best exists.
			if best != nil {
				best.Optimal = true
			}
			return finish(res)
		case Limit:
			return finish(res)
		}
	}
}
