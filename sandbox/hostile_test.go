package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// secretEnv is set in the host's environment by TestMain; no output of any
// tool may contain its value.
const secretEnv = "TOOLSMITH_TEST_SECRET"

// sideEffect is what a hostile program tries to do, set up and checked by
// the test: it returns the substitutions for the program's source and a
// check run after the call that fails when the side effect happened.
type sideEffect func(t *testing.T) (subst map[string]string, check func(t *testing.T))

// noFileCreated gives the program a path (as PATH) and checks that nothing
// was created there.
func noFileCreated(t *testing.T) (map[string]string, func(*testing.T)) {
	p := filepath.Join(t.TempDir(), "created-by-tool")
	return map[string]string{"PATH": p}, func(t *testing.T) {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the tool created %s (stat: %v)", p, err)
		}
	}
}

// fileKept gives the program an existing file (as PATH) and checks that it
// is still there, unchanged.
func fileKept(t *testing.T) (map[string]string, func(*testing.T)) {
	p := filepath.Join(t.TempDir(), "keep")
	if err := os.WriteFile(p, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	return map[string]string{"PATH": p}, func(t *testing.T) {
		b, err := os.ReadFile(p)
		if err != nil || string(b) != "keep" {
			t.Errorf("the tool removed or changed %s: %q, %v", p, b, err)
		}
	}
}

// noConnection gives the program a loopback address (as ADDR) and checks
// that nothing connected to it.
func noConnection(t *testing.T) (map[string]string, func(*testing.T)) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return map[string]string{"ADDR": ln.Addr().String()}, func(t *testing.T) {
		ln.(*net.TCPListener).SetDeadline(time.Now().Add(50 * time.Millisecond))
		if c, err := ln.Accept(); err == nil {
			c.Close()
			t.Errorf("the tool connected to %s", ln.Addr())
		}
	}
}

type hostileCase struct {
	name  string
	src   string
	fn    string
	args  string
	kinds []Kind // acceptable kinds; the first is the expected one
	// want is a substring the error message must contain (the import
	// named, for forbidden).
	want   string
	effect sideEffect
	// slow marks programs that must do real work before they hit a limit
	// (allocate, print, recurse); they get a long timeout so that a loaded
	// machine (or -race) does not turn their failure into a timeout. They
	// end as soon as they hit the limit, so this costs no time.
	slow bool
	// raceKinds are further kinds accepted when the worker is built with
	// -race: such a worker cannot have RLIMIT_DATA (the race detector maps
	// terabytes of shadow memory), a multi-gigabyte copy inside the race
	// runtime blocks the memory watch until the timeout strikes, and the
	// race runtime dies at 8128 live goroutines.
	raceKinds []Kind
}

