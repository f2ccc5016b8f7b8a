// Package asp is an Answer Set Programming engine for the clingo language
// subset used by toolsmith: a parser (Parse), a grounder (Ground) that turns
// a program with variables into the ground form solved by package
// asp/solver, and Solve, which yields answer sets as Go values and as text.
//
// # Language
//
// The accepted language is clingo's: facts, normal rules, integrity
// constraints, default negation ("not", "not not"), classical negation
// ("-p(X)", an atom of the predicate "-p" that is inconsistent with p(X);
// Symbol.Name of such an atom starts with '-'), disjunctive heads
// ("a | b :- c.", "a ; b.", "p(X) : q(X) | r.") in head-cycle-free
// programs whose head conditions do not depend on their own heads, choice
// rules with
// conditions and bounds ("1 { p(X) : q(X) } 2 :- r.", "{ ... } = k"),
// conditional literals in bodies ("ok :- p(X) : q(X)."), the body
// aggregates #count, #sum, #sum+, #min and #max with one or two
// comparisons or an assigned variable ("N = #count{ X : p(X) }"),
// comparisons, arithmetic (+ - * / \ ** |x| & ? ^ ~), intervals "a..b",
// pools "(a;b)" and "p(1,2;3,4)", integers, symbolic constants, strings,
// function terms and tuples, anonymous variables, #const (overridable),
// #show p/n, #show t : body and "#show.", #minimize and #maximize with
// weights, priorities and tuples, weak constraints ":~ body. [w@p, t]",
// #true, #false, #defined, comments, and #include in files read with
// Program.AddFile. As clingo without a multi-shot driver: "#program" parts
// other than base are checked but not grounded; "#external a : body." is
// false, true with "[true]" and free with "[free]"; #heuristic statements
// change no answer set. "#project p/n." and "#project a : body." name the
// atoms that SolveOptions.Project tells models apart by.
//
// Constructs outside that subset are rejected with an error naming their
// position ("file:line:col: theory atom is not supported"), never silently
// misread: disjunctive programs that are not head-cycle-free (two atoms of
// one head depending positively on each other: their answer sets need a
// minimality check; head-cycle-free disjunctions are shifted into normal
// rules, which is exact), head aggregates, #script, theory
// atoms and set aggregates in bodies.
//
// # Semantics
//
// Answer sets, shown atoms and optimisation follow clingo 5: symbols are
// ordered and printed as clingo does (see Compare), "/" and "\" truncate,
// undefined arithmetic drops the rule instance, elements of aggregates and
// of optimisation statements are sets of tuples (a tuple counts once),
// and without any "#show p/n." or "#show." every atom is shown.
// Aggregates whose elements depend recursively on the rule's head are
// supported when they are monotone, antimonotone or a conjunction of both
// (>=, >, <=, <, =), as in clingo; a recursive "!=" aggregate and a
// recursive #sum with negative weights are rejected, because their clingo
// meaning (Ferraris' semantics) needs disjunctive rules the solver does not
// have.
//
// The package's differential tests compare it with the clingo binary on a
// corpus of programs (testdata/corpus) and on random programs.
//
// # Use
//
//	prog, err := asp.Parse("rules.lp", src)      // an ErrorList on failure
//	prog.AddFact("hotel", asp.String("Ritz"), asp.Number(300))
//	res, err := asp.Solve(ctx, prog, asp.SolveOptions{Models: 0}, func(m asp.Model) bool {
//		fmt.Println(m.Text()) // or m.Symbols()
//		return true           // false stops the search
//	})
//
// Ground and GroundProgram.Solve separate the two stages, for instance to
// solve one ground program several times. Separate programs may be
// grounded and solved concurrently; cancelling ctx stops either stage.
package asp
