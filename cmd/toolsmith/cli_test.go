package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// runCLI runs the toolsmith command line with args and stdin, the way main
// does, and returns the exit code, stdout and stderr (a failing command's
// one-line reason included).
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	a := &app{stdout: &out, stderr: &errOut}
	root := a.rootCommand()
	root.SetIn(strings.NewReader(stdin))
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	var ee *exitError
	switch {
	case err == nil:
		return a.exitCode, out.String(), errOut.String()
	case errors.As(err, &ee):
		return ee.code, out.String(), errOut.String() + ee.msg
	}
	return 2, out.String(), errOut.String() + err.Error()
}
