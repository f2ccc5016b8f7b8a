package search

import "slices"

// Per-state status of eager search.
const (
	stOpen uint8 = iota
	stClosed
	stDeadEnd
)

// eagerSearch is best-first search evaluating states when they are
// generated: greedy (key h) or weighted A* (key g + weight*h, ties broken
// by lower h), with one open list per evaluator (and one for preferred
// successors each) taken in turn. With reopening, a state reached again
// more cheaply is queued again with its better path (and expanded again
// when it was closed); without, the first path to a state stays.
func (e *engine) eagerSearch() *Result {
	open, regular, pref := e.openLists()
	nh := len(e.evals)
	hv := make([]int64, nh)
	best := make([]int64, nh)
	// hval holds each state's values, nh per state; status whether it is
	// open, closed or a dead end.
	var hval []int32
	var status []uint8
	keep := func(hv []int64) {
		for _, h := range hv {
			hval = append(hval, int32(min(h, 1<<31-1)))
		}
	}
	s := e.initState()
	id0, _ := e.register(s, -1, -1, 0, 0)
	if !e.evaluate(&evalContext{s: s, id: id0, parentID: -1, op: -1}, hv) {
		return &Result{Status: Unsolvable}
	}
	keep(hv)
	status = append(status, stOpen)
	copy(best, hv)
	push := func(id int32, g int64, preferred bool) {
		for i := range nh {
			h := int64(hval[int(id)*nh+i])
			k2 := int64(0)
			if e.cfg.weight > 0 {
				k2 = h // A*: ties go to the lower h
			}
			en := entry{id: id, op: -1}
			open.lists[regular[i]].push(e.key(g, h), k2, en)
			if preferred {
				open.lists[pref[i]].push(e.key(g, h), k2, en)
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
		if status[id] != stOpen {
			continue // expanded already (through this or another entry)
		}
		status[id] = stClosed
		e.load(id, s)
		if e.isGoal(s) {
			return e.solution(id)
		}
		if r := e.limit(open.bytes()); r != "" {
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
				if r := e.limit(open.bytes()); r != "" {
					return &Result{Status: Limit, Reason: r}
				}
				if !e.evaluate(&evalContext{s: succ, id: sid, parent: s, parentID: id, op: o}, hv) {
					keep(hv)
					status = append(status, stDeadEnd)
					continue
				}
				keep(hv)
				status = append(status, stOpen)
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
				if status[sid] == stDeadEnd || !e.cfg.reopen || ng >= e.g[sid] {
					// Without reopening the first path stays.
					continue
				}
				e.setParent(sid, id, o, ng, nreal)
				status[sid] = stOpen
			}
			push(sid, ng, e.isPref[o])
		}
		e.unmarkPreferred()
	}
}
