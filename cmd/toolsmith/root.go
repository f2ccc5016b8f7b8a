package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// app holds what every command shares: the standard streams and the global
// flags.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	// Global flags; resolved into settings by (*app).settings.
	storeFlag    string
	scriptedFlag string
	homeFlag     string
}

func newApp() *app {
	return &app{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}
}

// run executes the command line args and returns the process exit code. A
// command ends with any status other than 0 by returning an *exitError (see
// usageErr and exitWith), whose reason run writes to the app's stderr; other
// errors (cobra's own: an unknown flag, a wrong argument count) are usage
// errors, exit code 2.
func (a *app) run(ctx context.Context, args []string) int {
	root := a.rootCommand()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ee *exitError
	if !errors.As(err, &ee) {
		ee = &exitError{code: 2, msg: err.Error()}
	}
	if ee.msg != "" {
		fmt.Fprintln(a.stderr, "toolsmith: "+ee.msg)
	}
	return ee.code
}

// exitError ends a command with an exit code other than 0 and a one-line
// reason (none when the command has already said why, or when the code
// alone is the answer, as asp solve's clingo-style codes are).
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// usageErr reports bad input: exit code 2 with a one-line reason.
func usageErr(format string, args ...any) error {
	return &exitError{code: 2, msg: fmt.Sprintf(format, args...)}
}

// exitWith returns an error that makes the process exit with code and print msg
// (when msg is not empty).
func exitWith(code int, format string, args ...any) error {
	return &exitError{code: code, msg: fmt.Sprintf(format, args...)}
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "toolsmith",
		Short:         "A runtime for agents that make their own tools and plan API calls",
		SilenceUsage:  true,
		SilenceErrors: true,
		CompletionOptions: cobra.CompletionOptions{
			DisableDefaultCmd: true,
		},
	}
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageErr("%v (see '%s --help')", err, c.CommandPath())
	})
	pf := root.PersistentFlags()
	pf.StringVar(&a.storeFlag, "store", "", "store URL: redis://host:port/db or a bbolt file path (default $TOOLSMITH_STORE, $REDIS_URL, else $TOOLSMITH_HOME/toolsmith.db)")
	pf.StringVar(&a.scriptedFlag, "scripted", "", "answer every model call from this scripted-model YAML file (default $TOOLSMITH_SCRIPTED)")
	pf.StringVar(&a.homeFlag, "home", "", "toolsmith home directory (default $TOOLSMITH_HOME, else ~/.toolsmith)")

	// Each feature adds its commands here, one line per constructor, as its
	// capability lands. Keep one constructor per line.
	for _, newCmd := range []func(*app) *cobra.Command{
		newVersionCmd,
		newConfigCmd,
		newChatCmd,
		newDemoCmd,
		newServeCmd,
		newASPCmd,
		newPDDLCmd,
		newAPICmd,
		newToolCmd,
		newEvalCmd,
		newPlanCmd,
		newPolicyCmd,
		newMCPCmd,
		newSettingsCmd,
		newSandboxWorkerCmd,
	} {
		root.AddCommand(newCmd(a))
	}
	return root
}
