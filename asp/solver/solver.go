package solver

import (
	"context"
	"math/rand"
	"sort"
)

// solver is the conflict-driven search engine: one propagation loop over
// constraints that share the constraint interface.
type solver struct {
	vals    []int8 // per literal: 1 true, -1 false, 0 unassigned
	level   []int32
	reasons []constraint
	pos     []int32 // trail position per variable
	trail   []lit
	lims    []int // trail length at the start of each decision level
	qhead   int
	watches [][]watch
	undos   []undoEntry
	undoLim []int

	conflict []lit // true literals that cannot all hold

	act       []float64
	varInc    float64
	order     varHeap
	phase     []bool // last value of each variable
	canDecide []bool

	clauses    []*clause
	learnts    []*clause
	maxLearnts float64

	ufs  *ufs
	minc *minimize

	// scratch
	seen    []bool
	toClear []int32
	learnt  []lit
	rbuf    []lit
	stack   []lit
	lbdMark []uint32
	lbdStmp uint32

	// Enumeration by backtracking: levels up to btLevel are fixed; each
	// holds a decision whose first branch may already be enumerated
	// (flipped). Backjumps and restarts stay above btLevel.
	btLevel int
	flipped []bool // per decision level (index level-1)

	clauseSlab []clause
	litSlab    []lit

	stats     Stats
	lubyIndex int
	steps     uint64 // search loop iterations, for polling ctx
}

func newSolver(nv int, seed int64) *solver {
	s := &solver{varInc: 1}
	s.grow(nv)
	if seed != 0 {
		r := rand.New(rand.NewSource(seed))
		for v := range s.act {
			s.act[v] = r.Float64() * 1e-3
		}
	}
	s.enqueue(trueLit, nil)
	return s
}

// newVar adds a variable and returns it.
func (s *solver) newVar() int32 {
	v := int32(len(s.level))
	s.grow(len(s.level) + 1)
	return v
}

func (s *solver) grow(nv int) {
	old := len(s.level)
	if nv <= old {
		return
	}
	n := nv - old
	s.vals = append(s.vals, make([]int8, 2*n)...)
	s.watches = append(s.watches, make([][]watch, 2*n)...)
	s.level = append(s.level, make([]int32, n)...)
	s.reasons = append(s.reasons, make([]constraint, n)...)
	s.pos = append(s.pos, make([]int32, n)...)
	s.act = append(s.act, make([]float64, n)...)
	s.phase = append(s.phase, make([]bool, n)...)
	s.seen = append(s.seen, make([]bool, n)...)
	s.canDecide = append(s.canDecide, make([]bool, n)...)
	s.order.index = append(s.order.index, make([]int32, n)...)
	s.order.act = &s.act
	for v := old; v < nv; v++ {
		s.canDecide[v] = true
		s.order.index[v] = -1
		s.order.push(int32(v))
	}
}

func (s *solver) value(l lit) int8 { return s.vals[l] }

func (s *solver) decisionLevel() int { return len(s.lims) }

func (s *solver) watchLit(p lit, w watch) { s.watches[p] = append(s.watches[p], w) }

func (s *solver) pushUndo(u undoer, data uint32) {
	s.undos = append(s.undos, undoEntry{u: u, data: data})
}

// enqueue makes l true with reason r (nil for decisions and facts).
func (s *solver) enqueue(l lit, r constraint) {
	v := l.v()
	s.vals[l] = 1
	s.vals[l.not()] = -1
	s.level[v] = int32(len(s.lims))
	s.reasons[v] = r
	s.pos[v] = int32(len(s.trail))
	s.trail = append(s.trail, l)
}

