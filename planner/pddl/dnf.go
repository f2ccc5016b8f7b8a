package pddl

import (
	"fmt"
	"sort"
	"strconv"
)

// maxConditionAtoms bounds the atoms Normalize creates while expanding the
// conditions of one task, so that a universal quantifier over a large
// product of types fails cleanly instead of exhausting memory.
const maxConditionAtoms = 1 << 21

// clause is one disjunct of a condition in disjunctive normal form: a
// conjunction of literals, with the existentially quantified variables it
// introduced (numbered from the counter passed to dnf).
type clause struct {
	lits   []Literal
	params []Param
	vars   []int // variable number of each of params
}

// dnf returns the disjuncts of f (negated when neg): an empty result is
// false, a single empty clause is true. Universal quantifiers are expanded
// over objects; existential ones get fresh variable numbers from *fresh.
func (n *normalizer) dnf(f Formula, neg bool, env scope, fresh *int) ([]clause, error) {
	switch f := f.(type) {
	case *AtomFormula:
		n.atoms++
		if n.atoms > n.maxAtoms {
			return nil, fmt.Errorf("conditions expand to more than %d atoms (universal quantifiers over many objects): %w", n.maxAtoms, ErrUnsupported)
		}
		if f.Pred == "=" && len(f.Args) == 2 {
			a, b := n.term(f.Args[0], env), n.term(f.Args[1], env)
			if a.Var < 0 && b.Var < 0 || a.Var >= 0 && a.Var == b.Var {
				if (a == b) != neg {
					return []clause{{}}, nil
				}
				return nil, nil
			}
		}
		atom := n.atom(f.Pred, f.Args, env)
		if n.static[atom.Pred] && isGround(atom) {
			args := make([]int, len(atom.Args))
			for i, t := range atom.Args {
				args[i] = t.Obj
			}
			if n.initial[groundKey(atom.Pred, args)] != neg {
				return []clause{{}}, nil
			}
			return nil, nil
		}
		return []clause{{lits: []Literal{{Atom: atom, Negated: neg}}}}, nil
	case *NotFormula:
		return n.dnf(f.Arg, !neg, env, fresh)
	case *AndFormula:
		if neg {
			return n.union(f.Args, neg, env, fresh)
		}
		return n.product(f.Args, neg, env, fresh)
	case *OrFormula:
		if neg {
			return n.product(f.Args, neg, env, fresh)
		}
		return n.union(f.Args, neg, env, fresh)
	case *ImplyFormula:
		// (imply a b) is (or (not a) b); negated, (and a (not b)).
		if neg {
			return n.product2(f.If, false, f.Then, true, env, fresh)
		}
		ca, err := n.dnf(f.If, true, env, fresh)
		if err != nil {
			return nil, err
		}
		cb, err := n.dnf(f.Then, false, env, fresh)
		if err != nil {
			return nil, err
		}
		return n.disjoin([][]clause{ca, cb})
	case *ExistsFormula:
		if neg {
			return n.expand(f.Params, f.Body, neg, env, fresh)
		}
		return n.introduce(f.Params, f.Body, neg, env, fresh)
	case *ForallFormula:
		if neg {
			return n.introduce(f.Params, f.Body, neg, env, fresh)
		}
		return n.expand(f.Params, f.Body, neg, env, fresh)
	}
	return nil, fmt.Errorf("unknown condition %T", f)
}

func (n *normalizer) limit(cs []clause) ([]clause, error) {
	if len(cs) > MaxDisjuncts {
		return nil, fmt.Errorf("condition has more than %d disjuncts in disjunctive normal form: %w", MaxDisjuncts, ErrUnsupported)
	}
	return cs, nil
}

func (n *normalizer) union(fs []Formula, neg bool, env scope, fresh *int) ([]clause, error) {
	parts := make([][]clause, 0, len(fs))
	for _, g := range fs {
		cs, err := n.dnf(g, neg, env, fresh)
		if err != nil {
			return nil, err
		}
		parts = append(parts, cs)
	}
	return n.disjoin(parts)
}

