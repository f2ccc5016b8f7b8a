package asp

import (
	"encoding/binary"
	"sort"

	"github.com/toolsmith-dev/toolsmith/asp/solver"
)

// Aggregates are translated as clingo's grounder does, into rules over
// auxiliary atoms: the ground elements are grouped by tuple (a tuple counts
// once however many of its conditions hold); #count, #sum and #sum+ become
// weight bodies "sum >= bound", and #min/#max become normal rules saying
// whether some element above or below a bound holds.

// lv is a literal with its known value: val 1 true, -1 false, 0 the literal
// decides.
type lv struct {
	lit solver.Lit
	val int8
}

var (
	lvTrue  = lv{val: 1}
	lvFalse = lv{val: -1}
)

func (g *grounder) notLV(x lv) lv {
	if x.val != 0 {
		return lv{val: -x.val}
	}
	return lv{lit: g.negate(x.lit)}
}

// conjunction accumulates literals; false once a false literal is added.
type conjunction struct {
	lits  []solver.Lit
	false bool
}

func (c *conjunction) add(x lv) {
	switch x.val {
	case -1:
		c.false = true
	case 0:
		c.lits = append(c.lits, x.lit)
	}
}

// value returns the conjunction as one literal.
func (g *grounder) conjLV(c *conjunction) lv {
	switch {
	case c.false:
		return lvFalse
	case len(c.lits) == 0:
		return lvTrue
	}
	return lv{lit: g.conj(c.lits)}
}

// disjLV returns one literal for the disjunction of the conjunctions insts.
func (g *grounder) disjLV(insts [][]solver.Lit) lv {
	if len(insts) == 0 {
		return lvFalse
	}
	for _, in := range insts {
		if len(in) == 0 {
			return lvTrue
		}
	}
	if !g.emit {
		return lv{lit: litUnknown}
	}
	if len(insts) == 1 && len(insts[0]) == 1 {
		return lv{lit: insts[0][0]}
	}
	aux := g.auxAtom()
	for _, in := range insts {
		g.addRule(solver.Rule{Head: []solver.Atom{aux}, Body: weighted(in)})
	}
	return lv{lit: solver.Lit(aux)}
}

// tuple is a ground aggregate element: its terms and the conditions under
// which it holds.
type tuple struct {
	terms []sym
	insts [][]solver.Lit
}

// tuples grounds the elements of an aggregate under the current bindings.
func (g *grounder) tuples(ec *evalCtx, elems []celem) []*tuple {
	byKey := map[string]*tuple{}
	var out []*tuple
	var key []byte
	for i := range elems {
		e := &elems[i]
		vals := make([]sym, len(e.terms))
		g.body(ec, e.cond, 0, nil, func(lits []solver.Lit) {
			for j, t := range e.terms {
				v, ok := g.eval(t, ec.env)
				if !ok {
					return
				}
				vals[j] = v
			}
			key = key[:0]
			for _, v := range vals {
				key = binary.LittleEndian.AppendUint32(key, uint32(v))
			}
			t, ok := byKey[string(key)]
			if !ok {
				t = &tuple{terms: append([]sym(nil), vals...)}
				byKey[string(key)] = t
				out = append(out, t)
			}
			t.insts = append(t.insts, append([]solver.Lit(nil), lits...))
		})
	}
	return out
}

// wsum is a sum of weighted literals plus a constant: base + sum of the
// weights (all positive) of the true literals in lits.
type wsum struct {
	base  int64
	lits  []solver.WeightedLit
	total int64
	neg   bool // some undecided element has a negative weight
}

