package solver

// constraint is what every propagator (clause, weight constraint, objective
// bound, unfounded-set checker) implements. A constraint registers watches on
// literals; when a watched literal becomes true, the solver calls propagate.
type constraint interface {
	// propagate is called when p, watched with w, became true. It may assign
	// literals through s.enqueue. It returns keep=false to drop the watch
	// (after registering a replacement), and ok=false on conflict, having
	// stored the conflicting true literals in s.conflict.
	propagate(s *solver, p lit, w *watch) (keep, ok bool)
	// reason appends to out the true literals that forced p, all assigned
	// before p.
	reason(s *solver, p lit, out []lit) []lit
}

// undoer is implemented by constraints with counters restored on backtracking.
type undoer interface {
	undo(s *solver, data uint32)
}

// watch is one entry in a literal's watch list. data is the constraint's own:
// the blocking literal of a clause, an index into a weight constraint.
type watch struct {
	c    constraint
	data uint32
	// clause marks clause watches, whose data is a blocking literal: when
	// it is true the clause is satisfied and need not be visited.
	clause bool
	// binary marks watches of two-literal clauses, whose data is the other
	// literal: they propagate without visiting the clause.
	binary bool
}

type undoEntry struct {
	u    undoer
	data uint32
}
