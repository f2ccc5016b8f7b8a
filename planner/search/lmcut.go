package search

// lmCut is the LM-cut heuristic (Helmert and Domshlak 2009): repeatedly
// compute h_max, find a cut of operators separating the state from the goal
// through each operator's most costly precondition, add the cut's cheapest
// cost and subtract it from the cut. It is admissible on tasks without
// conditional effects (a conditional effect is relaxed into an operator of
// its own, which may count the operator's cost twice). Axioms take part as
// zero-cost operators and negative conditions are dropped, so it stays
// admissible on tasks with derived predicates.
type lmCut struct {
	rt       *relaxedTask
	nf       int // facts including the artificial init and goal facts
	initF    int32
	goalF    int32
	pre, add [][]int32
	base     []int64
	preOf    [][]int32
	achiever [][]int32

	cost    []int64
	hmax    []int64
	pcf     []int32
	unsat   []int32
	inZone  []bool
	reached []bool
	inCut   []bool
	queue2  costQueue
	queue   []int32
	cut     []int32
}

func newLMCut(t *Task, ct costType) *lmCut {
	rt := newRelaxed(t, ct)
	n := rt.nFacts
	h := &lmCut{rt: rt, nf: n + 2, initF: int32(n), goalF: int32(n + 1)}
	for o := range rt.pre {
		pre := rt.pre[o]
		if len(pre) == 0 {
			pre = []int32{h.initF}
		}
		h.pre = append(h.pre, pre)
		h.add = append(h.add, rt.add[o])
		h.base = append(h.base, rt.cost[o])
	}
	goalPre := rt.goal
	if len(goalPre) == 0 {
		goalPre = []int32{h.initF}
	}
	h.pre = append(h.pre, goalPre)
	h.add = append(h.add, []int32{h.goalF})
	h.base = append(h.base, 0)
	h.preOf = make([][]int32, h.nf)
	h.achiever = make([][]int32, h.nf)
	for o := range h.pre {
		for _, f := range h.pre[o] {
			h.preOf[f] = append(h.preOf[f], int32(o))
		}
		for _, f := range h.add[o] {
			h.achiever[f] = append(h.achiever[f], int32(o))
		}
	}
	h.queue2.bucketed = true
	for _, c := range h.base {
		if c < 0 || c > bucketLimit {
			h.queue2.bucketed = false
		}
	}
	nops := len(h.pre)
	h.cost = make([]int64, nops)
	h.pcf = make([]int32, nops)
	h.unsat = make([]int32, nops)
	h.inCut = make([]bool, nops)
	h.hmax = make([]int64, h.nf)
	h.inZone = make([]bool, h.nf)
	h.reached = make([]bool, h.nf)
	return h
}

func (h *lmCut) computeHmax(s state) {
	for i := range h.hmax {
		h.hmax[i] = infinity
	}
	for o := range h.pre {
		h.unsat[o] = int32(len(h.pre[o]))
		h.pcf[o] = -1
	}
	h.queue2.reset()
	start := func(f int32) {
		h.hmax[f] = 0
		h.queue2.push(0, f)
	}
	start(h.initF)
	h.rt.trueFacts(s, start)
	for !h.queue2.empty() {
		it := h.queue2.pop()
		if it.c > h.hmax[it.f] {
			continue
		}
		for _, o := range h.preOf[it.f] {
			h.unsat[o]--
			if h.unsat[o] == 0 {
				// it.f is the last precondition reached: the most costly one.
				h.pcf[o] = it.f
				c := it.c + h.cost[o]
				for _, g := range h.add[o] {
					if c < h.hmax[g] {
						h.hmax[g] = c
						h.queue2.push(c, g)
					}
				}
			}
		}
	}
}

func (h *lmCut) evaluate(c *evalContext) int64 {
	s := c.s
	copy(h.cost, h.base)
	var total int64
	h.computeHmax(s)
	for {
		hg := h.hmax[h.goalF]
		if hg >= infinity {
			return infinity
		}
		if hg == 0 {
			return total
		}
		// Goal zone: facts reaching the goal through zero-cost operators
		// via their precondition choice.
		clear(h.inZone)
		h.inZone[h.goalF] = true
		h.queue = append(h.queue[:0], h.goalF)
		for len(h.queue) > 0 {
			f := h.queue[len(h.queue)-1]
			h.queue = h.queue[:len(h.queue)-1]
			for _, o := range h.achiever[f] {
				if h.cost[o] == 0 {
					if q := h.pcf[o]; q >= 0 && !h.inZone[q] {
						h.inZone[q] = true
						h.queue = append(h.queue, q)
					}
				}
			}
		}
		// Forward from the state to the cut.
		clear(h.reached)
		h.cut = h.cut[:0]
		h.queue = h.queue[:0]
		mark := func(f int32) {
			if !h.reached[f] {
				h.reached[f] = true
				h.queue = append(h.queue, f)
			}
		}
		mark(h.initF)
		h.rt.trueFacts(s, mark)
		for len(h.queue) > 0 {
			f := h.queue[len(h.queue)-1]
			h.queue = h.queue[:len(h.queue)-1]
			for _, o := range h.preOf[f] {
				if h.pcf[o] != f {
					continue
				}
				for _, g := range h.add[o] {
					if h.inZone[g] {
						if !h.inCut[o] {
							h.inCut[o] = true
							h.cut = append(h.cut, o)
						}
					} else {
						mark(g)
					}
				}
			}
		}
		if len(h.cut) == 0 {
			return infinity // cannot happen with a positive h_max
		}
		m := infinity
		for _, o := range h.cut {
			m = min(m, h.cost[o])
		}
		for _, o := range h.cut {
			h.cost[o] -= m
			h.inCut[o] = false
		}
		total += m
		if m == 0 {
			return total // only zero-cost cuts remain: no further progress
		}
		h.updateHmax()
	}
}

// updateHmax brings h_max up to date after the costs of the cut's operators
// decreased (as Fast Downward does): values only decrease, so a Dijkstra
// from the cut's effects that re-chooses the precondition choice of the
// operators whose chosen precondition got cheaper suffices.
func (h *lmCut) updateHmax() {
	h.queue2.reset()
	for _, o := range h.cut {
		c := h.hmax[h.pcf[o]] + h.cost[o]
		for _, g := range h.add[o] {
			if c < h.hmax[g] {
				h.hmax[g] = c
				h.queue2.push(c, g)
			}
		}
	}
	for !h.queue2.empty() {
		it := h.queue2.pop()
		f := it.f
		if it.c > h.hmax[f] {
			continue
		}
		for _, o := range h.preOf[f] {
			if h.pcf[o] != f {
				continue
			}
			best := f
			for _, q := range h.pre[o] {
				if h.hmax[q] > h.hmax[best] {
					best = q
				}
			}
			h.pcf[o] = best
			c := h.hmax[best] + h.cost[o]
			for _, g := range h.add[o] {
				if c < h.hmax[g] {
					h.hmax[g] = c
					h.queue2.push(c, g)
				}
			}
		}
	}
}
