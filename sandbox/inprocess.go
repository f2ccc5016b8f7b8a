package sandbox

import (
	"context"
	"sync"
	"time"
)

// InProcess runs tools in the calling process with the same API as Pool.
//
// It does NOT isolate: the allow-list and the output limit apply, but a
// runaway allocation, a stack overflow or a fatal error kills the caller,
// and a call that times out keeps running in the background (its result is
// discarded). Use it for trusted code and tests only.
type InProcess struct {
	eng     *engine
	timeout time.Duration
	closed  chan struct{}
	once    sync.Once
}

// NewInProcess returns an in-process runner. Of opts it uses Timeout,
// OutputLimit, CacheSize and Allow.
func NewInProcess(opts Options) (*InProcess, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	eng, err := newEngine(engineConfig{allow: opts.Allow, outputLimit: opts.OutputLimit, cacheSize: opts.CacheSize})
	if err != nil {
		return nil, err
	}
	return &InProcess{eng: eng, timeout: opts.Timeout, closed: make(chan struct{})}, nil
}

// Run runs c in this process. See the type's documentation for what it
// does not protect against.
func (r *InProcess) Run(ctx context.Context, c Call) (Result, error) {
	select {
	case <-r.closed:
		return Result{}, ErrClosed
	default:
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = r.timeout
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	x := r.eng.start(c)
	select {
	case <-x.Done:
		if x.out.overLimit() {
			return outputLimitResult(x, r.eng.outputLimit), nil
		}
		return x.res, nil
	case <-x.out.Exceeded:
		r.eng.evict(c.Source)
		return outputLimitResult(x, r.eng.outputLimit), nil
	case <-t.C:
		r.eng.evict(c.Source)
		return x.failure(errorf(KindTimeout, "the call ran longer than %v (it keeps running in this process)", timeout)), nil
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
}

// Close makes later calls fail with ErrClosed.
func (r *InProcess) Close() error {
	r.once.Do(func() { close(r.closed) })
	return nil
}

// Check parses and compiles a tool in this process without running any of
// its code: the static checks (allow-list, cgo, relative imports,
// //go:linkname) and the interpreter's type checking. It returns nil or an
// *Error of kind forbidden or compile. Compiling untrusted source can still
// exhaust the interpreter; Pool.Check compiles in a worker instead.
func Check(src string) error {
	eng, err := newEngine(engineConfig{cacheSize: 1})
	if err != nil {
		return err
	}
	if e := eng.check(src); e != nil {
		return e
	}
	return nil
}

// Check compiles src without running it, within the runner's timeout; see
// the package-level Check.
func (r *InProcess) Check(ctx context.Context, src string) error {
	x := r.eng.startCheck(src)
	t := time.NewTimer(r.timeout)
	defer t.Stop()
	select {
	case <-x.Done:
		if !x.res.OK {
			return x.res.Error
		}
		return nil
	case <-t.C:
		return errorf(KindTimeout, "compiling took longer than %v", r.timeout)
	case <-ctx.Done():
		return ctx.Err()
	}
}
