package search

import (
	"errors"
	"slices"
)

// ErrNotStratified is returned by Ground for axioms whose derived facts
// depend on themselves through a negation.
var ErrNotStratified = errors.New("search: the axioms are not stratified")

// assignLayers sets each axiom's layer and sorts the axioms by layer.
func (t *Task) assignLayers() error {
	nd := len(t.Facts) - t.Primary
	type edge struct {
		to  int32
		neg bool
	}
	deps := make([][]edge, nd)
	for _, ax := range t.Axioms {
		h := int(ax.Head) - t.Primary
		for _, f := range ax.Pre {
			if int(f) >= t.Primary {
				deps[h] = append(deps[h], edge{f - int32(t.Primary), false})
			}
		}
		for _, f := range ax.NegPre {
			if int(f) >= t.Primary {
				deps[h] = append(deps[h], edge{f - int32(t.Primary), true})
			}
		}
	}
	comp, order := components(nd, func(v int32, visit func(int32)) {
		for _, e := range deps[v] {
			visit(e.to)
		}
	})
	// order lists the components so that each comes after those it
	// depends on.
	layer := make([]int, len(order))
	for _, c := range order {
		for _, v := range c {
			for _, e := range deps[v] {
				d := comp[e.to]
				switch {
				case d == comp[v] && e.neg:
					return ErrNotStratified
				case e.neg:
					layer[comp[v]] = max(layer[comp[v]], layer[d]+1)
				default:
					layer[comp[v]] = max(layer[comp[v]], layer[d])
				}
			}
		}
	}
	for i := range t.Axioms {
		t.Axioms[i].Layer = layer[comp[int(t.Axioms[i].Head)-t.Primary]]
	}
	slices.SortStableFunc(t.Axioms, func(a, b Axiom) int { return a.Layer - b.Layer })
	return nil
}

// components finds the strongly connected components of a graph over the
// vertices 0..n-1 (Tarjan's algorithm, without recursion): comp maps each
// vertex to its component's index in order, and order lists the
// components so that every component comes after the components it
// reaches.
func components(n int, succ func(v int32, visit func(int32))) (comp []int32, order [][]int32) {
	index := make([]int32, n)
	low := make([]int32, n)
	onStack := make([]bool, n)
	comp = make([]int32, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int32
	type frame struct {
		v    int32
		next []int32
	}
	var calls []frame
	counter := int32(0)
	for root := range int32(n) {
		if index[root] >= 0 {
			continue
		}
		push := func(v int32) {
			index[v], low[v] = counter, counter
			counter++
			stack = append(stack, v)
			onStack[v] = true
			var next []int32
			succ(v, func(w int32) { next = append(next, w) })
			calls = append(calls, frame{v, next})
		}
		push(root)
		for len(calls) > 0 {
			top := &calls[len(calls)-1]
			if len(top.next) > 0 {
				w := top.next[0]
				top.next = top.next[1:]
				if index[w] < 0 {
					push(w)
				} else if onStack[w] {
					low[top.v] = min(low[top.v], index[w])
				}
				continue
			}
			v := top.v
			calls = calls[:len(calls)-1]
			if len(calls) > 0 {
				u := calls[len(calls)-1].v
				low[u] = min(low[u], low[v])
			}
			if low[v] == index[v] {
				var c []int32
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp[w] = int32(len(order))
					c = append(c, w)
					if w == v {
						break
					}
				}
				order = append(order, c)
			}
		}
	}
	return comp, order
}

// axiomEvaluator derives the derived facts of packed-bit states: layer by
// layer, each axiom counts its unsatisfied same-layer positive conditions
// and fires when none is left (forward chaining); conditions on primary
// facts and on lower layers are checked once per layer. An axiom with such
// a positive condition is looked at only when the first of them (the
// watched fact) holds, so that an evaluation costs in proportion to the
// facts that hold rather than to the number of axioms.
type axiomEvaluator struct {
	t       *Task
	primary int32
	layers  []int32   // start of each layer in t.Axioms, and len(t.Axioms)
	same    [][]int32 // per derived fact: the axioms of its own layer with it in Pre
	nSame   []int32   // per axiom: same-layer derived facts in Pre
	ext     [][]int32 // per axiom: the other facts of Pre, the watched one first
	// always holds per layer the axioms without a fact in ext, looked at in
	// every evaluation; watched per layer the watched facts with the
	// axioms that watch them.
	always  [][]int32
	watched [][]watchList
	count   []int32
	// stamp marks the axioms activated in evaluation gen: their count is
	// valid; the others are inactive.
	stamp []uint32
	gen   uint32
	queue []int32
}

