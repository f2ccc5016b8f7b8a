// Package asp is an Answer Set Programming engine for the clingo language
// subset used by toolsmith: a parser (Parse), a grounder (Ground) that turns a
// program with variables into the ground form solved by package
// asp/solver, and Solve, which yields answer sets as Go values and as text.
//
// The accepted language is clingo's: facts, normal rules, integrity
// constraints, default negation, choice rules with bounds and conditions,
// conditional literals, the body aggregates #count, #sum, #sum+, #min and
// #max, arithmetic, intervals, pools, #const, #show, #minimize, #maximize and
// weak constraints. Constructs outside that subset (disjunctive heads,
// #script, theory atoms, #external, ...) are rejected with an error naming
// their position, never silently misread.
package asp
