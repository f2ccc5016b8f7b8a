package sandbox

import "context"

// Runner runs tool calls. Pool (isolating worker processes) and InProcess
// (no isolation) implement it.
//
// Run returns a Result for everything the tool did, including its failures
// (compile errors, panics, timeouts, crashes: see Kind). A non-nil error
// means the call could not be run at all: ctx ended, the runner is closed
// or busy, or no worker could be started.
//
// Check compiles a tool without running any of it and returns nil, an
// *Error (kind compile, forbidden, or a limit the compiler hit), or an
// error of the runner itself.
type Runner interface {
	Run(ctx context.Context, c Call) (Result, error)
	Check(ctx context.Context, src string) error
	Close() error
}
