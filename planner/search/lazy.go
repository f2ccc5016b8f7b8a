package search

import "slices"

// lazySearch is greedy best-first search with deferred evaluation: a state's
// successors are queued under the state's own heuristic values and are
// evaluated only when taken from the open list. With several heuristics
// each has an open list (and, with preferred operators, a second one for
// preferred successors); the lists take turns, and whenever a heuristic
// reaches a new best value the preferred lists are boosted.
func (e *engine) lazySearch() *Result {
	var open alternation
	nh := len(e.hs)
	regular := make([]int, nh)
	pref := make([]int, nh)
	for i := range e.hs {
		regular[i] = open.add(false)
		if len(e.prefs) > 0 {
			pref[i] = open.add(true)
		}
	}
	s := e.initState()
	cur, _ := e.register(s, -1, -1, 0)
	hv := make([]int64, nh)
	best := make([]int64, nh)
	if !e.evaluate(s, cur, -1, hv) {
		return &Result{Status: Unsolvable}
	}
	copy(best, hv)
	succ := make(state, e.words)
	for {
		s = e.reg.get(cur)
		if e.isGoal(s) {
			return e.solution(cur)
		}
		if r := e.limit(int64(open.size()) * 40); r != "" {
			return &Result{Status: Limit, Reason: r}
		}
		e.stats.Expanded++
		e.markPreferred()
		e.ops = e.sg.applicable(s, e.ops[:0])
		// Successors in operator order (the order of grounding, which
		// follows the domain's action order) make ties deterministic.
		slices.Sort(e.ops)
		g := e.g[cur]
		for _, o := range e.ops {
			e.stats.Generated++
			en := entry{id: cur, op: o, g: g + e.cost(o)}
			isPref := e.isPref[o]
			for i := range e.hs {
				open.lists[regular[i]].push(hv[i], 0, en)
				if isPref {
					open.lists[pref[i]].push(hv[i], 0, en)
				}
			}
		}
		e.unmarkPreferred()
		// Take entries until one leads to a new state that is not a dead end.
		for {
			en, ok := open.pop()
			if !ok {
				return &Result{Status: Unsolvable}
			}
			if r := e.limit(int64(open.size()) * 40); r != "" {
				return &Result{Status: Limit, Reason: r}
			}
			e.apply(e.reg.get(en.id), en.op, succ)
			if e.reg.lookup(succ) >= 0 {
				continue
			}
			id, _ := e.register(succ, en.id, en.op, en.g)
			if !e.evaluate(succ, id, en.id, hv) {
				continue
			}
			progress := false
			for i := range hv {
				if hv[i] < best[i] {
					best[i] = hv[i]
					progress = true
				}
			}
			if progress && len(e.prefs) > 0 {
				open.boost(1000)
			}
			cur = id
			break
		}
	}
}
