package solver

// Stats counts the work of one call to Solve.
type Stats struct {
	Conflicts     uint64
	Decisions     uint64
	Propagations  uint64 // literals taken from the propagation queue
	Restarts      uint64
	UnfoundedSets uint64 // unfounded sets found and falsified
	LearntLits    uint64 // literals of learnt clauses before minimisation
	MinimisedLits uint64 // literals removed by clause minimisation
	Reductions    uint64 // learnt clause database reductions
}

func (a *Stats) add(b Stats) {
	a.Conflicts += b.Conflicts
	a.Decisions += b.Decisions
	a.Propagations += b.Propagations
	a.Restarts += b.Restarts
	a.UnfoundedSets += b.UnfoundedSets
	a.LearntLits += b.LearntLits
	a.MinimisedLits += b.MinimisedLits
	a.Reductions += b.Reductions
}
