package planner

import (
	"context"

	"github.com/toolsmith-dev/toolsmith/asp"
)

// aspReasoner solves programs in process with package asp: the rules as
// New parsed them, the facts as symbols, with no text in between.
type aspReasoner struct{}

func defaultReasoner() reasoner { return aspReasoner{} }

func (aspReasoner) solve(ctx context.Context, pr *program) ([]asp.Symbol, bool, error) {
	prog := &asp.Program{Statements: pr.rules[:len(pr.rules):len(pr.rules)]}
	for _, f := range pr.facts.list {
		if err := prog.AddFact(f.pred, f.args...); err != nil {
			return nil, false, err
		}
	}
	var atoms []asp.Symbol
	found := false
	_, err := asp.Solve(ctx, prog, asp.SolveOptions{Models: 1}, func(m asp.Model) bool {
		found = true
		atoms = m.Symbols()
		return false
	})
	if err != nil {
		return nil, false, err
	}
	return atoms, found, nil
}
