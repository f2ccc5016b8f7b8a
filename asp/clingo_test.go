package asp

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/toolsmith-dev/toolsmith/internal/testenv"
)

// clingoJSON is the part of clingo's --outf=2 output the tests compare.
type clingoJSON struct {
	Result string
	Call   []struct {
		Witnesses []struct {
			Value []string
			Costs []int64
		}
	}
	Models struct {
		Number  int
		More    string
		Optimum string
		Optimal int
		Costs   []int64
	}
}

// outcome is what both engines are compared on.
type outcome struct {
	result  string   // SATISFIABLE, UNSATISFIABLE, OPTIMUM FOUND
	models  []string // every answer set (sorted shown symbols), sorted
	optimal []string // optimal answer sets, sorted (optimisation only)
	costs   []int64  // optimum
}

func (o outcome) String() string {
	return fmt.Sprintf("result %s\nmodels (%d):\n  %s\noptimal (%d):\n  %s\ncosts %v",
		o.result, len(o.models), strings.Join(o.models, "\n  "), len(o.optimal), strings.Join(o.optimal, "\n  "), o.costs)
}

func canonAnswer(vals []string) string {
	v := append([]string(nil), vals...)
	sort.Strings(v)
	return "{" + strings.Join(v, " ") + "}"
}

// runClingo runs clingo on src with -n 0 --opt-mode=optN and extra args.
func runClingo(t testing.TB, src string, args []string) outcome {
	t.Helper()
	bin := testenv.Clingo(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append([]string{"-n", "0", "--opt-mode=optN", "--outf=2", "-"}, args...)...)
	cmd.Stdin = strings.NewReader(src)
	out, err := cmd.Output()
	var ee *exec.ExitError
	if err != nil && !(errorsAs(err, &ee) && (ee.ExitCode() == 10 || ee.ExitCode() == 20 || ee.ExitCode() == 30)) {
		t.Fatalf("clingo: %v\n%s", err, out)
	}
	var js clingoJSON
	if err := json.Unmarshal(out, &js); err != nil {
		t.Fatalf("clingo output: %v\n%s", err, out)
	}
	var o outcome
	o.result = js.Result
	var ws [][]string
	if len(js.Call) > 0 {
		for _, w := range js.Call[0].Witnesses {
			ws = append(ws, w.Value)
		}
	}
	if js.Models.Optimum == "yes" || js.Models.Optimal > 0 {
		o.costs = js.Models.Costs
		for _, w := range ws[len(ws)-js.Models.Optimal:] {
			o.optimal = append(o.optimal, canonAnswer(w))
		}
		sort.Strings(o.optimal)
		return o
	}
	for _, w := range ws {
		o.models = append(o.models, canonAnswer(w))
	}
	sort.Strings(o.models)
	return o
}

func errorsAs(err error, target **exec.ExitError) bool {
	e, ok := err.(*exec.ExitError)
	if ok {
		*target = e
	}
	return ok
}

// runOurs solves src with this package, as clingo -n 0 --opt-mode=optN.
func runOurs(t testing.TB, name, src string, opts SolveOptions) outcome {
	t.Helper()
	prog, err := Parse(name, []byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	gp, err := Ground(ctx, prog, GroundOptions{Consts: opts.Consts})
	if err != nil {
		t.Fatalf("ground: %v", err)
	}
	opts.OptMode = OptAll
	var o outcome
	var all []string
	res, err := gp.Solve(ctx, opts, func(m Model) bool {
		syms := m.Symbols()
		vals := make([]string, len(syms))
		for i, s := range syms {
			// Compare what a JSON reader of clingo's output sees.
			if err := json.Unmarshal([]byte(s.JSONString()), &vals[i]); err != nil {
				t.Fatalf("JSONString(%v): %v", s, err)
			}
		}
		if m.Optimal {
			o.optimal = append(o.optimal, canonAnswer(vals))
		}
		all = append(all, canonAnswer(vals))
		return true
	})
	if err != nil {
		t.Fatalf("solve: %v", err)
	}
	switch {
	case !res.Satisfiable:
		o.result = "UNSATISFIABLE"
		o.optimal = nil
	case len(gp.Program.Minimize) > 0:
		o.result = "OPTIMUM FOUND"
		if !res.OptimumProven {
			o.result = "SATISFIABLE"
		}
		o.costs = res.Costs
	default:
		o.result = "SATISFIABLE"
		o.models = all
		o.optimal = nil
	}
	sort.Strings(o.models)
	sort.Strings(o.optimal)
	return o
}

// fileArgs reads a line "% args: ..." of a test program:
// clingo options among --project and -c NAME=VALUE.
func fileArgs(t testing.TB, src string) ([]string, SolveOptions) {
	var opts SolveOptions
	var rest string
	found := false
	for _, line := range strings.Split(src, "\n") {
		if r, ok := strings.CutPrefix(line, "% args:"); ok {
			rest, found = r, true
			break
		}
	}
	if !found {
		return nil, opts
	}
	args := strings.Fields(rest)
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "--project":
			opts.Project = true
		case "-c":
			i++
			name, val, err := ParseConst(args[i])
			if err != nil {
				t.Fatal(err)
			}
			if opts.Consts == nil {
				opts.Consts = map[string]Symbol{}
			}
			opts.Consts[name] = val
		default:
			t.Fatalf("unknown test argument %q", args[i])
		}
	}
	return args, opts
}

func compareOutcomes(t *testing.T, name, src string) {
	t.Helper()
	args, opts := fileArgs(t, src)
	want := runClingo(t, src, args)
	got := runOurs(t, name, src, opts)
	if len(want.costs) != len(got.costs) || want.result != got.result {
		want, got = normaliseZeroLevels(want), normaliseZeroLevels(got)
	}
	if opts.Project && strings.Contains(src, "#project") {
		// Projected on atoms that need not be shown, each model printed
		// is any one of its class: the classes must agree in number.
		want, got = countOnly(want), countOnly(got)
	}
	if want.String() != got.String() {
		t.Errorf("%s: mismatch with clingo\n--- clingo\n%s\n--- asp\n%s\n--- program\n%s", name, want, got, src)
	}
}

// countOnly keeps of an outcome its result, costs and the number of its
// models, dropping which models they are.
func countOnly(o outcome) outcome {
	for i := range o.models {
		o.models[i] = "?"
	}
	for i := range o.optimal {
		o.optimal[i] = "?"
	}
	return o
}

// TestCorpusAgainstClingo solves every program in testdata/corpus and
// compares result, answer sets and optimum costs with clingo's.
func TestCorpusAgainstClingo(t *testing.T) {
	testenv.Clingo(t)
	files, err := filepath.Glob("testdata/corpus/*.lp")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 60 {
		t.Errorf("corpus has %d programs, want at least 60", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			compareOutcomes(t, filepath.Base(f), string(src))
		})
	}
}

// normaliseZeroLevels makes outcomes comparable when only the grounders
// differ in which optimisation levels survive simplification: clingo keeps
// a level whose elements are never derivable by our grounder (and vice
// versa), and such a level costs 0 in every answer set. When the two
// outcomes differ in their levels, zero levels are dropped; with none left
// the outcome is a plain enumeration of the optimal (= all) answer sets.
func normaliseZeroLevels(o outcome) outcome {
	if o.result != "OPTIMUM FOUND" {
		return o
	}
	var costs []int64
	for _, c := range o.costs {
		if c != 0 {
			costs = append(costs, c)
		}
	}
	o.costs = costs
	if len(costs) == 0 {
		o.result = "SATISFIABLE"
		o.models, o.optimal = o.optimal, nil
	}
	return o
}
