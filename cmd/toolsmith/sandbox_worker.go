package main

import (
	"errors"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/sandbox"
)

// newSandboxWorkerCmd is the hidden command a sandbox pool re-executes this
// binary with: the process confines itself and serves tool
// calls to its host over the inherited channel (see the sandbox package).
func newSandboxWorkerCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:                sandbox.WorkerCommand,
		Short:              "Serve sandboxed tool calls to a host (started by the sandbox pool)",
		Hidden:             true,
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			err := sandbox.ServeWorker(args)
			switch {
			case errors.Is(err, sandbox.ErrNotWorker):
				return usageErr("%v", err)
			case err != nil:
				return exitWith(1, "%v", err)
			}
			return nil
		},
	}
}
