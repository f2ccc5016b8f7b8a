package asp

import (
	"context"

	"github.com/toolsmith-dev/toolsmith/asp/solver"
)

// GroundProgram is a ground program ready for the solver, with the symbols its
// outputs show.
type GroundProgram struct {
	// Program is the ground program in the solver's format.
	Program *solver.Program
	st      *symtab
	shown   []sym // the symbol of each entry of Program.Outputs
}

// Output returns the symbol that Program.Outputs[i] shows.
func (gp *GroundProgram) Output(i int) Symbol { return gp.st.symbol(gp.shown[i]) }

// GroundOptions configure grounding.
type GroundOptions struct {
	// Consts override #const definitions (clingo's -c NAME=VALUE).
	Consts map[string]Symbol
}

// Ground instantiates prog: it checks safety, grounds the rules
// component by component bottom-up, translates aggregates, choice bounds
// and optimisation statements, and keeps only shown atoms as outputs.
// Errors are an ErrorList for unsafe rules and invalid constants, or
// wrap ctx.Err() when the context ends first.
func Ground(ctx context.Context, prog *Program, opts GroundOptions) (*GroundProgram, error) {
	return groundProgram(ctx, prog, opts.Consts)
}
