package search

import "slices"

// addReasonableOrders adds the reasonable orders of Hoffmann, Porteous and
// Sebastia as Fast Downward approximates them: a fact landmark B is
// ordered reasonably before a goal landmark A when A interferes with B
// (once A holds, B cannot be achieved without destroying A); and before a
// landmark L that is greedy-necessarily ordered before some landmark C,
// when B is (an ancestor of) another natural or greedy-necessary parent of
// C and L interferes with B. A reasonable order says that achieving B
// after A would have to undo A: the landmark heuristic counts A again
// until B is past.
func (lg *landmarkGraph) addReasonableOrders(t *Task, mx *mutexInfo) {
	if mx == nil || len(mx.groups) == 0 {
		return
	}
	n := len(lg.lms)
	fact := func(i int) bool { return len(lg.lms[i].facts) == 1 }
	// parents[i]: natural and greedy-necessary parents of landmark i.
	parents := make([][]int32, n)
	for i := range n {
		parents[i] = append(parents[i], lg.natural[i]...)
	}
	for i, cs := range lg.gnChildren {
		for _, c := range cs {
			parents[c] = append(parents[c], int32(i))
		}
	}
	shared := make([]*sharedEffects, n)
	ancestors := func(start int32, into map[int32]bool) {
		stack := []int32{start}
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, p := range parents[x] {
				if !into[p] {
					into[p] = true
					stack = append(stack, p)
				}
			}
		}
	}
	add := func(before, after int) {
		if !slices.Contains(lg.reasonable[after], int32(before)) {
			lg.reasonable[after] = append(lg.reasonable[after], int32(before))
		}
	}
	for a := range n {
		if !fact(a) {
			continue
		}
		if lg.lms[a].goal {
			for b := range n {
				if b != a && fact(b) && lg.interferes(t, mx, shared, b, a) {
					add(b, a)
				}
			}
			continue
		}
		cands := map[int32]bool{}
		for _, c := range lg.gnChildren[a] {
			for _, p := range parents[c] {
				if int(p) == a || !fact(int(p)) {
					continue
				}
				cands[p] = true
				ancestors(p, cands)
			}
		}
		order := make([]int32, 0, len(cands))
		for b := range cands {
			order = append(order, b)
		}
		slices.Sort(order)
		for _, b := range order {
			if int(b) != a && fact(int(b)) && lg.interferes(t, mx, shared, int(b), a) {
				add(int(b), a)
			}
		}
	}
	for i := range lg.reasonable {
		slices.Sort(lg.reasonable[i])
	}
}

// sharedEffects are the effects every achiever of a fact landmark has.
type sharedEffects struct {
	add, del []int32
}

// interferes reports whether landmark b interferes with landmark a:
// achieving a is impossible while b holds, because a and b are mutex, or
// because every achiever of a also adds a fact mutex with b or deletes b.
func (lg *landmarkGraph) interferes(t *Task, mx *mutexInfo, shared []*sharedEffects, a, b int) bool {
	fa, fb := lg.lms[a].facts[0], lg.lms[b].facts[0]
	if fa == fb {
		return false
	}
	if mx.mutex(fa, fb) {
		return true
	}
	se := shared[a]
	if se == nil {
		se = lg.sharedEffects(t, a)
		shared[a] = se
	}
	if slices.Contains(se.del, fb) {
		return true
	}
	for _, e := range se.add {
		if e != fa && e != fb && mx.mutex(e, fb) {
			return true
		}
	}
	return false
}

// sharedEffects intersects the unconditional effects of the operators that
// achieve landmark i (none when an axiom achieves it).
func (lg *landmarkGraph) sharedEffects(t *Task, i int) *sharedEffects {
	se := &sharedEffects{}
	first := true
	for _, ro := range lg.lms[i].possible {
		o := lg.rt.orig[ro]
		if o < 0 {
			return &sharedEffects{}
		}
		op := &t.Operators[o]
		if first {
			se.add = slices.Clone(op.Add)
			se.del = slices.Clone(op.Del)
			first = false
			continue
		}
		se.add = slices.DeleteFunc(se.add, func(f int32) bool { _, ok := slices.BinarySearch(op.Add, f); return !ok })
		se.del = slices.DeleteFunc(se.del, func(f int32) bool { _, ok := slices.BinarySearch(op.Del, f); return !ok })
		if len(se.add) == 0 && len(se.del) == 0 {
			break
		}
	}
	return se
}
