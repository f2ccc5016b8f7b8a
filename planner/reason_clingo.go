package planner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// clingoReasoner runs the clingo binary (used by differential tests).
type clingoReasoner struct{ path string }

func (c clingoReasoner) solve(ctx context.Context, program string) ([]string, bool, error) {
	cmd := exec.CommandContext(ctx, c.path, "--outf=2", "-n", "1", "-W", "none", "-")
	cmd.Stdin = strings.NewReader(program)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		return nil, false, err
	}
	var res struct {
		Result string
		Call   []struct {
			Witnesses []struct{ Value []string }
		}
	}
	if jerr := json.Unmarshal(out.Bytes(), &res); jerr != nil {
		return nil, false, fmt.Errorf("clingo: %s", strings.TrimSpace(errb.String()))
	}
	if res.Result == "UNSATISFIABLE" {
		return nil, false, nil
	}
	if len(res.Call) == 0 || len(res.Call[0].Witnesses) == 0 {
		return nil, false, fmt.Errorf("clingo: %s: %s", res.Result, strings.TrimSpace(errb.String()))
	}
	return res.Call[0].Witnesses[0].Value, true, nil
}

func defaultReasoner() reasoner { return clingoReasoner{path: "clingo"} }
