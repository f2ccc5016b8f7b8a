package pddl

import (
	"fmt"
	"testing"
)

// formulaGen builds conditions from fuzz bytes over a fixed vocabulary:
// objects a b (of type t) and c, predicates p/1, q/1, r/2 (changed by
// actions), the derived d/1 and the type t used as a predicate.
type formulaGen struct {
	src  []byte
	pos  int
	vars int
}

func (g *formulaGen) next() int {
	if g.pos >= len(g.src) {
		return 0
	}
	b := int(g.src[g.pos])
	g.pos++
	return b
}

// term picks a variable in scope or an object.
func (g *formulaGen) term(scope []string) string {
	n := g.next()
	if len(scope) > 0 && n%3 != 0 {
		return scope[n%len(scope)]
	}
	return []string{"a", "b", "c"}[n%3]
}

func (g *formulaGen) atom(scope []string, derived bool) Formula {
	n := g.next() % 6
	if !derived && n == 4 {
		n = 0
	}
	switch n {
	case 5:
		return &AtomFormula{Pred: "t", Args: []string{g.term(scope)}}
	case 0:
		return &AtomFormula{Pred: "p", Args: []string{g.term(scope)}}
	case 1:
		return &AtomFormula{Pred: "q", Args: []string{g.term(scope)}}
	case 2:
		return &AtomFormula{Pred: "r", Args: []string{g.term(scope), g.term(scope)}}
	case 3:
		return &AtomFormula{Pred: "=", Args: []string{g.term(scope), g.term(scope)}}
	}
	return &AtomFormula{Pred: "d", Args: []string{g.term(scope)}}
}

// formula generates a condition; derived says whether d may occur (not in
// d's own rule, which keeps the rules stratified).
func (g *formulaGen) formula(depth int, scope []string, derived bool) Formula {
	if depth == 0 {
		return g.atom(scope, derived)
	}
	switch g.next() % 8 {
	case 0:
		return &NotFormula{Arg: g.formula(depth-1, scope, derived)}
	case 1, 2:
		return &AndFormula{Args: []Formula{g.formula(depth-1, scope, derived), g.formula(depth-1, scope, derived)}}
	case 3:
		return &OrFormula{Args: []Formula{g.formula(depth-1, scope, derived), g.formula(depth-1, scope, derived)}}
	case 4:
		return &ImplyFormula{If: g.formula(depth-1, scope, derived), Then: g.formula(depth-1, scope, derived)}
	case 5, 6:
		g.vars++
		v := fmt.Sprintf("?v%d", g.vars)
		inner := append(append([]string(nil), scope...), v)
		params := []TypedName{{Name: v}}
		if g.next()%3 == 0 {
			params[0].Type = []string{"t"}
		}
		body := g.formula(depth-1, inner, derived)
		if g.next()%2 == 0 {
			return &ExistsFormula{Params: params, Body: body}
		}
		return &ForallFormula{Params: params, Body: body}
	}
	return g.atom(scope, derived)
}

// FuzzNormalize: random conditions — in a precondition, an effect
// condition, a derived predicate's rule and the goal — normalise into a
// task on which Validate accepts and rejects the same plans as
// ValidateAST, which reads the formulas as written, at the same cost.
func FuzzNormalize(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	f.Add([]byte{5, 0, 3, 1, 3, 2, 2, 0, 1, 5, 6, 4, 4, 2, 1, 0, 7, 3, 9, 12, 200, 17})
	f.Add([]byte{6, 1, 3, 3, 5, 1, 2, 2, 1, 0, 0, 6, 6, 1, 3, 3, 1, 1, 9, 9, 8, 7, 6, 5})
	f.Fuzz(func(t *testing.T, src []byte) {
		g := &formulaGen{src: src}
		flips := []*ActionDef{}
		for _, pr := range []string{"p", "q"} {
			flips = append(flips,
				&ActionDef{Name: "set-" + pr, Params: []TypedName{{Name: "?x"}}, Effect: &LiteralEffect{Pred: pr, Args: []string{"?x"}}},
				&ActionDef{Name: "unset-" + pr, Params: []TypedName{{Name: "?x"}}, Effect: &LiteralEffect{Pred: pr, Args: []string{"?x"}, Negated: true}})
		}
		act := &ActionDef{
			Name:         "act",
			Params:       []TypedName{{Name: "?x"}},
			Precondition: g.formula(3, []string{"?x"}, true),
			Effect: &AndEffect{Effects: []EffectExpr{
				&WhenEffect{Cond: g.formula(2, []string{"?x"}, true), Body: &LiteralEffect{Pred: "r", Args: []string{"?x", "?x"}}},
				&ForallEffect{Params: []TypedName{{Name: "?y"}}, Body: &WhenEffect{
					Cond: g.formula(2, []string{"?x", "?y"}, true),
					Body: &LiteralEffect{Pred: "r", Args: []string{"?x", "?y"}, Negated: true}}},
			}},
		}
		d := &Domain{
			Name:  "fuzz",
			Types: []TypedName{{Name: "t"}},
			Predicates: []*PredicateDecl{
				{Name: "p", Params: []TypedName{{Name: "?x"}}}, {Name: "q", Params: []TypedName{{Name: "?x"}}},
				{Name: "r", Params: []TypedName{{Name: "?x"}, {Name: "?y"}}}, {Name: "d", Params: []TypedName{{Name: "?x"}}},
			},
			Derived: []*DerivedDef{{Name: "d", Params: []TypedName{{Name: "?z"}}, Body: g.formula(3, []string{"?z"}, false)}},
			Actions: append(flips, act),
		}
		p := &Problem{
			Name: "fuzz", Domain: "fuzz",
			Objects: []TypedName{{Name: "a", Type: []string{"t"}}, {Name: "b", Type: []string{"t"}}, {Name: "c"}},
			Init:    []*Fact{{Pred: "p", Args: []string{"a"}}, {Pred: "r", Args: []string{"a", "b"}}},
			Goal:    g.formula(3, nil, true),
		}
		// Half the inputs compile with tiny bounds, so that disjunctions
		// and universal quantifiers become derived predicates.
		lim := defaultLimits
		if g.next()%2 == 0 {
			lim.clauses, lim.expand = 1, 1
		}
		task, err := normalize(d, p, lim)
		if err != nil {
			t.Fatalf("Normalize: %v\n%s\n%s", err, d, p)
		}
		if err := task.Check(); err != nil {
			t.Fatalf("normalised task fails Check: %v\n%s", err, d)
		}
		x, err := newASTExec(d, p)
		if err != nil {
			t.Fatal(err)
		}
		all := groundSteps(x, d, 1000)
		var plan []Step
		for i := 0; len(plan) < 8 && i < 40; i++ {
			s := all[(g.next()*7+i*13)%len(all)]
			if _, _, why := x.applies(s); why != "" && g.next()%4 != 0 {
				continue
			}
			x.step(s)
			plan = append(plan, s)
			c1, e1 := Validate(task, plan)
			c2, e2 := ValidateAST(d, p, plan)
			s1, k1 := planOutcome(t, c1, e1)
			s2, k2 := planOutcome(t, c2, e2)
			if s1 != s2 || k1 != k2 {
				t.Fatalf("plan %v:\nValidate:    %v (cost %d)\nValidateAST: %v (cost %d)\n%s\n%s", plan, e1, c1, e2, c2, d, p)
			}
			if s1 > 0 {
				break // a failing step: later ones fail the same way
			}
		}
	})
}
