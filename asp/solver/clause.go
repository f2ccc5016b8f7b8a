package solver

// clause is a disjunction of literals watched by its first two literals.
type clause struct {
	lits    []lit
	learnt  bool
	deleted bool
	lbd     int32
}

func (c *clause) propagate(s *solver, p lit, w *watch) (keep, ok bool) {
	if c.deleted {
		return false, true
	}
	if s.value(lit(w.data)) > 0 {
		return true, true
	}
	f := p.not()
	if c.lits[0] == f {
		c.lits[0], c.lits[1] = c.lits[1], f
	}
	first := c.lits[0]
	if s.value(first) > 0 {
		w.data = uint32(first)
		return true, true
	}
	for i := 2; i < len(c.lits); i++ {
		if s.value(c.lits[i]) >= 0 {
			c.lits[1], c.lits[i] = c.lits[i], f
			s.watchLit(c.lits[1].not(), watch{c: c, data: uint32(first), clause: true})
			return false, true
		}
	}
	w.data = uint32(first)
	if s.value(first) < 0 {
		s.conflict = s.conflict[:0]
		for _, q := range c.lits {
			s.conflict = append(s.conflict, q.not())
		}
		return true, false
	}
	s.enqueue(first, c)
	return true, true
}

func (c *clause) reason(s *solver, p lit, out []lit) []lit {
	for _, q := range c.lits {
		if q != p {
			out = append(out, q.not())
		}
	}
	return out
}

// attach registers the watches of a clause with at least two literals.
func (s *solver) attach(c *clause) {
	bin := len(c.lits) == 2
	s.watchLit(c.lits[0].not(), watch{c: c, data: uint32(c.lits[1]), clause: true, binary: bin})
	s.watchLit(c.lits[1].not(), watch{c: c, data: uint32(c.lits[0]), clause: true, binary: bin})
}
