package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/asp"
)

// Exit codes of "asp solve", as clingo's.
const (
	exitASPSat         = 10
	exitASPUnsat       = 20
	exitASPExhausted   = 30
	exitASPInterrupted = 65
)

// aspSolveFlags are the options of "asp solve".
type aspSolveFlags struct {
	models  int
	consts  []string
	optMode string
	project bool
	json    bool
}

func newASPSolveCmd(a *app) *cobra.Command {
	var fl aspSolveFlags
	cmd := &cobra.Command{
		Use:   "solve [FILE...]",
		Short: "Solve ASP programs in clingo syntax and print answer sets as clingo does",
		Long: `Ground and solve the programs (read from standard input when no file or "-"
is given) and print their answer sets in clingo's text format, or in clingo's
--outf=2 JSON format with --json. A positional integer is the number of
models, as in clingo.

Exit codes (as clingo): 10 satisfiable, 20 unsatisfiable, 30 satisfiable and
search space exhausted (every model found or optimum proven), 65 interrupted,
2 syntax error or unsafe rule (file:line:col: message on stderr).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.aspSolve(cmd.Context(), cmd.InOrStdin(), args, fl, cmd.Flags().Changed("models"))
		},
	}
	f := cmd.Flags()
	f.IntVarP(&fl.models, "models", "n", 1, "number of models to report, 0 for all (0 by default with optimisation statements)")
	f.StringArrayVarP(&fl.consts, "const", "c", nil, "override a constant: NAME=VALUE (repeatable)")
	f.StringVar(&fl.optMode, "opt-mode", "opt", "optimisation: opt (improve until optimal), optN (all optimal models) or ignore")
	f.BoolVar(&fl.project, "project", false, "report models distinct on their shown atoms only")
	f.BoolVar(&fl.json, "json", false, "print clingo's --outf=2 JSON")
	return cmd
}

func (a *app) aspSolve(ctx context.Context, stdin io.Reader, args []string, fl aspSolveFlags, modelsSet bool) error {
	start := time.Now()
	var files []string
	for _, arg := range args {
		if n, err := strconv.Atoi(arg); err == nil && n >= 0 {
			if _, statErr := os.Stat(arg); statErr != nil {
				fl.models, modelsSet = n, true
				continue
			}
		}
		files = append(files, arg)
	}
	opts := asp.SolveOptions{Project: fl.project, Consts: map[string]asp.Symbol{}}
	switch fl.optMode {
	case "opt":
		opts.OptMode = asp.OptFind
	case "optN":
		opts.OptMode = asp.OptAll
	case "ignore":
		opts.OptMode = asp.OptIgnore
	default:
		return usageErr("--opt-mode must be opt, optN or ignore, not %q", fl.optMode)
	}
	if fl.models < 0 {
		return usageErr("-n must be at least 0")
	}
	for _, c := range fl.consts {
		name, val, err := asp.ParseConst(c)
		if err != nil {
			return usageErr("-c %s: %v", c, err)
		}
		opts.Consts[name] = val
	}

	prog := &asp.Program{}
	inputs := files
	if len(files) == 0 {
		inputs, files = []string{"stdin"}, []string{"-"}
	}
	for _, f := range files {
		var err error
		if f == "-" {
			src, rerr := io.ReadAll(stdin)
			if rerr != nil {
				return usageErr("reading standard input: %v", rerr)
			}
			err = prog.AddSource("<stdin>", src)
		} else {
			err = prog.AddFile(f)
		}
		if err != nil {
			return a.aspInputErr(err)
		}
	}

	gp, err := asp.Ground(ctx, prog, asp.GroundOptions{Consts: opts.Consts})
	if err != nil {
		if ctx.Err() != nil {
			return exitWith(exitASPInterrupted, "interrupted")
		}
		return a.aspInputErr(err)
	}
	optimizing := len(gp.Program.Minimize) > 0 && opts.OptMode != asp.OptIgnore
	opts.Models = fl.models
	if !modelsSet && optimizing {
		opts.Models = 0
	}

	out := bufio.NewWriter(a.stdout)
	defer out.Flush()
	var witnesses []asp.Model
	if !fl.json {
		fmt.Fprintf(out, "toolsmith asp (clingo 5.4.1 format)\nReading from %s\nSolving...\n", readingFrom(inputs))
	}
	var firstModel time.Duration
	answer := 0
	optimalPhase := false
	solveStart := time.Now()
	res, serr := gp.Solve(ctx, opts, func(m asp.Model) bool {
		if firstModel == 0 {
			firstModel = time.Since(solveStart)
		}
		if fl.json {
			witnesses = append(witnesses, m)
			return true
		}
		// With optN clingo numbers the optimal models from 1 again.
		if opts.OptMode == asp.OptAll && optimizing && m.Optimal && !optimalPhase {
			optimalPhase, answer = true, 0
		}
		answer++
		fmt.Fprintf(out, "Answer: %d\n%s\n", answer, m.Text())
		if m.Costs != nil && optimizing {
			fmt.Fprintf(out, "Optimization: %s\n", joinCosts(m.Costs, " "))
		}
		return true
	})
	solveTime := time.Since(solveStart)
	interrupted := serr != nil && ctx.Err() != nil
	if serr != nil && !interrupted {
		return fmt.Errorf("asp solve: %w", serr)
	}
	optimal := 0
	for _, m := range witnesses {
		if m.Optimal {
			optimal++
		}
	}
	sum := aspSummary{
		res: res, optimizing: optimizing, optN: opts.OptMode == asp.OptAll,
		interrupted: interrupted, optimal: optimal,
		total: time.Since(start), solve: solveTime, model: firstModel,
	}
	if fl.json {
		writeClingoJSON(out, inputs, witnesses, sum)
	} else {
		sum.optimal = answer
		if !optimalPhase {
			sum.optimal = 0
			if res.OptimumProven {
				sum.optimal = 1
			}
		}
		writeClingoSummary(out, sum)
	}
	switch {
	case interrupted:
		a.exitCode = exitASPInterrupted
	case !res.Satisfiable:
		a.exitCode = exitASPUnsat
	case res.Exhausted || res.OptimumProven && opts.Models == 0:
		a.exitCode = exitASPExhausted
	default:
		a.exitCode = exitASPSat
	}
	return nil
}

// aspInputErr prints the syntax or grounding errors of the input as clingo
// does (file:line:col: message) and fails with exit code 2; any other error
// is a usage error.
func (a *app) aspInputErr(err error) error {
	var el asp.ErrorList
	if errors.As(err, &el) {
		fmt.Fprint(a.stderr, el.Text())
		return exitWith(2, "")
	}
	return usageErr("%v", err)
}

func readingFrom(inputs []string) string {
	if len(inputs) > 1 {
		return inputs[0] + " ..."
	}
	return inputs[0]
}

func joinCosts(costs []int64, sep string) string {
	s := make([]string, len(costs))
	for i, c := range costs {
		s[i] = strconv.FormatInt(c, 10)
	}
	return strings.Join(s, sep)
}

// aspSummary is what the closing lines of clingo's output report.
type aspSummary struct {
	res         asp.Result
	optimizing  bool
	optN        bool
	interrupted bool
	optimal     int
	total       time.Duration
	solve       time.Duration
	model       time.Duration
}

func (s aspSummary) result() string {
	switch {
	case s.interrupted && !s.res.Satisfiable:
		return "UNKNOWN"
	case !s.res.Satisfiable:
		return "UNSATISFIABLE"
	case s.optimizing && s.res.OptimumProven:
		return "OPTIMUM FOUND"
	}
	return "SATISFIABLE"
}

func (s aspSummary) more() bool {
	return !s.res.Exhausted && !(s.optimizing && s.res.OptimumProven && !s.optN)
}

func writeClingoSummary(w io.Writer, s aspSummary) {
	if s.interrupted {
		fmt.Fprintln(w, "INTERRUPTED")
	}
	fmt.Fprintf(w, "%s\n\n", s.result())
	plus := ""
	if s.res.Satisfiable && s.more() || s.interrupted {
		plus = "+"
	}
	fmt.Fprintf(w, "Models       : %d%s\n", s.res.Models, plus)
	if s.optimizing && s.res.Satisfiable {
		opt := "unknown"
		if s.res.OptimumProven {
			opt = "yes"
		}
		fmt.Fprintf(w, "  Optimum    : %s\n", opt)
		if s.optN {
			fmt.Fprintf(w, "  Optimal    : %d\n", s.optimal)
		}
		fmt.Fprintf(w, "Optimization : %s\n", joinCosts(s.res.Costs, " "))
	}
	fmt.Fprintf(w, "Calls        : 1\n")
	fmt.Fprintf(w, "Time         : %.3fs (Solving: %.2fs 1st Model: %.2fs Unsat: %.2fs)\n",
		s.total.Seconds(), s.solve.Seconds(), s.model.Seconds(), (s.solve - s.model).Seconds())
	fmt.Fprintf(w, "CPU Time     : %.3fs\n", s.total.Seconds())
}

// writeClingoJSON prints the document clingo --outf=2 prints, with the same
// layout.
func writeClingoJSON(w io.Writer, inputs []string, ws []asp.Model, s aspSummary) {
	if !s.optimizing {
		for i := range ws {
			ws[i].Costs = nil
		}
	}
	fmt.Fprintf(w, "{\n  \"Solver\": \"toolsmith asp (clingo 5.4.1 format)\",\n  \"Input\": [\n")
	for i, in := range inputs {
		sep := ","
		if i == len(inputs)-1 {
			sep = ""
		}
		fmt.Fprintf(w, "    %s%s\n", strconv.Quote(in), sep)
	}
	fmt.Fprintf(w, "  ],\n  \"Call\": [\n    {\n")
	if len(ws) == 0 {
		fmt.Fprintf(w, "\n")
	} else {
		fmt.Fprintf(w, "      \"Witnesses\": [\n")
		for i, m := range ws {
			syms := m.Symbols()
			vals := make([]string, len(syms))
			for j, sym := range syms {
				vals[j] = sym.JSONString()
			}
			fmt.Fprintf(w, "        {\n          \"Value\": [\n            %s\n          ]", strings.Join(vals, ", "))
			if m.Costs != nil {
				fmt.Fprintf(w, ",\n          \"Costs\": [\n            %s\n          ]", joinCosts(m.Costs, ", "))
			}
			sep := ","
			if i == len(ws)-1 {
				sep = ""
			}
			fmt.Fprintf(w, "\n        }%s\n", sep)
		}
		fmt.Fprintf(w, "      ]\n")
	}
	fmt.Fprintf(w, "    }\n  ],\n  \"Result\": %q,\n", s.result())
	more := "no"
	if s.more() || s.interrupted {
		more = "yes"
	}
	fmt.Fprintf(w, "  \"Models\": {\n    \"Number\": %d,\n    \"More\": %q", s.res.Models, more)
	if s.optimizing && s.res.Satisfiable {
		opt := "unknown"
		if s.res.OptimumProven {
			opt = "yes"
		}
		fmt.Fprintf(w, ",\n    \"Optimum\": %q,\n    \"Optimal\": %d,\n    \"Costs\": [\n      %s\n    ]", opt, s.optimal, joinCosts(s.res.Costs, ", "))
	}
	fmt.Fprintf(w, "\n  },\n  \"Calls\": 1,\n  \"Time\": {\n    \"Total\": %.3f,\n    \"Solve\": %.3f,\n    \"Model\": %.3f,\n    \"Unsat\": %.3f,\n    \"CPU\": %.3f\n  }\n}\n",
		s.total.Seconds(), s.solve.Seconds(), s.model.Seconds(), (s.solve - s.model).Seconds(), s.total.Seconds())
}
