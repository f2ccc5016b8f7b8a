package asp

import (
	"maps"
	"slices"

	"github.com/toolsmith-dev/toolsmith/asp/solver"
)

// A disjunctive head "h1 : C1 | ... | hn : Cn :- B" holds when, if B does,
// some element holds: its condition Ci and its atom hi. Answer sets are
// minimal, which for head-cycle-free programs is what shifting gives:
//
//	hi :- B, Ci, not e1, ..., not en (all but those of hi itself)
//	ej :- hj, Cj                     (ej is hj when Cj is empty)
//	:- B, not e1, ..., not en        (no element can hold)
//
// Without conditions undecided by the grounder, the rule goes to the solver
// as one disjunctive rule, which it shifts itself.

// disjElem is a ground element of a disjunctive head.
type disjElem struct {
	p    *predicate
	s    sym
	cond []solver.Lit // undecided literals of its condition
}

// disjGroup is the atoms of one ground disjunctive head whose conditions
// the grounder shifted itself, for the head-cycle check.
type disjGroup struct {
	pos   Pos
	atoms []solver.Atom
	conds []solver.Atom // the atoms of positive literals of the conditions
}

// disjunction grounds the head of an instance of the disjunctive rule r
// whose body literals are body, over the elements whose condition can hold.
// An element whose atom is a fact and whose condition holds satisfies the
// rule, which is then left out; with no element left the rule is a
// constraint, with one unconditional element a normal rule.
func (g *grounder) disjunction(ec *evalCtx, r *crule, body []solver.Lit) {
	body = append([]solver.Lit(nil), body...)
	var elems []disjElem
	seen := map[sym]bool{}
	satisfied, conditional := false, false
	for i := range r.choice.elems {
		e := &r.choice.elems[i]
		g.body(ec, e.cond, 0, nil, func(cond []solver.Lit) {
			s, ok := g.groundAtom(e.pred, e.args, ec.env)
			if !ok {
				return
			}
			if len(cond) == 0 || !g.emit {
				if seen[s] {
					return
				}
				seen[s] = true
				if ai := g.lookupAtom(s); ai >= 0 && g.atoms[ai].fact && len(cond) == 0 {
					satisfied = true
					return
				}
				elems = append(elems, disjElem{p: e.pred, s: s})
				return
			}
			conditional = true
			elems = append(elems, disjElem{p: e.pred, s: s, cond: append([]solver.Lit(nil), cond...)})
		})
	}
	switch {
	case satisfied:
	case conditional:
		g.shiftDisjunction(r.pos, body, elems)
	case len(elems) == 0:
		if g.emit {
			g.out.Rules = append(g.out.Rules, solver.Rule{Body: weighted(body)})
		}
	case len(elems) == 1:
		fact := len(body) == 0 && g.emit
		i := g.derive(elems[0].p, elems[0].s, fact)
		if g.emit && !fact {
			g.out.Rules = append(g.out.Rules, solver.Rule{Head: []solver.Atom{g.atomID(i)}, Body: weighted(body)})
		}
	default:
		heads := make([]solver.Atom, 0, len(elems))
		for _, e := range elems {
			heads = append(heads, g.atomID(g.derive(e.p, e.s, false)))
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

// shiftDisjunction emits the shifted rules of a ground disjunction some of
// whose elements have undecided conditions (see the comment at the top).
func (g *grounder) shiftDisjunction(pos Pos, body []solver.Lit, elems []disjElem) {
	ids := make([]solver.Atom, len(elems))
	held := make([]solver.Lit, len(elems)) // e1..en
	for i, e := range elems {
		ai := g.lookupAtom(e.s)
		if ai >= 0 && g.atoms[ai].fact {
			held[i] = g.conj(e.cond)
			continue
		}
		ids[i] = g.atomID(g.derive(e.p, e.s, false))
		held[i] = solver.Lit(ids[i])
		if len(e.cond) > 0 {
			held[i] = g.conj(append([]solver.Lit{solver.Lit(ids[i])}, e.cond...))
		}
	}
	var group, conds []solver.Atom
	for _, e := range elems {
		for _, l := range e.cond {
			if l.Positive() {
				conds = append(conds, l.Atom())
			}
		}
	}
	for i, e := range elems {
		if ids[i] == 0 {
			continue
		}
		if !slices.Contains(group, ids[i]) {
			group = append(group, ids[i])
		}
		lits := append(append([]solver.Lit(nil), body...), e.cond...)
		for j := range elems {
			// An atom listed twice (with two conditions) is one disjunct
			// whose condition is either.
			if elems[j].s != e.s {
				lits = append(lits, -held[j])
			}
		}
		g.out.Rules = append(g.out.Rules, solver.Rule{Head: []solver.Atom{ids[i]}, Body: weighted(lits)})
	}
	none := append([]solver.Lit(nil), body...)
	for _, h := range held {
		none = append(none, -h)
	}
	g.out.Rules = append(g.out.Rules, solver.Rule{Body: weighted(none)})
	g.groups = append(g.groups, disjGroup{pos: pos, atoms: group, conds: conds})
}

// checkHeadCycles reports a ground program that is not head-cycle-free —
// two atoms of one disjunctive head that depend positively on each other —
// or whose shifted head conditions depend on their own head, naming the
// rule and the atoms: shifting disjunctions into normal rules is exact only
// without such cycles. The positive dependencies are computed once, for the
// heads the solver shifts and those the grounder shifted.
func (g *grounder) checkHeadCycles() {
	if len(g.disjunctions) == 0 && len(g.groups) == 0 {
		return
	}
	comp := solver.PositiveComponents(&g.out)
	heads := make([]disjGroup, 0, len(g.disjunctions)+len(g.groups))
	for _, i := range slices.Sorted(maps.Keys(g.disjunctions)) {
		heads = append(heads, disjGroup{pos: g.disjunctions[i], atoms: g.out.Rules[i].Head})
	}
	heads = append(heads, g.groups...)
	for _, h := range heads {
		for j, x := range h.atoms {
			for _, y := range h.atoms[j+1:] {
				if comp[x] == comp[y] {
					names := g.atomNames(x, y)
					g.errs.add(h.pos, "%s and %s of this disjunctive head depend positively on each other: disjunctive programs that are not head-cycle-free are not supported", names[x], names[y])
					return
				}
			}
			// A condition that depends on an atom of its own head
			// (p(X) : q(X) where q depends on p) is read by clingo in a
			// way shifting does not reproduce.
			for _, c := range h.conds {
				if comp[c] == comp[x] {
					g.errs.add(h.pos, "a condition of this disjunctive head depends positively on its atom %s: not supported", g.atomNames(x)[x])
					return
				}
			}
		}
	}
}

// atomNames returns the text of the symbols of the given solver atoms.
func (g *grounder) atomNames(ids ...solver.Atom) map[solver.Atom]string {
	names := map[solver.Atom]string{}
	for k := range g.atoms {
		if id := g.atoms[k].id; id != 0 && slices.Contains(ids, id) {
			names[id] = g.st.text(g.atoms[k].sym)
		}
	}
	return names
}

// checkOwnConditions refuses a disjunctive head whose element conditions
// mention one of the head's own predicates ("p(X) : d(X), p(X) | q."):
// clingo reads such heads in a way that shifting does not reproduce (it
// finds "p(1) : p(1) | p(1)." unsatisfiable).
func (g *grounder) checkOwnConditions(pos Pos, ch *cchoice, heads []*predicate) {
	for _, e := range ch.elems {
		for i := range e.cond {
			if p := e.cond[i].pred; p != nil && slices.Contains(heads, p) {
				g.errs.add(pos, "a condition in this disjunctive head mentions %s/%d, a predicate of the head: not supported", p.name, p.arity)
				return
			}
		}
	}
}