// addClause adds a clause at decision level 0 before the search. It returns
// false if the clause is falsified.
func (s *solver) addClause(lits []lit) bool {
	out := lits[:0]
	for _, l := range lits {
		switch s.value(l) {
		case 1:
			if s.level[l.v()] == 0 {
				return true
			}
		case -1:
			if s.level[l.v()] == 0 {
				continue
			}
		}
		dup := false
		for _, q := range out {
			if q == l {
				dup = true
				break
			}
			if q == l.not() {
				return true
			}
		}
		if !dup {
			out = append(out, l)
		}
	}
	switch len(out) {
	case 0:
		return false
	case 1:
		if s.value(out[0]) < 0 {
			return false
		}
		if s.value(out[0]) == 0 {
			s.enqueue(out[0], nil)
		}
		return true
	}
	c := s.newClause(out)
	s.clauses = append(s.clauses, c)
	s.attach(c)
	return true
}

// newClause allocates a problem clause from slabs: programs have many short
// clauses, and one allocation per clause dominates the cost of small solves.
func (s *solver) newClause(lits []lit) *clause {
	if len(s.clauseSlab) == 0 {
		s.clauseSlab = make([]clause, 1024)
	}
	c := &s.clauseSlab[0]
	s.clauseSlab = s.clauseSlab[1:]
	if cap(s.litSlab)-len(s.litSlab) < len(lits) {
		s.litSlab = make([]lit, 0, max(4096, len(lits)))
	}
	n := len(s.litSlab)
	s.litSlab = append(s.litSlab, lits...)
	c.lits = s.litSlab[n : n+len(lits) : n+len(lits)]
	return c
}

// propagate runs every constraint to a fixpoint; it returns false on conflict.
func (s *solver) propagate() bool {
	for {
		for s.qhead < len(s.trail) {
			p := s.trail[s.qhead]
			s.qhead++
			s.stats.Propagations++
			ws := s.watches[p]
			i, j := 0, 0
			for i < len(ws) {
				w := &ws[i]
				i++
				if w.clause {
					o := lit(w.data)
					if s.vals[o] > 0 {
						ws[j] = *w
						j++
						continue
					}
					if w.binary {
						ws[j] = *w
						j++
						if s.vals[o] == 0 {
							s.enqueue(o, w.c)
							continue
						}
						s.conflict = append(s.conflict[:0], p, o.not())
						for i < len(ws) {
							ws[j] = ws[i]
							j++
							i++
						}
						s.watches[p] = ws[:j]
						s.qhead = len(s.trail)
						return false
					}
				}
				keep, ok := w.c.propagate(s, p, w)
				if keep {
					ws[j] = *w
					j++
				}
				if !ok {
					for i < len(ws) {
						ws[j] = ws[i]
						j++
						i++
					}
					s.watches[p] = ws[:j]
					s.qhead = len(s.trail)
					return false
				}
			}
			s.watches[p] = ws[:j]
		}
		if s.ufs == nil {
			return true
		}
		if !s.ufs.check(s) {
			s.qhead = len(s.trail)
			return false
		}
		if s.qhead == len(s.trail) {
			return true
		}
	}
}

func (s *solver) newDecisionLevel() {
	s.lims = append(s.lims, len(s.trail))
	s.undoLim = append(s.undoLim, len(s.undos))
	s.flipped = append(s.flipped, false)
}

// backtrack undoes every assignment above decision level lvl.
func (s *solver) backtrack(lvl int) {
	if len(s.lims) <= lvl {
		return
	}
	start := s.lims[lvl]
	for i := len(s.trail) - 1; i >= start; i-- {
		l := s.trail[i]
		v := l.v()
		s.vals[l] = 0
		s.vals[l.not()] = 0
		s.reasons[v] = nil
		s.phase[v] = !l.neg()
		s.order.push(v)
		if s.ufs != nil {
			s.ufs.unassigned(v)
		}
	}
	s.trail = s.trail[:start]
	s.qhead = start
	u := s.undoLim[lvl]
	for k := len(s.undos) - 1; k >= u; k-- {
		s.undos[k].u.undo(s, s.undos[k].data)
	}
	s.undos = s.undos[:u]
	s.lims = s.lims[:lvl]
	s.flipped = s.flipped[:lvl]
	s.btLevel = min(s.btLevel, lvl)
	s.undoLim = s.undoLim[:lvl]
}

