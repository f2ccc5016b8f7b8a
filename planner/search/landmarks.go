package search

import (
	"fmt"
	"slices"
	"strings"
)

// maxLandmarkFacts bounds the label propagation, whose memory grows with the
// square of the number of facts; larger problems use their goals alone.
const maxLandmarkFacts = 40000

// landmarkGraph holds landmarks of the delete relaxation. Fact landmarks
// come from Zhu and Givan's label propagation from the initial state: a
// fact's label is the set of facts every relaxed plan reaching it must
// achieve first, and the landmarks are the union of the goals' labels.
// Disjunctive landmarks are found as in RHW: when every first achiever of a
// fact landmark p (an achiever reachable without p) has a precondition with
// the same predicate, the set of those preconditions (2 to 4 facts) is a
// landmark. A landmark L is ordered greedy-necessarily before p when every
// first achiever of p needs a fact of L.
type landmarkGraph struct {
	sets   [][]int32 // landmark i holds when one of the facts sets[i] is true
	index  []int32   // fact -> fact landmark index or -1
	isGoal []bool    // per landmark
	// gnAfter[i] lists the landmarks that landmark i is greedy-necessarily
	// ordered before.
	gnAfter [][]int32
	// unreachable is set when some goal is not relaxed-reachable.
	unreachable bool
}

type bitset []uint64

func newBitset(n int) bitset      { return make(bitset, (n+63)/64) }
func (b bitset) has(i int32) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }
func (b bitset) set(i int32)      { b[i>>6] |= 1 << (uint(i) & 63) }

func findLandmarks(p *Task) *landmarkGraph {
	rt := newRelaxed(p, true)
	n := rt.nFacts
	lg := &landmarkGraph{index: make([]int32, n)}
	for i := range lg.index {
		lg.index[i] = -1
	}
	addLM := func(f int32, goal bool) {
		if lg.index[f] >= 0 {
			if goal {
				lg.isGoal[lg.index[f]] = true
			}
			return
		}
		lg.index[f] = int32(len(lg.sets))
		lg.sets = append(lg.sets, []int32{f})
		lg.isGoal = append(lg.isGoal, goal)
	}
	if n > maxLandmarkFacts {
		for _, g := range p.Goal {
			addLM(g, true)
		}
		lg.gnAfter = make([][]int32, len(lg.sets))
		return lg
	}
	labels := make([]bitset, n) // nil: not reached
	for _, f := range p.Init {
		labels[f] = newBitset(n)
		labels[f].set(f)
	}
	unsat := make([]int32, len(rt.pre))
	inQueue := make([]bool, len(rt.pre))
	var queue []int32
	push := func(o int32) {
		if !inQueue[o] {
			inQueue[o] = true
			queue = append(queue, o)
		}
	}
	for o, pre := range rt.pre {
		for _, f := range pre {
			if labels[f] == nil {
				unsat[o]++
			}
		}
		if unsat[o] == 0 {
			push(int32(o))
		}
	}
	opLabel := newBitset(n)
	for len(queue) > 0 {
		o := queue[0]
		queue = queue[1:]
		inQueue[o] = false
		clear(opLabel)
		for _, f := range rt.pre[o] {
			for i, w := range labels[f] {
				opLabel[i] |= w
			}
		}
		for _, g := range rt.add[o] {
			changed := false
			if labels[g] == nil {
				labels[g] = newBitset(n)
				copy(labels[g], opLabel)
				labels[g].set(g)
				for _, o2 := range rt.preOf[g] {
					unsat[o2]--
				}
				changed = true
			} else {
				l := labels[g]
				for i, w := range l {
					nw := w & opLabel[i]
					if int32(i) == g>>6 {
						nw |= 1 << (uint(g) & 63)
					}
					if nw != w {
						l[i] = nw
						changed = true
					}
				}
			}
			if changed {
				for _, o2 := range rt.preOf[g] {
					if unsat[o2] == 0 {
						push(o2)
					}
				}
			}
		}
	}
	for _, g := range p.Goal {
		if labels[g] == nil {
			lg.unreachable = true
			continue
		}
		addLM(g, true)
	}
	for _, g := range p.Goal {
		if labels[g] == nil {
			continue
		}
		for f := range members(labels[g]) {
			addLM(f, false)
		}
	}
	// Greedy-necessary orders from the first achievers of each landmark.
	achievers := make([][]int32, n)
	for o, add := range rt.add {
		for _, f := range add {
			achievers[f] = append(achievers[f], int32(o))
		}
	}
	predOf := make([]int, n)
	predID := map[string]int{}
	for f, name := range p.Facts {
		pred, _, _ := strings.Cut(name, " ")
		id, ok := predID[pred]
		if !ok {
			id = len(predID)
			predID[pred] = id
		}
		predOf[f] = id
	}
	init := make([]bool, n)
	for _, f := range p.Init {
		init[f] = true
	}
	type order struct{ before, after int32 }
	var orders []order
	disj := map[string]int32{}
	count := make(map[int32]int)
	byPred := map[int][]int32{}
	covered := map[int]int{}
	nFact := len(lg.sets)
	for pi := 0; pi < nFact; pi++ {
		pf := lg.sets[pi][0]
		if init[pf] {
			continue
		}
		clear(count)
		clear(byPred)
		clear(covered)
		first := 0
		for _, o := range achievers[pf] {
			reachable, needsP := true, false
			for _, q := range rt.pre[o] {
				if labels[q] == nil {
					reachable = false
					break
				}
				if labels[q].has(pf) {
					needsP = true
				}
			}
			if !reachable || needsP {
				continue
			}
			first++
			seen := map[int]bool{}
			for _, q := range rt.pre[o] {
				count[q]++
				pr := predOf[q]
				if !seen[pr] {
					seen[pr] = true
					covered[pr]++
				}
				if !slices.Contains(byPred[pr], q) {
					byPred[pr] = append(byPred[pr], q)
				}
			}
		}
		if first == 0 {
			continue
		}
		for q, c := range count {
			if c == first && lg.index[q] >= 0 && q != pf {
				orders = append(orders, order{lg.index[q], int32(pi)})
			}
		}
		for pr, c := range covered {
			d := byPred[pr]
			if c != first || len(d) < 2 || len(d) > 4 {
				continue
			}
			ok := true
			for _, q := range d {
				if init[q] || lg.index[q] >= 0 || q == pf {
					ok = false
				}
			}
			if !ok {
				continue
			}
			d = slices.Clone(d)
			slices.Sort(d)
			key := fmt.Sprint(d)
			di, found := disj[key]
			if !found {
				di = int32(len(lg.sets))
				disj[key] = di
				lg.sets = append(lg.sets, d)
				lg.isGoal = append(lg.isGoal, false)
			}
			orders = append(orders, order{di, int32(pi)})
		}
	}
	lg.gnAfter = make([][]int32, len(lg.sets))
	for _, o := range orders {
		lg.gnAfter[o.before] = append(lg.gnAfter[o.before], o.after)
	}
	for i := range lg.gnAfter {
		slices.Sort(lg.gnAfter[i])
		lg.gnAfter[i] = slices.Compact(lg.gnAfter[i])
	}
	return lg
}

