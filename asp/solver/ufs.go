package solver

import "slices"

// ufs checks for unfounded sets among the atoms of the non-trivial strongly
// connected components of the positive dependency graph, with source
// pointers as in smodels and clasp: every such atom that is not false keeps a
// source, a rule body that is not false and whose positive atoms of the same
// component have sources themselves (acyclically). When a body becomes false,
// the atoms it sourced and those depending on them look for new sources; the
// ones that find none form an unfounded set and are made false by loop
// clauses. Source pointers stay valid on backtracking.
type ufs struct {
	scc      []int32   // per variable: component id, -1 for atoms outside loops (and non-atoms)
	supports [][]int32 // per cyclic atom: bodies of rules with that head
	deps     [][]int32 // per cyclic atom: bodies having it as a positive literal
	bodies   []ufsBody
	src      []int32 // per cyclic atom: its source body, -1 for none
	inCand   []bool
	lost     []int32
	cand     []int32
	queue    []int32
	ext      []lit
	extMark  []bool // per literal
	clause   []lit
	// clauseBudget bounds the literals of the loop clauses learnt for one
	// unfounded set; larger sets are falsified with a shared loopReason.
	clauseBudget int
}

// loopReason explains the atoms of a large unfounded set: each is false
// because every external support of the set is false. It has no watches;
// the unfounded-set check derives the atoms again when needed.
type loopReason struct {
	ext []lit // false literals
}

func (r *loopReason) propagate(s *solver, p lit, w *watch) (keep, ok bool) { return false, true }

func (r *loopReason) reason(s *solver, p lit, out []lit) []lit {
	for _, l := range r.ext {
		out = append(out, l.not())
	}
	return out
}

type ufsBody struct {
	lit    lit
	weight bool
	lits   []lit // weight bodies: every literal; normal bodies: positive literals
	w      []int64
	bound  int64
	heads  []int32 // cyclic heads this body supports
}

// init registers the watches and queues every cyclic atom for a source.
func (u *ufs) init(s *solver) {
	n := len(u.scc)
	u.src = make([]int32, n)
	u.inCand = make([]bool, n)
	for v := range u.src {
		u.src[v] = -1
		if u.scc[v] >= 0 {
			u.lost = append(u.lost, int32(v))
		}
	}
	for i := range u.bodies {
		b := &u.bodies[i]
		s.watchLit(b.lit.not(), watch{c: u, data: uint32(i)})
		if b.weight {
			for _, l := range b.lits {
				s.watchLit(l.not(), watch{c: u, data: uint32(i)})
			}
		}
	}
}

// propagate is called when a body (or a literal of a weight body) became
// false: the atoms it sourced lose their source.
func (u *ufs) propagate(s *solver, p lit, w *watch) (keep, ok bool) {
	bid := int32(w.data)
	for _, h := range u.bodies[bid].heads {
		if u.src[h] == bid && s.value(mkLit(h, false)) >= 0 {
			u.src[h] = -1
			u.lost = append(u.lost, h)
		}
	}
	return true, true
}

func (u *ufs) reason(s *solver, p lit, out []lit) []lit { panic("ufs never forces literals itself") }

// unassigned notes a cyclic atom without a source that became unassigned.
func (u *ufs) unassigned(v int32) {
	if int(v) < len(u.src) && u.scc[v] >= 0 && u.src[v] < 0 {
		u.lost = append(u.lost, v)
	}
}

// valid reports whether body bid can source atom a now.
func (u *ufs) valid(s *solver, bid int32, a int32) bool {
	b := &u.bodies[bid]
	if s.value(b.lit) < 0 {
		return false
	}
	c := u.scc[a]
	if !b.weight {
		for _, l := range b.lits {
			x := l.v()
			if u.scc[x] == c && (u.src[x] < 0 || s.value(l) < 0) {
				return false
			}
		}
		return true
	}
	var sum int64
	for i, l := range b.lits {
		if s.value(l) < 0 {
			continue
		}
		if !l.neg() && u.scc[l.v()] == c && u.src[l.v()] < 0 {
			continue
		}
		sum += b.w[i]
		if sum >= b.bound {
			return true
		}
	}
	return false
}

