package planner

import (
	"container/heap"
	"math"
)

// pruneByCost removes the actions of the (delete-free, propositional) task
// that cannot be part of an optimal plan, and returns how many it removed.
//
// h_max gives, for every atom, a lower bound of the cost to make it true.
// The task has no delete effects, so the best supporters found on the way
// form a plan; its cost U bounds the optimum. An action whose preconditions
// cost at least h_max and whose own cost takes that above U is in no
// optimal plan. Then the actions that no goal needs, directly or through
// the preconditions of other remaining actions, go too.
func (m *materialised) pruneByCost() int {
	t := m.task
	n := len(t.Actions)
	if n == 0 {
		return 0
	}
	preds := map[string]int{}
	id := func(p string) int {
		if i, ok := preds[p]; ok {
			return i
		}
		preds[p] = len(preds)
		return preds[p]
	}
	pre := make([][]int, n)
	eff := make([][]int, n)
	for i, a := range t.Actions {
		for _, l := range a.Precondition {
			pre[i] = append(pre[i], id(l.Pred))
		}
		for _, e := range a.Effects {
			eff[i] = append(eff[i], id(e.Atom.Pred))
		}
	}
	for _, g := range t.Init {
		id(g.Pred)
	}
	goals := make([]int, len(t.Goal))
	for i, g := range t.Goal {
		goals[i] = id(g.Pred)
	}
	np := len(preds)
	byPre := make([][]int, np)
	for i := range pre {
		for _, p := range pre[i] {
			byPre[p] = append(byPre[p], i)
		}
	}
	// h_max by Dijkstra, remembering each atom's best supporter.
	h := make([]int64, np)
	support := make([]int, np)
	for i := range h {
		h[i], support[i] = math.MaxInt64, -1
	}
	waiting := make([]int, n)
	pq := &atomQueue{}
	for _, g := range t.Init {
		p := preds[g.Pred]
		h[p] = 0
		heap.Push(pq, atomCost{p, 0})
	}
	apply := func(i int) {
		var c int64
		for _, p := range pre[i] {
			c = max(c, h[p])
		}
		c += t.Actions[i].Cost.Value
		for _, q := range eff[i] {
			if c < h[q] {
				h[q], support[q] = c, i
				heap.Push(pq, atomCost{q, c})
			}
		}
	}
	for i := range pre {
		waiting[i] = len(pre[i])
		if waiting[i] == 0 {
			apply(i)
		}
	}
	done := make([]bool, np)
	for pq.Len() > 0 {
		ac := heap.Pop(pq).(atomCost)
		if done[ac.p] || ac.c > h[ac.p] {
			continue
		}
		done[ac.p] = true
		for _, i := range byPre[ac.p] {
			if waiting[i]--; waiting[i] == 0 {
				apply(i)
			}
		}
	}
	// U: the cost of the plan made of best supporters.
	var upper int64
	used := make([]bool, n)
	var collect func(p int) bool
	collect = func(p int) bool {
		if h[p] == math.MaxInt64 {
			return false
		}
		i := support[p]
		if i < 0 || used[i] {
			return true
		}
		used[i] = true
		upper += t.Actions[i].Cost.Value
		for _, q := range pre[i] {
			if !collect(q) {
				return false
			}
		}
		return true
	}
	for _, g := range goals {
		if !collect(g) {
			return 0 // unsolvable: leave it to the search to say so
		}
	}
	keep := make([]bool, n)
	for i := range t.Actions {
		var c int64
		ok := true
		for _, p := range pre[i] {
			if h[p] == math.MaxInt64 {
				ok = false
				break
			}
			c = max(c, h[p])
		}
		keep[i] = ok && c+t.Actions[i].Cost.Value <= upper
	}
	// Backward from the goals through the kept actions.
	needed := make([]bool, np)
	stack := append([]int(nil), goals...)
	for _, g := range goals {
		needed[g] = true
	}
	achievers := make([][]int, np)
	for i := range eff {
		if keep[i] {
			for _, q := range eff[i] {
				achievers[q] = append(achievers[q], i)
			}
		}
	}
	relevant := make([]bool, n)
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, i := range achievers[p] {
			if relevant[i] {
				continue
			}
			relevant[i] = true
			for _, q := range pre[i] {
				if !needed[q] {
					needed[q] = true
					stack = append(stack, q)
				}
			}
		}
	}
	out := t.Actions[:0:0]
	for i, a := range t.Actions {
		if relevant[i] {
			out = append(out, a)
		} else {
			delete(m.acts, a.Name)
		}
	}
	removed := n - len(out)
	t.Actions = out
	return removed
}

type atomCost struct {
	p int
	c int64
}

type atomQueue []atomCost

func (q atomQueue) Len() int           { return len(q) }
func (q atomQueue) Less(i, j int) bool { return q[i].c < q[j].c }
func (q atomQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *atomQueue) Push(x any)        { *q = append(*q, x.(atomCost)) }
func (q *atomQueue) Pop() any          { old := *q; x := old[len(old)-1]; *q = old[:len(old)-1]; return x }
