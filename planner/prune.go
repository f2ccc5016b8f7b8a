package planner

import (
	"github.com/toolsmith-dev/toolsmith/planner/search"
)

// relaxation is a materialised task as a propositional search.Task (every
// predicate of the task is nullary) with h_max from its initial state.
type relaxation struct {
	task  *search.Task
	fact  map[string]int32 // predicate -> fact
	costs search.RelaxedCosts
}

// relax returns the task's relaxation, made once: predicates become facts
// in the order they are met, actions operators in the task's order.
func (m *materialised) relax() *relaxation {
	if m.relaxed != nil {
		return m.relaxed
	}
	t := m.task
	r := &relaxation{task: &search.Task{UsesCost: true}, fact: map[string]int32{}}
	id := func(pred string) int32 {
		if f, ok := r.fact[pred]; ok {
			return f
		}
		f := int32(len(r.task.Facts))
		r.fact[pred] = f
		r.task.Facts = append(r.task.Facts, pred)
		return f
	}
	r.task.Operators = make([]search.Operator, len(t.Actions))
	for i, a := range t.Actions {
		op := &r.task.Operators[i]
		op.Name, op.Cost = a.Name, a.Cost.Value
		for _, l := range a.Precondition {
			op.Pre = append(op.Pre, id(l.Pred))
		}
		for _, e := range a.Effects {
			op.Add = append(op.Add, id(e.Atom.Pred))
		}
	}
	for _, g := range t.Init {
		r.task.Init = append(r.task.Init, id(g.Pred))
	}
	for _, g := range t.Goal {
		r.task.Goal = append(r.task.Goal, id(g.Pred))
	}
	r.task.Primary = len(r.task.Facts)
	r.costs = search.HMax(r.task, r.task.Init)
	m.relaxed = r
	return r
}

// reachable reports whether pred can become true (in the delete
// relaxation, which the task is: it deletes nothing).
func (m *materialised) reachable(pred string) bool {
	r := m.relax()
	f, ok := r.fact[pred]
	return ok && r.costs.Fact[f] < search.Infinity
}

// pruneByCost removes the actions of the task that cannot be part of an
// optimal plan. It is the planner's one pruning by cost: on the task the
// answer set gives, before search, and on the task a foreseen answer set
// gives, before reasoning (see costPrune). It reports false, and removes
// nothing, when the task has no plan.
//
// h_max (search.HMax) gives, for every atom, a lower bound of the cost to
// make it true. The task has no delete effects, so the best supporters
// found on the way form a plan; its cost U bounds the optimum. An action
// whose preconditions cost at least h_max and whose own cost takes that
// above U is in no optimal plan. Then the actions that no goal needs,
// directly or through the preconditions of other remaining actions, go too.
func (m *materialised) pruneByCost() bool {
	r := m.relax()
	t, h := r.task, r.costs.Fact
	_, upper, ok := r.costs.Plan(t, t.Goal)
	if !ok {
		return false
	}
	keep := make([]bool, len(t.Operators))
	for i, op := range t.Operators {
		var c int64
		ok := true
		for _, p := range op.Pre {
			if h[p] >= search.Infinity {
				ok = false
				break
			}
			c = max(c, h[p])
		}
		keep[i] = ok && c+op.Cost <= upper
	}
	// Backward from the goals through the kept actions.
	achievers := make([][]int, len(t.Facts))
	for i, op := range t.Operators {
		if keep[i] {
			for _, q := range op.Add {
				achievers[q] = append(achievers[q], i)
			}
		}
	}
	needed := make([]bool, len(t.Facts))
	stack := append([]int32(nil), t.Goal...)
	for _, g := range t.Goal {
		needed[g] = true
	}
	relevant := make([]bool, len(t.Operators))
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, i := range achievers[p] {
			if relevant[i] {
				continue
			}
			relevant[i] = true
			for _, q := range t.Operators[i].Pre {
				if !needed[q] {
					needed[q] = true
					stack = append(stack, q)
				}
			}
		}
	}
	out := m.task.Actions[:0:0]
	for i, a := range m.task.Actions {
		if relevant[i] {
			out = append(out, a)
		} else {
			delete(m.acts, a.Name)
		}
	}
	m.task.Actions = out
	m.relaxed = nil // the task changed
	return true
}
