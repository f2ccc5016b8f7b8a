package search

import "fmt"

// evaluator is a heuristic: it estimates the cost from a state to the goal,
// or returns infinity for a state it recognises as a dead end.
type evaluator interface {
	evaluate(c *evalContext) int64
}

// evalContext is what an evaluator may look at: the state (every fact,
// derived ones included) and, for path-dependent evaluators such as the
// landmark heuristic, the transition that first reached it.
type evalContext struct {
	s  state
	id int32 // the state's id in the search's table (-1: none)
	// parent is the state s was reached from, parentID its id and op the
	// operator applied; parentID is -1 for the initial state.
	parent   state
	parentID int32
	op       int32
	// again is set when the state was evaluated before under this id (an
	// eager search asking for preferred operators when it expands the
	// state): path-dependent evaluators reuse what they found then.
	again bool
}

// preferrer is an evaluator that also names preferred operators for the
// state it evaluated last: a subset of its applicable operators that look
// useful.
type preferrer interface {
	evaluator
	// preferred appends the preferred operators among applicable (the
	// operators applicable in the state last evaluated) to dst.
	preferred(dst, applicable []int32) []int32
}

// pathDependent evaluators keep information per state id; bytesPerState is
// what they add to the memory of every state.
type pathDependent interface {
	bytesPerState() int64
}

// newEvaluator returns the evaluator e names; mx (which may be nil) holds
// the task's mutexes.
func newEvaluator(t *Task, mx *mutexInfo, e evalSpec) (evaluator, error) {
	switch e.name {
	case "ff":
		return newFF(t, e.cost), nil
	case "add":
		return &relaxedHeuristic{e: newExploration(newRelaxed(t, e.cost), false)}, nil
	case "max":
		return &relaxedHeuristic{e: newExploration(newRelaxed(t, e.cost), true)}, nil
	case "lmcut":
		return newLMCut(t, e.cost), nil
	case "blind":
		return newBlind(t, e.cost), nil
	case "goalcount":
		return &goalCount{t: t}, nil
	case "lmcount":
		return newLandmarkSum(t, mx, e.cost), nil
	}
	return nil, &OptionError{Option: "heuristic", Value: e.name}
}

// OptionError reports an unknown component name, or a composition that
// does not parse, in Options.
type OptionError struct {
	Option, Value string
	// Reason says what is wrong with a composition ("" for a name that is
	// not known).
	Reason string
}

func (e *OptionError) Error() string {
	if e.Reason != "" {
		return fmt.Sprintf("search: %s %q: %s", e.Option, e.Value, e.Reason)
	}
	return fmt.Sprintf("search: unknown %s %q", e.Option, e.Value)
}

type relaxedHeuristic struct{ e *exploration }

func (h *relaxedHeuristic) evaluate(c *evalContext) int64 { return h.e.run(c.s) }

// blind is 0 in goal states and the cheapest operator cost elsewhere.
type blind struct {
	t       *Task
	minCost int64
}

func newBlind(t *Task, ct costType) *blind {
	b := &blind{t: t, minCost: 1}
	if len(t.Operators) > 0 {
		b.minCost = ct.opCost(t.Operators[0].Cost)
		for i := range t.Operators {
			b.minCost = min(b.minCost, ct.opCost(t.Operators[i].Cost))
		}
		b.minCost = max(b.minCost, 0)
	}
	return b
}

func (b *blind) evaluate(c *evalContext) int64 {
	if allIn(c.s, b.t.Goal) && noneIn(c.s, b.t.NegGoal) {
		return 0
	}
	return b.minCost
}

// goalCount counts the goal literals that do not hold.
type goalCount struct{ t *Task }

func (g *goalCount) evaluate(c *evalContext) int64 {
	var n int64
	for _, f := range g.t.Goal {
		if !c.s.has(f) {
			n++
		}
	}
	for _, f := range g.t.NegGoal {
		if c.s.has(f) {
			n++
		}
	}
	return n
}
