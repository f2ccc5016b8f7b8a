package main

import "github.com/spf13/cobra"

func newPDDLCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "pddl",
		Short: "Parse, validate and solve PDDL planning tasks",
	}
	for _, newSub := range []func(*app) *cobra.Command{
		// Subcommands: one constructor per line, added as each lands.
		newPDDLPlanCmd,
		newPDDLValidateCmd,
		newPDDLFromTextCmd,
	} {
		cmd.AddCommand(newSub(a))
	}
	return cmd
}