// disjoin joins the disjuncts of several formulas: true when one of them
// is, else their union without subsumed clauses.
func (n *normalizer) disjoin(parts [][]clause) ([]clause, error) {
	var out []clause
	for _, cs := range parts {
		for _, c := range cs {
			if len(c.lits) == 0 && len(c.params) == 0 {
				return []clause{{}}, nil // a true disjunct: all is true
			}
		}
		out = append(out, cs...)
		if _, err := n.limit(out); err != nil {
			return nil, err
		}
	}
	return subsume(out), nil
}

// subsumeLimit bounds the quadratic subsumption pass.
const subsumeLimit = 256

// subsume drops clauses that contain all the literals of another clause
// (and introduce no variables): they add nothing to the disjunction.
func subsume(cs []clause) []clause {
	if len(cs) < 2 || len(cs) > subsumeLimit {
		return cs
	}
	out := cs[:0:0]
	for i, c := range cs {
		redundant := false
		for j, d := range cs {
			if i == j || len(d.params) > 0 || len(d.lits) > len(c.lits) {
				continue
			}
			if len(d.lits) == len(c.lits) && j > i {
				continue // of two equal clauses keep the first
			}
			if containsAll(c.lits, d.lits) {
				redundant = true
				break
			}
		}
		if !redundant {
			out = append(out, c)
		}
	}
	return out
}

func containsAll(big, small []Literal) bool {
next:
	for _, l := range small {
		for _, m := range big {
			if l.Negated == m.Negated && sameAtom(l.Atom, m.Atom) {
				continue next
			}
		}
		return false
	}
	return true
}

func (n *normalizer) product(fs []Formula, neg bool, env scope, fresh *int) ([]clause, error) {
	out := []clause{{}}
	// While the conjunction is a single clause (the common case: a
	// conjunction of literals), extend it in place, with an index of its
	// literals, instead of copying it for every conjunct.
	var index map[string]bool
	for _, g := range fs {
		cs, err := n.dnf(g, neg, env, fresh)
		if err != nil {
			return nil, err
		}
		if len(out) == 1 && len(cs) == 1 {
			if index == nil {
				index = make(map[string]bool, len(out[0].lits))
				for _, l := range out[0].lits {
					index[atomKey(l.Atom)] = l.Negated
				}
			}
			if !extend(&out[0], cs[0], index) {
				return nil, nil // contradictory: false
			}
			continue
		}
		index = nil
		if out, err = n.cross(out, cs); err != nil {
			return nil, err
		}
	}
	return subsume(out), nil
}

// extend conjoins y to *c in place; index maps the atoms of c's literals to
// their polarity. It reports false when the result is contradictory.
func extend(c *clause, y clause, index map[string]bool) bool {
	for _, l := range y.lits {
		k := atomKey(l.Atom)
		if negated, ok := index[k]; ok {
			if negated != l.Negated {
				return false
			}
			continue
		}
		index[k] = l.Negated
		c.lits = append(c.lits, l)
	}
	c.params = append(c.params, y.params...)
	c.vars = append(c.vars, y.vars...)
	return true
}

// atomKey identifies a lifted atom.
func atomKey(a Atom) string {
	b := make([]byte, 0, len(a.Pred)+6*len(a.Args))
	b = append(b, a.Pred...)
	for _, t := range a.Args {
		b = append(b, ' ')
		if t.Var >= 0 {
			b = append(b, '?')
			b = strconv.AppendInt(b, int64(t.Var), 10)
		} else {
			b = strconv.AppendInt(b, int64(t.Obj), 10)
		}
	}
	return string(b)
}

func (n *normalizer) product2(a Formula, negA bool, b Formula, negB bool, env scope, fresh *int) ([]clause, error) {
	ca, err := n.dnf(a, negA, env, fresh)
	if err != nil {
		return nil, err
	}
	cb, err := n.dnf(b, negB, env, fresh)
	if err != nil {
		return nil, err
	}
	return n.cross(ca, cb)
}

