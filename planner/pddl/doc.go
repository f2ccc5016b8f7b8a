// Package pddl reads, checks, prints and normalises planning tasks written in
// PDDL (STRIPS, typing, ADL and action costs): a lexer and parser with exact
// positions, an AST that prints back to PDDL, a type checker, and Normalize,
// which compiles a domain and problem into a Task with conjunctive
// preconditions and conditional effects for planner/search.
package pddl
