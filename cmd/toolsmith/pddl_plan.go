package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/planner/pddl"
	"github.com/toolsmith-dev/toolsmith/planner/search"
)

// Exit codes of "pddl plan" beyond 0 (plan found) and 2 (bad input).
const (
	exitPlanUnsolvable = 10
	exitPlanLimit      = 11
)

func newPDDLPlanCmd(a *app) *cobra.Command {
	var opts search.Options
	var planFile, cpuProfile string
	cmd := &cobra.Command{
		Use:   "plan DOMAIN PROBLEM",
		Short: "Find a plan for a PDDL task and print it in IPC format",
		Long: `Find a plan for the PDDL task and print it in IPC format: one (action arg ...)
a line, then "; cost = N (unit cost|general cost)". Statistics go to stderr.

Searches: lama (default; lazy greedy search with FF and landmark count on
unit costs, like Fast Downward's lama-first), lazy, gbfs, wastar, astar.
Heuristics (all but lama): ff, add, max, lmcut, blind, lmcount. Plans of
every search but astar are shortened by greedy action elimination unless
--keep-plan is given.

Exit codes: 0 plan found, 10 proven unsolvable, 11 a limit was reached,
2 bad input.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cpuProfile != "" {
				f, err := os.Create(cpuProfile)
				if err != nil {
					return usageErr("%v", err)
				}
				defer f.Close()
				if err := pprof.StartCPUProfile(f); err != nil {
					return usageErr("%v", err)
				}
				defer pprof.StopCPUProfile()
			}
			return a.pddlPlan(cmd.Context(), args[0], args[1], planFile, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Search, "search", "lama", "search algorithm: lama, lazy, gbfs, wastar or astar")
	f.StringVar(&opts.Heuristic, "heuristic", "", "heuristic for searches other than lama: ff, add, max, lmcut, lmcount or blind (default ff; for astar lmcut, or max with conditional effects, where lmcut is inadmissible)")
	f.IntVar(&opts.Weight, "weight", 5, "weight of wastar")
	f.StringVar(&planFile, "plan-file", "", "write the plan to this file instead of stdout")
	f.BoolVar(&opts.KeepPlan, "keep-plan", false, "print the plan as the search found it, without greedy action elimination")
	f.DurationVar(&opts.Timeout, "timeout", 0, "give up after this long, including parsing and grounding (0: no limit)")
	f.Int64Var(&opts.MaxExpansions, "max-expansions", 0, "give up after expanding this many states (0: no limit)")
	f.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of grounding and search to this file")
	_ = f.MarkHidden("cpuprofile")
	return cmd
}

func (a *app) pddlPlan(ctx context.Context, domainFile, problemFile, planFile string, opts search.Options) error {
	start := time.Now()
	if ctx == nil {
		ctx = context.Background()
	}
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	task, err := loadTask(domainFile, problemFile)
	if err != nil {
		return err
	}
	parsed := time.Now()
	prob, err := search.Ground(ctx, task)
	if err != nil {
		if ctx.Err() != nil {
			return exitWith(exitPlanLimit, "limit reached while grounding: %v", ctx.Err())
		}
		return usageErr("%v", err)
	}
	grounded := time.Now()
	if opts.Timeout > 0 {
		opts.Timeout -= grounded.Sub(start)
		if opts.Timeout <= 0 {
			return exitWith(exitPlanLimit, "time limit reached while grounding")
		}
	}
	res, err := search.Plan(ctx, prob, opts)
	if err != nil {
		var oe *search.OptionError
		if errors.As(err, &oe) {
			return usageErr("%v", err)
		}
		return err
	}
	st := res.Stats
	fmt.Fprintf(a.stderr, "; %d facts, %d operators; parse %s, ground %s, search %s\n",
		len(prob.Facts), len(prob.Operators), ms(parsed.Sub(start)), ms(grounded.Sub(parsed)), ms(st.Time))
	fmt.Fprintf(a.stderr, "; expanded %d, evaluated %d, generated %d, states %d, memory %d MiB\n",
		st.Expanded, st.Evaluated, st.Generated, st.States, st.MemoryBytes>>20)
	switch res.Status {
	case search.Unsolvable:
		return exitWith(exitPlanUnsolvable, "task proven unsolvable")
	case search.Limit:
		return exitWith(exitPlanLimit, "limit reached (%s) after %s", res.Reason, ms(time.Since(start)))
	}
	var buf bytes.Buffer
	for _, s := range res.Plan {
		buf.WriteString(s.String())
		buf.WriteByte('\n')
	}
	kind := "unit cost"
	if prob.UsesCost {
		kind = "general cost"
	}
	fmt.Fprintf(&buf, "; cost = %d (%s)\n", res.Cost, kind)
	fmt.Fprintf(a.stderr, "; plan length %d, cost %d, total %s\n", len(res.Plan), res.Cost, ms(time.Since(start)))
	if planFile != "" {
		if err := os.WriteFile(planFile, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("writing plan: %w", err)
		}
		return nil
	}
	_, err = a.stdout.Write(buf.Bytes())
	return err
}

// loadTask reads, checks and normalises a domain and problem file; errors
// are usage errors (exit 2).
func loadTask(domainFile, problemFile string) (*pddl.Task, error) {
	d, p, err := readPDDLFiles(domainFile, problemFile)
	if err != nil {
		return nil, err
	}
	task, err := pddl.Normalize(d, p)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return task, nil
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000)
}
