package sandbox

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"go/ast"
	"io"
	"io/fs"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/traefik/yaegi/interp"
)

// engine compiles and calls tools in this process. It is what a worker runs
// and what InProcess wraps; it enforces the allow-list and output limit but
// neither time nor memory.
type engine struct {
	allow       []string
	unsafe      bool // the whole standard library, no allow-list
	symbols     interp.Exports
	outputLimit int
	resultLimit int
	// exec runs a call's goroutine; nil means a new goroutine per call.
	exec *executor

	mu    sync.Mutex
	cache map[[32]byte]*compiled
	order [][32]byte // insertion order, for eviction
	max   int
}

// compiled is one tool compiled in its own interpreter, so that no tool sees
// another's globals. Calls of one tool are serialised.
type compiled struct {
	mu     sync.Mutex
	tool   *toolFile
	in     *interp.Interpreter
	stdout switchWriter
	stderr switchWriter
	pkg    string
	funcs  map[string]reflect.Value
}

// engineConfig configures an engine; zero values mean the defaults.
type engineConfig struct {
	allow       []string // nil: DefaultAllow
	unsafe      bool     // the whole standard library, allow ignored
	outputLimit int
	cacheSize   int
	resultLimit int // bytes of a result's JSON
}

func newEngine(c engineConfig) (*engine, error) {
	if c.allow == nil {
		c.allow = DefaultAllow()
	}
	var syms interp.Exports
	var err error
	if c.unsafe {
		c.allow = nil // symbols per tool, see newInterpreter
	} else if syms, err = symbolTable(c.allow); err != nil {
		return nil, err
	}
	if c.outputLimit <= 0 {
		c.outputLimit = DefaultOutputLimit
	}
	if c.cacheSize <= 0 {
		c.cacheSize = 64
	}
	if c.resultLimit <= 0 {
		c.resultLimit = DefaultResultLimit
	}
	return &engine{allow: c.allow, unsafe: c.unsafe, symbols: syms, outputLimit: c.outputLimit, resultLimit: c.resultLimit,
		cache: map[[32]byte]*compiled{}, max: c.cacheSize}, nil
}

// allowed reports whether a tool may import p.
func (e *engine) allowed(p string) bool {
	if e.unsafe {
		return true
	}
	return slices.Contains(e.allow, p) && !neverAllowed(p)
}

// execution is a call in flight. Done is closed when res is final; the
// caller may give up earlier (output limit, timeout, memory) and take the
// output captured so far.
type execution struct {
	Done     chan struct{}
	out      *output
	res      Result
	leftover bool // interpreted goroutines survive the call
}

// failure is the result of a call ended early with e: it carries what the
// tool has written so far.
func (x *execution) failure(e *Error) Result {
	r := failed(e)
	r.Stdout, r.Stderr = x.out.text()
	return r
}

// start runs the call on a new goroutine and returns at once.
func (e *engine) start(c Call) *execution {
	return e.startFunc(func(out *output) (Result, bool) { return e.call(c, out) })
}

// startCheck compiles src on a new goroutine without running any of it.
func (e *engine) startCheck(src string) *execution {
	return e.startFunc(func(*output) (Result, bool) {
		if err := e.check(src); err != nil {
			return failed(err), false
		}
		return Result{OK: true}, false
	})
}

func (e *engine) startFunc(run func(*output) (Result, bool)) *execution {
	x := &execution{Done: make(chan struct{}), out: newOutput(e.outputLimit)}
	body := func() {
		defer close(x.Done)
		t0 := time.Now()
		res, usesGo := run(x.out)
		res.DurationMS = float64(time.Since(t0).Microseconds()) / 1000
		res.Stdout, res.Stderr = x.out.text()
		x.res = res
		if usesGo {
			x.leftover = interpretedGoroutines()
		}
	}
	if e.exec != nil {
		e.exec.run(body)
	} else {
		go body()
	}
	return x
}

// evict drops the compiled tool of src from the cache, so that its next
// call starts from a fresh interpreter (InProcess does this when a call of
// the tool is abandoned while it still holds the interpreter).
func (e *engine) evict(src string) {
	key := sha256.Sum256([]byte(src))
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.cache[key]; !ok {
		return
	}
	delete(e.cache, key)
	for i, k := range e.order {
		if k == key {
			e.order = append(e.order[:i], e.order[i+1:]...)
			break
		}
	}
}

