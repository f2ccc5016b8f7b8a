package asp

import "github.com/toolsmith-dev/toolsmith/asp/solver"

// projections collects the atoms of #project statements: with projection,
// models are told apart by these atoms rather than by the shown ones.
type projections struct {
	g     *grounder
	sigs  []predKey
	terms []showTerm
}

func (pr *projections) add(st *Project) {
	if st.Atom == nil {
		pr.sigs = append(pr.sigs, predKey{st.Name, st.Arity})
		return
	}
	// The atom binds its variables, as a body literal would.
	body := append([]Literal{&AtomLit{Pos: st.Pos, Atom: st.Atom}}, st.Body...)
	pr.terms = append(pr.terms, pr.g.conditionalTerms(st.Pos, st.Atom, body)...)
}

// ground sets the program's projection atoms: every atom of the listed
// signatures, and every instance of "a : body" whose body can hold (as in
// clingo, an undecided body does not make the projection conditional).
// Facts are the same in every model: projecting on facts alone makes all
// models alike. With no atom at all (none derived), projection stays on
// the shown atoms, as clingo's does.
func (pr *projections) ground() {
	g := pr.g
	found := false
	seen := map[solver.Lit]bool{}
	add := func(ai int32) {
		a := &g.atoms[ai]
		if !a.derived && !a.fact {
			return
		}
		found = true
		if a.fact {
			return
		}
		if l := solver.Lit(g.atomID(ai)); !seen[l] {
			seen[l] = true
			g.out.Project = append(g.out.Project, l)
		}
	}
	for _, k := range pr.sigs {
		if p, ok := g.preds[k]; ok {
			for _, ai := range p.atoms {
				add(ai)
			}
		}
	}
	for i := range pr.terms {
		st := &pr.terms[i]
		ec := &evalCtx{env: make([]sym, st.nslots), delta: -1}
		g.body(ec, st.cond, 0, nil, func([]solver.Lit) {
			if v, ok := g.eval(st.term, ec.env); ok {
				if ai := g.lookupAtom(v); ai >= 0 {
					add(ai)
				}
			}
		})
	}
	if found && len(g.out.Project) == 0 {
		g.out.Project = append(g.out.Project, solver.Lit(g.trueAtom()))
	}
}
