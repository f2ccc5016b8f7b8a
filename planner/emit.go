package planner

import (
	"context"
	"errors"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
)

// ErrNoTask is returned by Materialise when a request has no task to plan:
// it is infeasible or invalid before any search (see the plan returned).
var ErrNoTask = errors.New("planner: the request yields no planning task")

// Materialise returns the PDDL task the planner would search for req, as a
// domain and a problem that any PDDL planner with :action-costs can solve.
// When req is infeasible or invalid before search, it returns the plan that
// says why, with ErrNoTask. Action costs in the task are the registry's
// costs times 100, less one for each API the request names (so that ties
// go to them).
func (p *Planner) Materialise(ctx context.Context, req Request) (*pddl.Domain, *pddl.Problem, *Plan, error) {
	if err := req.validate(); err != nil {
		return nil, nil, invalidPlan(err), ErrNoTask
	}
	pr, plan, err := p.prepare(ctx, req)
	if err != nil {
		return nil, nil, nil, err
	}
	if plan != nil {
		return nil, nil, plan, ErrNoTask
	}
	d, prob := toAST(pr.task.pddl())
	return d, prob, nil, nil
}

// toAST writes a task as PDDL domain and problem syntax trees.
func toAST(t *pddl.Task) (*pddl.Domain, *pddl.Problem) {
	d := &pddl.Domain{
		Name:         t.Domain,
		Requirements: []string{":strips", ":typing", ":action-costs"},
		Functions:    []*pddl.FunctionDecl{{Name: "total-cost", Type: "number"}},
	}
	for _, pr := range t.Predicates {
		decl := &pddl.PredicateDecl{Name: pr.Name}
		for i := 0; i < pr.Arity; i++ {
			decl.Params = append(decl.Params, pddl.TypedName{Name: "?a" + string(rune('0'+i))})
		}
		d.Predicates = append(d.Predicates, decl)
	}
	for _, a := range t.Actions {
		term := func(tm pddl.Term) string {
			if tm.Var >= 0 && tm.Var < len(a.Params) {
				return a.Params[tm.Var].Name
			}
			return t.Objects[tm.Obj]
		}
		def := &pddl.ActionDef{Name: a.Name}
		for _, prm := range a.Params {
			def.Params = append(def.Params, pddl.TypedName{Name: prm.Name, Type: []string{prm.Type}})
		}
		var pre []pddl.Formula
		for _, l := range a.Precondition {
			args := make([]string, len(l.Args))
			for i, tm := range l.Args {
				args[i] = term(tm)
			}
			var f pddl.Formula = &pddl.AtomFormula{Pred: l.Pred, Args: args}
			if l.Negated {
				f = &pddl.NotFormula{Arg: f}
			}
			pre = append(pre, f)
		}
		if len(pre) > 0 {
			def.Precondition = &pddl.AndFormula{Args: pre}
		}
		var effs []pddl.EffectExpr
		for _, e := range a.Effects {
			args := make([]string, len(e.Atom.Args))
			for i, tm := range e.Atom.Args {
				args[i] = term(tm)
			}
			effs = append(effs, &pddl.LiteralEffect{Pred: e.Atom.Pred, Args: args, Negated: e.Delete})
		}
		effs = append(effs, &pddl.IncreaseEffect{Func: "total-cost", Amount: pddl.NumExpr{Value: a.Cost.Value}})
		def.Effect = &pddl.AndEffect{Effects: effs}
		d.Actions = append(d.Actions, def)
	}
	p := &pddl.Problem{
		Name:       t.Problem,
		Domain:     t.Domain,
		InitValues: []*pddl.InitValue{{Func: "total-cost", Value: 0}},
		Metric:     &pddl.Metric{Func: "total-cost"},
	}
	for _, o := range t.Objects {
		p.Objects = append(p.Objects, pddl.TypedName{Name: o})
	}
	for _, g := range t.Init {
		p.Init = append(p.Init, &pddl.Fact{Pred: g.Pred, Args: objectNames(t, g.Args)})
	}
	var goal []pddl.Formula
	for _, g := range t.Goal {
		var f pddl.Formula = &pddl.AtomFormula{Pred: g.Pred, Args: objectNames(t, g.Args)}
		if g.Negated {
			f = &pddl.NotFormula{Arg: f}
		}
		goal = append(goal, f)
	}
	p.Goal = &pddl.AndFormula{Args: goal}
	return d, p
}

func objectNames(t *pddl.Task, idx []int) []string {
	out := make([]string, len(idx))
	for i, o := range idx {
		out[i] = t.Objects[o]
	}
	return out
}
