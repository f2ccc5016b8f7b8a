package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// runCLI runs the toolsmith command line with args and stdin, the way main
// does, and returns the exit code, stdout and stderr (a failing command's
// one-line reason included).
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	a := &app{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut}
	code = a.run(context.Background(), args)
	return code, out.String(), errOut.String()
}
