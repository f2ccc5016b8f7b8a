package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
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

// secretFile gives the program the path (as PATH) of a host file that holds
// the host secret, which no output may show.
func secretFile(t *testing.T) (map[string]string, func(*testing.T)) {
	p := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(p, []byte(os.Getenv(secretEnv)), 0o644); err != nil {
		t.Fatal(err)
	}
	return map[string]string{"PATH": p}, func(*testing.T) {}
}

// noHostTmpFile gives the program a path in the host's /tmp (as HOSTTMP)
// and checks that nothing was created there.
func noHostTmpFile(t *testing.T) (map[string]string, func(*testing.T)) {
	p := fmt.Sprintf("/tmp/toolsmith-hostile-%d-%d", os.Getpid(), time.Now().UnixNano())
	return map[string]string{"HOSTTMP": p}, func(t *testing.T) {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			os.Remove(p)
			t.Errorf("the tool created %s on the host (stat: %v)", p, err)
		}
	}
}

// helperAlive starts another process of the host (its pid as HELPERPID) and
// checks that it survived.
func helperAlive(t *testing.T) (map[string]string, func(*testing.T)) {
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Skipf("no sleep command: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return map[string]string{"HELPERPID": strconv.Itoa(cmd.Process.Pid)}, func(t *testing.T) {
		if err := cmd.Process.Signal(syscall.Signal(0)); err != nil {
			t.Errorf("the tool killed another process of the host: %v", err)
		}
	}
}

// noUnixConnection listens on a unix socket path (PATH) and an abstract
// one (@ABSTRACT) and checks that nothing connected.
func noUnixConnection(t *testing.T) (map[string]string, func(*testing.T)) {
	dir, err := os.MkdirTemp("", "ts-sock-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "s")
	abstract := fmt.Sprintf("toolsmith-hostile-%d-%d", os.Getpid(), time.Now().UnixNano())
	var lns []*net.UnixListener
	for _, a := range []string{path, "@" + abstract} {
		ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: a, Net: "unix"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ln.Close() })
		lns = append(lns, ln)
	}
	return map[string]string{"PATH": path, "ABSTRACT": abstract}, func(t *testing.T) {
		for _, ln := range lns {
			ln.SetDeadline(time.Now().Add(50 * time.Millisecond))
			if c, err := ln.Accept(); err == nil {
				c.Close()
				t.Errorf("the tool connected to %s", ln.Addr())
			}
		}
	}
}