// cross conjoins every clause of a with every clause of b, dropping
// contradictory results.
func (n *normalizer) cross(a, b []clause) ([]clause, error) {
	if len(a)*len(b) > MaxDisjuncts {
		return n.limit(make([]clause, len(a)*len(b)))
	}
	out := make([]clause, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			c, ok := conjoin(x, y)
			if ok {
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// conjoin joins two clauses, dropping duplicate literals; ok is false when
// the result holds a literal and its negation.
func conjoin(x, y clause) (clause, bool) {
	c := clause{
		lits:   append([]Literal(nil), x.lits...),
		params: append(append([]Param(nil), x.params...), y.params...),
		vars:   append(append([]int(nil), x.vars...), y.vars...),
	}
next:
	for _, l := range y.lits {
		for _, m := range c.lits {
			if sameAtom(l.Atom, m.Atom) {
				if l.Negated != m.Negated {
					return clause{}, false
				}
				continue next
			}
		}
		c.lits = append(c.lits, l)
	}
	return c, true
}

func sameAtom(a, b Atom) bool {
	if a.Pred != b.Pred || len(a.Args) != len(b.Args) {
		return false
	}
	for i := range a.Args {
		if a.Args[i] != b.Args[i] {
			return false
		}
	}
	return true
}

// introduce binds params to fresh variables: existential quantification
// (or a negated universal one).
func (n *normalizer) introduce(params []TypedName, body Formula, neg bool, env scope, fresh *int) ([]clause, error) {
	var ps []Param
	var vars []int
	for _, p := range params {
		v := *fresh
		*fresh++
		env = env.with(p.Name, Term{Var: v})
		ps = append(ps, Param{Name: p.Name, Type: n.typeName(p.Type)})
		vars = append(vars, v)
	}
	cs, err := n.dnf(body, neg, env, fresh)
	if err != nil {
		return nil, err
	}
	for i := range cs {
		cs[i].params = append(append([]Param(nil), ps...), cs[i].params...)
		cs[i].vars = append(append([]int(nil), vars...), cs[i].vars...)
	}
	return cs, nil
}

// expand conjoins body over every assignment of objects to params:
// universal quantification (or a negated existential one).
func (n *normalizer) expand(params []TypedName, body Formula, neg bool, env scope, fresh *int) ([]clause, error) {
	if len(params) == 0 {
		return n.dnf(body, neg, env, fresh)
	}
	p := params[0]
	out := []clause{{}}
	for _, o := range n.task.TypeObjects[n.typeName(p.Type)] {
		cs, err := n.expand(params[1:], body, neg, env.with(p.Name, Term{Var: -1, Obj: o}), fresh)
		if err != nil {
			return nil, err
		}
		if out, err = n.cross(out, cs); err != nil {
			return nil, err
		}
		if len(out) == 0 {
			break
		}
	}
	return out, nil
}

// compact is clause.compact, except that it reports false when a dropped
// existential variable ranges over a type without objects (the clause is
// then false).
func (n *normalizer) compact(c clause, start int) (clause, bool) {
	out := c.compact(start)
	if len(out.params) < len(c.params) {
		kept := map[int]bool{}
		for _, l := range c.lits {
			for _, t := range l.Args {
				kept[t.Var] = true
			}
		}
		for i, v := range c.vars {
			if !kept[v] && len(n.task.TypeObjects[c.params[i].Type]) == 0 {
				return clause{}, false
			}
		}
	}
	return out, true
}

// compact renumbers the clause's existential variables to start, start+1,
// ... in the order they were introduced, dropping those no literal uses.
func (c clause) compact(start int) clause {
	used := map[int]bool{}
	for _, l := range c.lits {
		for _, t := range l.Args {
			if t.Var >= start {
				used[t.Var] = true
			}
		}
	}
	type pv struct {
		p Param
		v int
	}
	var keep []pv
	for i, v := range c.vars {
		if used[v] {
			keep = append(keep, pv{c.params[i], v})
		}
	}
	sort.SliceStable(keep, func(i, j int) bool { return keep[i].v < keep[j].v })
	renum := map[int]int{}
	out := clause{lits: make([]Literal, len(c.lits))}
	for i, k := range keep {
		renum[k.v] = start + i
		out.params = append(out.params, k.p)
		out.vars = append(out.vars, start+i)
	}
	for i, l := range c.lits {
		args := make([]Term, len(l.Args))
		for j, t := range l.Args {
			if t.Var >= start {
				t.Var = renum[t.Var]
			}
			args[j] = t
		}
		out.lits[i] = Literal{Atom: Atom{Pred: l.Pred, Args: args}, Negated: l.Negated}
	}
	return out
}
