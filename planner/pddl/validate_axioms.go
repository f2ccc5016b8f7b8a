package pddl

import "slices"

// axiomStrata groups the axioms of t by stratum, lowest first: the
// strongly connected components of the dependency graph between derived
// predicates, each after those it depends on. It also returns the set of
// derived predicates. (Task.Check reports axioms that are not stratified.)
func axiomStrata(t *Task) (derived map[string]bool, strata [][]int) {
	derived = map[string]bool{}
	for _, p := range t.Predicates {
		if p.Derived {
			derived[p.Name] = true
		}
	}
	if len(t.Axioms) == 0 {
		return derived, nil
	}
	deps := map[string][]string{}
	var heads []string
	for _, ax := range t.Axioms {
		h := ax.Head.Pred
		if _, ok := deps[h]; !ok {
			heads = append(heads, h)
			deps[h] = nil
		}
		for _, l := range ax.Body {
			if derived[l.Pred] {
				deps[h] = append(deps[h], l.Pred)
			}
		}
	}
	comp := sccs(heads, func(v string) []string { return deps[v] })
	n := 0
	for _, c := range comp {
		n = max(n, c+1)
	}
	strata = make([][]int, n)
	for i, ax := range t.Axioms {
		c := comp[ax.Head.Pred]
		strata[c] = append(strata[c], i)
	}
	return derived, slices.DeleteFunc(strata, func(s []int) bool { return len(s) == 0 })
}

// derive recomputes the derived atoms of state: it drops those it holds
// and applies the axioms stratum by stratum until nothing new follows
// (semi-naive evaluation: after the first round, a rule is joined only
// with at least one atom derived in the round before).
func (v *validator) derive(state world) {
	if len(v.derived) == 0 {
		return
	}
	for k, a := range state {
		if v.derived[a.Pred] {
			delete(state, k)
		}
	}
	if len(v.strata) == 0 {
		return
	}
	ix := newAtomIndex(state)
	for _, stratum := range v.strata {
		inStratum := map[string]bool{}
		for _, ai := range stratum {
			inStratum[v.task.Axioms[ai].Head.Pred] = true
		}
		var delta map[string][]GroundAtom
		for round := 0; ; round++ {
			var fresh []GroundAtom
			emit := func(ax *Axiom, binding []int) {
				g := GroundAtom{Pred: ax.Head.Pred, Args: v.groundArgs(ax.Head.Args, binding)}
				k := g.key()
				if _, ok := state[k]; ok {
					return
				}
				state[k] = g
				ix.add(g)
				fresh = append(fresh, g)
			}
			for _, ai := range stratum {
				ax := &v.task.Axioms[ai]
				if round == 0 {
					v.join(ax, state, ix, -1, nil, emit)
					continue
				}
				for i, l := range ax.Body {
					if !l.Negated && inStratum[l.Pred] && len(delta[l.Pred]) > 0 {
						v.join(ax, state, ix, i, delta[l.Pred], emit)
					}
				}
			}
			if len(fresh) == 0 {
				break
			}
			delta = map[string][]GroundAtom{}
			for _, g := range fresh {
				delta[g.Pred] = append(delta[g.Pred], g)
			}
		}
	}
}

// atomIndex finds the atoms of a state by predicate and by an argument.
type atomIndex struct {
	byPred map[string][]GroundAtom
	byArg  map[argKey][]GroundAtom
}

type argKey struct {
	pred     string
	pos, obj int
}

func newAtomIndex(state world) *atomIndex {
	ix := &atomIndex{byPred: map[string][]GroundAtom{}, byArg: map[argKey][]GroundAtom{}}
	for _, g := range state {
		ix.add(g)
	}
	return ix
}

func (ix *atomIndex) add(g GroundAtom) {
	ix.byPred[g.Pred] = append(ix.byPred[g.Pred], g)
	for i, o := range g.Args {
		k := argKey{g.Pred, i, o}
		ix.byArg[k] = append(ix.byArg[k], g)
	}
}

// join calls emit for every assignment of ax's parameters (of their types)
// that makes its body true in state (indexed by ix). When forced >= 0, body
// literal forced (a positive one) is matched against cands only.
// Positive literals are matched against the atoms present, the one with
// the most bound arguments first; the parameters no positive literal binds
// are then enumerated over their types; every other literal is checked as
// soon as its variables are bound.
func (v *validator) join(ax *Axiom, state world, ix *atomIndex, forced int, cands []GroundAtom, emit func(*Axiom, []int)) {
	binding := make([]int, len(ax.Params))
	for i := range binding {
		binding[i] = -1
	}
	done := make([]bool, len(ax.Body))
	var rec func()
	bound := func(l *Literal) bool {
		for _, t := range l.Args {
			if t.Var >= 0 && binding[t.Var] < 0 {
				return false
			}
		}
		return true
	}
	var enumerate func(p int)
	finish := func() {
		for i := range ax.Body {
			if !done[i] && !v.holds(state, ax.Body[i], binding) {
				return
			}
		}
		emit(ax, binding)
	}
	enumerate = func(p int) {
		for p < len(binding) && binding[p] >= 0 {
			p++
		}
		if p == len(binding) {
			finish()
			return
		}
		for _, o := range v.objectsOf(ax.Params[p].Type) {
			binding[p] = o
			ok := true
			for i := range ax.Body {
				if !done[i] && bound(&ax.Body[i]) && !v.holds(state, ax.Body[i], binding) {
					ok = false
					break
				}
			}
			if ok {
				enumerate(p + 1)
			}
		}
		binding[p] = -1
	}
	rec = func() {
		// Pick the next positive literal to match: the forced one first,
		// then the one with the most bound arguments.
		best, bestBound := -1, -1
		for i := range ax.Body {
			l := &ax.Body[i]
			if done[i] || l.Negated || l.Pred == "=" {
				continue
			}
			if i == forced {
				best = i
				break
			}
			n := 0
			for _, t := range l.Args {
				if t.Var < 0 || binding[t.Var] >= 0 {
					n++
				}
			}
			if n > bestBound {
				best, bestBound = i, n
			}
		}
		if best < 0 {
			enumerate(0)
			return
		}
		l := &ax.Body[best]
		atoms := cands
		if best != forced {
			atoms = ix.byPred[l.Pred]
			for j, t := range l.Args {
				o := t.Obj
				if t.Var >= 0 {
					o = binding[t.Var]
				}
				if o >= 0 {
					if c := ix.byArg[argKey{l.Pred, j, o}]; len(c) < len(atoms) {
						atoms = c
					}
				}
			}
		}
		done[best] = true
		var set []int
		for _, g := range atoms {
			set = set[:0]
			ok := len(g.Args) == len(l.Args)
			for j := 0; ok && j < len(l.Args); j++ {
				t := l.Args[j]
				switch {
				case t.Var < 0:
					ok = t.Obj == g.Args[j]
				case binding[t.Var] >= 0:
					ok = binding[t.Var] == g.Args[j]
				case v.ofType(g.Args[j], ax.Params[t.Var].Type):
					binding[t.Var] = g.Args[j]
					set = append(set, t.Var)
				default:
					ok = false
				}
			}
			if ok {
				rec()
			}
			for _, x := range set {
				binding[x] = -1
			}
		}
		done[best] = false
	}
	rec()
}
