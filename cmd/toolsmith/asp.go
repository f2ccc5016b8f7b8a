package main

import "github.com/spf13/cobra"

func newASPCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "asp",
		Short: "Answer Set Programming: solve programs in clingo syntax",
	}
	for _, newSub := range []func(*app) *cobra.Command{
		// Subcommands: one constructor per line, added as each lands.
		newASPSolveCmd,
	} {
		cmd.AddCommand(newSub(a))
	}
	return cmd
}
