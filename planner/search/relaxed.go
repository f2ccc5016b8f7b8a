package search

import (
	"encoding/binary"
	"slices"
)

// infinity is the heuristic value of a dead end.
const infinity int64 = 1 << 62

// relaxedTask is the delete relaxation of a Task: one relaxed operator for
// each operator's unconditional effects, one for each conditional effect
// (whose precondition includes the operator's), and one for each axiom,
// costing 0. Negative conditions become facts of their own, as Fast
// Downward's finite-domain relaxation has them: "f is false" is true in a
// state where f is, and operators deleting f achieve it; for a derived
// fact d, "d is false" is achieved by the negated axioms of d (every rule
// of d has a false body literal), worked out when small and not recursive,
// and otherwise taken as always reachable. This keeps every heuristic built
// on the relaxation admissible where the heuristic itself is: every plan,
// with the axioms that fire along it, is a relaxed plan of no greater cost.
type relaxedTask struct {
	nFacts int // the task's facts, then the negation facts
	nTask  int // the task's facts
	// negOf[k] is the task fact whose negation is relaxed fact nTask+k;
	// alwaysTrue lists negation facts of derived facts taken as
	// reachable from every state.
	negOf      []int32
	alwaysTrue []int32
	pre        [][]int32
	add        [][]int32
	cost       []int64
	orig       []int32   // the operator each relaxed operator comes from; -1 for an axiom
	preOf      [][]int32 // fact -> relaxed operators with it as precondition
	noPre      []int32
	goal       []int32
}

// trueFacts calls visit for every relaxed fact true in s (a state of the
// task, derived facts included).
func (rt *relaxedTask) trueFacts(s state, visit func(int32)) {
	for f := range members(s) {
		if int(f) < rt.nTask {
			visit(f)
		}
	}
	for k, f := range rt.negOf {
		if !s.has(f) {
			visit(int32(rt.nTask + k))
		}
	}
	for _, f := range rt.alwaysTrue {
		if s.has(rt.negOf[int(f)-rt.nTask]) {
			visit(f) // not visited above
		}
	}
}

// holds reports whether relaxed fact f is true in s.
func (rt *relaxedTask) holds(s state, f int32) bool {
	if int(f) < rt.nTask {
		return s.has(f)
	}
	return !s.has(rt.negOf[int(f)-rt.nTask]) || slices.Contains(rt.alwaysTrue, f)
}

// allHold reports whether every relaxed fact of fs is true in s.
func (rt *relaxedTask) allHold(s state, fs []int32) bool {
	for _, f := range fs {
		if !rt.holds(s, f) {
			return false
		}
	}
	return true
}

