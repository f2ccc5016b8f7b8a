// Package sandbox runs Go source written by a model — a "tool" — under the
// assumption that it is hostile.
//
// A tool is a single Go file. Its exported functions are the operations it
// offers; [Signatures] describes them (parameter names, Go types and a JSON
// Schema per function, for function calling). [Check] compiles a tool without
// running it.
//
// Tools are interpreted by yaegi with a symbol table built from an allow-list
// of standard library packages ([DefaultAllow]), which a deployment may widen
// to the fixed set of [Widenable] packages and no further: the symbol tables
// are generated for exactly those (sandbox/internal/symbols) instead of
// linking yaegi's whole-stdlib table, so the worker binary, which is the
// toolsmith binary, starts fast. Every import is checked with
// go/parser before anything is interpreted, and forbidden imports, cgo,
// relative imports and //go:linkname directives are refused with kind
// [KindForbidden].
//
// The interpreter alone is not a sandbox: a runaway allocation, a stack
// overflow or a fatal runtime error would take the whole process down, and an
// interpreted goroutine outlives a cancelled call. [Pool] therefore runs tools
// in worker processes: the toolsmith binary re-executed as a hidden
// "sandbox-worker" command, talking to its host over a socket pair it
// inherits (protocol.go documents the framing). And the allow-list is not the
// only wall: before it runs any tool a worker confines itself with every
// layer the operating system offers (see [Layer]: namespaces with a minimal
// read-only root, no_new_privs, no capabilities, Landlock, a seccomp filter,
// a cgroup, resource limits), and reports which are in force
// ([Confinement], in every [Result] and from [Pool.Confinement]);
// [Options.RequireConfinement] refuses to run where one is missing. On a
// timeout the host kills the worker and starts a replacement; a worker that
// dies yields a [Result] of kind crash or memory and is replaced.
//
// [InProcess] offers the same [Runner] interface inside the calling process.
// It applies the allow-list and output limit but does not isolate: use it for
// trusted code and tests only.
//
// Every call ends in a [Result], whose JSON form is the sandbox result
// document of the toolsmith design. A failure carries a [Kind]: compile,
// forbidden, timeout, memory, panic, crash, output_limit, bad_args, and error
// for a non-nil error returned by the tool itself.
//
// Limits of the interpreter (yaegi v0.16.1): of the generic packages only
// part of slices, maps and cmp is available (slices.Sort and
// slices.SortFunc are not: use sort); time's timers and tickers (After,
// AfterFunc, NewTicker, NewTimer, Tick) are refused because they outlive the
// call. A worker built with the race detector cannot have RLIMIT_DATA and
// relies on its memory watch alone.
package sandbox
