package solver

import "sort"

// weightCons is the native weight constraint b <-> sum{w_i : l_i true} >= bound
// (a cardinality constraint when every weight is 1). Weights are positive.
// It keeps two counters, the weight of true literals and the weight of
// literals not false, restored on backtracking.
type weightCons struct {
	b       lit
	lits    []lit // sorted by decreasing weight
	w       []int64
	bound   int64
	sumTrue int64
	maxSum  int64
}

func newWeightCons(s *solver, b lit, lits []lit, w []int64, bound int64) *weightCons {
	c := &weightCons{b: b, lits: lits, w: w, bound: bound}
	sort.Sort(byWeight{c})
	for _, x := range w {
		c.maxSum += x
	}
	n := uint32(len(lits))
	for i, l := range lits {
		s.watchLit(l, watch{c: c, data: 2 * uint32(i)})
		s.watchLit(l.not(), watch{c: c, data: 2*uint32(i) + 1})
	}
	s.watchLit(b, watch{c: c, data: 2 * n})
	s.watchLit(b.not(), watch{c: c, data: 2*n + 1})
	return c
}

type byWeight struct{ c *weightCons }

func (x byWeight) Len() int           { return len(x.c.lits) }
func (x byWeight) Less(i, j int) bool { return x.c.w[i] > x.c.w[j] }
func (x byWeight) Swap(i, j int) {
	x.c.lits[i], x.c.lits[j] = x.c.lits[j], x.c.lits[i]
	x.c.w[i], x.c.w[j] = x.c.w[j], x.c.w[i]
}

func (c *weightCons) propagate(s *solver, p lit, w *watch) (keep, ok bool) {
	if d := w.data; d < 2*uint32(len(c.lits)) {
		if d&1 == 0 {
			c.sumTrue += c.w[d/2]
		} else {
			c.maxSum -= c.w[d/2]
		}
		s.pushUndo(c, d)
	}
	return true, c.check(s)
}

func (c *weightCons) undo(s *solver, d uint32) {
	if d&1 == 0 {
		c.sumTrue -= c.w[d/2]
	} else {
		c.maxSum += c.w[d/2]
	}
}

// check derives what the counters imply; false on conflict.
func (c *weightCons) check(s *solver) bool {
	bv := s.value(c.b)
	if c.sumTrue >= c.bound {
		if bv < 0 {
			s.conflict = append(s.conflict[:0], c.b.not())
			for _, l := range c.lits {
				if s.value(l) > 0 {
					s.conflict = append(s.conflict, l)
				}
			}
			return false
		}
		if bv == 0 {
			s.enqueue(c.b, c)
			bv = 1
		}
	}
	if c.maxSum < c.bound {
		if bv > 0 {
			s.conflict = append(s.conflict[:0], c.b)
			for _, l := range c.lits {
				if s.value(l) < 0 {
					s.conflict = append(s.conflict, l.not())
				}
			}
			return false
		}
		if bv == 0 {
			s.enqueue(c.b.not(), c)
			bv = -1
		}
	}
	switch {
	case bv > 0:
		for i, l := range c.lits {
			if c.maxSum-c.w[i] >= c.bound {
				break
			}
			if s.value(l) == 0 {
				s.enqueue(l, c)
			}
		}
	case bv < 0:
		for i, l := range c.lits {
			if c.sumTrue+c.w[i] < c.bound {
				break
			}
			if s.value(l) == 0 {
				s.enqueue(l.not(), c)
			}
		}
	}
	return true
}

// reason explains p with as few literals as the counters need, taking the
// heaviest ones first (literals are sorted by decreasing weight).
func (c *weightCons) reason(s *solver, p lit, out []lit) []lit {
	pp := s.pos[p.v()]
	// trueLits adds true literals until their weight reaches need.
	trueLits := func(need int64) {
		var sum int64
		for i, l := range c.lits {
			if sum >= need {
				return
			}
			if s.value(l) > 0 && s.pos[l.v()] < pp {
				out = append(out, l)
				sum += c.w[i]
			}
		}
	}
	// falseLits adds false literals until the remaining weight drops below
	// limit.
	falseLits := func(limit int64) {
		var total int64
		for _, w := range c.w {
			total += w
		}
		for i, l := range c.lits {
			if total < limit {
				return
			}
			if s.value(l) < 0 && s.pos[l.v()] < pp {
				out = append(out, l.not())
				total -= c.w[i]
			}
		}
	}
	weightOf := func(q lit) int64 {
		for i, l := range c.lits {
			if l == q {
				return c.w[i]
			}
		}
		return 0
	}
	switch {
	case p == c.b:
		trueLits(c.bound)
	case p == c.b.not():
		falseLits(c.bound)
	case s.value(c.b) > 0: // p is a literal of the sum made true
		out = append(out, c.b)
		falseLits(c.bound + weightOf(p))
	default: // p is the complement of a literal of the sum
		out = append(out, c.b.not())
		trueLits(c.bound - weightOf(p.not()))
	}
	return out
}
