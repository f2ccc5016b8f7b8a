// Package search grounds a normalised PDDL task (pddl.Task) into a
// propositional Task and searches it for a plan.
//
// Grounding (Ground) runs a Datalog-style relaxed reachability fixpoint over
// the lifted actions, so only reachable operators are instantiated; static
// predicates are folded away, negative preconditions and conditional effects
// are kept, and states are bit sets. Plan searches a Task with components
// chosen by name, as Fast Downward does: heuristics ("ff", "add", "max",
// "lmcut", "blind", plus the landmark count used by "lama") and algorithms
// ("lama", "gbfs", "wastar", "astar").
package search
