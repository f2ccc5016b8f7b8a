package asp

import (
	"slices"

	"github.com/toolsmith-dev/toolsmith/asp/solver"
)

// shows implements #show as clingo does: without any "#show p/n." or
// "#show." every atom is shown; otherwise only atoms of the listed
// signatures. "#show t : body." adds term t whenever body holds.
type shows struct {
	g         *grounder
	selective bool
	sigs      map[predKey]bool
	terms     []showTerm
}

type showTerm struct {
	term   *cterm
	cond   []citem
	nslots int
}

func newShows(g *grounder) *shows { return &shows{g: g, sigs: map[predKey]bool{}} }

func (s *shows) signature(st *Show) {
	s.selective = true
	if st.Arity >= 0 {
		s.sigs[predKey{st.Name, st.Arity}] = true
	}
}

func (s *shows) compileTerm(st *ShowTerm) {
	s.terms = append(s.terms, s.g.conditionalTerms(st.Pos, st.Term, st.Body)...)
}

// conditionalTerms compiles "t : body" (of #show and #project) into one
// showTerm per alternative of its pools.
func (g *grounder) conditionalTerms(pos Pos, term Term, body []Literal) []showTerm {
	var out []showTerm
	for _, t := range unpoolTerm(term) {
		for _, cond := range unpoolLits(body) {
			c := &compiler{g: g, vars: map[string]int{}, pos: pos}
			sc := &scope{}
			outside := map[string]bool{}
			termVars(t, outside)
			for _, l := range cond {
				litVars(l, outside, false)
			}
			ct := c.term(t, sc)
			for _, l := range cond {
				c.literal(l, sc, outside)
			}
			bound := make([]bool, len(c.names)+64)
			items := c.schedule(sc.items, bound)
			c.requireBound([]*cterm{ct}, bound)
			if !c.unsafe {
				out = append(out, showTerm{term: ct, cond: items, nslots: len(c.names)})
			}
		}
	}
	return out
}

type shownOut struct {
	sym   sym
	order int32
	cond  []solver.Lit
}

// ground fills the program's outputs, sorted by symbol.
func (s *shows) ground() []sym {
	g := s.g
	n := 0
	for _, p := range g.predList {
		if !p.hidden && (!s.selective || s.sigs[predKey{p.name, p.arity}]) {
			n += len(p.atoms)
		}
	}
	outs := make([]shownOut, 0, n)
	var conds []solver.Lit // one backing array for the single-atom conditions
	for _, p := range g.predList {
		if p.hidden || s.selective && !s.sigs[predKey{p.name, p.arity}] {
			continue
		}
		for _, ai := range p.atoms {
			a := &g.atoms[ai]
			o := shownOut{sym: a.sym}
			if !a.fact {
				if len(conds) == cap(conds) {
					conds = make([]solver.Lit, 0, 1024)
				}
				conds = append(conds, solver.Lit(g.atomID(ai)))
				o.cond = conds[len(conds)-1 : len(conds) : len(conds)]
			}
			outs = append(outs, o)
		}
	}
	for i := range s.terms {
		st := &s.terms[i]
		ec := &evalCtx{env: make([]sym, st.nslots), delta: -1}
		g.body(ec, st.cond, 0, nil, func(lits []solver.Lit) {
			v, ok := g.eval(st.term, ec.env)
			if !ok {
				return
			}
			outs = append(outs, shownOut{sym: v, cond: append([]solver.Lit(nil), lits...)})
		})
	}
	for i := range outs {
		outs[i].order = int32(i)
	}
	slices.SortFunc(outs, func(a, b shownOut) int {
		if c := g.st.compare(a.sym, b.sym); c != 0 {
			return c
		}
		return int(a.order - b.order)
	})
	syms := make([]sym, len(outs))
	g.out.Outputs = make([]solver.Output, 0, len(outs))
	for i := range outs {
		g.out.Outputs = append(g.out.Outputs, solver.Output{Text: g.st.text(outs[i].sym), Cond: outs[i].cond})
		syms[i] = outs[i].sym
	}
	return syms
}