// newRelaxed builds the relaxation, with operator costs under ct.
// Relaxed operators with the same precondition and effects are merged,
// the cheapest kept (it is the one every heuristic on the relaxation would
// use): grounding often yields many operators that differ only in what the
// relaxation ignores.
func newRelaxed(t *Task, ct costType) *relaxedTask {
	rt := &relaxedTask{nTask: len(t.Facts)}
	neg := rt.negations(t)
	rt.nFacts = rt.nTask + len(rt.negOf)
	rt.preOf = make([][]int32, rt.nFacts)
	seen := map[string]int32{}
	var key []byte
	addOp := func(pre, add []int32, cost int64, o int) {
		if len(add) == 0 {
			return
		}
		key = key[:0]
		for _, f := range pre {
			key = binary.AppendUvarint(key, uint64(f)+1)
		}
		key = append(key, 0)
		for _, f := range add {
			key = binary.AppendUvarint(key, uint64(f)+1)
		}
		if id, ok := seen[string(key)]; ok {
			if cost < rt.cost[id] {
				rt.cost[id], rt.orig[id] = cost, int32(o)
			}
			return
		}
		id := int32(len(rt.pre))
		seen[string(key)] = id
		rt.pre = append(rt.pre, pre)
		rt.add = append(rt.add, add)
		rt.cost = append(rt.cost, cost)
		rt.orig = append(rt.orig, int32(o))
		if len(pre) == 0 {
			rt.noPre = append(rt.noPre, id)
		}
		for _, f := range pre {
			rt.preOf[f] = append(rt.preOf[f], id)
		}
	}
	// cond is a condition as relaxed facts.
	cond := func(pos [][]int32, negs ...[]int32) []int32 {
		var out []int32
		for _, fs := range pos {
			out = append(out, fs...)
		}
		for _, fs := range negs {
			for _, f := range fs {
				out = append(out, neg[f])
			}
		}
		sortUnique(&out)
		return out
	}
	for i := range t.Operators {
		o := &t.Operators[i]
		c := ct.opCost(o.Cost)
		pre := cond([][]int32{o.Pre}, o.NegPre)
		add := append([]int32(nil), o.Add...)
		for _, f := range o.Del {
			if neg[f] >= 0 {
				add = append(add, neg[f])
			}
		}
		addOp(pre, add, c, i)
		for _, ce := range o.Cond {
			eff := ce.Fact
			if ce.Delete {
				if eff = neg[ce.Fact]; eff < 0 {
					continue
				}
			}
			addOp(cond([][]int32{o.Pre, ce.Pre}, o.NegPre, ce.NegPre), []int32{eff}, c, i)
		}
	}
	for _, ax := range t.Axioms {
		addOp(cond([][]int32{ax.Pre}, ax.NegPre), []int32{ax.Head}, 0, -1)
	}
	rt.addNegatedAxioms(t, neg, addOp)
	rt.goal = cond([][]int32{t.Goal}, t.NegGoal)
	return rt
}

// factHeap is a binary min-heap of (cost, fact) pairs.
type factHeap []heapItem

type heapItem struct {
	c int64
	f int32
}

func (h *factHeap) push(c int64, f int32) {
	*h = append(*h, heapItem{c, f})
	s := *h
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 2
		if s[p].c <= s[i].c {
			break
		}
		s[p], s[i] = s[i], s[p]
		i = p
	}
}

