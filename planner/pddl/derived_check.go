package pddl

import (
	"slices"
	"strings"
)

// derivedRules checks the :derived rules: each defines a declared
// predicate with as many parameters, of types that fit the declaration
// (when strict),
// and a condition over them; together the rules must be stratified, that
// is no derived predicate may depend on itself through a negation.
func (c *checker) derivedRules(rules []*DerivedDef) {
	for _, r := range rules {
		pd, ok := c.sym.preds[lower(r.Name)]
		switch {
		case !ok:
			c.errs.add(r.Pos, "derived predicate %s is not declared in :predicates", r.Name)
			continue
		case len(pd.Params) != len(r.Params):
			c.errs.add(r.Pos, "derived predicate %s takes %d arguments, its rule has %d parameters", r.Name, len(pd.Params), len(r.Params))
			continue
		}
		c.sym.derived[lower(r.Name)] = true
		scope := c.params(r.Params, nil)
		for i, prm := range r.Params {
			if c.strict && !c.compatible(lowerTypes(prm.Type), lowerTypes(pd.Params[i].Type), true) {
				c.errs.add(prm.Pos, "parameter %s of derived predicate %s is of type %s, not %s", prm.Name, r.Name,
					strings.Join(lowerTypes(prm.Type), "|"), strings.Join(lowerTypes(pd.Params[i].Type), "|"))
			}
		}
		c.formula(r.Body, scope)
	}
	c.stratified(rules)
}

// stratified reports a derived predicate that depends negatively on itself:
// a cycle of the dependency graph (edges from a rule's head to the derived
// predicates its body mentions, negative when the occurrence is under an
// odd number of negations, counting imply's condition as one) with a
// negative edge.
func (c *checker) stratified(rules []*DerivedDef) {
	type edge struct {
		to  string
		neg bool
	}
	graph := map[string][]edge{}
	var heads []string
	firstPos := map[string]Pos{}
	for _, r := range rules {
		h := lower(r.Name)
		if !c.sym.derived[h] {
			continue
		}
		if _, ok := firstPos[h]; !ok {
			firstPos[h] = r.Pos
			heads = append(heads, h)
		}
		walkOccurrences(r.Body, false, func(pred string, neg bool) {
			if p := lower(pred); c.sym.derived[p] {
				graph[h] = append(graph[h], edge{p, neg})
			}
		})
	}
	comp := sccs(heads, func(v string) []string {
		var out []string
		for _, e := range graph[v] {
			out = append(out, e.to)
		}
		return out
	})
	reported := map[int]bool{}
	for _, h := range heads {
		for _, e := range graph[h] {
			if e.neg && comp[h] == comp[e.to] && !reported[comp[h]] {
				reported[comp[h]] = true
				c.errs.add(firstPos[h], "derived predicates are not stratified: %s depends on %s under a negation, and %s on %s", c.sym.preds[h].Name, c.sym.preds[e.to].Name, c.sym.preds[e.to].Name, c.sym.preds[h].Name)
			}
		}
	}
}

// walkOccurrences calls f for every atom of a condition with whether it
// occurs negatively (in negation normal form).
func walkOccurrences(f Formula, neg bool, visit func(pred string, neg bool)) {
	switch f := f.(type) {
	case *AtomFormula:
		visit(f.Pred, neg)
	case *NotFormula:
		walkOccurrences(f.Arg, !neg, visit)
	case *AndFormula:
		for _, g := range f.Args {
			walkOccurrences(g, neg, visit)
		}
	case *OrFormula:
		for _, g := range f.Args {
			walkOccurrences(g, neg, visit)
		}
	case *ImplyFormula:
		walkOccurrences(f.If, !neg, visit)
		walkOccurrences(f.Then, neg, visit)
	case *ExistsFormula:
		walkOccurrences(f.Body, neg, visit)
	case *ForallFormula:
		walkOccurrences(f.Body, neg, visit)
	}
}

// sccs numbers the strongly connected components of a graph (Tarjan's
// algorithm): vertices of one component get the same number, and a
// component reaches only components with numbers no larger than its own.
func sccs(vertices []string, succ func(string) []string) map[string]int {
	index := map[string]int{}
	low := map[string]int{}
	onStack := map[string]bool{}
	comp := map[string]int{}
	var stack []string
	next, ncomp := 0, 0
	var visit func(v string)
	visit = func(v string) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range succ(v) {
			if _, seen := index[w]; !seen {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				comp[w] = ncomp
				if w == v {
					break
				}
			}
			ncomp++
		}
	}
	for _, v := range slices.Sorted(slices.Values(vertices)) {
		if _, seen := index[v]; !seen {
			visit(v)
		}
	}
	return comp
}
