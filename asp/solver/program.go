// Package solver finds the answer sets of ground logic programs: a
// conflict-driven search over rules, cardinality and weight constraints, with
// unfounded-set checking for non-tight programs and branch-and-bound
// optimisation. Its input is a Program, the ground form that the asp package's
// grounder produces (close to clingo's aspif intermediate format).
//
// # Semantics
//
// Answer sets are those of clingo: a set of atoms M is an answer set when it
// satisfies every integrity constraint and equals the least model of the
// reduct of the program relative to M, where a choice rule contributes
// "h :- body" only for its head atoms h in M, and a weight body keeps its
// positive literals while its negative literals count with their value in M.
// Weight bodies are monotone: rule body weights must not be negative.
//
// # Method
//
// The program is translated into the Clark completion with one variable per
// distinct rule body: clauses for conjunctive bodies, native weight
// constraints (body <-> sum >= bound, propagated with counters and explained
// lazily, never expanded into clauses) for weight bodies. Atoms on positive
// loops (the non-trivial strongly connected components of the positive
// dependency graph) are checked for unfounded sets with source pointers;
// tight programs skip the check. The search is CDCL: one propagation loop
// over every constraint kind (two watched literals for clauses), first-UIP
// learning with recursive clause minimisation, VSIDS decisions with phase
// saving, Luby restarts and LBD-based clause deletion. Models are enumerated
// with blocking clauses (on the decisions, or on the shown texts when
// projecting); the objective is a lexicographic bound constraint tightened
// after every model until the search fails, which proves optimality.
package solver

// Atom is a ground atom's identifier: 1..Program.NumAtoms.
type Atom int32

// Lit is a literal over atoms: a positive Atom id, or its negation (-id) for
// default negation "not a".
type Lit int32

// Atom returns the atom of l.
func (l Lit) Atom() Atom {
	if l < 0 {
		return Atom(-l)
	}
	return Atom(l)
}

// Positive reports whether l is an atom rather than its negation.
func (l Lit) Positive() bool { return l > 0 }

// HeadKind says how a rule's head is read.
type HeadKind uint8

const (
	// Disjunctive heads: a normal rule ("a :- body."), with no head atom an
	// integrity constraint (":- body."), with several atoms a disjunction
	// ("a | b :- body."). Disjunctions are shifted into normal rules, which
	// is exact for head-cycle-free programs; a program where two atoms of
	// one head depend positively on each other is refused with an *Error.
	Disjunctive HeadKind = iota
	// Choice: any subset of the head atoms may be true when the body holds
	// ("{a; b} :- body."). Bounds of choice rules are compiled by the grounder
	// into integrity constraints with weight bodies.
	Choice
)

// BodyKind says how a rule's body is read.
type BodyKind uint8

const (
	// Normal bodies are conjunctions of literals.
	Normal BodyKind = iota
	// Weight bodies hold when the sum of the weights of the true literals is at
	// least Bound (a cardinality body when every weight is 1).
	Weight
)

// WeightedLit is a literal with an integer weight (weights are positive in
// rule bodies; in Minimize they may be any integer).
type WeightedLit struct {
	Lit    Lit
	Weight int64
}

// Rule is one ground rule.
type Rule struct {
	Head     []Atom
	HeadKind HeadKind
	BodyKind BodyKind
	// Body holds the literals of a Normal body (weights ignored, may be 1) or
	// the weighted literals of a Weight body.
	Body  []WeightedLit
	Bound int64 // lower bound of a Weight body
}

// Minimize is one priority level's part of the objective: the sum of the
// weights of the true literals is minimised. Levels with a higher Priority are
// more important (as in clingo). Several entries may share a priority; they
// are summed, and a literal listed twice counts twice (the grounder removes
// clingo's duplicate tuples). A priority is a level of Model.Costs only if
// some entry with that priority has at least one literal; weights may be
// negative (#maximize).
type Minimize struct {
	Priority int
	Lits     []WeightedLit
}

// Output names what an answer set shows: Text (a ground term in clingo's
// syntax, e.g. "p(1,\"a\")") is shown when every literal of Cond is true. An
// atom shown by "#show p/1." is an Output with Cond = [atom].
type Output struct {
	Text string
	Cond []Lit
}

// Program is a ground program. Atoms are numbered 1..NumAtoms; an atom that
// appears in no rule head is false in every answer set. Solve reports an
// *Error for literals out of range, disjunctive heads with several atoms and
// negative weights in rule bodies. Weight bodies may hold an atom both
// positively and negatively; zero weights are ignored and a Bound <= 0 makes
// the body true.
type Program struct {
	NumAtoms int
	Rules    []Rule
	Minimize []Minimize
	Outputs  []Output
	// Project, when not empty, is what Options.Project tells models apart
	// by instead of the shown texts (clingo's #project).
	Project []Lit
}
