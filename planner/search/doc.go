// Package search grounds a normalised PDDL task (pddl.Task) into a
// propositional Task and searches it for a plan.
//
// Grounding (Ground) runs a Datalog-style relaxed reachability fixpoint over
// the lifted actions and axioms, so only reachable operators and axioms are
// instantiated; static predicates are folded away, negative preconditions
// and conditional effects are kept. Derived facts are computed in every
// state by the axioms, layer by layer (stratified negation, negation by
// failure); the layers come from the strongly connected components of the
// ground dependency graph. Stored states are packed into 32-bit bins, each
// group of mutually exclusive facts taking the bits to count its members.
//
// Plan searches a Task with components chosen by name and composed as in
// Fast Downward: heuristics ("ff", "add", "max", "lmcut", "lmcount" — the
// landmark sum with landmark progression —, "goalcount", "blind"), each on
// the task's costs, on unit costs or on costs plus one; open lists (one
// per heuristic, one more per heuristic for preferred successors, taken in
// turn, with boosting); and algorithms (lazy and eager best-first search,
// greedy or weighted). The names "lama", "lazy", "gbfs", "wastar" and
// "astar" are compositions, and a composition may be written out:
//
//	lazy_greedy([ff(cost=one), lmcount(cost=one)], preferred=[ff], cost=one)   // "lama"
//	lazy_wastar([ff, lmcount], w=3, preferred=[ff, lmcount])
//	eager_greedy([add], preferred=[])
//	astar(lmcut)
//
// With Options.Anytime the search goes on after the first plan as LAMA
// does: weighted A* with decreasing weights, pruned by the best cost found.
//
// Heuristics treat axioms as zero-cost operators and drop negative
// conditions, so h_max, LM-cut and blind stay admissible on tasks with
// derived predicates, and landmarks stay landmarks; LM-cut is admissible
// only without conditional effects.
package search