func (s *solver) bumpVar(v int32) {
	s.act[v] += s.varInc
	if s.act[v] > 1e100 {
		for i := range s.act {
			s.act[i] *= 1e-100
		}
		s.varInc *= 1e-100
	}
	s.order.increased(v)
}

// analyse derives a first-UIP clause from s.conflict, which must contain a
// literal of the current decision level. It returns the clause (asserting
// literal first) and the level to backjump to.
func (s *solver) analyse() ([]lit, int) {
	cur := int32(s.decisionLevel())
	s.learnt = append(s.learnt[:0], 0)
	s.toClear = s.toClear[:0]
	pathC := 0
	mark := func(q lit) {
		v := q.v()
		if s.seen[v] || s.level[v] == 0 {
			return
		}
		s.seen[v] = true
		s.toClear = append(s.toClear, v)
		s.bumpVar(v)
		if s.level[v] >= cur {
			pathC++
		} else {
			s.learnt = append(s.learnt, q.not())
		}
	}
	for _, q := range s.conflict {
		mark(q)
	}
	idx := len(s.trail) - 1
	var p lit
	for {
		for !s.seen[s.trail[idx].v()] {
			idx--
		}
		p = s.trail[idx]
		idx--
		s.seen[p.v()] = false
		pathC--
		if pathC <= 0 {
			break
		}
		s.rbuf = s.reasons[p.v()].reason(s, p, s.rbuf[:0])
		for _, q := range s.rbuf {
			mark(q)
		}
	}
	s.learnt[0] = p.not()

	// Recursive minimisation: drop literals implied by the others.
	var abs uint32
	for _, q := range s.learnt[1:] {
		abs |= 1 << (uint(s.level[q.v()]) & 31)
	}
	j := 1
	for i := 1; i < len(s.learnt); i++ {
		q := s.learnt[i]
		if s.reasons[q.v()] == nil || !s.redundant(q, abs) {
			s.learnt[j] = q
			j++
		}
	}
	s.stats.LearntLits += uint64(len(s.learnt))
	s.stats.MinimisedLits += uint64(len(s.learnt) - j)
	s.learnt = s.learnt[:j]
	for _, v := range s.toClear {
		s.seen[v] = false
	}

	bt := 0
	if len(s.learnt) > 1 {
		mi := 1
		for i := 2; i < len(s.learnt); i++ {
			if s.level[s.learnt[i].v()] > s.level[s.learnt[mi].v()] {
				mi = i
			}
		}
		s.learnt[1], s.learnt[mi] = s.learnt[mi], s.learnt[1]
		bt = int(s.level[s.learnt[1].v()])
	}
	return s.learnt, bt
}

// redundant reports whether the false literal q of the learnt clause is
// implied by the clause's other literals.
func (s *solver) redundant(q lit, abs uint32) bool {
	top := len(s.toClear)
	s.stack = append(s.stack[:0], q.not())
	for len(s.stack) > 0 {
		p := s.stack[len(s.stack)-1]
		s.stack = s.stack[:len(s.stack)-1]
		s.rbuf = s.reasons[p.v()].reason(s, p, s.rbuf[:0])
		for _, a := range s.rbuf {
			v := a.v()
			if s.seen[v] || s.level[v] == 0 {
				continue
			}
			if s.reasons[v] != nil && abs&(1<<(uint(s.level[v])&31)) != 0 {
				s.seen[v] = true
				s.stack = append(s.stack, a)
				s.toClear = append(s.toClear, v)
				continue
			}
			for _, u := range s.toClear[top:] {
				s.seen[u] = false
			}
			s.toClear = s.toClear[:top]
			return false
		}
	}
	return true
}

