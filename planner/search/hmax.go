package search

// Infinity is the cost of a fact that the delete relaxation cannot reach.
const Infinity = infinity

// RelaxedCosts are the costs of the facts of a task in its delete
// relaxation from a state (see HMax).
type RelaxedCosts struct {
	// Fact holds the cost of each fact (Infinity when unreachable, 0 for
	// the facts of the state).
	Fact []int64
	// Supporter holds, for each reachable fact not in the state, the
	// operator (index into Task.Operators) that reaches it most cheaply,
	// or -1 when an axiom derives it; -1 for the facts of the state and
	// unreachable facts.
	Supporter []int32
	// cost, supp and pre are the exploration's, over every relaxed fact
	// (the task's, then the negation facts; see relaxedTask): each fact's
	// cost, best supporter and the supporter's precondition.
	cost []int64
	supp []int32
	pre  [][]int32
}

// HMax computes h_max for every fact of t from the state whose true facts
// are given (primary facts; the derived facts follow from the axioms):
// the cost of the most costly precondition on the cheapest path to the
// fact in the delete relaxation, operators costing their Cost, axioms 0,
// negative conditions ignored. h_max of a set of facts is the largest of
// their costs; it never exceeds the cost of a plan reaching them, so it
// bounds the cost of any plan from below and proves facts unreachable when
// Infinity. It runs in time linear in the task's size times the log of
// the number of facts.
func HMax(t *Task, facts []int32) RelaxedCosts {
	e := newExploration(newRelaxed(t, costNormal), true)
	s := newState(len(t.Facts))
	for _, f := range facts {
		s.set(f)
	}
	newAxiomEvaluator(t).evaluate(s)
	e.explore(s, true)
	rc := RelaxedCosts{cost: e.cost, supp: make([]int32, len(e.supp)), pre: make([][]int32, len(e.supp))}
	for f, o := range e.supp {
		rc.supp[f] = -1
		if o >= 0 && e.cost[f] < infinity {
			rc.supp[f] = e.rt.orig[o]
			rc.pre[f] = e.rt.pre[o]
		}
	}
	rc.Fact, rc.Supporter = rc.cost[:len(t.Facts)], rc.supp[:len(t.Facts)]
	return rc
}

// Plan returns the relaxed plan made of the best supporters reaching every
// fact of goal, each operator once, in an order in which each one's
// preconditions are reached first, and its cost; ok is false when some
// goal fact is unreachable. (With h_max supporters, a relaxed plan of a
// task without delete effects is a plan; its cost bounds the optimum from
// above.)
func (rc RelaxedCosts) Plan(t *Task, goal []int32) (ops []int32, cost int64, ok bool) {
	used := make([]bool, len(t.Operators))
	seen := make([]bool, len(rc.cost))
	var visit func(f int32) bool
	visit = func(f int32) bool {
		if seen[f] {
			return true
		}
		seen[f] = true
		if rc.cost[f] >= infinity {
			return false
		}
		for _, q := range rc.pre[f] {
			if !visit(q) {
				return false
			}
		}
		if o := rc.supp[f]; o >= 0 && !used[o] {
			used[o] = true
			ops = append(ops, o)
			cost += t.Operators[o].Cost
		}
		return true
	}
	for _, g := range goal {
		if !visit(g) {
			return nil, 0, false
		}
	}
	return ops, cost, true
}
