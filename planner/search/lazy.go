package search

import "slices"

// lazySearch is best-first search with deferred evaluation: a state's
// successors are queued under the state's own heuristic values (and their
// own g for weighted search) and are evaluated only when taken from the
// open list. Each evaluator has an open list, and with preferred operators
// a second one for preferred successors; the lists take turns, and
// whenever an evaluator reaches a new best value the preferred lists are
// boosted (LAMA's search). Without reopening a state is expanded once;
// with it (lazy weighted A*), again when reached more cheaply.
func (e *engine) lazySearch() *Result {
	open, regular, pref := e.openLists()
	nh := len(e.evals)
	s := e.initState()
	cur, _ := e.register(s, -1, -1, 0, 0)
	hv := make([]int64, nh)
	best := make([]int64, nh)
	if !e.evaluate(&evalContext{s: s, id: cur, parentID: -1, op: -1}, hv) {
		return &Result{Status: Unsolvable}
	}
	copy(best, hv)
	deadEnd := []bool{false}
	succ := e.newState()
	parentState := e.newState()
	loaded := int32(-1) // the state in parentState
	var applicable []int32
	for {
		if e.isGoal(s) {
			return e.solution(cur)
		}
		if r := e.limit(open.bytes()); r != "" {
			return &Result{Status: Limit, Reason: r}
		}
		e.expand()
		applicable = e.sg.applicable(s, applicable[:0])
		// Successors in operator order (the order of grounding, which
		// follows the domain's action order) make ties deterministic.
		slices.Sort(applicable)
		e.markPreferred(applicable)
		g, realG := e.g[cur], e.real(cur)
		for _, o := range applicable {
			e.stats.Generated++
			if e.bound > 0 && realG+e.t.Operators[o].Cost >= e.bound {
				continue
			}
			ng := g + e.cost(o)
			en := entry{id: cur, op: o}
			preferred := e.isPref[o]
			for i := range nh {
				k := e.key(ng, hv[i])
				open.lists[regular[i]].push(k, 0, en)
				if preferred {
					open.lists[pref[i]].push(k, 0, en)
				}
			}
		}
		e.unmarkPreferred()
		// Take entries until one leads to a state to expand.
		for {
			en, ok := open.pop()
			if !ok {
				return &Result{Status: Unsolvable}
			}
			if r := e.limit(open.bytes()); r != "" {
				return &Result{Status: Limit, Reason: r}
			}
			if loaded != en.id {
				e.load(en.id, parentState)
				loaded = en.id
			}
			e.apply(parentState, en.op, succ)
			ng := e.g[en.id] + e.cost(en.op)
			nreal := e.real(en.id) + e.t.Operators[en.op].Cost
			if e.bound > 0 && nreal >= e.bound {
				continue
			}
			id, isNew := e.register(succ, en.id, en.op, ng, nreal)
			if !isNew {
				if !e.cfg.reopen || deadEnd[id] || ng >= e.g[id] || en.id == id {
					continue
				}
				// Reached more cheaply: reopen it.
				e.setParent(id, en.id, en.op, ng, nreal)
			} else {
				deadEnd = append(deadEnd, false)
			}
			if !e.evaluate(&evalContext{s: succ, id: id, parent: parentState, parentID: en.id, op: en.op}, hv) {
				deadEnd[id] = true
				continue
			}
			progress := false
			for i := range hv {
				if hv[i] < best[i] {
					best[i], progress = hv[i], true
				}
			}
			if progress && len(e.prefs) > 0 {
				open.boost(e.cfg.boost)
			}
			cur = id
			s, succ = succ, s
			break
		}
	}
}
