package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const sleepTool = "package tool\nimport \"time\"\n// Sleep sleeps ms milliseconds.\nfunc Sleep(ms int) int { time.Sleep(time.Duration(ms) * time.Millisecond); return ms }\n"

func TestPoolConcurrentCalls(t *testing.T) {
	p := newTestPool(t, Options{Workers: 2})
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			words := fmt.Sprintf(`[["w%02d", "a", "z"]]`, i)
			res, err := p.Run(context.Background(), Call{Source: sortTool, Func: "Sort", Args: json.RawMessage(words)})
			if err != nil || !res.OK {
				errs <- fmt.Errorf("call %d: %+v %v", i, res, err)
				return
			}
			if want := fmt.Sprintf(`["a","w%02d","z"]`, i); string(res.Result) != want {
				errs <- fmt.Errorf("call %d: %s, want %s", i, res.Result, want)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestPoolBackpressure(t *testing.T) {
	p := newTestPool(t, Options{Workers: 1, MaxQueue: 1})
	ctx := context.Background()
	// waitUntil polls cond: the test orders calls by the pool's state, not
	// by sleeping.
	waitUntil := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting until %s", what)
			}
		}
	}
	done := make(chan Result, 2)
	go func() {
		res, _ := p.Run(ctx, Call{Source: sleepTool, Args: json.RawMessage(`[300]`)})
		done <- res
	}()
	waitUntil("the first call has the worker", func() bool { return len(p.idle) == 0 })
	go func() {
		res, _ := p.Run(ctx, Call{Source: sleepTool, Args: json.RawMessage(`[1]`)})
		done <- res
	}()
	waitUntil("the second call waits", func() bool { return p.waiting.Load() == 1 })
	if _, err := p.Run(ctx, Call{Source: sleepTool, Args: json.RawMessage(`[1]`)}); !errors.Is(err, ErrBusy) {
		t.Errorf("third call: %v, want ErrBusy", err)
	}
	for range 2 {
		if res := <-done; !res.OK {
			t.Errorf("queued call failed: %v", res.Error)
		}
	}
	// A call that cannot get a worker before its context ends returns the
	// context's error.
	waitUntil("the worker is idle", func() bool { return len(p.idle) == 1 })
	go p.Run(ctx, Call{Source: sleepTool, Args: json.RawMessage(`[500]`)})
	waitUntil("the long call has the worker", func() bool { return len(p.idle) == 0 })
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := p.Run(short, Call{Source: sleepTool, Args: json.RawMessage(`[1]`)}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting call: %v, want DeadlineExceeded", err)
	}
}

func TestPoolRecyclesAfterMaxCalls(t *testing.T) {
	p := newTestPool(t, Options{Workers: 1, MaxCalls: 2})
	first := idlePID(p)
	for range 2 {
		if res, err := p.Run(context.Background(), Call{Source: sleepTool, Args: json.RawMessage(`[0]`)}); err != nil || !res.OK {
			t.Fatalf("%+v %v", res, err)
		}
	}
	if idlePID(p) == first {
		t.Errorf("worker %d served more than MaxCalls calls", first)
	}
}

func TestPoolClosed(t *testing.T) {
	p := newTestPool(t, Options{Workers: 1})
	pid := idlePID(p)
	p.Close()
	if _, err := p.Run(context.Background(), Call{Source: sleepTool}); !errors.Is(err, ErrClosed) {
		t.Errorf("Run after Close: %v", err)
	}
	if err := syscall.Kill(pid, 0); err == nil {
		time.Sleep(200 * time.Millisecond)
		if syscall.Kill(pid, 0) == nil && !zombie(pid) {
			t.Errorf("worker %d still runs after Close", pid)
		}
	}
}

func zombie(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	return err != nil || strings.Contains(string(b), ") Z ")
}

