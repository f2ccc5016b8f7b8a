package solver

import "sort"

// minimize is the objective bound: the lexicographic cost vector (level 0
// most important) must stay strictly below bound. Weights are positive; the
// constant parts of negative weights are kept in offset.
type minimize struct {
	nlev   int
	lits   []lit // sorted by level, then decreasing weight
	w      []int64
	lev    []int32
	start  []int // start[k] is the first index of level k; start[nlev] = len
	offset []int64
	sum    []int64 // weight of processed true literals per level
	bound  []int64 // strict upper bound on sum (not on the cost)
	active bool
	// scratch holds the per-level sums recomputed by reason.
	scratch []int64
}

type minEntry struct {
	l   lit
	w   int64
	lev int32
}

func newMinimize(s *solver, nlev int, entries []minEntry, offset []int64) *minimize {
	sort.SliceStable(entries, func(i, j int) bool {
		if entries[i].lev != entries[j].lev {
			return entries[i].lev < entries[j].lev
		}
		return entries[i].w > entries[j].w
	})
	m := &minimize{nlev: nlev, offset: offset, sum: make([]int64, nlev), bound: make([]int64, nlev)}
	m.start = make([]int, nlev+1)
	for i, e := range entries {
		m.lits = append(m.lits, e.l)
		m.w = append(m.w, e.w)
		m.lev = append(m.lev, e.lev)
		s.watchLit(e.l, watch{c: m, data: uint32(i)})
	}
	k := 0
	for i := 0; i <= nlev; i++ {
		for k < len(entries) && int(entries[k].lev) < i {
			k++
		}
		m.start[i] = k
	}
	return m
}

// cost is the objective of the current total assignment.
func (m *minimize) cost(s *solver) []int64 {
	c := append([]int64(nil), m.offset...)
	for i, l := range m.lits {
		if s.value(l) > 0 {
			c[m.lev[i]] += m.w[i]
		}
	}
	return c
}

// setBound requires cost < c lexicographically (cost <= c when inclusive).
func (m *minimize) setBound(c []int64, inclusive bool) {
	for k := range c {
		m.bound[k] = c[k] - m.offset[k]
	}
	if inclusive && m.nlev > 0 {
		m.bound[m.nlev-1]++
	}
	m.active = true
}

func (m *minimize) propagate(s *solver, p lit, w *watch) (keep, ok bool) {
	i := w.data
	m.sum[m.lev[i]] += m.w[i]
	s.pushUndo(m, i)
	if !m.active {
		return true, true
	}
	return true, m.check(s)
}

func (m *minimize) undo(s *solver, i uint32) { m.sum[m.lev[i]] -= m.w[i] }

func (m *minimize) check(s *solver) bool {
	if !m.active {
		return true
	}
	d := 0
	for d < m.nlev && m.sum[d] == m.bound[d] {
		d++
	}
	if d == m.nlev || m.sum[d] > m.bound[d] {
		s.conflict = s.conflict[:0]
		for i, l := range m.lits {
			if int(m.lev[i]) <= d && s.value(l) > 0 {
				s.conflict = append(s.conflict, l)
			}
		}
		return false
	}
	for i := 0; i < m.start[d]; i++ {
		if s.value(m.lits[i]) == 0 {
			s.enqueue(m.lits[i].not(), m)
		}
	}
	suffixGE := -1
	for i := m.start[d]; i < m.start[d+1]; i++ {
		t := m.sum[d] + m.w[i]
		if t < m.bound[d] {
			break
		}
		if s.value(m.lits[i]) != 0 {
			continue
		}
		if t == m.bound[d] {
			if suffixGE < 0 {
				suffixGE = 1
				for k := d + 1; k < m.nlev; k++ {
					if m.sum[k] != m.bound[k] {
						if m.sum[k] < m.bound[k] {
							suffixGE = 0
						}
						break
					}
				}
			}
			if suffixGE == 0 {
				continue
			}
		}
		s.enqueue(m.lits[i].not(), m)
	}
	return true
}

// reason explains a literal forced false: the true literals assigned before
// it on the levels that decide the comparison with the bound.
func (m *minimize) reason(s *solver, p lit, out []lit) []lit {
	pp := s.pos[p.v()]
	if m.scratch == nil {
		m.scratch = make([]int64, m.nlev)
	}
	sum := m.scratch
	clear(sum)
	for i, l := range m.lits {
		if s.value(l) > 0 && s.pos[l.v()] < pp {
			sum[m.lev[i]] += m.w[i]
		}
	}
	d := 0
	for d < m.nlev && sum[d] == m.bound[d] {
		d++
	}
	e := m.nlev - 1 // the last level the explanation needs
	for i, l := range m.lits {
		if l != p.not() || d == m.nlev {
			continue
		}
		k := int(m.lev[i])
		if k < d || sum[d]+m.w[i] > m.bound[d] {
			e = min(k, d)
			break
		}
		if k == d && sum[d]+m.w[i] == m.bound[d] {
			j := d + 1
			for j < m.nlev && sum[j] == m.bound[j] {
				j++
			}
			e = min(j, m.nlev-1)
			break
		}
	}
	for i, l := range m.lits {
		if int(m.lev[i]) <= e && s.value(l) > 0 && s.pos[l.v()] < pp {
			out = append(out, l)
		}
	}
	return out
}