// call compiles (or finds) the tool, decodes the arguments and calls the
// function, turning panics into results.
func (e *engine) call(c Call, out *output) (res Result, usesGo bool) {
	defer func() {
		if r := recover(); r != nil {
			res = failed(panicError(r))
		}
	}()
	key := sha256.Sum256([]byte(c.Source))
	e.mu.Lock()
	cp := e.cache[key]
	e.mu.Unlock()
	var tool *toolFile
	if cp != nil {
		tool = cp.tool // checked when it was compiled
	} else {
		var ferr *Error
		if tool, ferr = inspect(c.Source, e.allowed, !e.unsafe); ferr != nil {
			return failed(ferr), false
		}
	}
	if c.Func == "" && tool.hasMain {
		if a := strings.TrimSpace(string(c.Args)); a != "" && a != "null" && a != "[]" && a != "{}" {
			return failed(errorf(KindBadArgs, "a program (package main with func main) takes no arguments; name a function to call")), false
		}
		return e.runProgram(c.Source, tool, out), tool.usesGo
	}
	name := c.Func
	if name == "" {
		if len(tool.funcs) != 1 {
			return failed(errorf(KindBadArgs, "the tool has %d exported functions (%s); name one", len(tool.funcs), strings.Join(tool.funcs, ", "))), false
		}
		name = tool.funcs[0]
	}
	if !slices.Contains(tool.funcs, name) {
		return failed(errorf(KindBadArgs, "no exported function %q (have: %s)", name, strings.Join(tool.funcs, ", "))), false
	}
	if cp == nil {
		var cerr *Error
		if cp, cerr = e.compile(key, c.Source, tool); cerr != nil {
			return failed(cerr), tool.usesGo
		}
	}
	cp.mu.Lock()
	defer cp.mu.Unlock()
	cp.stdout.set(out.Stdout())
	cp.stderr.set(out.Stderr())
	defer cp.stdout.set(nil)
	defer cp.stderr.set(nil)
	fn, ok := cp.funcs[name]
	if !ok {
		v, err := cp.in.Eval(cp.pkg + "." + name)
		if err != nil || v.Kind() != reflect.Func {
			return failed(errorf(KindCompile, "cannot resolve %s: %v", name, err)), tool.usesGo
		}
		fn, cp.funcs[name] = v, v
	}
	args, aerr := decodeArgs(fn.Type(), paramNames(tool.file, name), c.Args)
	if aerr != nil {
		return failed(aerr), tool.usesGo
	}
	return resultOf(fn.Type(), fn.Call(args), e.resultLimit), tool.usesGo
}

// compile compiles a tool in a fresh interpreter, runs its package
// initialisation and caches it under key (the hash of src).
func (e *engine) compile(key [32]byte, src string, tool *toolFile) (*compiled, *Error) {
	cp := &compiled{tool: tool, pkg: tool.file.Name.Name, funcs: map[string]reflect.Value{}}
	if cp.pkg == "main" {
		// Rename the package so that compiling it does not run main; the
		// new name has the same length, so positions stay the same.
		off := tool.fset.Position(tool.file.Name.Pos()).Offset
		src = src[:off] + "tool" + src[off+len("main"):]
		cp.pkg = "tool"
	}
	in, err := e.newInterpreter(&cp.stdout, &cp.stderr, tool)
	if err != nil {
		return nil, errorf(KindCompile, "%v", err)
	}
	prog, err := in.Compile(src)
	if err != nil {
		return nil, compileError(err)
	}
	if _, err := in.Execute(prog); err != nil {
		return nil, runError(err)
	}
	cp.in = in
	e.mu.Lock()
	defer e.mu.Unlock()
	if old, ok := e.cache[key]; ok {
		return old, nil
	}
	if len(e.order) >= e.max {
		delete(e.cache, e.order[0])
		e.order = e.order[1:]
	}
	e.cache[key] = cp
	e.order = append(e.order, key)
	return cp, nil
}

// check applies the static checks and compiles src in a fresh interpreter
// without running it (no package initialisation, no main).
func (e *engine) check(src string) (err *Error) {
	defer func() {
		if r := recover(); r != nil {
			err = errorf(KindCompile, "the interpreter failed on this source: %v", r)
		}
	}()
	tool, ferr := inspect(src, e.allowed, !e.unsafe)
	if ferr != nil {
		return ferr
	}
	if tool.file.Name.Name == "main" {
		off := tool.fset.Position(tool.file.Name.Pos()).Offset
		src = src[:off] + "tool" + src[off+len("main"):]
	}
	in, ierr := e.newInterpreter(io.Discard, io.Discard, tool)
	if ierr != nil {
		return errorf(KindCompile, "%v", ierr)
	}
	if _, cerr := in.Compile(src); cerr != nil {
		return compileError(cerr)
	}
	return nil
}

