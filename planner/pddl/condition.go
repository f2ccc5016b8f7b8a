package pddl

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// maxConditionAtoms bounds the atoms Normalize creates while expanding the
// conditions of one task, so that a quantifier over a huge product of types
// fails cleanly instead of exhausting memory.
const maxConditionAtoms = 1 << 21

// normLimits are the bounds of a normalisation (tests lower them to
// exercise the compilation into derived predicates on small inputs).
type normLimits struct {
	atoms, clauses, expand int
}

var defaultLimits = normLimits{atoms: maxConditionAtoms, clauses: maxClauses, expand: maxExpandLiterals}

// maxClauses bounds the disjuncts Normalize multiplies out of one
// condition. Splitting an action into one copy per disjunct keeps the
// task simple for the search, but a conjunction of disjunctions multiplies
// out exponentially; past this bound a disjunctive part becomes a derived
// predicate instead, as Fast Downward's translator does.
const maxClauses = 64

// maxExpandLiterals bounds the literals a universal quantifier expands into.
// A universal quantifier over few objects whose body is a conjunction
// becomes that conjunction for each object; a larger one, or one whose
// body is disjunctive (which would multiply out), becomes the negation of
// a derived predicate that holds when some object violates the body.
const maxExpandLiterals = 256

// clause is one disjunct of a condition in disjunctive normal form: a
// conjunction of literals, with the existentially quantified variables it
// introduced (numbered from the counter passed to dnf).
type clause struct {
	lits   []Literal
	params []Param
	vars   []int // variable number of each of params
}

// polarized is a condition to be read negated or not.
type polarized struct {
	f   Formula
	neg bool
}

// condition compiles a precondition or effect condition: its disjuncts,
// at most maxClauses of them (more become one derived atom).
func (n *normalizer) condition(f Formula, env scope, fresh *int) ([]clause, error) {
	cs, err := n.dnf(f, false, env, fresh)
	if err != nil || len(cs) <= n.lim.clauses {
		return cs, err
	}
	return []clause{{lits: []Literal{n.abstract(cs, "any-of")}}}, nil
}

