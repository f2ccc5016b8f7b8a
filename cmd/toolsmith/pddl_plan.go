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

Searches: lama (default: LAMA's first iteration, lazy greedy search
alternating FF and the landmark sum with preferred operators on unit costs,
as Fast Downward's lama-first), lazy, gbfs, wastar, astar, or a composition
of components in Fast Downward's style, e.g.
  --search 'lazy_wastar([ff, lmcount], w=3, preferred=[ff])'
  --search 'eager_greedy([add, goalcount], preferred=[])'
(algorithms lazy_greedy, eager_greedy, lazy_wastar, eager_wastar, astar;
heuristics ff, add, max, lmcut, lmcount, goalcount, blind, each optionally
with cost=one|normal|plusone). --heuristic picks the heuristic of lazy,
gbfs, wastar and astar. Plans of every search but A* are shortened by
greedy action elimination unless --keep-plan is given.

With --anytime the search goes on after the first plan as LAMA does
(weighted A* with weights 5, 3, 2, 1, each pruned by the best cost so far)
until the time limit, or until it proves the last plan optimal, printing
each better plan as it is found (the last one printed is the best; with
--plan-file the file always holds the best so far).

Exit codes: 0 plan found, 10 proven unsolvable, 11 a limit was reached
(before any plan), 2 bad input.`,
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
	f.StringVar(&opts.Search, "search", "lama", "search: lama, lazy, gbfs, wastar, astar, or a composition such as 'lazy_wastar([ff,lmcount],w=3,preferred=[ff])'")
	f.StringVar(&opts.Heuristic, "heuristic", "", "heuristic for searches other than lama: ff, add, max, lmcut, lmcount or blind (default ff; for astar lmcut, or max with conditional effects, where lmcut is inadmissible)")
	f.IntVar(&opts.Weight, "weight", 5, "weight of wastar")
	f.BoolVar(&opts.Anytime, "anytime", false, "after the first plan, keep searching for cheaper ones until the time limit, printing each")
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
	kind := "unit cost"
	if prob.UsesCost {
		kind = "general cost"
	}
	found := 0
	var writeErr error
	if opts.Anytime {
		opts.OnPlan = func(r *search.Result) {
			found++
			fmt.Fprintf(a.stderr, "; plan %d: length %d, cost %d, after %s\n", found, len(r.Plan), r.Cost, ms(time.Since(start)))
			if err := a.writePlan(planFile, formatPlan(r, kind)); err != nil && writeErr == nil {
				writeErr = err
			}
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
	if writeErr != nil {
		return writeErr
	}
	st := res.Stats
	fmt.Fprintf(a.stderr, "; %d facts, %d operators, %d axioms; parse %s, ground %s, search %s\n",
		len(prob.Facts), len(prob.Operators), len(prob.Axioms), ms(parsed.Sub(start)), ms(grounded.Sub(parsed)), ms(st.Time))
	fmt.Fprintf(a.stderr, "; expanded %d, evaluated %d, generated %d, states %d (%d bytes each), memory %d MiB\n",
		st.Expanded, st.Evaluated, st.Generated, st.States, st.BytesPerState, st.MemoryBytes>>20)
	switch res.Status {
	case search.Unsolvable:
		return exitWith(exitPlanUnsolvable, "task proven unsolvable")
	case search.Limit:
		return exitWith(exitPlanLimit, "limit reached (%s) after %s", res.Reason, ms(time.Since(start)))
	}
	if opts.Anytime {
		how := "the time or another limit ended the search"
		if res.Optimal {
			how = "no cheaper plan exists"
		}
		fmt.Fprintf(a.stderr, "; best plan: length %d, cost %d (%s), total %s\n", len(res.Plan), res.Cost, how, ms(time.Since(start)))
		return nil
	}
	fmt.Fprintf(a.stderr, "; plan length %d, cost %d, total %s\n", len(res.Plan), res.Cost, ms(time.Since(start)))
	return a.writePlan(planFile, formatPlan(res, kind))
}

// formatPlan renders a plan in IPC format with its cost line.
func formatPlan(res *search.Result, kind string) []byte {
	var buf bytes.Buffer
	for _, s := range res.Plan {
		buf.WriteString(s.String())
		buf.WriteByte('\n')
	}
	fmt.Fprintf(&buf, "; cost = %d (%s)\n", res.Cost, kind)
	return buf.Bytes()
}

// writePlan writes a plan to planFile (replacing it whole, through a
// temporary file, so that it never holds half a plan), or to stdout when
// planFile is "".
func (a *app) writePlan(planFile string, plan []byte) error {
	if planFile == "" {
		_, err := a.stdout.Write(plan)
		return err
	}
	tmp := planFile + ".tmp"
	if err := os.WriteFile(tmp, plan, 0o644); err != nil {
		return fmt.Errorf("writing plan: %w", err)
	}
	if err := os.Rename(tmp, planFile); err != nil {
		return fmt.Errorf("writing plan: %w", err)
	}
	return nil
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
