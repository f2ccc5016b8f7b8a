package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
)

// randomTask builds a small random task over predicates p/1, q/2 and r/0
// with typed parameters, equality, negative preconditions and (when cond is
// set) quantified conditional effects.
func randomTask(rng *rand.Rand, cond bool) *pddl.Task {
	const nObj = 3
	task := &pddl.Task{
		Objects:     []string{"a", "b", "c"},
		TypeObjects: map[string][]int{"object": {0, 1, 2}, "t": {0, 1}},
		Predicates:  []pddl.Predicate{{Name: "p", Arity: 1}, {Name: "q", Arity: 2}, {Name: "r", Arity: 0}},
	}
	arity := map[string]int{"p": 1, "q": 2, "r": 0}
	preds := []string{"p", "q", "r"}
	term := func(nvars int) pddl.Term {
		if nvars > 0 && rng.IntN(4) != 0 {
			return pddl.Term{Var: rng.IntN(nvars)}
		}
		return pddl.Term{Var: -1, Obj: rng.IntN(nObj)}
	}
	atom := func(nvars int) pddl.Atom {
		pr := preds[rng.IntN(len(preds))]
		a := pddl.Atom{Pred: pr}
		for i := 0; i < arity[pr]; i++ {
			a.Args = append(a.Args, term(nvars))
		}
		return a
	}
	for ai := 0; ai < 2+rng.IntN(3); ai++ {
		np := 1 + rng.IntN(2)
		act := pddl.Action{Name: fmt.Sprintf("act%d", ai), Cost: pddl.Cost{Value: 1}}
		for i := 0; i < np; i++ {
			typ := "object"
			if rng.IntN(3) == 0 {
				typ = "t"
			}
			act.Params = append(act.Params, pddl.Param{Name: fmt.Sprintf("?x%d", i), Type: typ})
		}
		for i := 0; i < rng.IntN(3); i++ {
			act.Precondition = append(act.Precondition, pddl.Literal{Atom: atom(np), Negated: rng.IntN(3) == 0})
		}
		if np == 2 && rng.IntN(3) == 0 {
			act.Precondition = append(act.Precondition, pddl.Literal{Atom: pddl.Atom{Pred: "=", Args: []pddl.Term{{Var: 0}, {Var: 1}}}, Negated: true})
		}
		for i := 0; i < 1+rng.IntN(3); i++ {
			e := pddl.Effect{Atom: atom(np), Delete: rng.IntN(2) == 0}
			if cond && rng.IntN(3) == 0 {
				e.Forall = []pddl.Param{{Name: "?y", Type: "object"}}
				e.Cond = []pddl.Literal{{Atom: atom(np + 1), Negated: rng.IntN(2) == 0}}
				e.Atom = atom(np + 1)
			}
			act.Effects = append(act.Effects, e)
		}
		task.Actions = append(task.Actions, act)
	}
	ground := func() pddl.GroundAtom {
		pr := preds[rng.IntN(len(preds))]
		g := pddl.GroundAtom{Pred: pr}
		for i := 0; i < arity[pr]; i++ {
			g.Args = append(g.Args, rng.IntN(nObj))
		}
		return g
	}
	for i := 0; i < rng.IntN(4); i++ {
		task.Init = append(task.Init, ground())
	}
	for i := 0; i < 1+rng.IntN(3); i++ {
		task.Goal = append(task.Goal, pddl.GroundLiteral{GroundAtom: ground(), Negated: rng.IntN(4) == 0})
	}
	return task
}

// TestRandomTasks compares every configuration with blind A* (complete and
// optimal) on random tasks: the same solvability, valid plans, and the
// optimal cost from A* with h_max and (without conditional effects)
// LM-cut.
func TestRandomTasks(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	configs := []Options{{}, {Search: "lazy", Heuristic: "add"}, {Search: "gbfs"}, {Search: "wastar", Heuristic: "lmcut"},
		{Search: "astar", Heuristic: "max"}, {Search: "astar", Heuristic: "lmcut"}}
	solvedCount := 0
	for i := 0; i < 300; i++ {
		cond := i%2 == 1
		task := randomTask(rng, cond)
		_, ref := solve(t, task, Options{Search: "astar", Heuristic: "blind"})
		if ref.Status == Solved {
			solvedCount++
		}
		for _, o := range configs {
			_, res := solve(t, task, o)
			if res.Status != ref.Status {
				t.Fatalf("task %d: %s/%s %v, blind A* %v", i, o.Search, o.Heuristic, res.Status, ref.Status)
			}
			if res.Status != Solved || o.Search != "astar" || (cond && o.Heuristic == "lmcut") {
				continue
			}
			if res.Cost != ref.Cost {
				t.Errorf("task %d: astar(%s) cost %d, optimal %d", i, o.Heuristic, res.Cost, ref.Cost)
			}
		}
	}
	if solvedCount < 30 || solvedCount > 270 {
		t.Errorf("%d of 300 random tasks solvable: the generator is too lopsided to test much", solvedCount)
	}
}

