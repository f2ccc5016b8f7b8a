package sandbox

// executor runs functions on one long-lived goroutine when it is free and
// on a new goroutine otherwise. A worker runs every call on it: the
// interpreter needs a deep stack, and a fresh goroutine for each call grew
// its stack from scratch every time (about a tenth of a warm call's CPU in
// the worker). A call that is still running when the next one starts (one
// the worker abandoned: it is then replaced) does not hold up the next.
type executor struct {
	jobs chan func()
}

// newExecutor starts the executor's goroutine; it lives as long as the
// process, so only a worker process uses one.
func newExecutor() *executor {
	x := &executor{jobs: make(chan func())}
	go func() {
		for f := range x.jobs {
			f()
		}
	}()
	return x
}

// run runs f on the executor's goroutine if it is waiting for work, else on
// a new goroutine. It does not wait for f.
func (x *executor) run(f func()) {
	select {
	case x.jobs <- f:
	default:
		go f()
	}
}
