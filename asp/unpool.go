package asp

// Pools ("p(1;2)", "(a;b)") are expanded before grounding: every construct
// holding a pool is copied once per alternative. The functions here return
// the pool-free alternatives of each node.

func unpoolTerm(t Term) []Term {
	switch t := t.(type) {
	case *Pool:
		var out []Term
		for _, a := range t.Alts {
			out = append(out, unpoolTerm(a)...)
		}
		return out
	case *Func:
		if len(t.Args) == 0 {
			return []Term{t}
		}
		var out []Term
		for _, args := range unpoolTerms(t.Args) {
			out = append(out, &Func{Pos: t.Pos, Name: t.Name, Args: args})
		}
		return out
	case *BinOp:
		var out []Term
		for _, l := range unpoolTerm(t.L) {
			for _, r := range unpoolTerm(t.R) {
				out = append(out, &BinOp{Pos: t.Pos, Op: t.Op, L: l, R: r})
			}
		}
		return out
	case *UnOp:
		var out []Term
		for _, x := range unpoolTerm(t.X) {
			out = append(out, &UnOp{Pos: t.Pos, Op: t.Op, X: x})
		}
		return out
	case *Interval:
		var out []Term
		for _, l := range unpoolTerm(t.Lo) {
			for _, r := range unpoolTerm(t.Hi) {
				out = append(out, &Interval{Pos: t.Pos, Lo: l, Hi: r})
			}
		}
		return out
	}
	return []Term{t}
}

// unpoolTerms returns the cross product of the alternatives of ts.
func unpoolTerms(ts []Term) [][]Term { return crossProduct(ts, unpoolTerm) }

// crossProduct returns every row that picks one of alts(x) for each x of xs,
// in order; a single empty row when xs is empty.
func crossProduct[T any](xs []T, alts func(T) []T) [][]T {
	out := [][]T{nil}
	for _, x := range xs {
		choices := alts(x)
		var next [][]T
		for _, prefix := range out {
			for _, a := range choices {
				row := make([]T, len(prefix), len(prefix)+1)
				copy(row, prefix)
				next = append(next, append(row, a))
			}
		}
		out = next
	}
	return out
}

func unpoolLit(l Literal) []Literal {
	switch l := l.(type) {
	case *AtomLit:
		var out []Literal
		for _, a := range unpoolTerm(l.Atom) {
			out = append(out, &AtomLit{Pos: l.Pos, Sign: l.Sign, Atom: a})
		}
		return out
	case *CmpLit:
		var out []Literal
		for _, a := range unpoolTerm(l.L) {
			for _, b := range unpoolTerm(l.R) {
				out = append(out, &CmpLit{Pos: l.Pos, Sign: l.Sign, Op: l.Op, L: a, R: b})
			}
		}
		return out
	case *CondLit:
		var out []Literal
		for _, x := range unpoolLit(l.Lit) {
			for _, c := range unpoolLits(l.Cond) {
				out = append(out, &CondLit{Pos: l.Pos, Lit: x, Cond: c})
			}
		}
		return out
	case *AggLit:
		a := *l
		a.Elems = nil
		for _, e := range l.Elems {
			for _, ts := range unpoolTerms(e.Terms) {
				for _, c := range unpoolLits(e.Cond) {
					a.Elems = append(a.Elems, AggElem{Pos: e.Pos, Terms: ts, Cond: c})
				}
			}
		}
		var out []Literal
		for _, lg := range unpoolGuard(l.Left) {
			for _, rg := range unpoolGuard(l.Right) {
				b := a
				b.Left, b.Right = lg, rg
				out = append(out, &b)
			}
		}
		return out
	}
	return []Literal{l}
}

func unpoolGuard(g *Guard) []*Guard {
	if g == nil {
		return []*Guard{nil}
	}
	var out []*Guard
	for _, t := range unpoolTerm(g.Term) {
		out = append(out, &Guard{Op: g.Op, Term: t})
	}
	return out
}

// unpoolLits returns the cross product of the alternatives of a conjunction.
func unpoolLits(ls []Literal) [][]Literal { return crossProduct(ls, unpoolLit) }

func unpoolHead(h Head) []Head {
	switch h := h.(type) {
	case *AtomHead:
		var out []Head
		for _, a := range unpoolTerm(h.Atom) {
			out = append(out, &AtomHead{Pos: h.Pos, Atom: a})
		}
		return out
	case *DisjunctiveHead:
		// A pool in an element's atom copies the rule, as in a normal
		// head; one in a condition gives the element once per
		// alternative, as in a choice.
		var out []Head
		for _, elems := range crossProduct(h.Elems, unpoolElemAtom) {
			out = append(out, &DisjunctiveHead{Pos: h.Pos, Elems: unpoolElems(elems)})
		}
		return out
	case *ChoiceHead:
		c := &ChoiceHead{Pos: h.Pos, Elems: unpoolElems(h.Elems)}
		var out []Head
		for _, lg := range unpoolGuard(h.Left) {
			for _, rg := range unpoolGuard(h.Right) {
				d := *c
				d.Left, d.Right = lg, rg
				out = append(out, &d)
			}
		}
		return out
	}
	return []Head{nil}
}

// unpoolElemAtom returns the alternatives of an element's atom.
func unpoolElemAtom(e ChoiceElem) []ChoiceElem {
	var out []ChoiceElem
	for _, a := range unpoolTerm(e.Atom) {
		out = append(out, ChoiceElem{Pos: e.Pos, Atom: a, Cond: e.Cond})
	}
	return out
}

// unpoolElems expands pools in the elements of a choice or disjunctive
// head into elements of their own.
func unpoolElems(elems []ChoiceElem) []ChoiceElem {
	var out []ChoiceElem
	for _, e := range elems {
		for _, a := range unpoolTerm(e.Atom) {
			for _, cond := range unpoolLits(e.Cond) {
				out = append(out, ChoiceElem{Pos: e.Pos, Atom: a, Cond: cond})
			}
		}
	}
	return out
}

// unpoolRule expands a rule into its pool-free copies.
func unpoolRule(r *Rule) []*Rule {
	var out []*Rule
	for _, h := range unpoolHead(r.Head) {
		for _, b := range unpoolLits(r.Body) {
			out = append(out, &Rule{Pos: r.Pos, Head: h, Body: b})
		}
	}
	return out
}