func (s *solver) lbd(lits []lit) int32 {
	if len(s.lbdMark) <= s.decisionLevel() {
		s.lbdMark = append(s.lbdMark, make([]uint32, s.decisionLevel()+1-len(s.lbdMark))...)
	}
	s.lbdStmp++
	n := int32(0)
	for _, l := range lits {
		lv := s.level[l.v()]
		if s.lbdMark[lv] != s.lbdStmp {
			s.lbdMark[lv] = s.lbdStmp
			n++
		}
	}
	return n
}

// resolveConflict learns from s.conflict and backjumps. It returns false when
// the conflict holds at decision level 0.
func (s *solver) resolveConflict() bool {
	s.stats.Conflicts++
	maxLvl := int32(0)
	for _, q := range s.conflict {
		if lv := s.level[q.v()]; lv > maxLvl {
			maxLvl = lv
		}
	}
	if maxLvl == 0 {
		return false
	}
	if int(maxLvl) <= s.btLevel {
		// The conflict lies within the enumerated branches: move on to the
		// next one.
		return s.nextBranch(int(maxLvl))
	}
	if int(maxLvl) < s.decisionLevel() {
		s.backtrack(int(maxLvl))
	}
	learnt, bt := s.analyse()
	lbd := s.lbd(learnt)
	bt = max(bt, s.btLevel)
	s.backtrack(bt)
	switch {
	case len(learnt) == 1 && bt == 0:
		s.enqueue(learnt[0], nil)
	case len(learnt) == 1:
		s.enqueue(learnt[0], &clause{lits: []lit{learnt[0]}, learnt: true})
	default:
		c := &clause{lits: append([]lit(nil), learnt...), learnt: true, lbd: lbd}
		s.learnts = append(s.learnts, c)
		s.attach(c)
		s.enqueue(learnt[0], c)
	}
	s.varInc /= 0.95
	return true
}

// addLearnt records a derived clause whose first literal is about to be
// forced (used by the unfounded-set checker).
func (s *solver) addLearnt(lits []lit) *clause {
	c := &clause{lits: append([]lit(nil), lits...), learnt: true, lbd: int32(len(lits))}
	if len(lits) >= 2 {
		s.learnts = append(s.learnts, c)
		s.attach(c)
	}
	return c
}

func (s *solver) locked(c *clause) bool {
	v := c.lits[0].v()
	r, ok := s.reasons[v].(*clause)
	return ok && r == c && s.value(c.lits[0]) > 0
}

// reduceDB deletes the less useful half of the learnt clauses.
func (s *solver) reduceDB() {
	sort.SliceStable(s.learnts, func(i, j int) bool { return s.learnts[i].lbd > s.learnts[j].lbd })
	half := len(s.learnts) / 2
	kept := s.learnts[:0]
	for i, c := range s.learnts {
		if i < half && c.lbd > 2 && !s.locked(c) {
			c.deleted = true
			continue
		}
		kept = append(kept, c)
	}
	for i := len(kept); i < len(s.learnts); i++ {
		s.learnts[i] = nil
	}
	s.learnts = kept
	s.stats.Reductions++
}

// pickBranch returns the next decision literal, or false when every
// decidable variable is assigned.
func (s *solver) pickBranch() (lit, bool) {
	for len(s.order.heap) > 0 {
		v := s.order.pop()
		if s.vals[mkLit(v, false)] == 0 && s.canDecide[v] {
			return mkLit(v, !s.phase[v]), true
		}
	}
	return 0, false
}

type status uint8

const (
	stUnknown status = iota // restart
	stSat
	stUnsat
)

// search runs CDCL until a model, unsatisfiability, or after budget
// conflicts (a restart). A model leaves the assignment in place.
func (s *solver) search(ctx context.Context, budget int) (status, error) {
	conflicts := 0
	for {
		s.steps++
		if s.steps&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return stUnknown, err
			}
		}
		if !s.propagate() {
			if !s.resolveConflict() {
				return stUnsat, nil
			}
			conflicts++
			continue
		}
		if conflicts >= budget {
			s.backtrack(s.btLevel)
			s.stats.Restarts++
			return stUnknown, nil
		}
		if float64(len(s.learnts)) >= s.maxLearnts+float64(len(s.trail)) {
			s.reduceDB()
			s.maxLearnts *= 1.1
		}
		d, ok := s.pickBranch()
		if !ok {
			return stSat, nil
		}
		s.stats.Decisions++
		s.newDecisionLevel()
		s.enqueue(d, nil)
	}
}