// watchList is a watched fact and the axioms that watch it.
type watchList struct {
	fact   int32
	axioms []int32
}

func newAxiomEvaluator(t *Task) *axiomEvaluator {
	ev := &axiomEvaluator{t: t, primary: int32(t.Primary)}
	if len(t.Axioms) == 0 {
		return ev
	}
	nd := len(t.Facts) - t.Primary
	ev.same = make([][]int32, nd)
	ev.nSame = make([]int32, len(t.Axioms))
	ev.count = make([]int32, len(t.Axioms))
	ev.stamp = make([]uint32, len(t.Axioms))
	ev.ext = make([][]int32, len(t.Axioms))
	layerOf := make([]int, nd)
	for _, ax := range t.Axioms {
		layerOf[ax.Head-ev.primary] = ax.Layer
	}
	var watchIndex map[int32]int
	for i, ax := range t.Axioms {
		if i == 0 || ax.Layer != t.Axioms[i-1].Layer {
			ev.layers = append(ev.layers, int32(i))
			ev.always = append(ev.always, nil)
			ev.watched = append(ev.watched, nil)
			watchIndex = map[int32]int{}
		}
		for _, f := range ax.Pre {
			if f >= ev.primary && layerOf[f-ev.primary] == ax.Layer {
				ev.same[f-ev.primary] = append(ev.same[f-ev.primary], int32(i))
				ev.nSame[i]++
			} else {
				ev.ext[i] = append(ev.ext[i], f)
			}
		}
		l := len(ev.layers) - 1
		if len(ev.ext[i]) == 0 {
			ev.always[l] = append(ev.always[l], int32(i))
			continue
		}
		f := ev.ext[i][0]
		w, ok := watchIndex[f]
		if !ok {
			w = len(ev.watched[l])
			watchIndex[f] = w
			ev.watched[l] = append(ev.watched[l], watchList{fact: f})
		}
		ev.watched[l][w].axioms = append(ev.watched[l][w].axioms, int32(i))
	}
	ev.layers = append(ev.layers, int32(len(t.Axioms)))
	return ev
}

// evaluate sets the derived facts of s (a bit set over all facts whose
// primary facts are set) and clears the others.
func (ev *axiomEvaluator) evaluate(s state) {
	n := int32(len(ev.t.Facts))
	if n == ev.primary {
		return
	}
	// Clear the derived facts: whole words where they fill them (s may
	// hold more than the facts beyond them), bit by bit at the ends.
	f := ev.primary
	for ; f < n && f&63 != 0; f++ {
		s.clear(f)
	}
	clear(s[f>>6 : n>>6])
	for f = max(f, n&^63); f < n; f++ {
		s.clear(f)
	}
	ev.gen++
	if ev.gen == 0 {
		clear(ev.stamp)
		ev.gen = 1
	}
	axioms := ev.t.Axioms
	for l := 0; l+1 < len(ev.layers); l++ {
		queue := ev.queue[:0]
		for _, i := range ev.always[l] {
			queue = ev.activate(s, i, queue)
		}
		for _, w := range ev.watched[l] {
			if !s.has(w.fact) {
				continue
			}
			for _, i := range w.axioms {
				queue = ev.activate(s, i, queue)
			}
		}
		for len(queue) > 0 {
			f := queue[len(queue)-1]
			queue = queue[:len(queue)-1]
			for _, ai := range ev.same[f-ev.primary] {
				if ev.stamp[ai] != ev.gen || ev.count[ai] <= 0 {
					continue
				}
				ev.count[ai]--
				if h := axioms[ai].Head; ev.count[ai] == 0 && !s.has(h) {
					s.set(h)
					queue = append(queue, h)
				}
			}
		}
		ev.queue = queue
	}
}

// activate makes axiom i count its same-layer conditions when its other
// conditions hold in s, firing it at once when it has none; it returns the
// queue of newly derived facts.
func (ev *axiomEvaluator) activate(s state, i int32, queue []int32) []int32 {
	ax := &ev.t.Axioms[i]
	if !noneIn(s, ax.NegPre) || !allIn(s, ev.ext[i]) {
		return queue
	}
	ev.stamp[i] = ev.gen
	n := ev.nSame[i]
	ev.count[i] = n
	if n == 0 && !s.has(ax.Head) {
		s.set(ax.Head)
		queue = append(queue, ax.Head)
	}
	return queue
}
