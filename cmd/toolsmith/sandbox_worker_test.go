package main

import (
	"os"
	"testing"

	"github.com/toolsmith-dev/toolsmith/sandbox"
)

// TestMain lets this test binary serve as the sandbox worker, the way the
// toolsmith binary does: the sandbox pool started by "tool run" (and by any
// other command that runs tools) re-executes os.Executable() with
// "sandbox-worker".
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == sandbox.WorkerCommand {
		os.Exit(runMain(os.Args[1:]))
	}
	// Tests that need the toolsmith binary as a process of its own (a server
	// killed and restarted) run this test binary with TOOLSMITH_TEST_MAIN=1.
	if os.Getenv("TOOLSMITH_TEST_MAIN") == "1" {
		os.Exit(runMain(os.Args[1:]))
	}
	os.Exit(m.Run())
}

func TestSandboxWorkerByHand(t *testing.T) {
	code, _, stderr := runCLI(t, "", sandbox.WorkerCommand)
	if code != 2 {
		t.Errorf("exit %d (%s), want 2: the worker refuses to run without a host", code, stderr)
	}
}