// check runs at a propagation fixpoint. It re-sources atoms that lost their
// source and falsifies unfounded ones; false on conflict.
func (u *ufs) check(s *solver) bool {
	if len(u.lost) == 0 {
		return true
	}
	cand := u.cand[:0]
	for _, a := range u.lost {
		if u.src[a] < 0 && !u.inCand[a] && s.value(mkLit(a, false)) >= 0 {
			u.inCand[a] = true
			cand = append(cand, a)
		}
	}
	u.lost = u.lost[:0]
	// Atoms sourced through a candidate lose their source too.
	for i := 0; i < len(cand); i++ {
		x := cand[i]
		for _, bid := range u.deps[x] {
			for _, h := range u.bodies[bid].heads {
				if u.src[h] == bid && u.scc[h] == u.scc[x] && !u.inCand[h] && s.value(mkLit(h, false)) >= 0 {
					u.src[h] = -1
					u.inCand[h] = true
					cand = append(cand, h)
				}
			}
		}
	}
	// Find new sources; an atom that gets one lets the candidates depending
	// on it try again.
	queue := append(u.queue[:0], cand...)
	for len(queue) > 0 {
		a := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if !u.inCand[a] || s.value(mkLit(a, false)) < 0 {
			continue
		}
		for _, bid := range u.supports[a] {
			if !u.valid(s, bid, a) {
				continue
			}
			u.src[a] = bid
			u.inCand[a] = false
			for _, dep := range u.deps[a] {
				for _, h := range u.bodies[dep].heads {
					if u.inCand[h] && u.scc[h] == u.scc[a] {
						queue = append(queue, h)
					}
				}
			}
			break
		}
	}
	u.queue = queue
	u.cand = cand
	ok := true
	for _, a := range cand {
		if !u.inCand[a] || s.value(mkLit(a, false)) < 0 {
			continue
		}
		if ok {
			ok = u.falsify(s, cand, u.scc[a])
		}
	}
	for _, a := range cand {
		if u.inCand[a] {
			u.inCand[a] = false
			u.lost = append(u.lost, a)
		}
	}
	u.cand = cand[:0]
	return ok
}

// falsify makes the unfounded atoms of component c false, each with the loop
// clause: the atom implies one of the set's external supports.
func (u *ufs) falsify(s *solver, cand []int32, c int32) bool {
	if len(u.extMark) < len(s.vals) {
		u.extMark = append(u.extMark, make([]bool, len(s.vals)-len(u.extMark))...)
	}
	inU := func(x int32) bool {
		return u.scc[x] == c && u.inCand[x] && s.value(mkLit(x, false)) >= 0
	}
	ext := u.ext[:0]
	add := func(l lit) {
		if !u.extMark[l] {
			u.extMark[l] = true
			ext = append(ext, l)
		}
	}
	for _, a := range cand {
		if !inU(a) {
			continue
		}
		for _, bid := range u.supports[a] {
			b := &u.bodies[bid]
			if !b.weight {
				internal := false
				for _, l := range b.lits {
					if inU(l.v()) {
						internal = true
						break
					}
				}
				if !internal {
					add(b.lit)
				}
				continue
			}
			if s.value(b.lit) < 0 {
				add(b.lit)
				continue
			}
			{
				for _, l := range b.lits {
					if s.value(l) < 0 {
						add(l)
					}
				}
			}
		}
	}
	for _, l := range ext {
		u.extMark[l] = false
	}
	u.ext = ext
	s.stats.UnfoundedSets++
	n := 0
	for _, a := range cand {
		if inU(a) {
			n++
		}
	}
	if n*(len(ext)+1) > u.clauseBudget {
		// A large set: one shared reason instead of a loop clause per atom.
		lr := &loopReason{ext: slices.Clone(ext)}
		for _, a := range cand {
			if !inU(a) {
				continue
			}
			if s.value(mkLit(a, false)) > 0 {
				s.conflict = append(s.conflict[:0], mkLit(a, false))
				for _, l := range ext {
					s.conflict = append(s.conflict, l.not())
				}
				return false
			}
			s.enqueue(mkLit(a, true), lr)
		}
		return true
	}
	for _, a := range cand {
		if !inU(a) {
			continue
		}
		u.clause = append(append(u.clause[:0], mkLit(a, true)), ext...)
		if len(u.clause) > 1 {
			// Watch the false literal assigned last as the second literal.
			mi := 1
			for i := 2; i < len(u.clause); i++ {
				if s.level[u.clause[i].v()] > s.level[u.clause[mi].v()] {
					mi = i
				}
			}
			u.clause[1], u.clause[mi] = u.clause[mi], u.clause[1]
		}
		if s.value(mkLit(a, false)) > 0 {
			s.conflict = s.conflict[:0]
			for _, l := range u.clause {
				s.conflict = append(s.conflict, l.not())
			}
			s.addLearnt(u.clause)
			return false
		}
		s.enqueue(mkLit(a, true), s.addLearnt(u.clause))
	}
	return true
}
