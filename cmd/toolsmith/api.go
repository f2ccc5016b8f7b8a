package main

import "github.com/spf13/cobra"

func newAPICmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "api",
		Short: "Register, list and remove APIs",
	}
	for _, newSub := range []func(*app) *cobra.Command{
		// Subcommands: one constructor per line, added as each lands.
		newAPIAddCmd,
		newAPILsCmd,
		newAPIShowCmd,
		newAPIRmCmd,
	} {
		cmd.AddCommand(newSub(a))
	}
	return cmd
}
