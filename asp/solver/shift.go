package solver

import (
	"fmt"

	"github.com/toolsmith-dev/toolsmith/asp/internal/scc"
)

// shift rewrites the disjunctive rules of p — Disjunctive heads with more
// than one atom — into normal rules: "a | b :- B." becomes "a :- B, not b."
// and "b :- B, not a.". Shifting keeps the answer sets of head-cycle-free
// programs (Ben-Eliyahu and Dechter, 1994). A program in which two atoms
// of one head lie on a positive cycle through each other is not
// head-cycle-free: its answer sets need a minimality check this solver
// does not make, and shift reports it as an *Error. A program without
// disjunctive rules is returned as it is.
func shift(p *Program) (*Program, error) {
	disjunctive := false
	for i := range p.Rules {
		if r := &p.Rules[i]; r.HeadKind == Disjunctive && len(r.Head) > 1 {
			disjunctive = true
			break
		}
	}
	if !disjunctive {
		return p, nil
	}
	if i, a, b, ok := HeadCycle(p); ok {
		return nil, &Error{Rule: i, Msg: fmt.Sprintf("disjunctive head atoms %d and %d depend positively on each other: programs that are not head-cycle-free are not supported", a, b)}
	}
	out := *p
	out.Rules = make([]Rule, 0, len(p.Rules)+len(p.Rules)/2)
	for i := range p.Rules {
		r := p.Rules[i]
		if r.HeadKind != Disjunctive || len(r.Head) < 2 {
			out.Rules = append(out.Rules, r)
			continue
		}
		body := r.Body
		if r.BodyKind == Weight {
			// The shifted bodies add literals, which a weight body cannot
			// take: name the weight body by an atom of its own.
			out.NumAtoms++
			aux := Atom(out.NumAtoms)
			out.Rules = append(out.Rules, Rule{Head: []Atom{aux}, BodyKind: Weight, Body: r.Body, Bound: r.Bound})
			body = []WeightedLit{{Lit: Lit(aux), Weight: 1}}
		}
		for _, a := range r.Head {
			b := append([]WeightedLit(nil), body...)
			for _, o := range r.Head {
				if o != a {
					b = append(b, WeightedLit{Lit: -Lit(o), Weight: 1})
				}
			}
			out.Rules = append(out.Rules, Rule{Head: []Atom{a}, Body: b})
		}
	}
	return &out, nil
}

// HeadCycle reports whether p is not head-cycle-free: whether two atoms a
// and b of the head of one disjunctive rule (index i of p.Rules) lie on a
// positive cycle — each depends on the other through positive body
// literals. Such programs are refused by Solve.
func HeadCycle(p *Program) (i int, a, b Atom, ok bool) {
	var comp []int
	for i := range p.Rules {
		r := &p.Rules[i]
		if r.HeadKind != Disjunctive || len(r.Head) < 2 {
			continue
		}
		if comp == nil {
			comp = scc.Tarjan(dependencies(p))
		}
		for j, a := range r.Head {
			for _, b := range r.Head[j+1:] {
				if comp[a] == comp[b] {
					return i, a, b, true
				}
			}
		}
	}
	return 0, 0, 0, false
}

// PositiveComponents returns the strongly connected component of each
// atom (index 1..NumAtoms) in the positive dependency graph of p: two atoms
// in one component depend positively on each other.
func PositiveComponents(p *Program) []int { return scc.Tarjan(dependencies(p)) }

// dependencies returns the positive dependency graph of p's atoms: an edge
// from each head atom to each positive body atom of its rule.
func dependencies(p *Program) [][]int32 {
	adj := make([][]int32, p.NumAtoms+1)
	for i := range p.Rules {
		r := &p.Rules[i]
		for _, h := range r.Head {
			for _, wl := range r.Body {
				if wl.Lit.Positive() {
					adj[h] = append(adj[h], int32(wl.Lit.Atom()))
				}
			}
		}
	}
	return adj
}
