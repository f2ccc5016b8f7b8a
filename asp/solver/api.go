package solver

// OptMode selects how optimisation statements are treated.
type OptMode uint8

const (
	// OptFind reports a sequence of models of strictly improving cost and
	// proves the last one optimal (clingo's default --opt-mode=opt).
	OptFind OptMode = iota
	// OptAll first finds the optimum, then enumerates every optimal model
	// (clingo's --opt-mode=optN).
	OptAll
	// OptIgnore enumerates answer sets ignoring the objective.
	OptIgnore
)

// Options configure Solve. The zero value finds one model (as clingo -n 1).
type Options struct {
	// Models is how many models to report; 0 means all. With OptFind it
	// bounds the improving models reported (clingo semantics: optimality is
	// only proven with 0, which is clingo's default -n for programs with an
	// objective); with OptAll it bounds the optimal models reported, after
	// the improving models of the first phase.
	Models  int
	OptMode OptMode
	// Project enumerates models distinct on their shown outputs only (clingo
	// --project); by default answer sets are distinct over all atoms, so two
	// may show the same outputs, as in clingo's default.
	Project bool
	// Seed makes decision heuristics reproducible; 0 is a fixed default.
	Seed int64

	// loopBudget overrides the size up to which unfounded sets are
	// falsified with learnt loop clauses (tests; < 0: never).
	loopBudget int
}

// Model is one answer set, projected onto the program's outputs.
type Model struct {
	// Shown holds the indices into Program.Outputs whose condition holds,
	// deduplicated by Output.Text and sorted by index.
	Shown []int
	// Costs is the objective by priority, highest priority first; nil when
	// the program has no Minimize entries.
	Costs []int64
	// Optimal is set on models proven optimal (in OptFind, the last model;
	// in OptAll, every model reported in the enumeration phase).
	Optimal bool
}

// Result summarises a call to Solve.
type Result struct {
	// Satisfiable is set when a model was found.
	Satisfiable bool
	// Exhausted is set when the search space was fully explored: every model
	// was enumerated, or optimality was proven (clingo's exit code 30 when
	// satisfiable, 20 when not).
	Exhausted bool
	// Models is the number of models reported.
	Models int
	// OptimumProven is set when a model was proven optimal.
	OptimumProven bool
	// Costs is the best cost found (nil without an objective).
	Costs []int64
	// Stats counts the search effort.
	Stats Stats
}