// hostileCases are programs a model might write, on purpose or not.
var hostileCases = []hostileCase{
	{name: "os/exec", src: `package main
import "os/exec"
func main() { exec.Command("sh", "-c", "touch PATH").Run() }`, kinds: []Kind{KindForbidden}, want: `"os/exec"`, effect: noFileCreated},
	{name: "os.StartProcess", src: `package main
import "os"
func main() { os.StartProcess("/bin/touch", []string{"touch", "PATH"}, &os.ProcAttr{}) }`, kinds: []Kind{KindForbidden}, want: `"os"`, effect: noFileCreated},
	{name: "file write", src: `package main
import "os"
func main() { os.WriteFile("PATH", []byte("x"), 0o644) }`, kinds: []Kind{KindForbidden}, want: `"os"`, effect: noFileCreated},
	{name: "file write ioutil", src: `package main
import "io/ioutil"
func main() { ioutil.WriteFile("PATH", []byte("x"), 0o644) }`, kinds: []Kind{KindForbidden}, want: `"io/ioutil"`, effect: noFileCreated},
	{name: "file read", src: `package main
import ("fmt"; "os")
func main() { b, _ := os.ReadFile("PATH"); fmt.Println(string(b)) }`, kinds: []Kind{KindForbidden}, want: `"os"`, effect: fileKept},
	{name: "file remove", src: `package main
import "os"
func main() { os.Remove("PATH") }`, kinds: []Kind{KindForbidden}, want: `"os"`, effect: fileKept},
	{name: "path/filepath walk", src: `package main
import "path/filepath"
func main() { filepath.Glob("/*") }`, kinds: []Kind{KindForbidden}, want: `"path/filepath"`},
	{name: "environment", src: `package main
import ("fmt"; "os")
func main() { fmt.Println(os.Getenv("` + secretEnv + `"), os.Environ()) }`, kinds: []Kind{KindForbidden}, want: `"os"`},
	{name: "proc self environ", src: `package main
import ("fmt"; "io/ioutil")
func main() { b, _ := ioutil.ReadFile("/proc/self/environ"); fmt.Println(string(b)) }`, kinds: []Kind{KindForbidden}, want: `"io/ioutil"`},
	{name: "aliased os import", src: `package main
import o "os"
func main() { o.Exit(3) }`, kinds: []Kind{KindForbidden}, want: `"os"`},
	{name: "blank os import", src: `package main
import _ "os"
func main() {}`, kinds: []Kind{KindForbidden}, want: `"os"`},
	{name: "net dial", src: `package main
import "net"
func main() { net.Dial("tcp", "ADDR") }`, kinds: []Kind{KindForbidden}, want: `"net"`, effect: noConnection},
	{name: "http get", src: `package main
import "net/http"
func main() { http.Get("http://ADDR/") }`, kinds: []Kind{KindForbidden}, want: `"net/http"`, effect: noConnection},
	{name: "unsafe", src: `package main
import "unsafe"
func main() { var x int; p := (*[1<<30]byte)(unsafe.Pointer(&x)); p[1<<29] = 1 }`, kinds: []Kind{KindForbidden}, want: `"unsafe"`},
	{name: "reflect", src: `package main
import "reflect"
func main() { reflect.ValueOf(0) }`, kinds: []Kind{KindForbidden}, want: `"reflect"`},
	{name: "syscall kill parent", src: `package main
import "syscall"
func main() { syscall.Kill(syscall.Getppid(), syscall.SIGKILL) }`, kinds: []Kind{KindForbidden}, want: `"syscall"`},
	{name: "os.Exit", src: `package main
import "os"
func main() { os.Exit(0) }`, kinds: []Kind{KindForbidden}, want: `"os"`},
	{name: "log.Fatal", src: `package main
import "log"
func main() { log.Fatal("bye") }`, kinds: []Kind{KindForbidden}, want: `"log"`},
	{name: "runtime/debug", src: `package main
import "runtime/debug"
func main() { debug.SetMaxStack(1) }`, kinds: []Kind{KindForbidden}, want: `"runtime/debug"`},
	{name: "runtime", src: `package main
import "runtime"
func main() { runtime.Goexit() }`, kinds: []Kind{KindForbidden}, want: `"runtime"`},
	{name: "os/signal", src: `package main
import ("os/signal"; "syscall")
func main() { signal.Ignore(syscall.SIGTERM) }`, kinds: []Kind{KindForbidden}, want: `"os/signal"`},
	{name: "cgo", src: `package main
// #include <stdlib.h>
import "C"
func main() { C.system(C.CString("touch PATH")) }`, kinds: []Kind{KindForbidden}, want: `"C"`, effect: noFileCreated},
	{name: "go:linkname", src: `package main
import _ "strings"
//go:linkname nanotime runtime.nanotime
func nanotime() int64
func main() { nanotime() }`, kinds: []Kind{KindForbidden}, want: "linkname"},
	{name: "yaegi interp", src: `package main
import "github.com/traefik/yaegi/interp"
func main() { i := interp.New(interp.Options{Unrestricted: true}); i.Eval("1") }`, kinds: []Kind{KindForbidden}, want: "yaegi"},
	{name: "yaegi stdlib", src: `package main
import "github.com/traefik/yaegi/stdlib"
func main() { _ = stdlib.Symbols }`, kinds: []Kind{KindForbidden}, want: "yaegi"},
	{name: "relative import", src: `package main
import "./evil"
func main() { evil.Run() }`, kinds: []Kind{KindForbidden}, want: `"./evil"`},
	{name: "fd 1 directly", src: `package main
import "os"
func main() { os.NewFile(1, "stdout").WriteString("pwned\n") }`, kinds: []Kind{KindForbidden}, want: `"os"`},
	{name: "fd 1 via syscall", src: `package main
import "syscall"
func main() { syscall.Write(1, []byte("pwned\n")) }`, kinds: []Kind{KindForbidden}, want: `"syscall"`},
	{name: "ticker", src: `package main
import ("fmt"; "time")
func main() { t := time.NewTicker(time.Millisecond); go func() { for range t.C { fmt.Println("tick") } }() }`, kinds: []Kind{KindForbidden}, want: "time.NewTicker"},
	{name: "time.AfterFunc", src: `package main
import "time"
func main() { time.AfterFunc(time.Millisecond, func() { panic("later") }) }`, kinds: []Kind{KindForbidden}, want: "time.AfterFunc"},
	{name: "dot-imported ticker", src: `package main
import . "time"
func main() { Tick(Millisecond) }`, kinds: []Kind{KindCompile}, want: "Tick"},
	{name: "infinite loop", src: `package main
func main() { for {} }`, kinds: []Kind{KindTimeout}},
	{name: "infinite loop in init", src: `package tool
func init() { for {} }
func F() int { return 1 }`, kinds: []Kind{KindTimeout}},
	{name: "sleep an hour", src: `package main
import "time"
func main() { time.Sleep(time.Hour) }`, kinds: []Kind{KindTimeout}},
	{name: "block forever", src: `package main
func main() { select {} }`, kinds: []Kind{KindTimeout}},
	{name: "huge allocation", src: `package main
func main() { b := make([]byte, 1<<40); b[1<<39] = 1 }`, slow: true, kinds: []Kind{KindMemory}},
	{name: "huge repeat", src: `package main
import ("fmt"; "strings")
func main() { fmt.Println(len(strings.Repeat("x", 1<<40))) }`, slow: true, kinds: []Kind{KindMemory}},
	{name: "slow memory growth", src: `package main
import "bytes"
func main() { var keep [][]byte; for { keep = append(keep, bytes.Repeat([]byte{1}, 1<<20)) } }`, slow: true, kinds: []Kind{KindMemory}},
	{name: "string doubling", src: `package main
func main() { s := "ab"; for { s += s } }`, slow: true, kinds: []Kind{KindMemory}, raceKinds: []Kind{KindTimeout}},
	{name: "goroutine bomb", src: `package main
func main() { for { go func() { select {} }() } }`, kinds: []Kind{KindMemory, KindTimeout}, raceKinds: []Kind{KindCrash}},
	{name: "spinning goroutine bomb", src: `package main
func main() { for { go func() { for {} }() } }`, kinds: []Kind{KindMemory, KindTimeout}, raceKinds: []Kind{KindCrash}},
	{name: "unbounded recursion", src: `package main
func f(n int) int { return f(n+1) + 1 }
func main() { f(0) }`, slow: true, kinds: []Kind{KindCrash}, want: "stack overflow", raceKinds: []Kind{KindMemory}},
	{name: "nil map", src: `package main
func main() { var m map[string]int; m["x"] = 1 }`, kinds: []Kind{KindPanic}, want: "nil map"},
	{name: "panic in goroutine", src: `package main
import "time"
func main() { go func() { panic("boom") }(); time.Sleep(time.Second) }`, kinds: []Kind{KindCrash}},
	{name: "output flood", src: `package main
import ("fmt"; "strings")
func main() { line := strings.Repeat("flood ", 200); for { fmt.Println(line) } }`, slow: true, kinds: []Kind{KindOutputLimit}},
	{name: "output flood with println", src: `package main
import "strings"
func main() { line := strings.Repeat("flood ", 200); for { println(line) } }`, slow: true, kinds: []Kind{KindOutputLimit}},
	{name: "output flood ignoring errors", src: `package tool
import ("fmt"; "strings")
func F() int { line := strings.Repeat("x", 999); n := 0; for i := 0; i < 1<<22; i++ { if _, err := fmt.Println(line); err == nil { n++ } }; return n }`, slow: true, kinds: []Kind{KindOutputLimit}},
	{name: "bad args", src: `package tool
func Add(a, b int) int { return a + b }`, args: `{"a": "one", "b": 2}`, kinds: []Kind{KindBadArgs}, want: `"a"`},
	{name: "compile error", src: `package tool
func F() int { return "x" }`, kinds: []Kind{KindCompile}},
}