func (g *grounder) sumOf(fun string, ts []*tuple) wsum {
	var s wsum
	for _, t := range ts {
		w := int64(1)
		if fun != "count" {
			if len(t.terms) == 0 || !g.st.isNum(t.terms[0]) {
				continue
			}
			w = g.st.entry(t.terms[0]).num
			if fun == "sum+" && w <= 0 || w == 0 {
				continue
			}
		}
		x := g.disjLV(t.insts)
		switch {
		case x.val == 1:
			s.base += w
		case x.val == -1:
		case w > 0:
			s.lits = append(s.lits, solver.WeightedLit{Lit: x.lit, Weight: w})
			s.total += w
		default:
			s.base += w
			s.lits = append(s.lits, solver.WeightedLit{Lit: g.negate(x.lit), Weight: -w})
			s.total -= w
			s.neg = true
		}
	}
	return s
}

// ge returns a literal for "sum >= b".
func (g *grounder) ge(s *wsum, b int64) lv {
	need := b - s.base
	switch {
	case need <= 0:
		return lvTrue
	case need > s.total:
		return lvFalse
	case !g.emit:
		return lv{lit: litUnknown}
	case len(s.lits) == 1:
		return lv{lit: s.lits[0].Lit}
	}
	allOne := true
	for _, l := range s.lits {
		if l.Weight < need {
			allOne = false
		}
	}
	aux := g.auxAtom()
	if allOne {
		// Any single literal suffices: a disjunction.
		for _, l := range s.lits {
			g.addRule(solver.Rule{Head: []solver.Atom{aux}, Body: []solver.WeightedLit{{Lit: l.Lit, Weight: 1}}})
		}
		return lv{lit: solver.Lit(aux)}
	}
	g.addRule(solver.Rule{Head: []solver.Atom{aux}, BodyKind: solver.Weight, Body: append([]solver.WeightedLit(nil), s.lits...), Bound: need})
	return lv{lit: solver.Lit(aux)}
}

// sumCmp returns a literal for "sum op b".
func (g *grounder) sumCmp(s *wsum, op string, b sym) lv {
	if !g.st.isNum(b) {
		if g.compare(op, g.st.num(0), b) {
			return lvTrue
		}
		return lvFalse
	}
	n := g.st.entry(b).num
	switch op {
	case ">=":
		return g.ge(s, n)
	case ">":
		return g.ge(s, n+1)
	case "<=":
		return g.notLV(g.ge(s, n+1))
	case "<":
		return g.notLV(g.ge(s, n))
	}
	var c conjunction
	c.add(g.ge(s, n))
	c.add(g.notLV(g.ge(s, n+1)))
	eq := g.conjLV(&c)
	if op == "!=" {
		return g.notLV(eq)
	}
	return eq
}

// exists returns a literal for "some tuple whose first term v satisfies
// v op b holds".
func (g *grounder) exists(ts []*tuple, op string, b sym) lv {
	var insts [][]solver.Lit
	for _, t := range ts {
		if len(t.terms) == 0 || !g.compare(op, t.terms[0], b) {
			continue
		}
		insts = append(insts, t.insts...)
	}
	return g.disjLV(insts)
}

// minMaxCmp returns a literal for "#min op b" (or #max when max is set).
func (g *grounder) minMaxCmp(ts []*tuple, max bool, op string, b sym) lv {
	// For #max, mirror the order: max >= b is "exists v >= b" etc.
	lt, le := "<", "<="
	if max {
		lt, le = ">", ">="
		op = flipOp(op)
	}
	switch op {
	case ">=": // no element below b
		return g.notLV(g.exists(ts, lt, b))
	case ">":
		return g.notLV(g.exists(ts, le, b))
	case "<=":
		return g.exists(ts, le, b)
	case "<":
		return g.exists(ts, lt, b)
	}
	var eq lv
	if !max && b == symSup || max && b == symInf {
		// The value of an empty set: no element at all.
		eq = g.notLV(g.exists(ts, le, b))
	} else {
		var c conjunction
		c.add(g.notLV(g.exists(ts, lt, b)))
		c.add(g.exists(ts, le, b))
		eq = g.conjLV(&c)
	}
	if op == "!=" {
		return g.notLV(eq)
	}
	return eq
}

