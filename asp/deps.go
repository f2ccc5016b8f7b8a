package asp

import "github.com/toolsmith-dev/toolsmith/asp/internal/scc"

// components orders the rules by the strongly connected components of the
// predicate dependency graph (dependencies first) and marks, per rule, the
// positive body atoms over its own component (for semi-naive evaluation)
// and whether it must be grounded naively (aggregates, conditions or choice
// conditions over its own component).
func (g *grounder) components() [][]*crule {
	// Graph over predicates: head -> body. The head predicates of one rule
	// are joined into one component by edges both ways.
	idx := map[*predicate]int{}
	for i, p := range g.predList {
		idx[p] = i
	}
	n := len(g.predList)
	adj := make([][]int, n)
	for _, r := range g.rules {
		for _, h := range r.headPreds {
			for _, b := range r.bodyPreds {
				adj[idx[h]] = append(adj[idx[h]], idx[b])
			}
			for _, h2 := range r.headPreds {
				if h2 != h {
					adj[idx[h]] = append(adj[idx[h]], idx[h2])
				}
			}
		}
	}
	comp := scc.Tarjan(adj) // components in reverse topological order of edges: dependencies first
	ncomp := 0
	for _, c := range comp {
		if c+1 > ncomp {
			ncomp = c + 1
		}
	}
	byComp := make([][]*crule, ncomp)
	for _, p := range g.predList {
		p.comp = -1
	}
	for _, r := range g.rules {
		c := comp[idx[r.headPreds0()]]
		for _, h := range r.headPreds {
			h.comp = comp[idx[h]]
		}
		byComp[c] = append(byComp[c], r)
	}
	for c, rules := range byComp {
		for _, r := range rules {
			r.nsame = 0
			inComp := func(p *predicate) bool { return comp[idx[p]] == c }
			for i := range r.body {
				it := &r.body[i]
				it.same = -1
				if it.kind == iPos && inComp(it.pred) {
					it.same = r.nsame
					r.nsame++
				}
				if (it.kind == iAgg || it.kind == iCond) && nestedUses(it, inComp) {
					r.deferred = true
					if it.kind == iAgg {
						it.agg.recursive = true
						g.checkRecursive(it.agg)
					}
				}
			}
			if r.head == hChoice || r.head == hDisj {
				for _, e := range r.choice.elems {
					for i := range e.cond {
						if usesPred(&e.cond[i], inComp) {
							r.deferred = true
						}
					}
				}
			}
		}
	}
	// Predicates that no rule derives are complete from the start.
	for _, p := range g.predList {
		if p.comp < 0 {
			p.done = true
		}
	}
	var out [][]*crule
	for _, rules := range byComp {
		if len(rules) > 0 {
			out = append(out, rules)
		}
	}
	return out
}

func (r *crule) headPreds0() *predicate { return r.headPreds[0] }

// nestedUses reports whether an aggregate or conditional literal refers to a
// predicate for which in holds.
func nestedUses(it *citem, in func(*predicate) bool) bool {
	if it.agg != nil {
		for _, e := range it.agg.elems {
			for i := range e.cond {
				if usesPred(&e.cond[i], in) {
					return true
				}
			}
		}
	}
	if it.cond != nil {
		if usesPred(&it.cond.lit, in) {
			return true
		}
		for i := range it.cond.cond {
			if usesPred(&it.cond.cond[i], in) {
				return true
			}
		}
	}
	return false
}

func usesPred(it *citem, in func(*predicate) bool) bool {
	if it.pred != nil && in(it.pred) {
		return true
	}
	return nestedUses(it, in)
}

// checkRecursive rejects recursive aggregates whose meaning in clingo
// (Ferraris' semantics) this grounder's translation does not reproduce:
// "!=" comparisons, which are neither monotone nor a conjunction of a
// monotone and an antimonotone part.
func (g *grounder) checkRecursive(a *cagg) {
	if a.sign != Positive {
		return
	}
	for _, gd := range a.guards {
		if gd.op == "!=" {
			g.errs.add(a.pos, "recursive aggregate with != is not supported")
			return
		}
	}
}
