package search

// landmarkSum is LAMA's landmark heuristic as Fast Downward's landmark_sum
// computes it, with landmark progression (Büchner, Keller, Eriksson and
// Helmert 2023): every state carries the landmarks that are past (achieved
// on the path that first reached it) and future (still to be achieved, or
// achieved again), and its value is the sum, over the future landmarks, of
// the cheapest cost of an achiever (a first achiever when the landmark is
// not past). A future landmark without achievers makes the state a dead
// end. Its preferred operators are the applicable operators that achieve a
// future landmark.
type landmarkSum struct {
	t     *Task
	lg    *landmarkGraph
	words int
	// status holds, per state id, the past bits then the future bits.
	status []uint64
	// firstCost and possibleCost are each landmark's cheapest first and
	// possible achiever (infinity when none); derived landmarks cost the
	// cheapest operator, as in Fast Downward.
	firstCost, possibleCost []int64
	// achieves lists, per relaxed fact, the landmarks that hold when it
	// does; negFact is each task fact's negation fact, or -1.
	achieves [][]int32
	negFact  []int32
	// future is the future set of the state last evaluated.
	future   bitset
	parents  [][]int32 // every ordering parent, for the initial state
	goalLMs  []int32
	rParents [][]int32
}

type bitset []uint64

func (b bitset) has(i int32) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }
func (b bitset) set(i int32)      { b[i>>6] |= 1 << (uint(i) & 63) }
func (b bitset) reset(i int32)    { b[i>>6] &^= 1 << (uint(i) & 63) }

func newLandmarkSum(t *Task, mx *mutexInfo, ct costType) *landmarkSum {
	lg := findLandmarks(t, mx)
	nl := len(lg.lms)
	h := &landmarkSum{t: t, lg: lg, words: max(1, (nl+63)/64)}
	h.future = make(bitset, h.words)
	minOp := infinity
	for i := range t.Operators {
		minOp = min(minOp, ct.opCost(t.Operators[i].Cost))
	}
	cost := func(ops []int32) int64 {
		c := infinity
		for _, o := range ops {
			if oi := lg.rt.orig[o]; oi >= 0 {
				c = min(c, ct.opCost(t.Operators[oi].Cost))
			} else {
				c = min(c, minOp) // an axiom achieves a derived landmark
			}
		}
		return c
	}
	h.firstCost = make([]int64, nl)
	h.possibleCost = make([]int64, nl)
	h.achieves = make([][]int32, lg.rt.nFacts)
	h.negFact = make([]int32, len(t.Facts))
	for i := range h.negFact {
		h.negFact[i] = -1
	}
	for k, f := range lg.rt.negOf {
		h.negFact[f] = int32(lg.rt.nTask + k)
	}
	h.parents = make([][]int32, nl)
	h.rParents = lg.reasonable
	for i := range lg.lms {
		lm := &lg.lms[i]
		h.firstCost[i], h.possibleCost[i] = cost(lm.first), cost(lm.possible)
		for _, f := range lm.facts {
			h.achieves[f] = append(h.achieves[f], int32(i))
		}
		if lm.goal {
			h.goalLMs = append(h.goalLMs, int32(i))
		}
		h.parents[i] = append(h.parents[i], lg.natural[i]...)
		h.parents[i] = append(h.parents[i], lg.reasonable[i]...)
	}
	for i, cs := range lg.gnChildren {
		for _, c := range cs {
			h.parents[c] = append(h.parents[c], int32(i))
		}
	}
	return h
}

func (h *landmarkSum) bytesPerState() int64 { return int64(2*h.words) * 8 }

// statusOf returns the past and future bits of state id, growing the
// store as needed.
func (h *landmarkSum) statusOf(id int32) (past, future bitset) {
	need := int(id+1) * 2 * h.words
	if len(h.status) < need {
		h.status = append(h.status, make([]uint64, need-len(h.status)+len(h.status)/4)...)
	}
	o := int(id) * 2 * h.words
	return bitset(h.status[o : o+h.words]), bitset(h.status[o+h.words : o+2*h.words])
}

func (h *landmarkSum) evaluate(c *evalContext) int64 {
	if h.lg.unreachable {
		return infinity
	}
	lg := h.lg
	nl := int32(len(lg.lms))
	var past, future bitset
	if c.id >= 0 {
		past, future = h.statusOf(c.id)
	} else {
		past, future = make(bitset, h.words), make(bitset, h.words)
	}
	s := c.s
	switch {
	case c.again && c.id >= 0:
		// Nothing to progress: the status was computed when the state
		// was reached.
	case c.parentID < 0:
		// The initial state: a landmark that holds is past, and future
		// too when one of its parents does not hold (it must be achieved
		// again after them).
		clear(past)
		clear(future)
		for i := range nl {
			if lg.holds(s, i) {
				past.set(i)
				for _, p := range h.parents[i] {
					if !lg.holds(s, p) {
						future.set(i)
						break
					}
				}
			} else {
				future.set(i)
			}
		}
	default:
		ppast, pfuture := h.statusOf(c.parentID)
		for i := range past {
			past[i] = ^uint64(0)
		}
		clear(future)
		for i := range nl {
			if !pfuture.has(i) {
				continue
			}
			switch {
			case !lg.holds(s, i):
				future.set(i)
				if !ppast.has(i) {
					past.reset(i)
				}
			case lg.holds(c.parent, i):
				future.set(i) // not achieved by this transition
			}
		}
		for _, i := range h.goalLMs {
			if !lg.holds(s, i) {
				future.set(i)
			}
		}
		for i, children := range lg.gnChildren {
			if future.has(int32(i)) || lg.holds(s, int32(i)) {
				continue
			}
			for _, ch := range children {
				if !past.has(ch) {
					future.set(int32(i))
					break
				}
			}
		}
		for i, ps := range h.rParents {
			for _, p := range ps {
				if !past.has(p) {
					future.set(int32(i))
					break
				}
			}
		}
	}
	copy(h.future, future)
	var sum int64
	for i := range nl {
		if !future.has(i) {
			continue
		}
		c := h.firstCost[i]
		if past.has(i) {
			c = h.possibleCost[i]
		}
		if c >= infinity {
			return infinity
		}
		sum += c
	}
	return sum
}

// preferred appends the applicable operators that achieve a future
// landmark of the state last evaluated.
func (h *landmarkSum) preferred(dst, applicable []int32) []int32 {
	for _, o := range applicable {
		op := &h.t.Operators[o]
		if h.achievesFuture(op.Add) || h.deletesFuture(op.Del) {
			dst = append(dst, o)
			continue
		}
		for _, ce := range op.Cond {
			if !ce.Delete && h.achievesFuture([]int32{ce.Fact}) {
				dst = append(dst, o)
				break
			}
		}
	}
	return dst
}

// deletesFuture reports whether deleting one of facts achieves a future
// landmark (a negation fact).
func (h *landmarkSum) deletesFuture(facts []int32) bool {
	for _, f := range facts {
		if nf := h.negFact[f]; nf >= 0 {
			for _, l := range h.achieves[nf] {
				if h.future.has(l) {
					return true
				}
			}
		}
	}
	return false
}

func (h *landmarkSum) achievesFuture(facts []int32) bool {
	for _, f := range facts {
		for _, l := range h.achieves[f] {
			if h.future.has(l) {
				return true
			}
		}
	}
	return false
}