// aggregate grounds a body aggregate under the current bindings and calls
// yield with the literals it contributes, once per value of an assigned
// variable.
func (g *grounder) aggregate(ec *evalCtx, a *cagg, yield func([]solver.Lit)) {
	if !g.emit && a.recursive && a.assign < 0 && !a.monotone() {
		// While the component's atoms are incomplete, a non-monotone
		// aggregate may hold.
		yield([]solver.Lit{litUnknown})
		return
	}
	ts := g.tuples(ec, a.elems)
	var s wsum
	isSum := a.fun != "min" && a.fun != "max"
	if isSum {
		s = g.sumOf(a.fun, ts)
		if s.neg && a.recursive && a.sign == Positive && g.emit {
			g.errs.add(a.pos, "recursive #sum with negative weights is not supported")
			return
		}
	}
	cmp := func(op string, b sym) lv {
		if isSum {
			return g.sumCmp(&s, op, b)
		}
		return g.minMaxCmp(ts, a.fun == "max", op, b)
	}
	if a.assign >= 0 {
		for _, v := range g.aggValues(a, ts, &s) {
			x := cmp("=", v)
			if x.val == -1 {
				continue
			}
			ec.env[a.assign] = v
			var lits []solver.Lit
			if x.val == 0 {
				lits = []solver.Lit{x.lit}
			}
			yield(lits)
		}
		ec.env[a.assign] = 0
		return
	}
	// The guards form a disjunction of conjunctions: "!=" is split into
	// "<" or ">" so that the monotone part keeps its positive dependency
	// (as clingo's translation does); the others are single literals.
	alts := []conjunction{{}}
	for _, gd := range a.guards {
		b, ok := g.eval(gd.term, ec.env)
		if !ok {
			return
		}
		ops := []string{gd.op}
		if gd.op == "!=" {
			ops = []string{"<", ">"}
		}
		var next []conjunction
		for _, c := range alts {
			for _, op := range ops {
				d := conjunction{lits: append([]solver.Lit(nil), c.lits...), false: c.false}
				d.add(cmp(op, b))
				next = append(next, d)
			}
		}
		alts = next
	}
	if a.sign == Positive {
		for i := range alts {
			if !alts[i].false {
				yield(alts[i].lits)
			}
		}
		return
	}
	var insts [][]solver.Lit
	for _, c := range alts {
		if !c.false {
			insts = append(insts, c.lits)
		}
	}
	res := g.notLV(g.disjLV(insts))
	if a.sign == NotNot {
		res = g.notLV(res)
	}
	switch res.val {
	case 1:
		yield(nil)
	case 0:
		yield([]solver.Lit{res.lit})
	}
}

// maxSums bounds the number of values an assigned #sum may take.
const maxSums = 1 << 16

// aggValues returns the values an aggregate can take, sorted.
func (g *grounder) aggValues(a *cagg, ts []*tuple, s *wsum) []sym {
	if a.fun == "min" || a.fun == "max" {
		seen := map[sym]bool{}
		var out []sym
		certain := false
		for _, t := range ts {
			if len(t.terms) == 0 {
				continue
			}
			if !seen[t.terms[0]] {
				seen[t.terms[0]] = true
				out = append(out, t.terms[0])
			}
			if g.disjLV(t.insts).val == 1 {
				certain = true
			}
		}
		if !certain {
			if a.fun == "min" {
				out = append(out, symSup)
			} else {
				out = append(out, symInf)
			}
		}
		sort.Slice(out, func(i, j int) bool { return g.st.compare(out[i], out[j]) < 0 })
		return out
	}
	sums := map[int64]bool{s.base: true}
	for _, l := range s.lits {
		next := make(map[int64]bool, 2*len(sums))
		for v := range sums {
			next[v] = true
			next[v+l.Weight] = true
		}
		sums = next
		if len(sums) > maxSums {
			g.errs.add(a.pos, "aggregate takes too many values to assign")
			return nil
		}
	}
	vals := make([]int64, 0, len(sums))
	for v := range sums {
		vals = append(vals, v)
	}
	sort.Slice(vals, func(i, j int) bool { return vals[i] < vals[j] })
	out := make([]sym, len(vals))
	for i, v := range vals {
		out[i] = g.st.num(v)
	}
	return out
}

