// Package pddl reads, checks, prints and normalises planning tasks written in
// PDDL (STRIPS, typing, ADL, derived predicates and action costs): a lexer
// and parser with exact positions, an AST that prints back to PDDL, a type
// checker, and Normalize, which compiles a domain and problem into a Task
// with conjunctive preconditions, conditional effects and axioms (rules for
// the derived predicates) for planner/search.
//
// The stages read like Go's own front end:
//
//	d, err := pddl.ParseDomain("domain.pddl", src)   // or ParseProblem, or Parse for either
//	err = pddl.Check(d, p)                             // names, arities, types
//	task, err := pddl.Normalize(d, p)                  // checks, then compiles ADL away
//	steps, err := pddl.ParsePlan(planSrc)              // IPC plan file
//	cost, err := pddl.Validate(task, steps)            // *PlanError names the first failing step
//
// Errors from parsing, checking and normalising are an ErrorList whose
// entries print as file:line:col: message. Features recognised but not
// handled — durative actions, numeric fluents other than total-cost,
// preferences and constraints — are reported at their position and wrap
// ErrUnsupported.
//
// Normalize never expands a condition exponentially: a universal quantifier
// it cannot expand into a short conjunction, and disjunctions that would
// multiply out, become derived predicates of their own, as Fast Downward's
// translator compiles them.
//
// PDDL is case-insensitive: the AST keeps names as written, and the checker,
// Normalize and Validate compare them case-insensitively; a Task uses the
// spelling of each name's declaration.
//
// The AST (Domain, Problem, Formula, EffectExpr and their node types) may be
// built from Go values, without positions; Domain.String and
// Problem.String print it as PDDL that parses back to an equal AST.
package pddl