// expand substitutes the side effect's placeholders into the source.
func expand(src string, subst map[string]string) string {
	for k, v := range subst {
		src = strings.ReplaceAll(src, k, v)
	}
	return src
}

const (
	hostileTimeout = time.Second
	hostileMemory  = 64 << 20
)

func TestHostile(t *testing.T) {
	secret := os.Getenv(secretEnv)
	if secret == "" {
		t.Fatal("TestMain did not set the host secret")
	}
	if len(hostileCases) < 30 {
		t.Fatalf("only %d hostile cases", len(hostileCases))
	}
	for _, tc := range hostileCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			subst, check := map[string]string{}, func(*testing.T) {}
			if tc.effect != nil {
				subst, check = tc.effect(t)
			}
			timeout := hostileTimeout
			if tc.slow || !slices.Contains(tc.kinds, KindTimeout) {
				// A timeout is never the right answer here: a long limit
				// keeps a loaded machine from turning a quick failure
				// (bad arguments, a forbidden import) into one.
				timeout = 10 * hostileTimeout
			}
			if raceEnabled && len(tc.raceKinds) > 0 {
				timeout = 2 * hostileTimeout // a timeout is accepted: do not wait long for it
			}
			p := newTestPool(t, Options{Workers: 1, Timeout: timeout, MemoryBytes: hostileMemory})
			call := Call{Source: expand(tc.src, subst), Func: tc.fn}
			if tc.args != "" {
				call.Args = json.RawMessage(tc.args)
			}
			t0 := time.Now()
			res, err := p.Run(context.Background(), call)
			elapsed := time.Since(t0)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if elapsed > timeout+time.Second {
				t.Errorf("the call took %v, more than the timeout plus one second", elapsed)
			}
			if res.OK || res.Error == nil {
				t.Fatalf("the call succeeded: %+v", res)
			}
			kinds := tc.kinds
			if raceEnabled {
				kinds = append(kinds, tc.raceKinds...)
			}
			t.Logf("kind %s: %s", res.Error.Kind, res.Error.Message)
			if !slices.Contains(kinds, res.Error.Kind) {
				t.Errorf("kind %q (%s), want %v", res.Error.Kind, res.Error.Message, tc.kinds)
			}
			if res.Error.Kind == tc.kinds[0] && !strings.Contains(res.Error.Message, tc.want) {
				t.Errorf("message %q does not mention %q", res.Error.Message, tc.want)
			}
			doc, _ := json.Marshal(res)
			if strings.Contains(string(doc), secret) {
				t.Errorf("the host secret leaked: %s", doc)
			}
			check(t)
			// The host survived and the pool still serves (after replacing
			// the worker when it was killed).
			ok, err := p.Run(context.Background(), Call{Source: sortTool, Func: "Sort", Args: json.RawMessage(`[["b","a"]]`), Timeout: 20 * time.Second})
			if err != nil || !ok.OK || string(ok.Result) != `["a","b"]` {
				t.Errorf("the pool does not work after the hostile call: %+v, %v", ok, err)
			}
		})
	}
}

const sortTool = `package tool

import (
	"sort"
	"strings"
)

// Sort returns the words in alphabetical order.
func Sort(words []string) []string {
	out := make([]string, len(words))
	copy(out, words)
	sort.Strings(out)
	return out
}

// SortSentence sorts the words of a sentence.
func SortSentence(s string) string { return strings.Join(Sort(strings.Fields(s)), " ") }
`