func TestPoolPerCallMemory(t *testing.T) {
	p := newTestPool(t, Options{Workers: 1, MemoryBytes: 128 << 20})
	grow := "package tool\nimport \"bytes\"\n// Grow keeps mib MiB.\nfunc Grow(mib int) int { var keep [][]byte; for i := 0; i < mib; i++ { keep = append(keep, bytes.Repeat([]byte{1}, 1<<20)) }; return len(keep) }\n"
	ctx := context.Background()
	res, err := p.Run(ctx, Call{Source: grow, Args: json.RawMessage(`[48]`)})
	if err != nil || !res.OK {
		t.Fatalf("48 MiB within the pool's 128 MiB: %+v %v", res, err)
	}
	res, err = p.Run(ctx, Call{Source: grow, Args: json.RawMessage(`[48]`), MemoryBytes: MinMemoryBytes})
	if err != nil || res.OK || res.Error.Kind != KindMemory {
		t.Fatalf("48 MiB within a 32 MiB budget: %+v %v", res, err)
	}
	if _, err := p.Run(ctx, Call{Source: grow, Args: json.RawMessage(`[1]`), MemoryBytes: MinMemoryBytes - 1}); err == nil {
		t.Error("a budget below MinMemoryBytes was accepted")
	}
}

func TestServeWorkerByHand(t *testing.T) {
	if err := ServeWorker(nil); !errors.Is(err, ErrNotWorker) {
		t.Errorf("got %v, want ErrNotWorker", err)
	}
}