// noUDPDatagram gives the program a loopback UDP address (as ADDR) and
// checks that no datagram arrived.
func noUDPDatagram(t *testing.T) (map[string]string, func(*testing.T)) {
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return map[string]string{"ADDR": c.LocalAddr().String()}, func(t *testing.T) {
		c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
		buf := make([]byte, 16)
		if n, from, err := c.ReadFrom(buf); err == nil {
			t.Errorf("the tool sent %q from %s", buf[:n], from)
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
	// unsafeKinds are the acceptable kinds with the allow-list off, where
	// the operating system must contain the program. Nil means: the kinds
	// above, unless they come from the allow-list itself (forbidden, or
	// allowListOnly), in which case any outcome is acceptable as long as
	// the attack is contained.
	unsafeKinds   []Kind
	allowListOnly bool
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
func main() { Tick(Millisecond) }`, kinds: []Kind{KindCompile}, want: "Tick", allowListOnly: true},
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
func main() { f(0) }`, slow: true, kinds: []Kind{KindCrash}, want: "stack overflow", raceKinds: []Kind{KindMemory, KindTimeout}},
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

	// What only the operating system stops once the allow-list is off.
	{name: "read a host file", src: `package main
import ("fmt"; "os")
func main() { b, err := os.ReadFile("PATH"); fmt.Println(string(b), err) }`, kinds: []Kind{KindForbidden}, effect: secretFile},
	{name: "list the host's root", src: `package main
import ("fmt"; "os")
func main() { e, err := os.ReadDir("/"); fmt.Println(e, err); e, err = os.ReadDir("/proc"); fmt.Println(e, err) }`, kinds: []Kind{KindForbidden}},
	{name: "host environment via /proc", src: `package main
import ("fmt"; "os")
func main() {
	for _, p := range []string{"/proc/self/environ", "/proc/1/environ", "/proc/HOSTPID/environ"} {
		b, err := os.ReadFile(p); fmt.Println(p, string(b), err)
	}
}`, kinds: []Kind{KindForbidden}},
	{name: "environment and os.Environ", src: `package main
import ("fmt"; "os"; "syscall")
func main() { fmt.Println(os.Getenv("` + secretEnv + `"), os.Environ(), syscall.Environ()) }`, kinds: []Kind{KindForbidden}},
	{name: "write the host's /tmp", src: `package main
import ("fmt"; "os")
func main() { fmt.Println(os.WriteFile("HOSTTMP", []byte("x"), 0o644)) }`, kinds: []Kind{KindForbidden}, effect: noHostTmpFile},
	{name: "exec a shell", src: `package main
import ("fmt"; "os/exec")
func main() { fmt.Println(exec.Command("/bin/sh", "-c", "touch PATH").Run()) }`, kinds: []Kind{KindForbidden}, effect: noFileCreated},
	{name: "syscall.Exec", src: `package main
import ("fmt"; "syscall")
func main() { fmt.Println(syscall.Exec("/bin/sh", []string{"sh", "-c", "touch PATH"}, nil)) }`, kinds: []Kind{KindForbidden}, effect: noFileCreated},
	{name: "fork bomb", src: `package main
import "syscall"
func main() { for { syscall.RawSyscall(syscall.SYS_FORK, 0, 0, 0) } }`, kinds: []Kind{KindForbidden}, unsafeKinds: []Kind{KindTimeout}},
	{name: "process bomb", src: `package main
import "os"
func main() { for { os.StartProcess("/proc/self/exe", nil, &os.ProcAttr{}) } }`, kinds: []Kind{KindForbidden}, unsafeKinds: []Kind{KindTimeout}},
	{name: "thread bomb", src: `package main
import ("runtime"; "syscall")
func main() { for { go func() { runtime.LockOSThread(); syscall.Select(0, nil, nil, nil, nil) }() } }`, slow: true, kinds: []Kind{KindForbidden}, unsafeKinds: []Kind{KindCrash, KindMemory, KindTimeout}},
	{name: "memory bomb with mmap", src: `package main
import "syscall"
func main() { for { b, err := syscall.Mmap(-1, 0, 1<<26, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE); if err != nil { panic(err) }; for i := 0; i < len(b); i += 4096 { b[i] = 1 } } }`, slow: true, kinds: []Kind{KindForbidden}, unsafeKinds: []Kind{KindMemory, KindPanic, KindCrash}, raceKinds: []Kind{KindTimeout}},
	{name: "memory bomb past the runtime's limit", src: `package main
import "runtime/debug"
func main() { debug.SetMemoryLimit(1 << 62); var keep [][]byte; for { b := make([]byte, 1<<20); b[0] = 1; keep = append(keep, b) } }`, slow: true, kinds: []Kind{KindForbidden}, unsafeKinds: []Kind{KindMemory}},
	{name: "kill the host", src: `package main
import ("fmt"; "syscall")
func main() { fmt.Println(syscall.Kill(HOSTPID, syscall.SIGKILL), syscall.Kill(-1, syscall.SIGKILL), syscall.Kill(0, syscall.SIGKILL)) }`, kinds: []Kind{KindForbidden}, effect: helperAlive},
	{name: "kill another process", src: `package main
import ("fmt"; "os")
func main() { p, err := os.FindProcess(HELPERPID); fmt.Println(err); if p != nil { fmt.Println(p.Kill()) } }`, kinds: []Kind{KindForbidden}, effect: helperAlive},
	{name: "ptrace the host", src: `package main
import ("fmt"; "syscall")
func main() { fmt.Println(syscall.PtraceAttach(HOSTPID)) }`, kinds: []Kind{KindForbidden}},
	{name: "unix socket to the host", src: `package main
import ("fmt"; "net")
func main() { c, err := net.Dial("unix", "PATH"); fmt.Println(c, err); c, err = net.Dial("unix", "@ABSTRACT"); fmt.Println(c, err) }`, kinds: []Kind{KindForbidden}, effect: noUnixConnection},
	{name: "loopback udp", src: `package main
import ("fmt"; "net")
func main() { c, err := net.Dial("udp", "ADDR"); if err == nil { _, err = c.Write([]byte("x")) }; fmt.Println(err) }`, kinds: []Kind{KindForbidden}, effect: noUDPDatagram},
	{name: "namespaces and mounts", src: `package main
import ("fmt"; "syscall")
func main() { fmt.Println(syscall.Unshare(syscall.CLONE_NEWUSER|syscall.CLONE_NEWNS), syscall.Mount("none", "/tmp", "tmpfs", 0, ""), syscall.Chroot("/tmp"), syscall.Setuid(0)) }`, kinds: []Kind{KindForbidden}},
	{name: "garbage on the host channel", src: `package main
import "os"
func main() { os.NewFile(3, "channel").Write([]byte("\xff\xff\xff\x7fgarbage")) }`, kinds: []Kind{KindForbidden}},
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

func TestHostile(t *testing.T) { testHostile(t, false) }

// TestHostileWithoutAllowList runs the same programs with the whole standard
// library: every attack must still be contained, by the operating system.
func TestHostileWithoutAllowList(t *testing.T) { testHostile(t, true) }

func testHostile(t *testing.T, unsafe bool) {
	secret := os.Getenv(secretEnv)
	if secret == "" {
		t.Fatal("TestMain did not set the host secret")
	}
	if len(hostileCases) < 60 {
		t.Fatalf("only %d hostile cases", len(hostileCases))
	}
	if unsafe {
		requireAllLayers(t)
	}
	for _, tc := range hostileCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			subst, check := map[string]string{}, func(*testing.T) {}
			if tc.effect != nil {
				subst, check = tc.effect(t)
			}
			subst["HOSTPID"] = strconv.Itoa(os.Getpid())
			kinds := tc.kinds
			anyKind := false
			if unsafe {
				switch {
				case tc.unsafeKinds != nil:
					kinds = tc.unsafeKinds
				case tc.kinds[0] == KindForbidden || tc.allowListOnly:
					anyKind = true
				}
			}
			timeout := hostileTimeout
			if tc.slow || anyKind || !slices.Contains(kinds, KindTimeout) {
				// A timeout is never the right answer here: a long limit
				// keeps a loaded machine from turning a quick failure
				// (bad arguments, a forbidden import) into one.
				timeout = 10 * hostileTimeout
			}
			if raceEnabled && len(tc.raceKinds) > 0 {
				timeout = 2 * hostileTimeout // a timeout is accepted: do not wait long for it
			}
			p := newTestPool(t, Options{Workers: 1, Timeout: timeout, MemoryBytes: hostileMemory, UnsafeNoAllowList: unsafe})
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
			// The host ends the call at its limit whatever the tool does; the
			// slack is for a loaded machine's scheduling (how soon is
			// measured by bench/sandbox), a tool that outlived its limit
			// would take far longer.
			if elapsed > timeout+5*time.Second {
				t.Errorf("the call took %v, more than the timeout plus five seconds", elapsed)
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
			if anyKind {
				if res.Error != nil {
					t.Logf("kind %s: %s", res.Error.Kind, res.Error.Message)
				}
				t.Logf("stdout %q", res.Stdout)
				return
			}
			if res.OK || res.Error == nil {
				t.Fatalf("the call succeeded: %+v", res)
			}
			if raceEnabled {
				kinds = append(slices.Clone(kinds), tc.raceKinds...)
			}
			t.Logf("kind %s: %s", res.Error.Kind, res.Error.Message)
			if !slices.Contains(kinds, res.Error.Kind) {
				t.Errorf("kind %q (%s), want %v", res.Error.Kind, res.Error.Message, kinds)
			}
			if !unsafe && res.Error.Kind == tc.kinds[0] && !strings.Contains(res.Error.Message, tc.want) {
				t.Errorf("message %q does not mention %q", res.Error.Message, tc.want)
			}
		})
	}
}

// requireAllLayers fails the test where the operating system cannot confine
// a worker: containment without the allow-list is then not expected.
func requireAllLayers(t *testing.T) {
	t.Helper()
	p := newTestPool(t, Options{Workers: 1})
	if miss := p.Confinement().Missing(); len(miss) > 0 {
		t.Fatalf("this system lacks confinement layers %v (see toolsmith config --check): without the allow-list nothing would contain the attacks", miss)
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
