package main

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/cmd/toolsmith/internal/progress"
	"github.com/toolsmith-dev/toolsmith/eval"
	"github.com/toolsmith-dev/toolsmith/eval/llmp"
)

func newEvalLLMPCmd(a *app) *cobra.Command {
	var (
		opts   eval.LLMPOptions
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "llmp DIR",
		Short: "Evaluate LLM+P: the model writes problem PDDL from text, the planner solves it",
		Long: `Evaluate LLM+P on DIR, one directory per domain with domain.pddl, the solved
example p_example.nl and p_example.pddl, and the problems pNN.nl with their
ground truth pNN.pddl (../shared/data/llmp in the shared data set).

For each problem the translator model writes the problem PDDL from pNN.nl, with
the domain and the example in context; parse and check errors go back to it at
most --repairs times. The planner solves the problem it wrote (--search, at
most --timeout each), and the plan is validated against the ground-truth
pNN.pddl, not against the model's problem; its cost is compared with the ground
truth's optimum where A* proves it within --optimum-timeout. A domain whose
example does not check is translated without one, and the report says so.

The table shows per domain the problems, how many parsed, were solved and
have a plan valid for the ground truth, the repairs, and the cost against the
optimum. With --scripted examples/llmp/scripted.yaml (replies made from the
ground truth) it runs offline and measures the pipeline, not a model.

With --json one document is printed: {"domains": [{"domain", "n", "parsed",
"solved", "valid", "repairs", "optimum_known", "optimal", "cost_ratio",
"example", "problems": [...]}], "total": {...}, "search", ...}.
Exit status: 0 when the evaluation ran (whatever the scores), 1 when it could
not, 2 for bad input.`,
		Args: evalDirArg("llmp"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Limit < 0 || opts.Jobs < 0 || opts.Search.Timeout < 0 || opts.OptimumTimeout < 0 {
				return usageErr("--limit, --jobs, --timeout and --optimum-timeout must not be negative")
			}
			if opts.OptimumTimeout == 0 {
				opts.OptimumTimeout = -1 // 0 on the command line: no optimum
			}
			if opts.Search.Timeout == 0 {
				return usageErr("--timeout must be positive: the evaluation needs a limit per problem")
			}
			if err := llmp.CheckOptions(opts.Search); err != nil {
				return usageErr("%v", err)
			}
			ctx := cmd.Context()
			ms, err := a.openModels(ctx)
			if err != nil {
				return err
			}
			a.noteScripted(ms)
			opts.Model = ms.Translator
			if ms.Scripted {
				opts.Scripted = ms.ScriptFile
			}
			if opts.Jobs == 0 {
				opts.Jobs = runtime.NumCPU()
			}
			prog := progress.New(a.stderr)
			opts.Progress = func(domain, problem string, done, total int) { prog.Bar("problems", done, total) }
			rep, err := eval.LLMP(ctx, args[0], opts)
			prog.Done()
			if err != nil {
				return evalErr(err)
			}
			if err := writeEval(a, rep, asJSON); err != nil || asJSON {
				return err
			}
			fmt.Fprintln(a.stdout)
			return ms.Meter.WriteTable(a.stdout)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&opts.Domains, "domain", nil, "domains to run (default: every directory of DIR with a domain.pddl)")
	f.IntVar(&opts.Limit, "limit", 0, "problems per domain (0: all)")
	f.IntVar(&opts.Jobs, "jobs", 0, "problems worked on at once (0: one per CPU)")
	f.IntVar(&opts.Repairs, "repairs", llmp.DefaultRepairs, "times a problem with errors goes back to the model (negative: none)")
	f.StringVar(&opts.Search.Search, "search", "lama", "search that solves the model's problems: lama, lazy, gbfs, wastar or astar")
	f.StringVar(&opts.Search.Heuristic, "heuristic", "", "heuristic of searches other than lama (see pddl plan)")
	f.DurationVar(&opts.Search.Timeout, "timeout", eval.DefaultLLMPTimeout, "time limit of each problem's search")
	f.DurationVar(&opts.OptimumTimeout, "optimum-timeout", eval.DefaultOptimumTimeout, "time limit of the A* search for each ground truth's optimum (0: do not compute it)")
	f.BoolVar(&asJSON, "json", false, "print the report as one JSON document")
	return cmd
}