// conditional grounds a conditional literal "l : cond": for every instance
// of the condition, l must hold. It returns the literals to add to the body,
// and false when some instance is certainly violated.
func (g *grounder) conditional(ec *evalCtx, cc *ccond) ([]solver.Lit, bool) {
	var out []solver.Lit
	ok := true
	g.body(ec, cc.cond, 0, nil, func(lits []solver.Lit) {
		if !ok {
			return
		}
		var head lv
		switch cc.lit.kind {
		case iPos, iNeg, iNotNot:
			s, good := g.groundAtom(cc.lit.pred, cc.lit.args, ec.env)
			if !good {
				head = lvFalse
				if cc.lit.kind == iNeg {
					head = lvTrue
				}
				break
			}
			l, val := g.atomLit(cc.lit.pred, s)
			head = lv{lit: l, val: int8(val)}
			switch cc.lit.kind {
			case iNeg:
				head = g.notLV(head)
			case iNotNot:
				head = g.notLV(g.notLV(head))
			}
		case iCmp:
			l, ok1 := g.eval(cc.lit.l, ec.env)
			r, ok2 := g.eval(cc.lit.r, ec.env)
			head = lvFalse
			if ok1 && ok2 && g.compare(cc.lit.op, l, r) {
				head = lvTrue
			}
		}
		switch {
		case head.val == 1:
		case len(lits) == 0 && head.val == -1:
			ok = false
		case len(lits) == 0:
			// The condition holds: the literal itself joins the body.
			out = append(out, head.lit)
		case !g.emit:
			out = append(out, litUnknown)
		default:
			// "l or the condition fails", keeping l's positive dependency.
			aux := g.auxAtom()
			if head.val == 0 {
				g.addRule(solver.Rule{Head: []solver.Atom{aux}, Body: weighted([]solver.Lit{head.lit})})
			}
			for _, c := range lits {
				nc := -c // in a body "not not a" may be "a": this atom only defines aux
				g.addRule(solver.Rule{Head: []solver.Atom{aux}, Body: weighted([]solver.Lit{nc})})
			}
			out = append(out, solver.Lit(aux))
		}
	})
	return out, ok
}

// choice grounds the head of a choice rule instance whose body literals are
// body: one choice rule for the unconditional elements and one per
// conditional element instance, and integrity constraints for the bounds.
func (g *grounder) choice(ec *evalCtx, r *crule, body []solver.Lit) {
	body = append([]solver.Lit(nil), body...)
	byKey := map[sym]*tuple{}
	var ts []*tuple
	var heads []solver.Atom // elements without condition share one rule
	inHeads := map[solver.Atom]bool{}
	for i := range r.choice.elems {
		e := &r.choice.elems[i]
		g.body(ec, e.cond, 0, nil, func(cond []solver.Lit) {
			s, ok := g.groundAtom(e.pred, e.args, ec.env)
			if !ok {
				return
			}
			var atomLit []solver.Lit
			if ai := g.lookupAtom(s); ai < 0 || !g.atoms[ai].fact {
				ai = g.derive(e.pred, s, false)
				if g.emit {
					id := g.atomID(ai)
					switch {
					case len(cond) == 0:
						if !inHeads[id] {
							inHeads[id] = true
							heads = append(heads, id)
						}
					default:
						g.out.Rules = append(g.out.Rules, solver.Rule{
							Head: []solver.Atom{id}, HeadKind: solver.Choice,
							Body: weighted(append(append([]solver.Lit(nil), body...), cond...)),
						})
					}
					atomLit = []solver.Lit{solver.Lit(id)}
				} else {
					atomLit = []solver.Lit{litUnknown}
				}
			}
			if len(r.choice.guards) == 0 {
				return
			}
			t, ok := byKey[s]
			if !ok {
				t = &tuple{terms: []sym{s}}
				byKey[s] = t
				ts = append(ts, t)
			}
			t.insts = append(t.insts, append(append([]solver.Lit(nil), atomLit...), cond...))
		})
	}
	if len(heads) > 0 {
		g.out.Rules = append(g.out.Rules, solver.Rule{Head: heads, HeadKind: solver.Choice, Body: weighted(body)})
	}
	if len(r.choice.guards) == 0 || !g.emit {
		return
	}
	s := g.sumOf("count", ts)
	for _, gd := range r.choice.guards {
		b, ok := g.eval(gd.term, ec.env)
		if !ok {
			continue
		}
		if !g.st.isNum(b) {
			if !g.compare(gd.op, g.st.num(0), b) {
				g.forbid(body, nil)
			}
			continue
		}
		n := g.st.entry(b).num
		switch gd.op {
		case ">=":
			g.forbidBelow(body, &s, n)
		case ">":
			g.forbidBelow(body, &s, n+1)
		case "<=":
			g.forbidAtLeast(body, &s, n+1)
		case "<":
			g.forbidAtLeast(body, &s, n)
		case "=":
			g.forbidBelow(body, &s, n)
			g.forbidAtLeast(body, &s, n+1)
		case "!=":
			var c conjunction
			c.add(g.ge(&s, n))
			c.add(g.notLV(g.ge(&s, n+1)))
			if eq := g.conjLV(&c); eq.val != -1 {
				g.forbid(body, []solver.Lit{eq.lit})
			}
		}
	}
}

