package search

import "fmt"

// evaluator is a heuristic: it estimates the cost from a state to the goal.
// id and parent identify the state and the state it was first reached from
// (-1 for the initial state), for path-dependent heuristics such as the
// landmark count.
type evaluator interface {
	evaluate(s state, id, parent int32) int64
}

// preferrer is a heuristic that also names preferred operators for the state
// it evaluated last (a subset of the operators, possibly not all applicable).
type preferrer interface {
	preferred() []int32
}

// newHeuristic returns the heuristic called name; unit makes it treat every
// operator as costing 1.
func newHeuristic(name string, p *Task, unit bool) (evaluator, error) {
	switch name {
	case "ff", "":
		return newFF(p, unit), nil
	case "add":
		return &relaxedHeuristic{e: newExploration(newRelaxed(p, unit), false)}, nil
	case "max":
		return &relaxedHeuristic{e: newExploration(newRelaxed(p, unit), true)}, nil
	case "lmcut":
		return newLMCut(p, unit), nil
	case "blind":
		return newBlind(p, unit), nil
	case "lmcount":
		return newLandmarkCount(p), nil
	}
	return nil, &OptionError{Option: "heuristic", Value: name}
}

// OptionError reports an unknown component name in Options.
type OptionError struct {
	Option, Value string
}

func (e *OptionError) Error() string {
	return fmt.Sprintf("search: unknown %s %q", e.Option, e.Value)
}

type relaxedHeuristic struct{ e *exploration }

func (h *relaxedHeuristic) evaluate(s state, _, _ int32) int64 { return h.e.run(s) }

// blind is 0 in goal states and the cheapest operator cost elsewhere.
type blind struct {
	p       *Task
	minCost int64
}

func newBlind(p *Task, unit bool) *blind {
	b := &blind{p: p, minCost: 1}
	if !unit && len(p.Operators) > 0 {
		b.minCost = p.Operators[0].Cost
		for i := range p.Operators {
			b.minCost = min(b.minCost, p.Operators[i].Cost)
		}
		b.minCost = max(b.minCost, 0)
	}
	return b
}

func (b *blind) evaluate(s state, _, _ int32) int64 {
	if allIn(s, b.p.Goal) && noneIn(s, b.p.NegGoal) {
		return 0
	}
	return b.minCost
}

// ff is the FF heuristic: the cost of a relaxed plan extracted from h_add's
// best supporters; its preferred operators are the relaxed plan's operators
// applicable in the state.
type ff struct {
	e      *exploration
	marked []bool
	seen   []bool
	stack  []int32
	// touched lists the facts marked seen during extraction.
	touched []int32
	plan    []int32
	pref    []int32
	orig    []bool
}

func newFF(p *Task, unit bool) *ff {
	e := newExploration(newRelaxed(p, unit), false)
	return &ff{e: e, marked: make([]bool, len(e.rt.pre)), seen: make([]bool, e.rt.nFacts), orig: make([]bool, len(p.Operators))}
}

func (h *ff) evaluate(s state, _, _ int32) int64 {
	h.pref = h.pref[:0]
	if h.e.run(s) >= infinity {
		return infinity
	}
	rt := h.e.rt
	h.stack = h.stack[:0]
	h.plan = h.plan[:0]
	for _, g := range rt.goal {
		if !h.seen[g] {
			h.seen[g] = true
			h.stack = append(h.stack, g)
		}
	}
	var cost int64
	touched := h.touched[:0]
	for len(h.stack) > 0 {
		f := h.stack[len(h.stack)-1]
		h.stack = h.stack[:len(h.stack)-1]
		touched = append(touched, f)
		o := h.e.supp[f]
		if h.e.cost[f] == 0 || o < 0 || h.marked[o] {
			continue
		}
		h.marked[o] = true
		h.plan = append(h.plan, o)
		cost += rt.cost[o]
		for _, q := range rt.pre[o] {
			if !h.seen[q] {
				h.seen[q] = true
				h.stack = append(h.stack, q)
			}
		}
	}
	for _, f := range touched {
		h.seen[f] = false
	}
	h.touched = touched
	for _, o := range h.plan {
		h.marked[o] = false
		if allIn(s, rt.pre[o]) {
			if oi := rt.orig[o]; !h.orig[oi] {
				h.orig[oi] = true
				h.pref = append(h.pref, oi)
			}
		}
	}
	for _, oi := range h.pref {
		h.orig[oi] = false
	}
	return cost
}

func (h *ff) preferred() []int32 { return h.pref }
