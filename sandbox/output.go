package sandbox

import (
	"errors"
	"io"
	"sync"
)

// DefaultOutputLimit bounds what a call may print (stdout and stderr
// together) before it fails with kind output_limit.
const DefaultOutputLimit = 1 << 20

// errOutputLimit is what a tool's writes return once the limit is reached.
var errOutputLimit = errors.New("sandbox: output limit reached")

// output captures a call's stdout and stderr up to a shared byte limit.
// Exceeded is closed the first time a write would cross the limit.
type output struct {
	mu       sync.Mutex
	stdout   []byte
	stderr   []byte
	limit    int
	over     bool
	Exceeded chan struct{}
}

func newOutput(limit int) *output {
	return &output{limit: limit, Exceeded: make(chan struct{})}
}

func (o *output) write(dst *[]byte, p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.over {
		return 0, errOutputLimit
	}
	room := o.limit - len(o.stdout) - len(o.stderr)
	if len(p) > room {
		*dst = append(*dst, p[:room]...)
		o.over = true
		close(o.Exceeded)
		return room, errOutputLimit
	}
	*dst = append(*dst, p...)
	return len(p), nil
}

// Stdout and Stderr are the writers handed to the interpreter.
func (o *output) Stdout() io.Writer {
	return writerFunc(func(p []byte) (int, error) { return o.write(&o.stdout, p) })
}

// Stderr is the tool's standard error.
func (o *output) Stderr() io.Writer {
	return writerFunc(func(p []byte) (int, error) { return o.write(&o.stderr, p) })
}

// text returns what was captured so far.
func (o *output) text() (stdout, stderr string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return string(o.stdout), string(o.stderr)
}

type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// switchWriter forwards writes to a target that changes per call, so a
// cached interpreter prints into the output of the call that is running and
// anything written between calls is dropped.
type switchWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *switchWriter) set(w io.Writer) {
	s.mu.Lock()
	s.w = w
	s.mu.Unlock()
}

func (s *switchWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	w := s.w
	s.mu.Unlock()
	if w == nil {
		return len(p), nil
	}
	return w.Write(p)
}

// overLimit reports whether a write crossed the limit.
func (o *output) overLimit() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.over
}
