package pddl

import (
	"math/rand/v2"
	"testing"
)

// randomFormula builds a random condition over (p ?) (q ?) (r ? ?) and =,
// with connectives and quantifiers, whose free variables are among vars.
func randomFormula(rng *rand.Rand, depth int, vars []string) Formula {
	terms := append([]string{"a", "b"}, vars...)
	term := func() string { return terms[rng.IntN(len(terms))] }
	if depth == 0 || rng.IntN(4) == 0 {
		switch rng.IntN(4) {
		case 0:
			return &AtomFormula{Pred: "p", Args: []string{term()}}
		case 1:
			return &AtomFormula{Pred: "q", Args: []string{term()}}
		case 2:
			return &AtomFormula{Pred: "r", Args: []string{term(), term()}}
		default:
			return &AtomFormula{Pred: "=", Args: []string{term(), term()}}
		}
	}
	sub := func() Formula { return randomFormula(rng, depth-1, vars) }
	switch rng.IntN(7) {
	case 0:
		return &NotFormula{Arg: sub()}
	case 1:
		return &AndFormula{Args: []Formula{sub(), sub()}}
	case 2:
		return &OrFormula{Args: []Formula{sub(), sub(), sub()}}
	case 3:
		return &ImplyFormula{If: sub(), Then: sub()}
	case 4, 5:
		v := "?v" + string(rune('0'+len(vars)))
		inner := randomFormula(rng, depth-1, append(vars, v))
		params := []TypedName{{Name: v, Type: []string{[]string{"t", "u", "object"}[rng.IntN(3)]}}}
		if rng.IntN(2) == 0 {
			return &ExistsFormula{Params: params, Body: inner}
		}
		return &ForallFormula{Params: params, Body: inner}
	default:
		return &AndFormula{}
	}
}

// TestNormalizeMatchesSemantics compiles random ADL preconditions, effect
// conditions and goals and checks, on random initial states, that the
// compiled task accepts exactly the plans the formulas as written accept.
func TestNormalizeMatchesSemantics(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	objects := []string{"c", "d", "e"}
	for i := 0; i < 300; i++ {
		pre := randomFormula(rng, 3, []string{"?x"})
		cond := randomFormula(rng, 2, []string{"?x"})
		goal := randomFormula(rng, 2, nil)
		d := &Domain{
			Name:      "prop",
			Types:     []TypedName{{Name: "u", Type: []string{"t"}}, {Name: "t"}},
			Constants: []TypedName{{Name: "a", Type: []string{"t"}}, {Name: "b", Type: []string{"u"}}},
			Predicates: []*PredicateDecl{
				{Name: "p", Params: []TypedName{{Name: "?x"}}},
				{Name: "q", Params: []TypedName{{Name: "?x"}}},
				{Name: "r", Params: []TypedName{{Name: "?x"}, {Name: "?y"}}},
				{Name: "done"}, {Name: "flag"},
			},
			Actions: []*ActionDef{{
				Name:         "act",
				Params:       []TypedName{{Name: "?x", Type: []string{"t"}}},
				Precondition: pre,
				Effect: &AndEffect{Effects: []EffectExpr{
					&LiteralEffect{Pred: "done"},
					&WhenEffect{Cond: cond, Body: &LiteralEffect{Pred: "flag"}},
					&ForallEffect{Params: []TypedName{{Name: "?y"}}, Body: &WhenEffect{
						Cond: &AtomFormula{Pred: "r", Args: []string{"?x", "?y"}},
						Body: &LiteralEffect{Pred: "q", Args: []string{"?y"}, Negated: true}}},
				}},
			}},
		}
		p := &Problem{Name: "p", Domain: "prop",
			Objects: []TypedName{{Name: "c", Type: []string{"u"}}, {Name: "d", Type: []string{"t"}}, {Name: "e"}}}
		all := append([]string{"a", "b"}, objects...)
		for _, pred := range []string{"p", "q"} {
			for _, o := range all {
				if rng.IntN(2) == 0 {
					p.Init = append(p.Init, &Fact{Pred: pred, Args: []string{o}})
				}
			}
		}
		for _, o1 := range all {
			for _, o2 := range all {
				if rng.IntN(3) == 0 {
					p.Init = append(p.Init, &Fact{Pred: "r", Args: []string{o1, o2}})
				}
			}
		}
		p.Goal = &OrFormula{Args: []Formula{goal, &AtomFormula{Pred: "flag"}}}
		roundTrip(t, "random domain", d)
		roundTrip(t, "random problem", p)
		task, err := Normalize(d, p)
		if err != nil {
			t.Fatalf("case %d: %v\n%s", i, err, d)
		}
		if err := task.Check(); err != nil {
			t.Fatalf("case %d: normalised task fails Check: %v", i, err)
		}
		for _, arg := range []string{"a", "b", "c", "d"} {
			for _, plan := range [][]Step{nil, {{Action: "act", Args: []string{arg}}}, {{Action: "act", Args: []string{arg}}, {Action: "act", Args: []string{"a"}}}} {
				c1, e1 := Validate(task, plan)
				c2, e2 := ValidateAST(d, p, plan)
				s1, k1 := planOutcome(t, c1, e1)
				s2, k2 := planOutcome(t, c2, e2)
				if s1 != s2 || k1 != k2 {
					t.Fatalf("case %d, plan %v:\nValidate:    %v\nValidateAST: %v\n%s%s", i, plan, e1, e2, d, p)
				}
			}
		}
	}
}
