package search

import "slices"

// eagerSearch is best-first search evaluating states when they are
// generated: greedy (key h) for gbfs, or A* with f = g + weight*h for astar
// and wastar, which reopen states reached again more cheaply. A* breaks ties
// on f by lower h.
func (e *engine) eagerSearch() *Result {
	greedy := e.kind == "gbfs"
	var open alternation
	regular := open.add(false)
	pref := -1
	if len(e.prefs) > 0 {
		pref = open.add(true)
	}
	var hval []int64
	hv := make([]int64, 1)
	key := func(g, h int64) (int64, int64) {
		if greedy {
			return h, 0
		}
		return g + e.weight*h, h
	}
	s := e.initState()
	id0, _ := e.register(s, -1, -1, 0)
	if !e.evaluate(s, id0, -1, hv) {
		return &Result{Status: Unsolvable}
	}
	hval = append(hval, hv[0])
	best := hv[0]
	k1, k2 := key(0, hv[0])
	open.lists[regular].push(k1, k2, entry{id: id0})
	// expandedG is the g with which each state was last expanded
	// (infinity: never), so that A* re-expands a state reached more cheaply.
	expandedG := []int64{infinity}
	succ := make(state, e.words)
	for {
		en, ok := open.pop()
		if !ok {
			return &Result{Status: Unsolvable}
		}
		id := en.id
		if en.g > e.g[id] {
			continue // a cheaper path was found since this entry was queued
		}
		if expandedG[id] < infinity && (greedy || !e.reopen || en.g >= expandedG[id]) {
			continue
		}
		expandedG[id] = en.g
		s = e.reg.get(id)
		if e.isGoal(s) {
			return e.solution(id)
		}
		if r := e.limit(int64(open.size()) * 40); r != "" {
			return &Result{Status: Limit, Reason: r}
		}
		e.stats.Expanded++
		e.ops = e.sg.applicable(s, e.ops[:0])
		// Successors in operator order (the order of grounding, which
		// follows the domain's action order) make ties deterministic.
		slices.Sort(e.ops)
		if pref >= 0 {
			// Preferred operators come from evaluating the expanded state.
			e.hs[0].evaluate(s, id, e.parent[id])
			e.markPreferred()
		}
		g := e.g[id]
		for _, o := range e.ops {
			e.stats.Generated++
			ng := g + e.cost(o)
			e.apply(s, o, succ)
			sid, isNew := e.register(succ, id, o, ng)
			s = e.reg.get(id) // the arena may have moved
			if isNew {
				if r := e.limit(int64(open.size()) * 40); r != "" {
					return &Result{Status: Limit, Reason: r}
				}
				expandedG = append(expandedG, infinity)
				if !e.evaluate(succ, sid, id, hv) {
					hval = append(hval, infinity)
					continue
				}
				hval = append(hval, hv[0])
				if greedy && hv[0] < best {
					best = hv[0]
					if pref >= 0 {
						open.boost(1000)
					}
				}
			} else {
				if greedy || hval[sid] >= infinity || ng >= e.g[sid] {
					// Greedy search keeps the first path; A* keeps the cheapest.
					continue
				}
				e.g[sid], e.parent[sid], e.parentOp[sid] = ng, id, o
			}
			k1, k2 := key(ng, hval[sid])
			en := entry{id: sid, g: ng}
			open.lists[regular].push(k1, k2, en)
			if pref >= 0 && e.isPref[o] {
				open.lists[pref].push(k1, k2, en)
			}
		}
		if pref >= 0 {
			e.unmarkPreferred()
		}
	}
}
