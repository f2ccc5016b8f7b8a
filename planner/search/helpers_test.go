package search

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
)

// taskSpec describes a small task in a compact text form for tests:
// objects "a b - t1; c - t2", literals "pred ?0 obj" (variables by number,
// "not " for negation, "= ?0 ?1" for equality), effects "pred ..." (add) or
// "del pred ...", optionally prefixed "forall ?2-type:" and "when lit & lit:".
type taskSpec struct {
	objects string
	actions []actSpec
	init    []string
	goal    []string
	costs   map[string]int64 // "func arg1 arg2" -> value
}

type actSpec struct {
	name   string
	params string // types, space separated
	pre    []string
	eff    []string
	cost   string // "" (1), a number, or "func ?0 ?1"
}

func buildTask(t testing.TB, sp taskSpec) *pddl.Task {
	t.Helper()
	task := &pddl.Task{Domain: "test", Problem: "test", TypeObjects: map[string][]int{}}
	objIdx := map[string]int{}
	for _, group := range strings.Split(sp.objects, ";") {
		names, typ, _ := strings.Cut(group, "-")
		typ = strings.TrimSpace(typ)
		for _, n := range strings.Fields(names) {
			objIdx[n] = len(task.Objects)
			task.TypeObjects[typ] = append(task.TypeObjects[typ], len(task.Objects))
			task.TypeObjects["object"] = append(task.TypeObjects["object"], len(task.Objects))
			task.Objects = append(task.Objects, n)
		}
	}
	preds := map[string]int{}
	term := func(s string) pddl.Term {
		if strings.HasPrefix(s, "?") {
			v, err := strconv.Atoi(s[1:])
			if err != nil {
				t.Fatalf("bad variable %q", s)
			}
			return pddl.Term{Var: v}
		}
		o, ok := objIdx[s]
		if !ok {
			t.Fatalf("unknown object %q", s)
		}
		return pddl.Term{Var: -1, Obj: o}
	}
	lit := func(s string) pddl.Literal {
		var l pddl.Literal
		if rest, ok := strings.CutPrefix(s, "not "); ok {
			l.Negated, s = true, rest
		}
		f := strings.Fields(s)
		l.Pred = f[0]
		for _, a := range f[1:] {
			l.Args = append(l.Args, term(a))
		}
		if l.Pred != "=" {
			preds[l.Pred] = len(l.Args)
		}
		return l
	}
	ground := func(s string) pddl.GroundLiteral {
		l := lit(s)
		g := pddl.GroundLiteral{Negated: l.Negated}
		g.Pred = l.Pred
		for _, a := range l.Args {
			g.Args = append(g.Args, a.Obj)
		}
		return g
	}
	for _, a := range sp.actions {
		act := pddl.Action{Name: a.name, Cost: pddl.Cost{Value: 1}}
		for i, typ := range strings.Fields(a.params) {
			act.Params = append(act.Params, pddl.Param{Name: fmt.Sprintf("?x%d", i), Type: typ})
		}
		for _, p := range a.pre {
			act.Precondition = append(act.Precondition, lit(p))
		}
		for _, e := range a.eff {
			var eff pddl.Effect
			if rest, ok := strings.CutPrefix(e, "forall "); ok {
				head, body, _ := strings.Cut(rest, ":")
				for _, v := range strings.Fields(head) {
					_, typ, _ := strings.Cut(v, "-")
					eff.Forall = append(eff.Forall, pddl.Param{Name: v, Type: typ})
				}
				e = strings.TrimSpace(body)
			}
			if rest, ok := strings.CutPrefix(e, "when "); ok {
				cond, body, _ := strings.Cut(rest, ":")
				for _, c := range strings.Split(cond, "&") {
					eff.Cond = append(eff.Cond, lit(strings.TrimSpace(c)))
				}
				e = strings.TrimSpace(body)
			}
			if rest, ok := strings.CutPrefix(e, "del "); ok {
				eff.Delete, e = true, rest
			}
			eff.Atom = lit(e).Atom
			act.Effects = append(act.Effects, eff)
		}
		if a.cost != "" {
			if v, err := strconv.ParseInt(a.cost, 10, 64); err == nil {
				act.Cost = pddl.Cost{Value: v}
			} else {
				l := lit(a.cost)
				act.Cost = pddl.Cost{Func: l.Pred, Args: l.Args}
				delete(preds, l.Pred)
			}
			task.UsesCost = true
		}
		task.Actions = append(task.Actions, act)
	}
	for _, s := range sp.init {
		task.Init = append(task.Init, ground(s).GroundAtom)
	}
	for _, s := range sp.goal {
		task.Goal = append(task.Goal, ground(s))
	}
	for k, v := range sp.costs {
		f := strings.Fields(k)
		fv := pddl.FunctionValue{Func: f[0], Value: v}
		for _, a := range f[1:] {
			fv.Args = append(fv.Args, objIdx[a])
		}
		task.InitValues = append(task.InitValues, fv)
	}
	for name, ar := range preds {
		task.Predicates = append(task.Predicates, pddl.Predicate{Name: name, Arity: ar})
	}
	return task
}

// solve grounds and plans task, failing the test on errors, and validates
// any plan found against both the ground problem and the lifted task.
func solve(t *testing.T, task *pddl.Task, opts Options) (*Task, *Result) {
	t.Helper()
	p, err := Ground(context.Background(), task)
	if err != nil {
		t.Fatalf("Ground: %v", err)
	}
	res, err := Plan(context.Background(), p, opts)
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	if res.Status == Solved {
		c, err := p.Check(intOps(res.ops))
		if err != nil {
			t.Fatalf("%s/%s: plan fails on the ground problem: %v", opts.Search, opts.Heuristic, err)
		}
		if c != res.Cost {
			t.Fatalf("%s/%s: reported cost %d, ground cost %d", opts.Search, opts.Heuristic, res.Cost, c)
		}
		lc, err := pddl.Validate(task, pddlSteps(res.Plan))
		if err != nil {
			t.Fatalf("%s/%s: plan invalid on the lifted task: %v", opts.Search, opts.Heuristic, err)
		}
		if lc != res.Cost {
			t.Fatalf("%s/%s: reported cost %d, lifted cost %d", opts.Search, opts.Heuristic, res.Cost, lc)
		}
	}
	return p, res
}

func pddlSteps(plan []Step) []pddl.Step {
	steps := make([]pddl.Step, len(plan))
	for i, s := range plan {
		steps[i] = pddl.Step{Action: s.Action, Args: s.Args}
	}
	return steps
}

// newHeuristic builds the evaluator name on normal or unit costs.
func newHeuristic(name string, p *Task, unit bool) (evaluator, error) {
	ct := costNormal
	if unit {
		ct = costOne
	}
	return newEvaluator(p, nil, evalSpec{name, ct})
}

// evalAt is the context of evaluating s as an initial state.
func evalAt(s state) *evalContext { return &evalContext{s: s, id: -1, parentID: -1, op: -1} }
