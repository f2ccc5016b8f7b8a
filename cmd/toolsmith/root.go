package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// app holds what every command shares: output streams, global flags and the
// exit code a command asks for when it succeeds with a non-zero status
// (clingo-style solver codes, for instance).
type app struct {
	stdout, stderr io.Writer
	exitCode       int

	// Global flags; resolved into settings by (*app).settings.
	storeFlag    string
	scriptedFlag string
	homeFlag     string
}

func newApp() *app {
	return &app{stdout: os.Stdout, stderr: os.Stderr}
}

// exitError carries an exit code and a one-line reason out of a command.
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