// dnf returns the disjuncts of f (negated when neg): an empty result is
// false, a single empty clause is true. Existential quantifiers get fresh
// variable numbers from *fresh; universal ones are expanded over the
// objects or compiled into derived predicates (see universal), and
// conjunctions whose disjunctive parts would multiply out beyond
// maxClauses keep those parts as derived atoms.
func (n *normalizer) dnf(f Formula, neg bool, env scope, fresh *int) ([]clause, error) {
	switch f := f.(type) {
	case *AtomFormula:
		n.atoms++
		if n.atoms > n.lim.atoms {
			return nil, fmt.Errorf("conditions expand to more than %d atoms (quantifiers over many objects): %w", n.lim.atoms, ErrUnsupported)
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
		if n.sym.isTypeAtom(f) {
			return n.typeAtom(f, neg, env, fresh)
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
		return n.product(polarize(f.Args, neg), env, fresh)
	case *OrFormula:
		if neg {
			return n.product(polarize(f.Args, neg), env, fresh)
		}
		return n.union(f.Args, neg, env, fresh)
	case *ImplyFormula:
		// (imply a b) is (or (not a) b); negated, (and a (not b)).
		if neg {
			return n.product([]polarized{{f.If, false}, {f.Then, true}}, env, fresh)
		}
		ca, err := n.dnf(f.If, true, env, fresh)
		if err != nil {
			return nil, err
		}
		cb, err := n.dnf(f.Then, false, env, fresh)
		if err != nil {
			return nil, err
		}
		return disjoin([][]clause{ca, cb}), nil
	case *ExistsFormula:
		if neg {
			return n.universal(f.Params, f.Body, neg, env, fresh)
		}
		return n.introduce(f.Params, f.Body, neg, env, fresh)
	case *ForallFormula:
		if neg {
			return n.introduce(f.Params, f.Body, neg, env, fresh)
		}
		return n.universal(f.Params, f.Body, neg, env, fresh)
	}
	return nil, fmt.Errorf("unknown condition %T", f)
}

// typeAtom compiles (T x) where T is a type (see symbols.isTypeAtom): for
// an object, whether it is of type T; for a variable whose own type lies
// within T, true; otherwise (exists (?o - T) (= ?o x)).
func (n *normalizer) typeAtom(f *AtomFormula, neg bool, env scope, fresh *int) ([]clause, error) {
	ty := n.sym.types[lower(f.Pred)].name
	members := n.task.TypeObjects[ty]
	holds := func(in bool) []clause {
		if in != neg {
			return []clause{{}}
		}
		return nil
	}
	t := n.term(f.Args[0], env)
	if t.Var < 0 {
		_, in := slices.BinarySearch(members, t.Obj)
		return holds(in), nil
	}
	if vt, ok := n.vtype[t.Var]; ok && vt != "" {
		within := true
		for _, o := range n.task.TypeObjects[vt] {
			if _, in := slices.BinarySearch(members, o); !in {
				within = false
				break
			}
		}
		if within {
			return holds(true), nil
		}
	}
	member := "?type-member"
	for lower(member) == lower(f.Args[0]) {
		member += "-"
	}
	return n.dnf(&ExistsFormula{Params: []TypedName{{Name: member, Type: []string{f.Pred}}},
		Body: &AtomFormula{Pred: "=", Args: []string{member, f.Args[0]}}}, neg, env, fresh)
}

func polarize(fs []Formula, neg bool) []polarized {
	out := make([]polarized, len(fs))
	for i, f := range fs {
		out[i] = polarized{f, neg}
	}
	return out
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
	return disjoin(parts), nil
}

// disjoin joins the disjuncts of several formulas: true when one of them
// is, else their union without subsumed clauses.
func disjoin(parts [][]clause) []clause {
	var out []clause
	for _, cs := range parts {
		for _, c := range cs {
			if len(c.lits) == 0 && len(c.params) == 0 {
				return []clause{{}} // a true disjunct: all is true
			}
		}
		out = append(out, cs...)
	}
	return subsume(out)
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

// product conjoins parts, keeping their literals in the order written. The
// disjunctive parts are multiplied out, smallest first, while the result
// stays within maxClauses; the others become derived atoms.
func (n *normalizer) product(parts []polarized, env scope, fresh *int) ([]clause, error) {
	dnfs := make([][]clause, len(parts))
	var multi []int
	for i, pt := range parts {
		cs, err := n.dnf(pt.f, pt.neg, env, fresh)
		if err != nil {
			return nil, err
		}
		if len(cs) == 0 {
			return nil, nil // a false conjunct
		}
		dnfs[i] = cs
		if len(cs) > 1 {
			multi = append(multi, i)
		}
	}
	sort.SliceStable(multi, func(a, b int) bool { return len(dnfs[multi[a]]) < len(dnfs[multi[b]]) })
	size := 1
	for _, i := range multi {
		if size*len(dnfs[i]) <= n.lim.clauses {
			size *= len(dnfs[i])
			continue
		}
		dnfs[i] = []clause{{lits: []Literal{n.abstract(dnfs[i], "any-of")}}}
	}
	// While the conjunction is a single clause (the common case: a
	// conjunction of literals), extend it in place, with an index of its
	// literals, instead of copying it for every conjunct.
	out := []clause{{}}
	index := map[string]bool{}
	for _, cs := range dnfs {
		if len(out) == 1 && len(cs) == 1 {
			if !extend(&out[0], cs[0], index) {
				return nil, nil // contradictory
			}
			continue
		}
		if out = cross(out, cs); len(out) == 0 {
			return nil, nil
		}
		clear(index)
		if len(out) == 1 {
			for _, l := range out[0].lits {
				index[atomKey(l.Atom)] = l.Negated
			}
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

// cross conjoins every clause of a with every clause of b, dropping
// contradictory results.
func cross(a, b []clause) []clause {
	out := make([]clause, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			if c, ok := conjoin(x, y); ok {
				out = append(out, c)
			}
		}
	}
	return out
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
		n.vtype[v] = ps[len(ps)-1].Type
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

// universal compiles a universal quantification (or a negated existential
// one). When the objects of its parameters are few enough that the body,
// one conjunction for each assignment, stays within maxExpandLiterals, it is
// that conjunction. Otherwise it is the negation of a derived atom over the
// free variables whose rules say that some assignment falsifies the body:
// (forall (?x) phi) becomes (not (not-all ...)) with not-all derived from
// (exists (?x) (not phi)). A body mentioning a derived predicate of the
// recursion being compiled (n.guard) is always expanded, since the
// compilation would put a negation inside the recursion.
func (n *normalizer) universal(params []TypedName, body Formula, neg bool, env scope, fresh *int) ([]clause, error) {
	count := 1
	for _, p := range params {
		count = min(count*len(n.task.TypeObjects[n.typeName(p.Type)]), maxConditionAtoms)
	}
	if count == 0 {
		return []clause{{}}, nil // no objects: vacuously true
	}
	if n.mentionsGuard(body) {
		return n.expand(params, body, neg, env, fresh)
	}
	if count*n.fluentSize(body) <= n.lim.expand {
		conj := clause{}
		index := map[string]bool{}
		ok, holds, err := n.expandConj(params, body, neg, env, fresh, &conj, index)
		if err != nil {
			return nil, err
		}
		if ok {
			if !holds {
				return nil, nil
			}
			return []clause{conj}, nil
		}
	}
	cs, err := n.introduce(params, body, !neg, env, fresh)
	if err != nil {
		return nil, err
	}
	switch {
	case len(cs) == 0:
		return []clause{{}}, nil // no assignment falsifies the body
	case len(cs) == 1 && len(cs[0].lits) == 0 && len(cs[0].params) == 0:
		return nil, nil // every assignment falsifies it
	}
	lit := n.abstract(cs, "not-all")
	lit.Negated = true
	return []clause{{lits: []Literal{lit}}}, nil
}

// expandConj conjoins into *c the body instantiated with every assignment
// of objects to params, as long as each instance is a single clause
// without variables of its own and *c stays within maxExpandLiterals; ok is
// false when it is not so, holds false when the conjunction is false.
func (n *normalizer) expandConj(params []TypedName, body Formula, neg bool, env scope, fresh *int, c *clause, index map[string]bool) (ok, holds bool, err error) {
	if len(params) == 0 {
		cs, err := n.dnf(body, neg, env, fresh)
		switch {
		case err != nil:
			return false, false, err
		case len(cs) == 0:
			return true, false, nil
		case len(cs) > 1 || len(cs[0].params) > 0:
			return false, false, nil
		}
		if !extend(c, cs[0], index) {
			return true, false, nil
		}
		return len(c.lits) <= n.lim.expand, true, nil
	}
	p := params[0]
	for _, o := range n.task.TypeObjects[n.typeName(p.Type)] {
		ok, holds, err := n.expandConj(params[1:], body, neg, env.with(p.Name, Term{Var: -1, Obj: o}), fresh, c, index)
		if err != nil || !ok || !holds {
			return ok, holds, err
		}
	}
	return true, true, nil
}

// expand conjoins body over every assignment of objects to params,
// multiplying out disjunctive instances (bounded by MaxDisjuncts).
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
		if len(out)*len(cs) > MaxDisjuncts {
			return nil, fmt.Errorf("a universal quantifier inside the recursion of a derived predicate has more than %d disjuncts in disjunctive normal form: %w", MaxDisjuncts, ErrUnsupported)
		}
		if out = cross(out, cs); len(out) == 0 {
			break
		}
	}
	return out, nil
}

// fluentSize estimates the literals one instance of f contributes: its
// atoms of predicates that actions or axioms change, with nested
// quantifiers counted once per object.
func (n *normalizer) fluentSize(f Formula) int {
	switch f := f.(type) {
	case *AtomFormula:
		if f.Pred == "=" || n.static[n.predName[lower(f.Pred)]] {
			return 0
		}
		return 1
	case *NotFormula:
		return n.fluentSize(f.Arg)
	case *AndFormula:
		return n.sumSize(f.Args)
	case *OrFormula:
		return n.sumSize(f.Args)
	case *ImplyFormula:
		return n.sumSize([]Formula{f.If, f.Then})
	case *ExistsFormula:
		return n.quantSize(f.Params, f.Body)
	case *ForallFormula:
		return n.quantSize(f.Params, f.Body)
	}
	return 0
}

func (n *normalizer) sumSize(fs []Formula) int {
	s := 0
	for _, g := range fs {
		s = min(s+n.fluentSize(g), maxConditionAtoms)
	}
	return s
}

func (n *normalizer) quantSize(params []TypedName, body Formula) int {
	s := n.fluentSize(body)
	for _, p := range params {
		s = min(s*len(n.task.TypeObjects[n.typeName(p.Type)]), maxConditionAtoms)
	}
	return s
}

// mentionsGuard reports whether f mentions a predicate of n.guard.
func (n *normalizer) mentionsGuard(f Formula) bool {
	if len(n.guard) == 0 {
		return false
	}
	found := false
	walkOccurrences(f, false, func(pred string, _ bool) {
		if n.guard[n.predName[lower(pred)]] {
			found = true
		}
	})
	return found
}

// abstract turns a disjunction into a fresh derived predicate over its free
// variables (those its clauses use but do not introduce), with one rule
// per clause, and returns the atom that stands for it. Disjunctions that
// compile to the same rules share one predicate.
func (n *normalizer) abstract(cs []clause, base string) Literal {
	var free []int
	seen := map[int]bool{}
	for _, c := range cs {
		own := map[int]bool{}
		for _, v := range c.vars {
			own[v] = true
		}
		for _, l := range c.lits {
			for _, t := range l.Args {
				if t.Var >= 0 && !own[t.Var] && !seen[t.Var] {
					seen[t.Var] = true
					free = append(free, t.Var)
				}
			}
		}
	}
	slices.Sort(free)
	params := make([]Param, len(free))
	head := Atom{Args: make([]Term, len(free))}
	renum := map[int]int{}
	for i, v := range free {
		params[i] = Param{Name: "?v" + strconv.Itoa(i), Type: n.vtype[v]}
		head.Args[i] = Term{Var: i}
		renum[v] = i
	}
	var rules []Axiom
	var key strings.Builder
	for _, p := range params {
		key.WriteString(p.Type + ",")
	}
	for _, c := range cs {
		r, ok := n.rule(c, renum, params)
		if !ok {
			continue
		}
		rules = append(rules, r)
		key.WriteString("|")
		for _, p := range r.Params[len(params):] {
			key.WriteString(p.Type + ",")
		}
		for _, l := range r.Body {
			if l.Negated {
				key.WriteString("-")
			}
			key.WriteString(atomKey(l.Atom) + ";")
		}
	}
	name, ok := n.axiomCache[key.String()]
	if !ok {
		name = n.freshPredicate(base)
		n.axiomCache[key.String()] = name
		n.task.Predicates = append(n.task.Predicates, Predicate{Name: name, Arity: len(free), Derived: true})
		for _, r := range rules {
			r.Head.Pred = name
			r.Head.Args = head.Args
			n.task.Axioms = append(n.task.Axioms, r)
		}
	}
	lit := Literal{Atom: Atom{Pred: name, Args: make([]Term, len(free))}}
	for i, v := range free {
		lit.Args[i] = Term{Var: v}
	}
	return lit
}

// rule makes an axiom body from a clause: the free variables renumbered by
// renum (the head's parameters, params), the clause's own variables after
// them, in the order introduced, those no literal uses dropped. ok is false
// when a dropped variable ranges over a type without objects (the clause
// is then false).
func (n *normalizer) rule(c clause, renum map[int]int, params []Param) (Axiom, bool) {
	used := map[int]bool{}
	for _, l := range c.lits {
		for _, t := range l.Args {
			used[t.Var] = true
		}
	}
	r := Axiom{Params: append([]Param(nil), params...)}
	local := map[int]int{}
	for i, v := range c.vars {
		if !used[v] {
			if len(n.task.TypeObjects[c.params[i].Type]) == 0 {
				return Axiom{}, false
			}
			continue
		}
		local[v] = len(r.Params)
		r.Params = append(r.Params, c.params[i])
	}
	for _, l := range c.lits {
		args := make([]Term, len(l.Args))
		for j, t := range l.Args {
			if t.Var >= 0 {
				if k, ok := local[t.Var]; ok {
					t.Var = k
				} else {
					t.Var = renum[t.Var]
				}
			}
			args[j] = t
		}
		r.Body = append(r.Body, Literal{Atom: Atom{Pred: l.Pred, Args: args}, Negated: l.Negated})
	}
	return r, true
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
