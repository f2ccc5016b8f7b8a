package search

// ff is the FF heuristic: the cost of a relaxed plan extracted from h_add's
// best supporters, each operator counted once however many of its
// conditional effects the plan uses (as Fast Downward counts it; axioms,
// as zero-cost relaxed operators, take part but cost nothing); its
// preferred operators are the operators of the relaxed plan that apply in
// the state.
type ff struct {
	e      *exploration
	marked []bool
	seen   []bool
	stack  []int32
	// touched lists the facts marked seen during extraction.
	touched []int32
	plan    []int32
	pref    []bool // per operator: in the last relaxed plan and applicable
	prefs   []int32
	counted []bool // per operator: its cost is in the current sum
}

func newFF(t *Task, ct costType) *ff {
	e := newExploration(newRelaxed(t, ct), false)
	return &ff{e: e, marked: make([]bool, len(e.rt.pre)), seen: make([]bool, e.rt.nFacts),
		pref: make([]bool, len(t.Operators)), counted: make([]bool, len(t.Operators))}
}

func (h *ff) evaluate(c *evalContext) int64 {
	for _, o := range h.prefs {
		h.pref[o] = false
	}
	h.prefs = h.prefs[:0]
	s := c.s
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
		if o < 0 || h.marked[o] {
			continue
		}
		h.marked[o] = true
		h.plan = append(h.plan, o)
		if oi := rt.orig[o]; oi >= 0 && !h.counted[oi] {
			h.counted[oi] = true
			cost += rt.cost[o]
		}
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
		if oi := rt.orig[o]; oi >= 0 {
			h.counted[oi] = false
		}
		if oi := rt.orig[o]; oi >= 0 && !h.pref[oi] && rt.allHold(s, rt.pre[o]) {
			h.pref[oi] = true
			h.prefs = append(h.prefs, oi)
		}
	}
	return cost
}

func (h *ff) preferred(dst, applicable []int32) []int32 {
	if len(h.prefs) == 0 {
		return dst
	}
	for _, o := range applicable {
		if h.pref[o] {
			dst = append(dst, o)
		}
	}
	return dst
}
