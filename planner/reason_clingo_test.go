package planner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/toolsmith-dev/toolsmith/asp"
)

// clingoReasoner runs the clingo binary; the differential tests compare it
// with the in-process asp package. It reads clingo's text output (-V0): the
// JSON output of clingo 5.4 does not escape quotes inside strings.
type clingoReasoner struct{ path string }

func (c clingoReasoner) solve(ctx context.Context, pr *program) ([]asp.Symbol, bool, error) {
	cmd := exec.CommandContext(ctx, c.path, "-V0", "-n", "1", "-W", "none", "-")
	cmd.Stdin = strings.NewReader(pr.text())
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		return nil, false, err
	}
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	switch {
	case len(lines) == 1 && lines[0] == "UNSATISFIABLE":
		return nil, false, nil
	case len(lines) == 2 && lines[1] == "SATISFIABLE":
		var atoms []asp.Symbol
		for _, text := range splitAtoms(lines[0]) {
			a, err := asp.ParseTerm(text)
			if err != nil {
				return nil, false, fmt.Errorf("clingo atom %q: %w", text, err)
			}
			atoms = append(atoms, a)
		}
		return atoms, true, nil
	}
	return nil, false, fmt.Errorf("clingo: %s", strings.TrimSpace(errb.String()))
}

// splitAtoms splits an answer line at the spaces outside strings.
func splitAtoms(line string) []string {
	var atoms []string
	inStr, start := false, 0
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case inStr && c == '\\':
			i++
		case c == '"':
			inStr = !inStr
		case c == ' ' && !inStr:
			if i > start {
				atoms = append(atoms, line[start:i])
			}
			start = i + 1
		}
	}
	if start < len(line) {
		atoms = append(atoms, line[start:])
	}
	return atoms
}