// forbid adds the integrity constraint ":- body, extra" (extra with lit 0
// for "true" is left out).
func (g *grounder) forbid(body []solver.Lit, extra []solver.Lit) {
	lits := append([]solver.Lit(nil), body...)
	for _, l := range extra {
		if l != 0 {
			lits = append(lits, l)
		}
	}
	g.out.Rules = append(g.out.Rules, solver.Rule{Body: weighted(lits)})
}

// forbidAtLeast forbids "sum >= b" when body holds: a weight constraint
// when the body is empty, one constraint per literal when any one reaches
// b, else a constraint on an auxiliary atom.
func (g *grounder) forbidAtLeast(body []solver.Lit, s *wsum, b int64) {
	need := b - s.base
	switch {
	case need > s.total:
	case need <= 0:
		g.forbid(body, nil)
	case len(body) == 0 && len(s.lits) > 1:
		g.out.Rules = append(g.out.Rules, solver.Rule{BodyKind: solver.Weight, Body: append([]solver.WeightedLit(nil), s.lits...), Bound: need})
	default:
		x := g.ge(s, b)
		g.forbid(body, []solver.Lit{x.lit})
	}
}

// forbidBelow forbids "sum < b" when body holds: for "at least one" a
// single constraint over the negated literals, with an empty body a weight
// constraint over the negated literals, else a constraint on an auxiliary
// atom. In integrity constraints "not not a" is "a".
func (g *grounder) forbidBelow(body []solver.Lit, s *wsum, b int64) {
	need := b - s.base
	switch {
	case need <= 0:
	case need > s.total:
		g.forbid(body, nil)
	case need == 1:
		neg := make([]solver.Lit, len(s.lits))
		for i, l := range s.lits {
			neg[i] = -l.Lit
		}
		g.forbid(body, neg)
	case len(body) == 0:
		// sum(l) < need  <=>  sum of the weights of the false literals
		// >= total - need + 1.
		neg := make([]solver.WeightedLit, len(s.lits))
		for i, l := range s.lits {
			neg[i] = solver.WeightedLit{Lit: -l.Lit, Weight: l.Weight}
		}
		g.out.Rules = append(g.out.Rules, solver.Rule{BodyKind: solver.Weight, Body: neg, Bound: s.total - need + 1})
	default:
		x := g.ge(s, b)
		g.forbid(body, []solver.Lit{-x.lit})
	}
}
