package main

import (
	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/eval"
)

func newEvalNestfulCmd(a *app) *cobra.Command {
	var (
		opts   eval.NestfulOptions
		asJSON bool
		sample string
	)
	cmd := &cobra.Command{
		Use:   "nestful DIR",
		Short: "Evaluate the API planner on NESTFUL's gold call sequences",
		Long: `Evaluate the API planner on NESTFUL: DIR holds executable-data.json,
executable-spec.json, non-executable-glaive-data.json and
non-executable-glaive-spec.json (../shared/data/nestful in the shared data set).

Each gold sample becomes a request: the goals are the calls whose outputs
the result names, the known values are the gold's literal arguments (keyed
Api.input). A plan is right when it makes exactly the gold calls with the
gold bindings. Incomplete variants drop one required literal: the plan must
ask for exactly that value with one get_info step and otherwise stay the
same; a second incomplete variant keeps the key with a null value (the
user named the parameter, not its value). Samples are grouped by what they
need: "names match" (every output feeds an input of the same name) is the
planner's own task; "names differ" is also run with the aliases the gold
implies (what the translator would supply), and so is "API called twice"
(each call an instance "Api#label", see planner/instances.go); the rest
(unknown APIs, references inside strings, arguments the spec lacks, nested
fields, gold inconsistent with its spec) are counted and reported.

Exit status: 0 when the evaluation ran (whatever the scores), 1 when it
could not, 2 for bad input (such as a missing DIR).`,
		Args: evalDirArg("nestful"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var (
				res eval.Result
				err error
			)
			if sample != "" {
				res, err = eval.TraceNestful(cmd.Context(), args[0], sample)
			} else {
				res, err = eval.Nestful(cmd.Context(), args[0], opts)
			}
			if err != nil {
				return evalErr(err)
			}
			return writeEval(a, res, asJSON)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&opts.Sets, "set", eval.NestfulSets, "sets to run: executable, glaive")
	f.BoolVar(&asJSON, "json", false, "print the full report as JSON")
	f.IntVar(&opts.ListFailures, "failures", 5, "list this many failing samples per row")
	f.StringVar(&sample, "sample", "", "print the request and plans of one sample (set#index, such as glaive#12) instead")
	return cmd
}
