package asp

import (
	"context"
	"fmt"
	"strings"

	"github.com/toolsmith-dev/toolsmith/asp/solver"
)

// OptMode selects how optimisation statements are treated; see
// solver.OptMode.
type OptMode = solver.OptMode

// Optimisation modes (clingo's --opt-mode).
const (
	OptFind   = solver.OptFind   // improving models, the last proven optimal (opt)
	OptAll    = solver.OptAll    // every optimal model (optN)
	OptIgnore = solver.OptIgnore // ignore the objective
)

// SolveOptions configure Solve.
type SolveOptions struct {
	// Models is how many models to report; 0 means all (clingo -n).
	Models  int
	OptMode OptMode
	// Project makes models distinct on their shown symbols, or on the
	// atoms of the program's #project statements when it has any (clingo
	// --project).
	Project bool
	// Seed makes the solver's decisions reproducible.
	Seed int64
	// Consts override #const definitions (clingo -c NAME=VALUE).
	Consts map[string]Symbol
}

// Model is one answer set projected onto the shown symbols.
type Model struct {
	// Number counts models from 1 in the order reported.
	Number int
	// Costs is the objective by priority, highest first (nil without
	// optimisation statements).
	Costs []int64
	// Optimal is set when the model is proven optimal.
	Optimal bool

	gp    *GroundProgram
	shown []int // indices into gp.Program.Outputs
}

// Symbols returns the shown atoms and terms in clingo's symbol order.
func (m Model) Symbols() []Symbol {
	out := make([]Symbol, len(m.shown))
	for i, idx := range m.shown {
		out[i] = m.gp.Output(idx)
	}
	return out
}

// Strings returns the shown symbols as clingo prints them.
func (m Model) Strings() []string {
	out := make([]string, len(m.shown))
	for i, idx := range m.shown {
		out[i] = m.gp.Program.Outputs[idx].Text
	}
	return out
}

// Text prints the shown symbols separated by spaces, as clingo prints an
// answer.
func (m Model) Text() string {
	var b strings.Builder
	for i, idx := range m.shown {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(m.gp.Program.Outputs[idx].Text)
	}
	return b.String()
}

// Result summarises a search; see solver.Result.
type Result = solver.Result

// Solve grounds prog and yields its answer sets until yield returns false,
// the requested number of models is reached or the search space is
// exhausted. Cancelling ctx stops grounding or search promptly; the Result
// so far is returned with an error wrapping ctx.Err().
func Solve(ctx context.Context, prog *Program, opts SolveOptions, yield func(Model) bool) (Result, error) {
	gp, err := Ground(ctx, prog, GroundOptions{Consts: opts.Consts})
	if err != nil {
		return Result{}, err
	}
	return gp.Solve(ctx, opts, yield)
}

// Solve searches the answer sets of the ground program (opts.Consts is
// ignored: constants are fixed when grounding).
func (gp *GroundProgram) Solve(ctx context.Context, opts SolveOptions, yield func(Model) bool) (Result, error) {
	n := 0
	res, err := solver.Solve(ctx, gp.Program, solver.Options{
		Models:  opts.Models,
		OptMode: opts.OptMode,
		Project: opts.Project,
		Seed:    opts.Seed,
	}, func(sm solver.Model) bool {
		n++
		m := Model{Number: n, Costs: sm.Costs, Optimal: sm.Optimal, gp: gp, shown: sm.Shown}
		if yield == nil {
			return true
		}
		return yield(m)
	})
	if err != nil {
		return res, fmt.Errorf("asp: %w", err)
	}
	return res, nil
}