// landmarkCount is LAMA's landmark-count heuristic (unit costs): the number
// of landmarks not yet accepted on the path to a state plus the accepted ones
// that are required again (false now, and a goal or greedy-necessarily
// ordered before a landmark not yet accepted). A landmark is accepted once
// it has been true in a state on the path.
type landmarkCount struct {
	p     *Task
	lg    *landmarkGraph
	words int
	acc   []uint64 // per state id, words words
	cur   bitset
}

func newLandmarkCount(p *Task) *landmarkCount {
	lg := findLandmarks(p)
	w := (len(lg.sets) + 63) / 64
	return &landmarkCount{p: p, lg: lg, words: w, cur: make(bitset, w)}
}

func (h *landmarkCount) evaluate(s state, id, parent int32) int64 {
	if h.lg.unreachable {
		return infinity
	}
	cur := h.cur
	clear(cur)
	if parent >= 0 && int(parent+1)*h.words <= len(h.acc) {
		copy(cur, h.acc[int(parent)*h.words:])
	}
	for i, fs := range h.lg.sets {
		if anyIn(s, fs) {
			cur.set(int32(i))
		}
	}
	if id >= 0 {
		need := int(id+1) * h.words
		for len(h.acc) < need {
			h.acc = append(h.acc, make([]uint64, need-len(h.acc))...)
		}
		copy(h.acc[int(id)*h.words:], cur)
	}
	var c int64
	for i, fs := range h.lg.sets {
		if !cur.has(int32(i)) {
			c++
			continue
		}
		if anyIn(s, fs) {
			continue
		}
		if h.lg.isGoal[i] {
			c++
			continue
		}
		for _, j := range h.lg.gnAfter[i] {
			if !cur.has(j) {
				c++
				break
			}
		}
	}
	return c
}

// bytesPerState is the landmark heuristic's memory per evaluated state.
func (h *landmarkCount) bytesPerState() int64 { return int64(h.words) * 8 }

func anyIn(s state, fs []int32) bool {
	for _, f := range fs {
		if s[f>>6]&(1<<(uint(f)&63)) != 0 {
			return true
		}
	}
	return false
}