func (h *factHeap) pop() heapItem {
	s := *h
	top := s[0]
	n := len(s) - 1
	s[0] = s[n]
	s = s[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && s[r].c < s[l].c {
			m = r
		}
		if s[i].c <= s[m].c {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}

// bucketLimit is the largest operator cost for which explorations use a
// bucket queue instead of a binary heap.
const bucketLimit = 64

// costQueue is a monotone priority queue of facts: a bucket queue when
// operator costs are small integers, a binary heap otherwise.
type costQueue struct {
	bucketed bool
	buckets  [][]int32
	cur      int
	n        int
	heap     factHeap
}

func (q *costQueue) reset() {
	if q.bucketed {
		for i := range q.buckets {
			q.buckets[i] = q.buckets[i][:0]
		}
		q.cur, q.n = 0, 0
		return
	}
	q.heap = q.heap[:0]
}

func (q *costQueue) push(c int64, f int32) {
	if !q.bucketed {
		q.heap.push(c, f)
		return
	}
	for int64(len(q.buckets)) <= c {
		q.buckets = append(q.buckets, nil)
	}
	q.buckets[c] = append(q.buckets[c], f)
	q.n++
}

func (q *costQueue) empty() bool {
	if q.bucketed {
		return q.n == 0
	}
	return len(q.heap) == 0
}

func (q *costQueue) pop() heapItem {
	if !q.bucketed {
		return q.heap.pop()
	}
	for len(q.buckets[q.cur]) == 0 {
		q.cur++
	}
	b := q.buckets[q.cur]
	f := b[len(b)-1]
	q.buckets[q.cur] = b[:len(b)-1]
	q.n--
	return heapItem{int64(q.cur), f}
}

// exploration computes h_add or h_max (a generalised Dijkstra over the
// relaxed task) and remembers each fact's best supporter for h_FF. The
// relaxed operators are stored in flat arrays for speed.
type exploration struct {
	rt     *relaxedTask
	max    bool
	cost   []int64
	supp   []int32
	ops    []opState
	isGoal []bool
	queue  costQueue
	// flat copies of the relaxed task
	addStart, addFlat   []int32
	preOfStart, preOfFl []int32
	goalsDistinct       int
}

// opState is what the exploration keeps per relaxed operator, together so
// that visiting an operator touches one cache line: its cost, how many of
// its preconditions are not reached yet, and the sum of their costs.
type opState struct {
	acc, cost     int64
	unsat, preLen int32
}

func newExploration(rt *relaxedTask, max bool) *exploration {
	e := &exploration{
		rt: rt, max: max,
		cost: make([]int64, rt.nFacts), supp: make([]int32, rt.nFacts),
		ops: make([]opState, len(rt.pre)), isGoal: make([]bool, rt.nFacts),
	}
	for _, g := range rt.goal {
		if !e.isGoal[g] {
			e.isGoal[g] = true
			e.goalsDistinct++
		}
	}
	e.queue.bucketed = true
	for i, p := range rt.pre {
		e.ops[i] = opState{cost: rt.cost[i], preLen: int32(len(p))}
		if rt.cost[i] < 0 || rt.cost[i] > bucketLimit {
			e.queue.bucketed = false
		}
	}
	e.addStart = append(e.addStart, 0)
	for _, a := range rt.add {
		e.addFlat = append(e.addFlat, a...)
		e.addStart = append(e.addStart, int32(len(e.addFlat)))
	}
	e.preOfStart = append(e.preOfStart, 0)
	for _, l := range rt.preOf {
		e.preOfFl = append(e.preOfFl, l...)
		e.preOfStart = append(e.preOfStart, int32(len(e.preOfFl)))
	}
	return e
}

// run explores from s and returns the goal's h_add (sum) or h_max value,
// or infinity when some goal is unreachable.
func (e *exploration) run(s state) int64 { return e.explore(s, false) }

// explore is run; with all set it goes on after the goals are reached,
// until every reachable fact has its cost.
func (e *exploration) explore(s state, all bool) int64 {
	rt := e.rt
	cost := e.cost
	for i := range cost {
		cost[i] = infinity
	}
	ops := e.ops
	for i := range ops {
		ops[i].acc, ops[i].unsat = 0, ops[i].preLen
	}
	e.queue.reset()
	rt.trueFacts(s, func(f int32) {
		cost[f] = 0
		e.supp[f] = -1
		e.queue.push(0, f)
	})
	for _, o := range rt.noPre {
		e.reach(o, ops[o].cost)
	}
	goalsLeft := e.goalsDistinct
	isGoal := e.isGoal
	preOfStart, preOf := e.preOfStart, e.preOfFl
	for (all || goalsLeft > 0) && !e.queue.empty() {
		it := e.queue.pop()
		f := it.f
		c := it.c
		if c != cost[f] {
			continue // stale entry
		}
		if isGoal[f] {
			goalsLeft--
		}
		succ := preOf[preOfStart[f]:preOfStart[f+1]]
		if e.max {
			for _, o := range succ {
				// Facts are settled in increasing order: the last one is
				// the maximum.
				op := &ops[o]
				if op.unsat--; op.unsat == 0 {
					e.reach(o, c+op.cost)
				}
			}
			continue
		}
		for _, o := range succ {
			op := &ops[o]
			op.acc += c
			if op.unsat--; op.unsat == 0 {
				e.reach(o, op.acc+op.cost)
			}
		}
	}
	if goalsLeft > 0 {
		return infinity
	}
	var h int64
	for _, g := range rt.goal {
		if e.max {
			h = max(h, cost[g])
		} else {
			h += cost[g]
		}
	}
	return h
}

func (e *exploration) reach(o int32, c int64) {
	cost, supp := e.cost, e.supp
	for _, f := range e.addFlat[e.addStart[o]:e.addStart[o+1]] {
		if c < cost[f] {
			cost[f] = c
			supp[f] = o
			e.queue.push(c, f)
		}
	}
}