// runProgram runs a package main in a fresh interpreter.
func (e *engine) runProgram(src string, tool *toolFile, out *output) Result {
	in, err := e.newInterpreter(out.Stdout(), out.Stderr(), tool)
	if err != nil {
		return failed(errorf(KindCompile, "%v", err))
	}
	prog, err := in.Compile(src)
	if err != nil {
		return failed(compileError(err))
	}
	if _, err := in.Execute(prog); err != nil {
		return failed(runError(err))
	}
	return Result{OK: true, Result: json.RawMessage("null")}
}

// newInterpreter makes an interpreter for tool. With the allow-list off it
// gets the symbols of the packages tool imports (of the whole standard
// library); otherwise those of the allow-list.
func (e *engine) newInterpreter(stdout, stderr io.Writer, tool *toolFile) (*interp.Interpreter, error) {
	in := interp.New(interp.Options{
		Stdin:                strings.NewReader(""),
		Stdout:               stdout,
		Stderr:               stderr,
		Args:                 []string{"tool"},
		Env:                  []string{},
		SourcecodeFilesystem: emptyFS{},
		// With the whole standard library a tool sees the real
		// environment (which the worker has emptied) and process.
		Unrestricted: e.unsafe,
	})
	syms := e.symbols
	if e.unsafe {
		syms = stdlibFor(tool.file)
	}
	if err := in.Use(syms); err != nil {
		return nil, fmt.Errorf("loading the allowed packages: %w", err)
	}
	return in, nil
}

// resultOf converts a function's results: a non-nil trailing error becomes a
// tool error, the rest becomes JSON.
func resultOf(ft reflect.Type, out []reflect.Value, limit int) Result {
	if k := len(out); k > 0 && ft.Out(k-1) == errorType {
		if !out[k-1].IsNil() {
			return failed(errorf(KindError, "%v", out[k-1].Interface()))
		}
		out = out[:k-1]
	}
	var v any
	switch len(out) {
	case 0:
	case 1:
		v = out[0].Interface()
	default:
		vs := make([]any, len(out))
		for i, o := range out {
			vs[i] = o.Interface()
		}
		v = vs
	}
	// A result far over the limit is refused before it is encoded: its
	// JSON would be a second copy of it in the worker's memory.
	if n := jsonSizeAtLeast(reflect.ValueOf(v), limit+1); n > limit {
		return failed(errorf(KindOutputLimit, "the result is more than %d bytes of JSON, the most a call may return", limit))
	}
	b, err := json.Marshal(v)
	if err != nil {
		return failed(errorf(KindPanic, "result is not JSON: %v", err))
	}
	if len(b) > limit {
		return failed(errorf(KindOutputLimit, "the result is %d bytes of JSON, more than the %d a call may return", len(b), limit))
	}
	return Result{OK: true, Result: b}
}

var errorType = reflect.TypeFor[error]()

// runError classifies an error from running interpreted code.
func runError(err error) *Error {
	if p, ok := err.(interp.Panic); ok {
		return panicError(p.Value)
	}
	return errorf(KindPanic, "%v", err)
}

// panicError classifies a recovered panic value.
func panicError(v any) *Error {
	msg := fmt.Sprint(v)
	if re, ok := v.(runtime.Error); ok {
		msg = re.Error()
	}
	if strings.Contains(msg, "out of memory") || strings.Contains(msg, "len out of range") || strings.Contains(msg, "cap out of range") {
		return errorf(KindMemory, "%s", msg)
	}
	if strings.HasPrefix(msg, "sandbox: output limit") {
		return errorf(KindOutputLimit, "%s", msg)
	}
	return errorf(KindPanic, "%s", msg)
}

// paramNames lists the parameter names of the top-level function name.
func paramNames(f *ast.File, name string) []string {
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv != nil || fd.Name.Name != name {
			continue
		}
		var names []string
		for i, fld := range fd.Type.Params.List {
			if len(fld.Names) == 0 {
				names = append(names, fmt.Sprintf("arg%d", i))
			}
			for _, id := range fld.Names {
				names = append(names, id.Name)
			}
		}
		return names
	}
	return nil
}

// interpretedGoroutines reports whether any goroutine is running
// interpreted code. Called after a call returned, a true answer means the
// tool left goroutines behind.
func interpretedGoroutines() bool {
	buf := make([]byte, 1<<20)
	n := runtime.Stack(buf, true)
	return strings.Contains(string(buf[:n]), "github.com/traefik/yaegi/interp.")
}

// emptyFS is the interpreter's source file system: there is nothing to
// import from source.
type emptyFS struct{}

func (emptyFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}
