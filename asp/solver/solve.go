package solver

import (
	"context"
	"fmt"
)

// Solve computes answer sets of p and reports them to yield in the order
// found; yield returning false stops the search. It is safe to call
// concurrently on separate or shared Programs (p is only read).
//
// Without Minimize entries (or with OptIgnore) it enumerates up to
// opts.Models answer sets (0 = all), without duplicates: distinct answer
// sets, or distinct sets of shown texts with opts.Project. With OptFind each
// reported model strictly improves the cost and the last is marked Optimal
// once no better model exists; opts.Models bounds the models reported (clingo
// -n, so the optimum is only proven with 0). With OptAll the improving models
// are reported as found, then, once the optimum is proven, every optimal model
// (up to opts.Models, each Optimal).
//
// On cancellation of ctx, Solve returns promptly with the Result so far and
// an error wrapping ctx.Err(). Programs the solver cannot read yield an
// *Error.
func Solve(ctx context.Context, p *Program, opts Options, yield func(Model) bool) (Result, error) {
	if yield == nil {
		yield = func(Model) bool { return true }
	}
	pr, err := build(ctx, p, opts)
	if err != nil {
		if ctx.Err() != nil {
			return Result{}, fmt.Errorf("solver: %w", err)
		}
		return Result{}, err
	}
	var res run
	switch {
	case pr.s.minc == nil:
		err = pr.enumerate(ctx, opts.Models, false, &res, yield)
	case opts.OptMode == OptAll:
		err = pr.optimise(ctx, 0, true, &res, yield)
		if err == nil && res.OptimumProven && !res.stopped {
			var pr2 *problem
			if pr2, err = build(ctx, p, opts); err == nil {
				pr2.s.minc.setBound(res.Costs, true)
				res.Exhausted = false // now about the enumeration of optimal models
				err = pr2.enumerate(ctx, opts.Models, true, &res, yield)
				res.Stats.add(pr2.s.stats)
			}
		}
	default:
		err = pr.optimise(ctx, opts.Models, false, &res, yield)
	}
	res.Stats.add(pr.s.stats)
	if err != nil {
		return res.Result, fmt.Errorf("solver: %w", err)
	}
	return res.Result, nil
}

// run is a Result with the solver's own bookkeeping.
type run struct {
	Result
	stopped bool // yield asked to stop or the model limit was reached
}

// enumerate reports models until none is left or limit (0 = none) is reached.
func (pr *problem) enumerate(ctx context.Context, limit int, optimal bool, res *run, yield func(Model) bool) error {
	s := pr.s
	if pr.conflict {
		res.Exhausted = true
		return nil
	}
	found := 0
	for {
		st, err := s.solve(ctx)
		if err != nil {
			return err
		}
		if st == stUnsat {
			res.Exhausted = true
			return nil
		}
		m := pr.model(optimal)
		res.Satisfiable = true
		res.Models++
		found++
		if m.Costs != nil {
			res.Costs = m.Costs
		}
		var more bool
		if pr.project {
			more = s.addClauseInSearch(pr.blocking())
		} else {
			more = s.nextBranch(s.decisionLevel())
		}
		if !yield(m) {
			res.stopped = true
			return nil
		}
		if !more {
			res.Exhausted = true
			return nil
		}
		if limit > 0 && found >= limit {
			res.stopped = true
			res.Exhausted = s.refuted()
			return nil
		}
	}
}

// optimise runs branch and bound. With all set (OptAll's first phase) every
// improving model is reported as found; otherwise each is reported once the
// next is found or optimality is proven, the last with Optimal set.
func (pr *problem) optimise(ctx context.Context, limit int, all bool, res *run, yield func(Model) bool) error {
	s := pr.s
	var held *Model
	report := func(m Model) bool {
		res.Models++
		if !yield(m) {
			res.stopped = true
			return false
		}
		return true
	}
	if pr.conflict {
		res.Exhausted = true
		return nil
	}
	for {
		st, err := s.solve(ctx)
		if err != nil {
			if held != nil {
				report(*held)
			}
			return err
		}
		if st == stUnsat {
			res.Exhausted = true
			if held != nil || res.Satisfiable {
				res.OptimumProven = true
			}
			if held != nil {
				held.Optimal = true
				report(*held)
			}
			return nil
		}
		m := pr.model(false)
		res.Satisfiable = true
		res.Costs = m.Costs
		if all {
			if !report(m) {
				return nil
			}
		} else {
			if held != nil && !report(*held) {
				return nil
			}
			held = &m
			if limit > 0 && res.Models+1 >= limit {
				report(m)
				res.stopped = true
				return nil
			}
		}
		s.backtrack(0)
		s.minc.setBound(m.Costs, false)
	}
}

// model reads the current total assignment.
func (pr *problem) model(optimal bool) Model {
	s := pr.s
	m := Model{Optimal: optimal}
	if pr.shownMark == nil {
		pr.shownMark = make([]bool, len(pr.p.Outputs))
	}
outputs:
	for i, o := range pr.p.Outputs {
		id := pr.textID[i]
		if pr.shownMark[id] {
			continue
		}
		for _, l := range o.Cond {
			if s.value(fromLit(l)) <= 0 {
				continue outputs
			}
		}
		pr.shownMark[id] = true
		m.Shown = append(m.Shown, i)
	}
	for _, i := range m.Shown {
		pr.shownMark[pr.textID[i]] = false
	}
	if s.minc != nil {
		m.Costs = s.minc.cost(s)
	}
	return m
}

// blocking returns a clause that excludes the shown texts of the current
// model (projection).
func (pr *problem) blocking() []lit {
	s := pr.s
	var c []lit
	for _, t := range pr.texts {
		if s.value(t) > 0 {
			c = append(c, t.not())
		} else {
			c = append(c, t)
		}
	}
	return c
}
