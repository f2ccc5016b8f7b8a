package asp

import "github.com/toolsmith-dev/toolsmith/asp/solver"

// disjunction grounds the head of an instance of the disjunctive rule r
// whose body literals are body: "h1 | ... | hn :- body" over the elements
// whose condition holds. An element whose atom is a fact satisfies the rule,
// which is then left out; with no element left the rule is a constraint,
// with one a normal rule. Conditions must be decided by the grounder (true
// or false from facts): a condition over atoms that are not facts is
// reported, since its meaning in a disjunction is not a plain shift.
func (g *grounder) disjunction(ec *evalCtx, r *crule, body []solver.Lit) {
	body = append([]solver.Lit(nil), body...)
	type elem struct {
		p *predicate
		s sym
	}
	var elems []elem
	seen := map[sym]bool{}
	satisfied := false
	for i := range r.choice.elems {
		e := &r.choice.elems[i]
		g.body(ec, e.cond, 0, nil, func(cond []solver.Lit) {
			if len(cond) > 0 && g.emit {
				if !r.reported {
					r.reported = true
					g.errs.add(r.pos, "a condition in a disjunctive head over atoms that are not facts is not supported")
				}
				return
			}
			s, ok := g.groundAtom(e.pred, e.args, ec.env)
			if !ok || seen[s] {
				return
			}
			seen[s] = true
			if ai := g.lookupAtom(s); ai >= 0 && g.atoms[ai].fact {
				satisfied = true
				return
			}
			elems = append(elems, elem{e.pred, s})
		})
	}
	if satisfied {
		return
	}
	switch len(elems) {
	case 0:
		if g.emit {
			g.out.Rules = append(g.out.Rules, solver.Rule{Body: weighted(body)})
		}
	case 1:
		fact := len(body) == 0 && g.emit
		i := g.derive(elems[0].p, elems[0].s, fact)
		if g.emit && !fact {
			g.out.Rules = append(g.out.Rules, solver.Rule{Head: []solver.Atom{g.atomID(i)}, Body: weighted(body)})
		}
	default:
		heads := make([]solver.Atom, 0, len(elems))
		for _, e := range elems {
			i := g.derive(e.p, e.s, false)
			if g.emit {
				heads = append(heads, g.atomID(i))
			}
		}
		if g.emit {
			if g.disjunctions == nil {
				g.disjunctions = map[int]Pos{}
			}
			g.disjunctions[len(g.out.Rules)] = r.pos
			g.out.Rules = append(g.out.Rules, solver.Rule{Head: heads, HeadKind: solver.Disjunctive, Body: weighted(body)})
		}
	}
}

// checkHeadCycles reports a ground program that is not head-cycle-free
// (see solver.HeadCycle), naming the rule and the two atoms: the solver
// shifts disjunctions into normal rules, which is exact only without such
// cycles.
func (g *grounder) checkHeadCycles() {
	if len(g.disjunctions) == 0 {
		return
	}
	i, a, b, ok := solver.HeadCycle(&g.out)
	if !ok {
		return
	}
	names := map[solver.Atom]string{}
	for k := range g.atoms {
		if id := g.atoms[k].id; id == a || id == b {
			names[id] = g.st.text(g.atoms[k].sym)
		}
	}
	g.errs.add(g.disjunctions[i], "%s and %s of this disjunctive head depend positively on each other: disjunctive programs that are not head-cycle-free are not supported", names[a], names[b])
}
