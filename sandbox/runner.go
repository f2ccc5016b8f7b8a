package sandbox

import "context"

// Runner runs tool calls. Pool (isolating worker processes) and InProcess
// (no isolation) implement it.
//
// Run returns a Result for everything the tool did, including its failures
// (compile errors, panics, timeouts, crashes: see Kind). A non-nil error
// means the call could not be run at all: ctx ended, the runner is closed
// or busy, or no worker could be started.
type Runner interface {
	Run(ctx context.Context, c Call) (Result, error)
	Close() error
}
