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
// OutputLimit and Allow.
func NewInProcess(opts Options) (*InProcess, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	eng, err := newEngine(opts.Allow, opts.OutputLimit, 0)
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
		r := failed(errorf(KindTimeout, "the call ran longer than %v (it keeps running in this process)", timeout))
		r.Stdout, r.Stderr = x.out.text()
		return r, nil
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
}

// Close makes later calls fail with ErrClosed.
func (r *InProcess) Close() error {
	r.once.Do(func() { close(r.closed) })
	return nil
}

// Check parses and compiles a tool without running any of its code: the
// static checks (allow-list, cgo, relative imports, //go:linkname) and the
// interpreter's type checking. It returns nil or an *Error of kind
// forbidden or compile.
func Check(src string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errorf(KindCompile, "the interpreter failed on this source: %v", r)
		}
	}()
	eng, err := newEngine(nil, 0, 1)
	if err != nil {
		return err
	}
	tool, ferr := inspect(src, eng.allow)
	if ferr != nil {
		return ferr
	}
	if tool.file.Name.Name == "main" {
		off := tool.fset.Position(tool.file.Name.Pos()).Offset
		src = src[:off] + "tool" + src[off+len("main"):]
	}
	in, err := eng.newInterpreter(discard{}, discard{})
	if err != nil {
		return err
	}
	if _, err := in.Compile(src); err != nil {
		return compileError(err)
	}
	return nil
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