func TestInProcessLimits(t *testing.T) {
	r, err := NewInProcess(Options{OutputLimit: 1000, Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx := context.Background()
	res, _ := r.Run(ctx, Call{Source: "package main\nfunc main() { for { println(\"0123456789\") } }", Timeout: 10 * time.Second})
	if res.OK || res.Error.Kind != KindOutputLimit || len(res.Stdout) != 1000 {
		t.Errorf("flood: %v, %d bytes", res.Error, len(res.Stdout))
	}
	res, _ = r.Run(ctx, Call{Source: sleepTool, Args: json.RawMessage(`[1000]`)})
	if res.OK || res.Error.Kind != KindTimeout {
		t.Errorf("sleep: %+v", res)
	}
	res, _ = r.Run(ctx, Call{Source: "package tool\nimport \"os\"\nfunc F() { os.Exit(1) }", Timeout: 10 * time.Second})
	if res.OK || res.Error.Kind != KindForbidden {
		t.Errorf("os: %+v", res)
	}
	r.Close()
	if _, err := r.Run(ctx, Call{Source: sleepTool}); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
}

// A call abandoned on timeout in process keeps its interpreter busy; the
// next call of the same tool must not wait for it.
func TestInProcessTimeoutDoesNotBlockTheTool(t *testing.T) {
	r, err := NewInProcess(Options{Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx := context.Background()
	if res, _ := r.Run(ctx, Call{Source: sleepTool, Args: json.RawMessage(`[400]`)}); res.OK || res.Error.Kind != KindTimeout {
		t.Fatalf("first call: %+v", res)
	}
	if res, _ := r.Run(ctx, Call{Source: sleepTool, Args: json.RawMessage(`[1]`), Timeout: 10 * time.Second}); !res.OK {
		t.Fatalf("second call of the same tool: %v", res.Error)
	}
}

// On a timeout the host kills the worker's process group itself, at once.
func TestTimeoutKillsTheWorker(t *testing.T) {
	p := newTestPool(t, Options{Workers: 1, Timeout: 200 * time.Millisecond})
	pid := idlePID(p)
	t0 := time.Now()
	res, err := p.Run(context.Background(), Call{Source: "package main\nfunc main() { for {} }\n"})
	if err != nil || res.OK || res.Error.Kind != KindTimeout {
		t.Fatalf("%+v %v", res, err)
	}
	// How soon is the benchmarks' business; a loaded machine may take a
	// while to tear down the worker's namespaces, but it must happen.
	for syscall.Kill(pid, 0) == nil && !zombie(pid) {
		if time.Since(t0) > 30*time.Second {
			t.Fatalf("worker %d still runs %v after the timeout", pid, time.Since(t0))
		}
		time.Sleep(5 * time.Millisecond)
	}
	if next := idlePID(p); next == pid {
		t.Errorf("the killed worker %d was not replaced", pid)
	}
}

// loopCall runs until its time limit kills the worker.
var loopCall = Call{Source: "package main\nfunc main() { for {} }\n", Timeout: 100 * time.Millisecond}

// killWorker runs loopCall and checks that it timed out.
func killWorker(t *testing.T, p *Pool) {
	t.Helper()
	res, err := p.Run(context.Background(), loopCall)
	if err != nil || res.OK || res.Error.Kind != KindTimeout {
		t.Fatalf("endless loop: %+v %v", res, err)
	}
}

// waitSpare waits until the pool holds a spare worker and returns it.
func waitSpare(t *testing.T, p *Pool) *worker {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(time.Millisecond) {
		p.mu.Lock()
		s := p.spare
		p.mu.Unlock()
		if s != nil {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatal("no spare worker within 30s of a replacement")
		}
	}
}

// After its first replacement a pool keeps a spare worker, which takes the
// place of the next worker killed at once, and another spare starts behind
// it.
func TestPoolSpareReplacesKilledWorker(t *testing.T) {
	p := newTestPool(t, Options{Workers: 1})
	p.mu.Lock()
	spare, starting := p.spare, p.starting
	p.mu.Unlock()
	if spare != nil || starting != 0 {
		t.Fatalf("a pool that has replaced no worker starts a spare (spare %v, starts under way %d)", spare, starting)
	}
	killWorker(t, p)
	first := waitSpare(t, p)
	if pid := idlePID(p); pid == first.pid {
		t.Fatalf("the spare %d is also the idle worker", pid)
	}
	killWorker(t, p)
	// Run has returned: the spare must already be in the pool.
	if n := len(p.idle); n != 1 {
		t.Fatalf("%d idle workers right after the kill, want the spare", n)
	}
	if pid := idlePID(p); pid != first.pid {
		t.Errorf("worker %d took the killed worker's place, want the spare %d", pid, first.pid)
	}
	if next := waitSpare(t, p); next == first {
		t.Error("no new spare after the spare was used")
	}
	if res, err := p.Run(context.Background(), Call{Source: sleepTool, Args: json.RawMessage(`[0]`)}); err != nil || !res.OK {
		t.Errorf("the spare does not serve: %+v %v", res, err)
	}
}

// Close kills the spare and removes its directory and cgroup.
func TestPoolCloseKillsSpare(t *testing.T) {
	p := newTestPool(t, Options{Workers: 1})
	killWorker(t, p)
	s := waitSpare(t, p)
	p.Close()
	select {
	case <-s.exited:
	default:
		t.Errorf("the spare %d still runs after Close", s.pid)
	}
	if _, err := os.Stat(s.dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the spare's directory %s is left after Close (%v)", s.dir, err)
	}
	for _, d := range cgroupDirs(s.cg) {
		if _, err := os.Stat(d); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the spare's cgroup %s is left after Close (%v)", d, err)
		}
	}
}

// With NoSpare a replacement is started when a worker is retired and
// nothing more.
func TestPoolNoSpare(t *testing.T) {
	p := newTestPool(t, Options{Workers: 1, NoSpare: true})
	killWorker(t, p)
	idlePID(p) // the replacement is in the pool
	p.mu.Lock()
	spare, starting := p.spare, p.starting
	p.mu.Unlock()
	if spare != nil || starting != 0 {
		t.Errorf("NoSpare: spare %v, starts under way %d after the replacement", spare, starting)
	}
}

// syncBuffer is a bytes.Buffer safe for the pool's goroutines to log into.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// A pool says once which confinement layers its workers lack, and why.
func TestPoolLogsMissingLayersOnce(t *testing.T) {
	var log syncBuffer
	p := newTestPool(t, Options{Workers: 2, NoSpare: true, Without: []Layer{LayerLandlock},
		Logger: slog.New(slog.NewTextHandler(&log, nil))})
	killWorker(t, p) // a third worker starts
	idlePID(p)
	p.Close()
	out := log.String()
	if n := strings.Count(out, "without some confinement layers"); n != 1 {
		t.Fatalf("the missing layers were logged %d times, want once:\n%s", n, out)
	}
	for _, want := range []string{"level=WARN", `missing=(\S+,)?landlock[ ,]`, `why\.landlock="turned off by Options.Without"`} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("the log lacks %s:\n%s", want, out)
		}
	}
}
