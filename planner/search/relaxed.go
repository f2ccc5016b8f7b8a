package search

// infinity is the heuristic value of a dead end.
const infinity int64 = 1 << 62

// relaxedTask is the delete relaxation of a Problem: one relaxed operator for
// each operator's unconditional adds and one for each conditional add (whose
// precondition includes the operator's). Negative preconditions and goals
// are dropped, which keeps every heuristic built on it admissible where the
// heuristic itself is.
type relaxedTask struct {
	nFacts int
	pre    [][]int32
	add    [][]int32
	cost   []int64
	orig   []int32   // the Problem operator each relaxed operator comes from
	preOf  [][]int32 // fact -> relaxed operators with it as precondition
	noPre  []int32
	goal   []int32
}

// newRelaxed builds the relaxation; unit makes every operator cost 1.
func newRelaxed(p *Problem, unit bool) *relaxedTask {
	rt := &relaxedTask{nFacts: len(p.Facts), preOf: make([][]int32, len(p.Facts)), goal: p.Goal}
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
	for i := range p.Operators {
		o := &p.Operators[i]
		c := o.Cost
		if unit {
			c = 1
		}
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

// exploration computes h_add or h_max (a generalised Dijkstra over the
// relaxed task) and remembers each fact's best supporter for h_FF.
type exploration struct {
	rt      *relaxedTask
	max     bool
	cost    []int64
	supp    []int32
	unsat   []int32
	acc     []int64
	isGoal  []bool
	heap    factHeap
	preLen  []int32
	settled []bool
}

func newExploration(rt *relaxedTask, max bool) *exploration {
	e := &exploration{
		rt: rt, max: max,
		cost: make([]int64, rt.nFacts), supp: make([]int32, rt.nFacts),
		unsat: make([]int32, len(rt.pre)), acc: make([]int64, len(rt.pre)),
		isGoal: make([]bool, rt.nFacts), preLen: make([]int32, len(rt.pre)),
		settled: make([]bool, rt.nFacts),
	}
	for _, g := range rt.goal {
		e.isGoal[g] = true
	}
	for i, p := range rt.pre {
		e.preLen[i] = int32(len(p))
	}
	return e
}

// run explores from s and returns the goal's h_add (sum) or h_max value,
// or infinity when some goal is unreachable.
func (e *exploration) run(s state) int64 {
	rt := e.rt
	for i := range e.cost {
		e.cost[i] = infinity
		e.settled[i] = false
	}
	copy(e.unsat, e.preLen)
	clear(e.acc)
	e.heap = e.heap[:0]
	for wi, w := range s {
		for w != 0 {
			b := w & -w
			f := int32(wi*64 + trailingZeros(w))
			w ^= b
			e.cost[f] = 0
			e.supp[f] = -1
			e.heap.push(0, f)
		}
	}
	for _, o := range rt.noPre {
		e.reach(o, rt.cost[o])
	}
	goalsLeft := 0
	for _, g := range rt.goal {
		if !e.settled[g] {
			e.settled[g] = true // temporarily mark to count distinct goals
			goalsLeft++
		}
	}
	for _, g := range rt.goal {
		e.settled[g] = false
	}
	for len(e.heap) > 0 && goalsLeft > 0 {
		it := e.heap.pop()
		f := it.f
		if e.settled[f] || it.c > e.cost[f] {
			continue
		}
		e.settled[f] = true
		if e.isGoal[f] {
			goalsLeft--
		}
		c := it.c
		for _, o := range rt.preOf[f] {
			if e.max {
				if c > e.acc[o] {
					e.acc[o] = c
				}
			} else {
				e.acc[o] += c
			}
			e.unsat[o]--
			if e.unsat[o] == 0 {
				e.reach(o, e.acc[o]+rt.cost[o])
			}
		}
	}
	if goalsLeft > 0 {
		return infinity
	}
	var h int64
	for _, g := range rt.goal {
		if e.max {
			h = max(h, e.cost[g])
		} else {
			h += e.cost[g]
		}
	}
	return h
}

func (e *exploration) reach(o int32, c int64) {
	for _, f := range e.rt.add[o] {
		if c < e.cost[f] {
			e.cost[f] = c
			e.supp[f] = o
			e.heap.push(c, f)
		}
	}
}
