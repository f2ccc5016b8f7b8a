package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"syscall"
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
	outf    int
}

func newASPSolveCmd(a *app) *cobra.Command {
	var fl aspSolveFlags
	cmd := &cobra.Command{
		Use:   "solve [FILE...]",
		Short: "Solve ASP programs in clingo syntax and print answer sets as clingo does",
		Long: `Ground and solve the programs (read from standard input when no file or "-"
is given) and print their answer sets in clingo's text format, or in clingo's
--outf=2 JSON format with --json (or --outf=2). A positional integer is the
number of models, as in clingo.

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
	f.IntVar(&fl.outf, "outf", 0, "clingo's output format: 0 text, 2 JSON (the same as --json)")
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
	switch fl.outf {
	case 0:
	case 2:
		fl.json = true
	default:
		return usageErr("--outf must be 0 (text) or 2 (JSON), not %d", fl.outf)
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
	optimising := len(gp.Program.Minimize) > 0 && opts.OptMode != asp.OptIgnore
	opts.Models = fl.models
	if !modelsSet && optimising {
		opts.Models = 0
	}

	out := bufio.NewWriter(a.stdout)
	defer out.Flush()
	var witnesses []asp.Model
	if !fl.json {
		fmt.Fprintf(out, "%s\nReading from %s\nSolving...\n", asp.SolverName, readingFrom(inputs))
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
		if opts.OptMode == asp.OptAll && optimising && m.Optimal && !optimalPhase {
			optimalPhase, answer = true, 0
		}
		answer++
		fmt.Fprintf(out, "Answer: %d\n%s\n", answer, m.Text())
		if m.Costs != nil && optimising {
			fmt.Fprintf(out, "Optimization: %s\n", asp.JoinCosts(m.Costs, " "))
		}
		return true
	})
	solveTime := time.Since(solveStart)
	interrupted := serr != nil && ctx.Err() != nil
	if serr != nil && !interrupted {
		return fmt.Errorf("asp solve: %w", serr)
	}
	sum := asp.Summary{
		Inputs: inputs, Witnesses: witnesses, Result: res,
		Optimising: optimising, OptAll: opts.OptMode == asp.OptAll, Interrupted: interrupted,
		Times: asp.Times{Total: time.Since(start), Solve: solveTime, Model: firstModel, CPU: processCPU()},
	}
	if fl.json {
		for _, m := range witnesses {
			if m.Optimal {
				sum.Optimal++
			}
		}
		err = sum.WriteJSON(out)
	} else {
		// With optN the optimal models were numbered from 1 again.
		switch {
		case optimalPhase:
			sum.Optimal = answer
		case res.OptimumProven:
			sum.Optimal = 1
		}
		err = sum.WriteText(out)
	}
	if err != nil {
		return exitWith(1, "asp solve: %v", err)
	}
	switch {
	case interrupted:
		return exitWith(exitASPInterrupted, "")
	case !res.Satisfiable:
		return exitWith(exitASPUnsat, "")
	case res.Exhausted || res.OptimumProven && opts.Models == 0:
		return exitWith(exitASPExhausted, "")
	default:
		return exitWith(exitASPSat, "")
	}
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

// processCPU returns the CPU time (user and system) the process has used,
// which clingo reports as "CPU Time"; 0 if the system cannot tell.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