// FuzzRandomTasks grounds and solves random tasks from fuzzed seeds: the
// planner must not panic, lama must agree with blind A* on solvability,
// every plan must validate (solve checks it with pddl.Validate), and a
// random walk must too (checkRandomWalk).
func FuzzRandomTasks(f *testing.F) {
	for _, s := range []uint64{1, 2, 3, 42} {
		f.Add(s, s*7, s%2 == 0)
	}
	f.Fuzz(func(t *testing.T, a, b uint64, cond bool) {
		task := randomTask(rand.New(rand.NewPCG(a, b)), cond)
		_, ref := solve(t, task, Options{Search: "astar", Heuristic: "blind"})
		_, res := solve(t, task, Options{})
		if res.Status != ref.Status {
			t.Fatalf("lama %v, blind A* %v", res.Status, ref.Status)
		}
		checkRandomWalk(t, task, rand.New(rand.NewPCG(b, a)))
		checkRandomWalk(t, richRandomTask(rand.New(rand.NewPCG(a, b))), rand.New(rand.NewPCG(b, a)))
	})
}

// checkRandomWalk follows random applicable ground operators of task from
// its initial state and, after each step, checks every primary fact the
// ground task keeps against pddl.Validate on the lifted task with that
// fact as the goal: the grounding must keep the effects' semantics
// (conditions read before the step, adds winning over deletes) in every
// state it reaches, not only along the plans a search finds.
func checkRandomWalk(t *testing.T, task *pddl.Task, rng *rand.Rand) {
	t.Helper()
	p, err := Ground(context.Background(), task)
	if err != nil {
		t.Fatalf("Ground: %v", err)
	}
	if p.Unsolvable {
		return
	}
	objIndex := map[string]int{}
	for i, o := range task.Objects {
		objIndex[o] = i
	}
	probe := *task
	s := p.InitState()
	var steps []pddl.Step
	for range 8 {
		for f := range p.Primary {
			fields := strings.Fields(p.Facts[f])
			g := pddl.GroundAtom{Pred: fields[0]}
			for _, o := range fields[1:] {
				g.Args = append(g.Args, objIndex[o])
			}
			probe.Goal = []pddl.GroundLiteral{{GroundAtom: g}}
			_, err := pddl.Validate(&probe, steps)
			if (err == nil) != s[f] {
				t.Fatalf("after %v: %s is %v on the ground task, %v on the lifted one (%v)", steps, p.Facts[f], s[f], err == nil, err)
			}
		}
		var applicable []int
		for o := range p.Operators {
			if p.Operators[o].Applicable(s) {
				applicable = append(applicable, o)
			}
		}
		if len(applicable) == 0 {
			return
		}
		o := applicable[rng.IntN(len(applicable))]
		s = p.Apply(s, o)
		steps = append(steps, pddl.Step{Action: p.Operators[o].Name, Args: p.Operators[o].Args})
	}
}

// TestRandomWalks runs checkRandomWalk on random tasks with and without
// conditional effects, and with richer ones.
func TestRandomWalks(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for i := range 1000 {
		checkRandomWalk(t, randomTask(rng, i%2 == 1), rng)
		checkRandomWalk(t, richRandomTask(rng), rng)
	}
}

// richRandomTask is randomTask with richer effects for checkRandomWalk:
// conditions of one or two literals (equalities among them) over zero to
// two quantified variables of either type, and now and then an atom
// deleted and re-added under a condition that requires it, the pattern
// where adds must win.
func richRandomTask(rng *rand.Rand) *pddl.Task {
	task := randomTask(rng, false)
	arity := map[string]int{"p": 1, "q": 2, "r": 0}
	preds := []string{"p", "q", "r"}
	atom := func(nvars int) pddl.Atom {
		pr := preds[rng.IntN(len(preds))]
		a := pddl.Atom{Pred: pr}
		for range arity[pr] {
			if nvars > 0 && rng.IntN(4) != 0 {
				a.Args = append(a.Args, pddl.Term{Var: rng.IntN(nvars)})
			} else {
				a.Args = append(a.Args, pddl.Term{Var: -1, Obj: rng.IntN(len(task.Objects))})
			}
		}
		return a
	}
	for ai := range task.Actions {
		act := &task.Actions[ai]
		np := len(act.Params)
		for range 1 + rng.IntN(3) {
			var e pddl.Effect
			for k := range rng.IntN(3) {
				typ := "object"
				if rng.IntN(2) == 0 {
					typ = "t"
				}
				e.Forall = append(e.Forall, pddl.Param{Name: fmt.Sprintf("?y%d", k), Type: typ})
			}
			nv := np + len(e.Forall)
			for range 1 + rng.IntN(2) {
				if nv >= 2 && rng.IntN(4) == 0 {
					e.Cond = append(e.Cond, pddl.Literal{Atom: pddl.Atom{Pred: "=", Args: []pddl.Term{{Var: rng.IntN(nv)}, {Var: rng.IntN(nv)}}}, Negated: rng.IntN(2) == 0})
					continue
				}
				e.Cond = append(e.Cond, pddl.Literal{Atom: atom(nv), Negated: rng.IntN(3) == 0})
			}
			e.Atom, e.Delete = atom(nv), rng.IntN(2) == 0
			act.Effects = append(act.Effects, e)
		}
		if rng.IntN(3) == 0 {
			a := atom(np)
			act.Effects = append(act.Effects,
				pddl.Effect{Atom: a, Delete: true},
				pddl.Effect{Atom: a, Cond: []pddl.Literal{{Atom: a}}})
		}
	}
	return task
}
