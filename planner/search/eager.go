package search

import "slices"

// eagerSearch is best-first search evaluating states when they are
// generated: greedy (key h) or weighted A* (key g + weight*h, ties broken
// by lower h), with one open list per evaluator (and one for preferred
// successors each) taken in turn. With reopening, a state reached again
// more cheaply is queued again with its better path.
func (e *engine) eagerSearch() *Result {
	open, regular, pref := e.openLists()
	nh := len(e.evals)
	hv := make([]int64, nh)
	best := make([]int64, nh)
	// hval holds each state's values, nh per state; infinity marks a dead
	// end. closedG is the g with which a state was last expanded.
	var hval, closedG []int64
	s := e.initState()
	id0, _ := e.register(s, -1, -1, 0, 0)
	if !e.evaluate(&evalContext{s: s, id: id0, parentID: -1, op: -1}, hv) {
		return &Result{Status: Unsolvable}
	}
	hval = append(hval, hv...)
	closedG = append(closedG, infinity)
	copy(best, hv)
	push := func(id int32, g int64, preferred bool) {
		for i := range nh {
			h := hval[int(id)*nh+i]
			en := entry{id: id, g: g}
			open.lists[regular[i]].push(e.key(g, h), h, en)
			if preferred {
				open.lists[pref[i]].push(e.key(g, h), h, en)
			}
		}
	}
	push(id0, 0, false)
	succ := e.newState()
	var applicable []int32
	for {
		en, ok := open.pop()
		if !ok {
			return &Result{Status: Unsolvable}
		}
		id := en.id
		if en.g > e.g[id] {
			continue // a cheaper path was found since this entry was queued
		}
		if closedG[id] < infinity && (!e.cfg.reopen || en.g >= closedG[id]) {
			continue
		}
		closedG[id] = en.g
		e.load(id, s)
		if e.isGoal(s) {
			return e.solution(id)
		}
		if r := e.limit(int64(open.size()) * 40); r != "" {
			return &Result{Status: Limit, Reason: r}
		}
		e.expand()
		applicable = e.sg.applicable(s, applicable[:0])
		// Successors in operator order (the order of grounding, which
		// follows the domain's action order) make ties deterministic.
		slices.Sort(applicable)
		if len(e.prefs) > 0 {
			// Preferred operators come from evaluating the expanded state.
			c := &evalContext{s: s, id: id, parentID: e.parent[id], op: e.parentOp[id], again: true}
			for _, p := range e.prefs {
				p.evaluate(c)
			}
			e.markPreferred(applicable)
		}
		g := e.g[id]
		realG := e.real(id)
		for _, o := range applicable {
			e.stats.Generated++
			ng, nreal := g+e.cost(o), realG+e.t.Operators[o].Cost
			if e.bound > 0 && nreal >= e.bound {
				continue
			}
			e.apply(s, o, succ)
			sid, isNew := e.register(succ, id, o, ng, nreal)
			if isNew {
				if r := e.limit(int64(open.size()) * 40); r != "" {
					return &Result{Status: Limit, Reason: r}
				}
				closedG = append(closedG, infinity)
				if !e.evaluate(&evalContext{s: succ, id: sid, parent: s, parentID: id, op: o}, hv) {
					for range nh {
						hval = append(hval, infinity)
					}
					continue
				}
				hval = append(hval, hv...)
				progress := false
				for i := range hv {
					if hv[i] < best[i] {
						best[i], progress = hv[i], true
					}
				}
				if progress && e.cfg.weight == 0 && len(e.prefs) > 0 {
					open.boost(e.cfg.boost)
				}
			} else {
				if hval[int(sid)*nh] >= infinity || ng >= e.g[sid] || e.cfg.weight == 0 && !e.cfg.reopen {
					// Greedy search keeps the first path; A* the cheapest.
					continue
				}
				e.setParent(sid, id, o, ng, nreal)
			}
			push(sid, ng, e.isPref[o])
		}
		e.unmarkPreferred()
	}
}
