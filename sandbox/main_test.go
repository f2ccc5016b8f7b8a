package sandbox

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestMain lets the test binary serve as the sandbox worker: the pool under
// test starts "<test binary> sandbox-worker ...".
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == WorkerCommand {
		if err := ServeWorker(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		os.Exit(0)
	}
	os.Setenv(secretEnv, fmt.Sprintf("secret-%d-%d", os.Getpid(), time.Now().UnixNano()))
	code := m.Run()
	if sharedStarted.Load() {
		if p, err := sharedPool(); err == nil {
			p.Close()
		}
	}
	os.Exit(code)
}

// testCommand is the worker command line for tests.
func testCommand(t testing.TB) []string {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return []string{exe, WorkerCommand}
}

// newTestPool starts a pool of the test binary's workers, closed at cleanup.
func newTestPool(t testing.TB, opts Options) *Pool {
	t.Helper()
	opts.Command = testCommand(t)
	if opts.Workers == 0 {
		opts.Workers = 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := NewPool(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

var sharedStarted atomic.Bool

// sharedPool is one pool for the tests that only need a working sandbox.
var sharedPool = sync.OnceValues(func() (*Pool, error) {
	sharedStarted.Store(true)
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return NewPool(context.Background(), Options{Workers: 2, Command: []string{exe, WorkerCommand}, Timeout: 5 * time.Second, MemoryBytes: 64 << 20})
})
