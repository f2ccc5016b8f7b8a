package planner

import (
	"maps"
	"slices"
	"sort"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// relevance is the value of the relevance stage: the APIs that may take
// part in a plan, in the order the facts and the task list them.
type relevance struct {
	apis []int
	is   map[int]bool
	// candidate holds the backward closure of the roots and of extra
	// (candidates in the order found), before pruning.
	candidate  map[int]bool
	candidates []int
	// extra lists the producers brought in for rejected values and
	// policies' requirements (see neededProducers).
	extra []int
	// keepDead is set when a goal cannot be reached: the closure then goes
	// through APIs that can never be called too, so that the issues name
	// the root cause.
	keepDead bool
	// full and foreseen are set when cost pruning narrowed apis: full is
	// the relevance before, foreseen the answer set it assumed (foresee.go).
	full     *relevance
	foreseen *analysis
}

// relevance is the relevance stage: the backward closure of the roots and
// of extra through the producers of every input that may need one, less
// what can never be called (see prune). keepDead carries over a previous
// round's finding that a goal is unreachable.
func (s *situation) relevance(extra []int, keepDead bool) *relevance {
	r := s.closure(extra, keepDead)
	s.prune(r)
	return r
}

// closure returns the backward closure of the roots and of extra.
func (s *situation) closure(extra []int, keepDead bool) *relevance {
	r := &relevance{candidate: map[int]bool{}, extra: extra, keepDead: keepDead}
	s.expand(r, append(append([]int(nil), s.roots...), extra...))
	return r
}

// widen returns r with more APIs brought in: its closure grown from more
// and pruned again (cost pruning is not redone). ok is false when more
// adds nothing to the closure.
func (s *situation) widen(r *relevance, more []int) (wider *relevance, ok bool) {
	n := &relevance{
		candidate:  maps.Clone(r.candidate),
		candidates: slices.Clone(r.candidates),
		extra:      append(slices.Clip(r.extra), more...),
		keepDead:   r.keepDead,
	}
	s.expand(n, more)
	if len(n.candidates) == len(r.candidates) {
		return r, false
	}
	s.prune(n)
	return n, true
}

// expand adds the APIs in queue and, transitively, the producers of every
// slot a candidate may still need.
func (s *situation) expand(r *relevance, queue []int) {
	for len(queue) > 0 {
		ai := queue[0]
		queue = queue[1:]
		if r.candidate[ai] || (!slices.Contains(s.roots, ai) && (!s.meansAllowed(ai) || (!r.keepDead && s.dead(ai)))) {
			continue
		}
		r.candidate[ai] = true
		r.candidates = append(r.candidates, ai)
		a := s.api(ai)
		for _, in := range a.Inputs {
			if s.needsProducer(a, in) {
				for _, slot := range s.accepted(in) {
					queue = append(queue, s.producersOf(slot)...)
				}
			}
		}
	}
}

// prune keeps the candidates that can take part in a plan: those whose
// required inputs can all be had — given, defaulted, askable, or produced by
// another such candidate — and that serve a root through such candidates.
// The APIs it drops can never be called (an internal id nothing reachable
// produces), so plans do not change. When a goal itself cannot be reached,
// every candidate stays, so that the issues can name the root cause.
func (s *situation) prune(r *relevance) {
	avail := map[string]bool{}
	for slot := range s.givenSlot {
		avail[slot] = true
	}
	for slot := range s.doneSlots {
		avail[slot] = true
	}
	inputOK := func(a *registry.API, in registry.Input) bool {
		if !in.Required || in.Default != nil {
			return true
		}
		if _, ok := s.givenInput[inKey{a.Name, in.Name}]; ok {
			return true
		}
		slots := s.accepted(in)
		if !in.NotAskable && !s.p.internal[slots[0]] {
			return true
		}
		for _, slot := range slots {
			if avail[slot] {
				return true
			}
		}
		return false
	}
	reach := map[int]bool{}
	for changed := true; changed; {
		changed = false
		for _, ai := range r.candidates {
			if reach[ai] {
				continue
			}
			a := s.api(ai)
			ok := true
			for _, in := range a.Inputs {
				if !inputOK(a, in) {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			reach[ai] = true
			changed = true
			for _, o := range a.Outputs {
				avail[o.SlotType()] = true
			}
		}
	}
	keep := reach
	for _, g := range s.goals {
		if !reach[g] {
			// Infeasible: keep everything, dead APIs too, so that the
			// issues name the root cause.
			if !r.keepDead {
				*r = *s.closure(r.extra, true)
			}
			keep = r.candidate
			break
		}
	}
	// Backward again from the roots (and from the producers brought in for
	// rejected values and policies), through kept APIs only.
	r.apis = nil
	r.is = map[int]bool{}
	queue := append(append([]int(nil), s.roots...), r.extra...)
	for len(queue) > 0 {
		ai := queue[0]
		queue = queue[1:]
		if r.is[ai] || !r.candidate[ai] || (!keep[ai] && !slices.Contains(s.roots, ai)) {
			continue
		}
		r.is[ai] = true
		r.apis = append(r.apis, ai)
		a := s.api(ai)
		for _, in := range a.Inputs {
			if !s.needsProducer(a, in) {
				continue
			}
			for _, slot := range s.accepted(in) {
				for _, pi := range s.producersOf(slot) {
					if keep[pi] && !r.is[pi] {
						queue = append(queue, pi)
					}
				}
			}
		}
	}
}

// dead reports whether an API can never be called: a required input needs
// an internal value (not askable) that was not given and that no API of the
// registry produces.
func (s *situation) dead(ai int) bool {
	a := s.api(ai)
	for _, in := range a.Inputs {
		if !s.needsProducer(a, in) {
			continue
		}
		slots := s.accepted(in)
		if !in.NotAskable && !s.p.internal[slots[0]] {
			continue
		}
		produced := false
		for _, slot := range slots {
			if len(s.producersOf(slot)) > 0 {
				produced = true
			}
		}
		if !produced {
			return true
		}
	}
	return false
}

// neededProducers returns the producers, not yet candidates, of the slots
// the answer set says are still needed (values rejected, requirements
// added by policies).
func (s *situation) neededProducers(r *relevance, an *analysis) []int {
	var out []int
	add := func(slot string) {
		if _, ok := s.doneSlots[slot]; ok {
			return
		}
		for _, pi := range s.producersOf(slot) {
			if !r.candidate[pi] {
				out = append(out, pi)
			}
		}
	}
	for k := range an.needInput {
		ai := s.index(k.api)
		for _, in := range s.api(ai).Inputs {
			if in.Name == k.input {
				for _, slot := range s.accepted(in) {
					add(slot)
				}
			}
		}
	}
	for _, slots := range an.extraNeed {
		for _, slot := range slots {
			add(slot)
		}
	}
	sort.Ints(out)
	return out
}
