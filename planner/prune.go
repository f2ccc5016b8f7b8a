package planner

import (
	"github.com/toolsmith-dev/toolsmith/planner/search"
)

// relaxed returns the task as a search.Task over its predicates. The task
// deletes nothing, so it is its own delete relaxation.
func (m *materialised) relaxed() *search.Task {
	t := &search.Task{Facts: make([]string, len(m.preds)), Operators: m.ops, Init: m.init, Goal: m.goal, UsesCost: true}
	for i, p := range m.preds {
		t.Facts[i] = p.prefix + p.of
	}
	t.Primary = len(t.Facts)
	return t
}

// hmax returns h_max of every predicate from the initial state (computed
// once, by search.HMax).
func (m *materialised) hmax() *search.RelaxedCosts {
	if m.costs == nil {
		rc := search.HMax(m.relaxed(), m.init)
		m.costs = &rc
	}
	return m.costs
}

// reachable reports whether predicate p can become true.
func (m *materialised) reachable(p int32) bool { return m.hmax().Fact[p] < search.Infinity }

// pruneByCost removes the actions of the task that cannot be part of an
// optimal plan. It is the planner's one pruning by cost: on the task the
// answer set gives, before search, and on the task a foreseen answer set
// gives, before reasoning (see costPrune). It reports false, and removes
// nothing, when the task has no plan.
//
// h_max (search.HMax) gives, for every predicate, a lower bound of the cost
// to make it true. The task has no delete effects, so the best supporters
// found on the way form a plan; its cost U bounds the optimum. An action
// whose preconditions cost at least h_max and whose own cost takes that
// above U is in no optimal plan. Then the actions that no goal needs,
// directly or through the preconditions of other remaining actions, go too.
func (m *materialised) pruneByCost() bool {
	rc := m.hmax()
	h := rc.Fact
	_, upper, ok := rc.Plan(m.relaxed(), m.goal)
	if !ok {
		return false
	}
	keep := make([]bool, len(m.ops))
	for i, op := range m.ops {
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
	achievers := make([][]int, len(h))
	for i, op := range m.ops {
		if keep[i] {
			for _, q := range op.Add {
				achievers[q] = append(achievers[q], i)
			}
		}
	}
	needed := make([]bool, len(h))
	stack := append([]int32(nil), m.goal...)
	for _, g := range m.goal {
		needed[g] = true
	}
	relevant := make([]bool, len(m.ops))
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, i := range achievers[p] {
			if relevant[i] {
				continue
			}
			relevant[i] = true
			for _, q := range m.ops[i].Pre {
				if !needed[q] {
					needed[q] = true
					stack = append(stack, q)
				}
			}
		}
	}
	n := 0
	for i := range m.ops {
		if relevant[i] {
			m.ops[n], m.opNames[n], m.descs[n] = m.ops[i], m.opNames[i], m.descs[i]
			if m.task != nil {
				m.task.Actions[n] = m.task.Actions[i]
			}
			n++
		}
	}
	m.ops, m.opNames, m.descs = m.ops[:n], m.opNames[:n], m.descs[:n]
	if m.task != nil {
		m.task.Actions = m.task.Actions[:n]
	}
	m.costs = nil // the task changed
	return true
}
