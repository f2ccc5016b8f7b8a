package search

import (
	"slices"
	"strings"
)

// landmark is a fact landmark (one fact) or a disjunctive one (a few
// facts, one of which every plan makes true at some point).
type landmark struct {
	facts []int32
	goal  bool // a goal fact
	// first lists the relaxed operators (see relaxedTask) that can achieve
	// the landmark for the first time, possible all that achieve it.
	first, possible []int32
}

// landmarkGraph holds landmarks of the delete relaxation (axioms taking
// part as zero-cost operators; see relaxedTask) and orders between them.
//
// Fact landmarks come from Zhu and Givan's label propagation from the
// initial state: a fact's label is the set of facts every relaxed plan
// reaching it must achieve first, and the landmarks are the union of the
// goals' labels; a fact in another's label is naturally ordered before it.
// Disjunctive landmarks are found as in RHW: when every first achiever of
// a fact landmark p (an achiever reachable without p) has a precondition
// with the same predicate, the set of those preconditions (2 to 4 facts)
// is a landmark. A landmark L is ordered greedy-necessarily before p when
// every first achiever of p needs a fact of L. Reasonable orders (Hoffmann,
// Porteous and Sebastia) come from mutexes (see addReasonableOrders).
//
// Every plan, with the axioms that fire along it, is a relaxed plan, so
// these landmarks and orders hold for every plan of the task too.
type landmarkGraph struct {
	lms   []landmark
	index []int32 // fact -> its fact landmark, or -1
	// natural[i] lists the landmarks naturally ordered before i (every
	// plan achieves them first); gnChildren[i] those that i is
	// greedy-necessarily ordered before; reasonable[i] the landmarks
	// reasonably ordered before i.
	natural    [][]int32
	gnChildren [][]int32
	reasonable [][]int32
	// unreachable is set when some goal is not relaxed-reachable.
	unreachable bool
	rt          *relaxedTask
}

func (g *landmarkGraph) holds(s state, i int32) bool {
	for _, f := range g.lms[i].facts {
		if g.rt.holds(s, f) {
			return true
		}
	}
	return false
}

// findLandmarks computes the landmark graph of t; mx (which may be nil)
// holds the mutexes reasonable orders come from.
func findLandmarks(t *Task, mx *mutexInfo) *landmarkGraph {
	rt := newRelaxed(t, costOne)
	n := rt.nFacts
	lg := &landmarkGraph{index: make([]int32, n), rt: rt}
	for i := range lg.index {
		lg.index[i] = -1
	}
	labels := zhuGivanLabels(rt, t)
	addLM := func(f int32, goal bool) int32 {
		if i := lg.index[f]; i >= 0 {
			lg.lms[i].goal = lg.lms[i].goal || goal
			return i
		}
		lg.index[f] = int32(len(lg.lms))
		lg.lms = append(lg.lms, landmark{facts: []int32{f}, goal: goal})
		return lg.index[f]
	}
	for _, g := range t.Goal {
		if labels[g] == nil {
			lg.unreachable = true
			continue
		}
		addLM(g, true)
	}
	for _, g := range t.Goal {
		for _, f := range labels[g] {
			addLM(f, false)
		}
	}
	nFact := len(lg.lms)
	lg.natural = make([][]int32, nFact)
	for i := range nFact {
		p := lg.lms[i].facts[0]
		for _, f := range labels[p] {
			if f != p && lg.index[f] >= 0 {
				lg.natural[i] = append(lg.natural[i], lg.index[f])
			}
		}
	}
	achievers := make([][]int32, n)
	for o, add := range rt.add {
		for _, f := range add {
			achievers[f] = append(achievers[f], int32(o))
		}
	}
	reachable := func(o int32) bool {
		for _, q := range rt.pre[o] {
			if labels[q] == nil {
				return false
			}
		}
		return true
	}
	for i := range nFact {
		p := lg.lms[i].facts[0]
		for _, o := range achievers[p] {
			if !reachable(o) {
				continue
			}
			lg.lms[i].possible = append(lg.lms[i].possible, o)
			needsP := false
			for _, q := range rt.pre[o] {
				if _, found := slices.BinarySearch(labels[q], p); found {
					needsP = true
					break
				}
			}
			if !needsP {
				lg.lms[i].first = append(lg.lms[i].first, o)
			}
		}
	}
	lg.orders(t, labels, achievers, reachable)
	lg.addReasonableOrders(t, mx)
	return lg
}

