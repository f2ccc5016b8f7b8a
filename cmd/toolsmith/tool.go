package main

import "github.com/spf13/cobra"

func newToolCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tool",
		Short: "Make, run, list and use sandboxed tools",
	}
	for _, newSub := range []func(*app) *cobra.Command{
		// Subcommands: one constructor per line, added as each lands.
		newToolLsCmd,
		newToolShowCmd,
		newToolRmCmd,
		newToolRollbackCmd,
		newToolRunCmd,
		newToolMakeCmd,
		newToolSolveCmd,
	} {
		cmd.AddCommand(newSub(a))
	}
	return cmd
}
