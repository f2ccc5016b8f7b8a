package asp

import (
	"encoding/binary"
	"sort"

	"github.com/toolsmith-dev/toolsmith/asp/solver"
)

// optimiser collects #minimize, #maximize and weak constraints. As in
// clingo, the elements of all statements form one set of tuples
// (weight, priority, terms...): a tuple counts once if any of its
// conditions holds. #maximize negates weights.
type optimiser struct {
	g     *grounder
	elems []optElem
}

type optElem struct {
	weight, prio *cterm
	terms        []*cterm
	cond         []citem
	nslots       int
	neg          bool
}

func newOptimiser(g *grounder) *optimiser { return &optimiser{g: g} }

func (o *optimiser) compile(s *Optimise) {
	for _, e := range s.Elems {
		for _, ts := range unpoolTerms(append([]Term{e.Weight, priorityOrZero(e)}, e.Terms...)) {
			for _, cond := range unpoolLits(e.Cond) {
				c := &compiler{g: o.g, vars: map[string]int{}, pos: e.Pos}
				sc := &scope{}
				outside := map[string]bool{}
				for _, t := range ts {
					termVars(t, outside)
				}
				for _, l := range cond {
					litVars(l, outside, false)
				}
				var cts []*cterm
				for _, t := range ts {
					cts = append(cts, c.term(t, sc))
				}
				for _, l := range cond {
					c.literal(l, sc, outside)
				}
				bound := make([]bool, len(c.names)+64)
				items := c.schedule(sc.items, bound)
				c.requireBound(cts, bound)
				if c.unsafe {
					continue
				}
				o.elems = append(o.elems, optElem{weight: cts[0], prio: cts[1], terms: cts[2:], cond: items, nslots: len(c.names), neg: s.Maximize})
			}
		}
	}
}

func priorityOrZero(e OptElem) Term {
	if e.Priority == nil {
		return &Num{Pos: e.Pos}
	}
	return e.Priority
}

// ground adds the Minimize levels to the ground program.
func (o *optimiser) ground() {
	g := o.g
	byKey := map[string]*tuple{}
	var order []*tuple
	var key []byte
	for i := range o.elems {
		e := &o.elems[i]
		ec := &evalCtx{env: make([]sym, e.nslots), delta: -1}
		g.body(ec, e.cond, 0, nil, func(lits []solver.Lit) {
			w, ok1 := g.eval(e.weight, ec.env)
			p, ok2 := g.eval(e.prio, ec.env)
			if !ok1 || !ok2 || !g.st.isNum(w) || !g.st.isNum(p) {
				return
			}
			if e.neg {
				w = g.st.num(-g.st.entry(w).num)
			}
			vals := []sym{w, p}
			for _, t := range e.terms {
				v, ok := g.eval(t, ec.env)
				if !ok {
					return
				}
				vals = append(vals, v)
			}
			key = key[:0]
			for _, v := range vals {
				key = binary.LittleEndian.AppendUint32(key, uint32(v))
			}
			t, ok := byKey[string(key)]
			if !ok {
				t = &tuple{terms: vals}
				byKey[string(key)] = t
				order = append(order, t)
			}
			t.insts = append(t.insts, append([]solver.Lit(nil), lits...))
		})
	}
	levels := map[int]*solver.Minimize{}
	var prios []int
	for _, t := range order {
		w := g.st.entry(t.terms[0]).num
		p := int(g.st.entry(t.terms[1]).num)
		x := g.disjLV(t.insts)
		if x.val == -1 {
			continue
		}
		lvl, ok := levels[p]
		if !ok {
			lvl = &solver.Minimize{Priority: p}
			levels[p] = lvl
			prios = append(prios, p)
		}
		if w == 0 {
			continue
		}
		l := x.lit
		if x.val == 1 {
			l = solver.Lit(g.trueAtom())
		}
		lvl.Lits = append(lvl.Lits, solver.WeightedLit{Lit: l, Weight: w})
	}
	sort.Sort(sort.Reverse(sort.IntSlice(prios)))
	for _, p := range prios {
		g.out.Minimize = append(g.out.Minimize, *levels[p])
	}
}
