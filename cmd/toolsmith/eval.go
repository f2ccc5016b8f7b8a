package main

import "github.com/spf13/cobra"

func newEvalCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Run the evaluations (BIG-Bench tool making, NESTFUL planning)",
	}
	for _, newSub := range []func(*app) *cobra.Command{
		// Subcommands: one constructor per line, added as each lands.
		newEvalNestfulCmd,
		newEvalBBHCmd,
	} {
		cmd.AddCommand(newSub(a))
	}
	return cmd
}
