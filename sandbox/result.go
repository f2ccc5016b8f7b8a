package sandbox

import (
	"encoding/json"
	"fmt"
	"time"
)

// Kind classifies why a tool call failed. The values are the "kind" field of
// the sandbox result JSON.
type Kind string

// Failure kinds.
const (
	// KindCompile: the source does not parse or type-check.
	KindCompile Kind = "compile"
	// KindForbidden: the source imports a package outside the allow-list,
	// uses cgo, a relative import, //go:linkname or a denied symbol.
	KindForbidden Kind = "forbidden"
	// KindTimeout: the call ran longer than its timeout; its worker was killed.
	KindTimeout Kind = "timeout"
	// KindMemory: the call exceeded its memory budget.
	KindMemory Kind = "memory"
	// KindPanic: the tool panicked (the panic was recovered).
	KindPanic Kind = "panic"
	// KindCrash: the worker process died (stack overflow, fatal runtime
	// error, an unrecovered panic in a goroutine).
	KindCrash Kind = "crash"
	// KindOutputLimit: the tool wrote more than the output limit.
	KindOutputLimit Kind = "output_limit"
	// KindBadArgs: the arguments do not fit the function's parameters, or
	// the function to call does not exist.
	KindBadArgs Kind = "bad_args"
	// KindError: the tool returned a non-nil error as its last result.
	KindError Kind = "error"
)

// Call is one invocation of a tool function.
type Call struct {
	// Source is the tool's Go source: one file.
	Source string
	// Func names the exported function to call. When empty, a package main
	// with a main function is run as a program; otherwise the tool must have
	// exactly one exported function.
	Func string
	// Args holds the arguments: a JSON object keyed by parameter name or a
	// JSON array in parameter order. Empty means no arguments.
	Args json.RawMessage
	// Timeout bounds the call's run time; zero means the runner's default.
	Timeout time.Duration
	// MemoryBytes is the call's memory budget; zero means the runner's
	// default. A Pool runs a call whose budget differs from its own in a
	// dedicated worker.
	MemoryBytes int64
}

// Result is the outcome of a call. Its JSON form is the sandbox result
// document: {"ok": true, "result": ..., "stdout": "...", "duration_ms": N} or
// {"ok": false, "error": {"kind": "...", "message": "..."}}.
type Result struct {
	OK bool `json:"ok"`
	// Result is the function's results as JSON: the value of a single
	// result, an array for several, null for none.
	Result json.RawMessage `json:"result,omitempty"`
	// Stdout is what the tool printed (fmt.Print*, print, println), up to
	// the output limit.
	Stdout string `json:"stdout"`
	// Stderr is what the tool wrote to its standard error, if anything.
	Stderr     string  `json:"stderr,omitempty"`
	DurationMS float64 `json:"duration_ms"`
	Error      *Error  `json:"error,omitempty"`
	// Confinement reports the operating-system layers that confined the
	// worker which ran the call (Pool only; InProcess confines nothing).
	Confinement *Confinement `json:"confinement,omitempty"`
}

// MarshalJSON writes the sandbox result document; a failed result carries
// no "result" field.
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	p := plain(r)
	if p.OK && len(p.Result) == 0 {
		p.Result = json.RawMessage("null")
	}
	if !p.OK {
		p.Result = nil
	}
	return json.Marshal(p)
}

// Error describes a failed call. It is also returned as a Go error by
// [Check] and [Signatures].
type Error struct {
	Kind    Kind   `json:"kind"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Kind, e.Message) }

func errorf(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

func failed(e *Error) Result { return Result{Error: e} }
