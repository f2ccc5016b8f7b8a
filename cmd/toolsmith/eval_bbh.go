package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/cmd/toolsmith/internal/progress"
	"github.com/toolsmith-dev/toolsmith/eval"
	"github.com/toolsmith-dev/toolsmith/registry"
	"github.com/toolsmith-dev/toolsmith/toolmaker"
)

func newEvalBBHCmd(a *app) *cobra.Command {
	var (
		opts                 toolmaker.Options
		eo                   eval.BBHOptions
		workers              int
		asJSON, keepFailures bool
	)
	cmd := &cobra.Command{
		Use:   "bbh DIR",
		Short: "LATM evaluation on BIG-Bench tasks: make a tool per task, then dispatch and solve a mixed stream",
		Long: `Evaluate tool making as "Large Language Models as Tool Makers" does, on the BIG-Bench
task files of DIR (*.json with {"examples": [{"input", "target"}]}; ../shared/data/bbh in
the shared data set).

For each task a tool is made from 3 of its first 5 examples and verified on 3 of the next
5 (chosen with --seed); then every instance of every task (at most --limit per task) is
shuffled into one stream, dispatched to a tool and answered. The table shows per task the
accuracy, whether a tool was made and in how many Maker replies, dispatch accuracy, the
share answered with no model call besides dispatch, and tokens and cost of making (once)
and of using (per instance); with --baseline the Maker also answers every instance
directly. Tools live in a temporary store, never in yours.

With --json one document is printed:
  {"tasks": [{"task", "n", "accuracy", "tool_made", "maker_calls", "user_calls",
   "cost_usd", ...}], "total": {...}, "instances", "instances_per_second", ...}
Exit status: 0 when the evaluation ran (whatever the accuracy), 1 when it could not,
2 for bad input.`,
		Args: evalDirArg("bbh"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if eo.Limit < 0 {
				return usageErr("--limit must not be negative")
			}
			if workers < 0 || eo.Concurrency < 0 {
				return usageErr("--workers and --concurrency must not be negative")
			}
			tasks, err := eval.LoadBBH(args[0])
			if err != nil {
				return evalErr(err)
			}
			ctx := cmd.Context()
			dir, err := os.MkdirTemp("", "toolsmith-eval-")
			if err != nil {
				return exitWith(1, "%v", err)
			}
			defer os.RemoveAll(dir)
			store, err := registry.Open(ctx, filepath.Join(dir, "eval.db"), registry.Options{NoSync: true})
			if err != nil {
				return exitWith(1, "eval store: %v", err)
			}
			if workers == 0 {
				workers = runtime.NumCPU()
			}
			if eo.Concurrency == 0 {
				eo.Concurrency = 2 * workers
			}
			// Every request is routed to a tool made above; the temporary
			// store's call statistics would only slow the stream down.
			opts.AutoMake, opts.NoStats = -1, true
			prog := progress.New(a.stderr)
			env, err := a.openToolmaker(ctx, withProgress(opts, prog), toolEnvOptions{Workers: workers, Store: store})
			if err != nil {
				store.Close()
				return err
			}
			defer env.Close()
			if !cmd.Flags().Changed("baseline") {
				// With a real Maker the paper's baseline is measured too.
				eo.Baseline = !env.models.Scripted
			}
			if env.models.Scripted {
				eo.Scripted = env.models.ScriptFile
			}
			eo.Progress = func(stage string, done, total int) { prog.Bar(stage, done, total) }
			rep, err := eval.BBH(ctx, env.tm, tasks, eo)
			prog.Done()
			if err != nil {
				return evalErr(err)
			}
			if asJSON && !keepFailures {
				for i := range rep.Tasks {
					rep.Tasks[i].Wrong = nil
				}
			}
			if err := writeEval(a, rep, asJSON); err != nil || asJSON {
				return err
			}
			fmt.Fprintln(a.stdout)
			return env.models.Meter.WriteTable(a.stdout)
		},
	}
	f := cmd.Flags()
	f.IntVar(&eo.Limit, "limit", 0, "instances per task in the stream (0: all)")
	f.Uint64Var(&eo.Seed, "seed", 1, "seed of the example split and the stream's shuffle")
	f.IntVar(&eo.Concurrency, "concurrency", 0, "requests answered at once (0: twice the workers)")
	f.BoolVar(&eo.Baseline, "baseline", false, "also have the Maker answer every instance directly (default: when a real Maker model is configured)")
	f.IntVar(&workers, "workers", 0, "sandbox worker processes (0: one per CPU)")
	f.IntVar(&opts.ProposeRounds, "propose-rounds", toolmaker.DefaultProposeRounds, "Maker replies allowed to fix compile errors")
	f.IntVar(&opts.VerifyRounds, "verify-rounds", toolmaker.DefaultVerifyRounds, "Maker replies allowed to fix verification failures")
	f.DurationVar(&opts.Timeout, "timeout", toolmaker.DefaultTimeout, "time limit of each sandbox call")
	f.BoolVar(&opts.ParseDispatch, "parse-dispatch", false, "route a request without the Dispatcher when exactly one candidate tool's Parse accepts it")
	f.BoolVar(&asJSON, "json", false, "print the report as one JSON document")
	f.BoolVar(&keepFailures, "wrong", false, "with --json, list the wrongly answered instances")
	return cmd
}