// zhuGivanLabels propagates labels over the relaxed task from the initial
// state (and the derived facts true there): label[f] (sorted; nil when f
// is not relaxed-reachable) holds the facts every relaxed plan reaching f
// achieves, f included.
func zhuGivanLabels(rt *relaxedTask, t *Task) [][]int32 {
	n := rt.nFacts
	labels := make([][]int32, n)
	s := newState(len(t.Facts))
	for _, f := range t.Init {
		s.set(f)
	}
	newAxiomEvaluator(t).evaluate(s)
	rt.trueFacts(s, func(f int32) { labels[f] = []int32{f} })
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
	mark := make([]bool, n)
	var opLabel []int32
	for len(queue) > 0 {
		o := queue[0]
		queue = queue[1:]
		inQueue[o] = false
		// The union of the preconditions' labels.
		opLabel = opLabel[:0]
		for _, f := range rt.pre[o] {
			for _, l := range labels[f] {
				if !mark[l] {
					mark[l] = true
					opLabel = append(opLabel, l)
				}
			}
		}
		for _, l := range opLabel {
			mark[l] = false
		}
		slices.Sort(opLabel)
		for _, g := range rt.add[o] {
			changed := false
			if labels[g] == nil {
				l := make([]int32, 0, len(opLabel)+1)
				l = append(l, opLabel...)
				if i, found := slices.BinarySearch(l, g); !found {
					l = slices.Insert(l, i, g)
				}
				labels[g] = l
				for _, o2 := range rt.preOf[g] {
					unsat[o2]--
				}
				changed = true
			} else {
				// Keep the facts also in opLabel, and g itself.
				old := labels[g]
				kept := old[:0:0]
				j := 0
				for _, f := range old {
					for j < len(opLabel) && opLabel[j] < f {
						j++
					}
					if f == g || j < len(opLabel) && opLabel[j] == f {
						kept = append(kept, f)
					}
				}
				if len(kept) != len(old) {
					labels[g] = kept
					changed = true
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
	return labels
}

// orders finds the greedy-necessary orders and the disjunctive landmarks.
func (lg *landmarkGraph) orders(t *Task, labels [][]int32, achievers [][]int32, reachable func(int32) bool) {
	rt := lg.rt
	n := rt.nFacts
	predOf := make([]int, n)
	predID := map[string]int{}
	for f := range n {
		var pred string
		if f < rt.nTask {
			pred, _, _ = strings.Cut(t.Facts[f], " ")
		} else {
			pred, _, _ = strings.Cut(t.Facts[rt.negOf[f-rt.nTask]], " ")
			pred = "not " + pred
		}
		id, ok := predID[pred]
		if !ok {
			id = len(predID)
			predID[pred] = id
		}
		predOf[f] = id
	}
	initial := make([]bool, n)
	for f := range labels {
		if len(labels[f]) == 1 && labels[f][0] == int32(f) {
			initial[f] = true // true initially (or derived there)
		}
	}
	type order struct{ before, after int32 }
	var orders []order
	disj := map[string]int32{}
	count := make(map[int32]int)
	byPred := map[int][]int32{}
	covered := map[int]int{}
	nFact := len(lg.lms)
	for pi := range int32(nFact) {
		lm := &lg.lms[pi]
		pf := lm.facts[0]
		if initial[pf] || len(lm.first) == 0 {
			continue
		}
		clear(count)
		clear(byPred)
		clear(covered)
		for _, o := range lm.first {
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
		first := len(lm.first)
		for q, c := range count {
			if c == first && lg.index[q] >= 0 && q != pf {
				orders = append(orders, order{lg.index[q], pi})
			}
		}
		prs := make([]int, 0, len(covered))
		for pr := range covered {
			prs = append(prs, pr)
		}
		slices.Sort(prs)
		for _, pr := range prs {
			c := covered[pr]
			d := byPred[pr]
			if c != first || len(d) < 2 || len(d) > 4 {
				continue
			}
			ok := true
			for _, q := range d {
				if initial[q] || lg.index[q] >= 0 || q == pf {
					ok = false
				}
			}
			if !ok {
				continue
			}
			d = slices.Clone(d)
			slices.Sort(d)
			key := string(int32sKey(d))
			di, found := disj[key]
			if !found {
				di = int32(len(lg.lms))
				disj[key] = di
				var ach []int32
				for _, q := range d {
					for _, o := range achievers[q] {
						if reachable(o) && !slices.Contains(ach, o) {
							ach = append(ach, o)
						}
					}
				}
				lg.lms = append(lg.lms, landmark{facts: d, first: ach, possible: ach})
				lg.natural = append(lg.natural, nil)
			}
			orders = append(orders, order{di, pi})
		}
	}
	// Keep the map iteration above from making the graph depend on Go's
	// map order: sort the orders.
	slices.SortFunc(orders, func(a, b order) int {
		if a.before != b.before {
			return int(a.before - b.before)
		}
		return int(a.after - b.after)
	})
	lg.gnChildren = make([][]int32, len(lg.lms))
	for _, o := range orders {
		lg.gnChildren[o.before] = append(lg.gnChildren[o.before], o.after)
	}
	for i := range lg.gnChildren {
		lg.gnChildren[i] = slices.Compact(lg.gnChildren[i])
	}
	lg.reasonable = make([][]int32, len(lg.lms))
}

func int32sKey(d []int32) []byte {
	b := make([]byte, 0, 4*len(d))
	for _, x := range d {
		b = append(b, byte(x), byte(x>>8), byte(x>>16), byte(x>>24))
	}
	return b
}
