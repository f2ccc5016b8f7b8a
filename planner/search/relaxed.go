package search

// infinity is the heuristic value of a dead end.
const infinity int64 = 1 << 62

// relaxedTask is the delete relaxation of a Task: one relaxed operator for
// each operator's unconditional adds, one for each conditional add (whose
// precondition includes the operator's), and one for each axiom, costing 0.
// Negative conditions (of operators, axioms and the goal) are dropped,
// which keeps every heuristic built on it admissible where the heuristic
// itself is: every plan, with the axioms that fire along it, is a relaxed
// plan of no greater cost.
type relaxedTask struct {
	nFacts int
	pre    [][]int32
	add    [][]int32
	cost   []int64
	orig   []int32   // the operator each relaxed operator comes from; -1 for an axiom
	preOf  [][]int32 // fact -> relaxed operators with it as precondition
	noPre  []int32
	goal   []int32
}

// newRelaxed builds the relaxation, with operator costs under ct.
func newRelaxed(t *Task, ct costType) *relaxedTask {
	rt := &relaxedTask{nFacts: len(t.Facts), preOf: make([][]int32, len(t.Facts)), goal: t.Goal}
	addOp := func(pre, add []int32, cost int64, o int) {
		if len(add) == 0 {
			return
		}
		id := int32(len(rt.pre))
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
	for i := range t.Operators {
		o := &t.Operators[i]
		c := ct.opCost(o.Cost)
		addOp(o.Pre, o.Add, c, i)
		for _, ce := range o.Cond {
			if ce.Delete {
				continue
			}
			pre := append(append([]int32(nil), o.Pre...), ce.Pre...)
			sortUnique(&pre)
			addOp(pre, []int32{ce.Fact}, c, i)
		}
	}
	for _, ax := range t.Axioms {
		addOp(ax.Pre, []int32{ax.Head}, 0, -1)
	}
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
	unsat  []int32
	acc    []int64
	isGoal []bool
	queue  costQueue
	preLen []int32
	// flat copies of the relaxed task
	addStart, addFlat   []int32
	preOfStart, preOfFl []int32
	opCost              []int64
	goalsDistinct       int
}

func newExploration(rt *relaxedTask, max bool) *exploration {
	e := &exploration{
		rt: rt, max: max,
		cost: make([]int64, rt.nFacts), supp: make([]int32, rt.nFacts),
		unsat: make([]int32, len(rt.pre)), acc: make([]int64, len(rt.pre)),
		isGoal: make([]bool, rt.nFacts), preLen: make([]int32, len(rt.pre)),
		opCost: rt.cost,
	}
	for _, g := range rt.goal {
		if !e.isGoal[g] {
			e.isGoal[g] = true
			e.goalsDistinct++
		}
	}
	e.queue.bucketed = true
	for i, p := range rt.pre {
		e.preLen[i] = int32(len(p))
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
	copy(e.unsat, e.preLen)
	clear(e.acc)
	e.queue.reset()
	for f := range members(s) {
		cost[f] = 0
		e.supp[f] = -1
		e.queue.push(0, f)
	}
	for _, o := range rt.noPre {
		e.reach(o, e.opCost[o])
	}
	goalsLeft := e.goalsDistinct
	unsat, acc, isGoal := e.unsat, e.acc, e.isGoal
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
		ops := preOf[preOfStart[f]:preOfStart[f+1]]
		if e.max {
			for _, o := range ops {
				// Facts are settled in increasing order: the last one is
				// the maximum.
				unsat[o]--
				if unsat[o] == 0 {
					e.reach(o, c+e.opCost[o])
				}
			}
			continue
		}
		for _, o := range ops {
			acc[o] += c
			unsat[o]--
			if unsat[o] == 0 {
				e.reach(o, acc[o]+e.opCost[o])
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
