package planner

import (
	"context"

	"github.com/toolsmith-dev/toolsmith/asp"
)

// aspReasoner solves programs in process with package asp.
type aspReasoner struct{}

func defaultReasoner() reasoner { return aspReasoner{} }

func (aspReasoner) solve(ctx context.Context, program string) ([]asp.Symbol, bool, error) {
	prog, err := asp.Parse("rules.lp", []byte(program))
	if err != nil {
		return nil, false, err
	}
	var atoms []asp.Symbol
	found := false
	_, err = asp.Solve(ctx, prog, asp.SolveOptions{Models: 1}, func(m asp.Model) bool {
		found = true
		atoms = m.Symbols()
		return false
	})
	if err != nil {
		return nil, false, err
	}
	return atoms, found, nil
}
