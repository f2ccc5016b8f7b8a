package main

import (
	"errors"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/eval"
)

func newEvalCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Run the evaluations (NESTFUL planning, BIG-Bench tool making, LLM+P)",
	}
	for _, newSub := range []func(*app) *cobra.Command{
		// Subcommands: one constructor per line, added as each lands.
		newEvalNestfulCmd,
		newEvalBBHCmd,
		newEvalLLMPCmd,
	} {
		cmd.AddCommand(newSub(a))
	}
	return cmd
}

// evalDirArg requires the one argument of "eval NAME DIR", saying where the
// data of that benchmark is when it is missing.
func evalDirArg(name string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != 1 {
			return usageErr("eval %s takes DIR, the benchmark's data directory: %s/ in the shared data set (../shared/data/%s beside a checkout); got %d arguments", name, name, name, len(args))
		}
		return nil
	}
}

// evalErr turns an evaluation's error (which names the benchmark) into the
// command's: bad input (a missing data directory, a malformed file) exits
// with 2, anything else with 1.
func evalErr(err error) error {
	var ie *eval.InputError
	if errors.As(err, &ie) {
		return usageErr("eval %v", err)
	}
	return exitWith(1, "eval %v", err)
}

// writeEval prints an evaluation's result as Markdown or JSON.
func writeEval(a *app, res eval.Result, asJSON bool) error {
	f := eval.Markdown
	if asJSON {
		f = eval.JSON
	}
	if err := eval.Write(a.stdout, res, f); err != nil {
		return exitWith(1, "%v", err)
	}
	return nil
}