// luby returns the i-th element (from 0) of the Luby sequence 1,1,2,1,1,2,4,...
func luby(i int) int {
	size, seq := 1, 0
	for size < i+1 {
		seq++
		size = 2*size + 1
	}
	for size-1 != i {
		size = (size - 1) / 2
		seq--
		i %= size
	}
	return 1 << seq
}

// solve searches for the next model with restarts. A model leaves the full
// assignment in place; stUnsat means no further model exists.
func (s *solver) solve(ctx context.Context) (status, error) {
	if s.maxLearnts == 0 {
		s.maxLearnts = float64(len(s.clauses))/3 + 2000
	}
	if s.minc != nil && s.decisionLevel() == 0 && !s.minc.check(s) {
		return stUnsat, nil
	}
	for {
		budget := 100 * luby(s.lubyIndex)
		s.lubyIndex++
		st, err := s.search(ctx, budget)
		if err != nil || st != stUnknown {
			return st, err
		}
	}
}

// addClauseInSearch adds a clause that may be falsified by the current
// assignment (a blocking clause), backjumping so that it is not. It returns
// false if the clause is violated at level 0.
func (s *solver) addClauseInSearch(lits []lit) bool {
	out := lits[:0]
	for _, l := range lits {
		if s.value(l) < 0 && s.level[l.v()] == 0 {
			continue
		}
		if s.value(l) > 0 && s.level[l.v()] == 0 {
			return true
		}
		out = append(out, l)
	}
	lits = out
	if len(lits) == 0 {
		return false
	}
	// Order: unassigned or true first, then false by decreasing level.
	rank := func(l lit) int32 {
		if s.value(l) >= 0 {
			return 1 << 30
		}
		return s.level[l.v()]
	}
	sort.SliceStable(lits, func(i, j int) bool { return rank(lits[i]) > rank(lits[j]) })
	if len(lits) == 1 {
		s.backtrack(0)
		if s.value(lits[0]) == 0 {
			s.enqueue(lits[0], nil)
		}
		return s.value(lits[0]) > 0
	}
	c := &clause{lits: append([]lit(nil), lits...)}
	s.clauses = append(s.clauses, c)
	if s.value(lits[0]) < 0 {
		h, h1 := s.level[lits[0].v()], s.level[lits[1].v()]
		if h1 < h {
			s.backtrack(int(h1))
		} else {
			s.backtrack(int(h) - 1)
		}
	}
	s.attach(c)
	if s.value(lits[0]) == 0 && s.value(lits[1]) < 0 {
		s.enqueue(lits[0], c)
	}
	return true
}

// refuted reports whether propagation and conflict analysis alone, without
// decisions, show that no further model exists (as clingo notices when the
// model limit is reached with nothing left to explore).
func (s *solver) refuted() bool {
	for i := 0; i < 100; i++ {
		if s.propagate() {
			return false
		}
		if !s.resolveConflict() {
			return true
		}
	}
	return false
}

// nextBranch moves the enumeration to the next unexplored branch at or above
// decision level c: the deepest decision up to c whose second branch is
// untried is flipped and fixed. It returns false when every branch was
// explored.
func (s *solver) nextBranch(c int) bool {
	for k := min(c, s.decisionLevel()); k >= 1; k-- {
		if s.flipped[k-1] {
			continue
		}
		d := s.trail[s.lims[k-1]]
		s.backtrack(k - 1)
		s.newDecisionLevel()
		s.flipped[k-1] = true
		s.enqueue(d.not(), nil)
		s.btLevel = k
		return true
	}
	s.backtrack(0)
	return false
}
