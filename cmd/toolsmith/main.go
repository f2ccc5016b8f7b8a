// Command toolsmith is the one binary of the toolsmith runtime: it plans API
// calls, makes and runs tools, solves ASP programs and PDDL tasks, and serves
// the agent over HTTP. Run "toolsmith --help" for the command tree.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(runMain(os.Args[1:]))
}

// runMain runs the command line args as the process does, on the standard
// streams, with an interrupt or SIGTERM cancelling the command, and returns
// the exit code.
func runMain(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return newApp().run(ctx, args)
}
