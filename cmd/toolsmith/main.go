// Command toolsmith is the one binary of the toolsmith runtime: it plans API
// calls, makes and runs tools, solves ASP programs and PDDL tasks, and serves
// the agent over HTTP. Run "toolsmith --help" for the command tree.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// run executes the command line args and returns the process exit code.
func run(ctx context.Context, args []string) int {
	a := newApp()
	root := a.rootCommand()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return a.exitCode
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(os.Stderr, "toolsmith: "+ee.msg)
		}
		return ee.code
	}
	// cobra's own errors (unknown flag, wrong argument count) are usage errors.
	fmt.Fprintln(os.Stderr, "toolsmith: "+err.Error())
	return 2
}
