package sandbox

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// WorkerCommand is the argument that selects the worker in the toolsmith
// binary ("toolsmith sandbox-worker"); a custom worker command (see
// Options.Command) must call ServeWorker with the arguments after it.
const WorkerCommand = "sandbox-worker"

// ErrNotWorker is returned by ServeWorker when the process was not started
// by a sandbox host.
var ErrNotWorker = errors.New("sandbox: sandbox-worker is started by the sandbox pool, not by hand")

// workerConfig is what the host tells a worker on its command line.
type workerConfig struct {
	memory      int64 // the memory budget in bytes
	cpuSeconds  uint64
	openFiles   uint64
	processes   uint64
	outputLimit int
	cacheSize   int
	allow       string // comma-separated import paths
	unsafe      bool   // the whole standard library, no allow-list
	tmp         string // the host directory to use as temporary directory without a mount namespace
	namespaces  string // comma-separated namespaces the host created (user,pid,net,mount,ipc,uts)
	without     string // comma-separated layers not to apply
	// stage is 1 in the process the host started, which confines itself
	// and re-executes the binary; 2 in that second image, which serves.
	stage int
	// applied carries the first stage's report to the second.
	applied string
}

func (c workerConfig) args() []string {
	a := []string{
		"-memory", fmt.Sprint(c.memory),
		"-cpu", fmt.Sprint(c.cpuSeconds),
		"-nofile", fmt.Sprint(c.openFiles),
		"-nproc", fmt.Sprint(c.processes),
		"-output-limit", fmt.Sprint(c.outputLimit),
		"-cache", fmt.Sprint(c.cacheSize),
		"-allow", c.allow,
		"-tmp", c.tmp,
		"-ns", c.namespaces,
		"-without", c.without,
		"-stage", fmt.Sprint(c.stage),
	}
	if c.unsafe {
		a = append(a, "-unsafe-no-allowlist")
	}
	if c.applied != "" {
		a = append(a, "-applied", c.applied)
	}
	return a
}

func parseWorkerArgs(args []string) (workerConfig, error) {
	var c workerConfig
	fs := flag.NewFlagSet(WorkerCommand, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Int64Var(&c.memory, "memory", DefaultMemoryBytes, "memory budget in bytes")
	fs.Uint64Var(&c.cpuSeconds, "cpu", 60, "RLIMIT_CPU in seconds")
	fs.Uint64Var(&c.openFiles, "nofile", 64, "RLIMIT_NOFILE")
	fs.Uint64Var(&c.processes, "nproc", 4096, "RLIMIT_NPROC")
	fs.IntVar(&c.outputLimit, "output-limit", DefaultOutputLimit, "output limit in bytes")
	fs.IntVar(&c.cacheSize, "cache", 64, "compiled tools to keep")
	fs.StringVar(&c.allow, "allow", strings.Join(DefaultAllow(), ","), "allowed import paths, comma-separated")
	fs.BoolVar(&c.unsafe, "unsafe-no-allowlist", false, "the whole standard library")
	fs.StringVar(&c.tmp, "tmp", "", "temporary directory without a mount namespace")
	fs.StringVar(&c.namespaces, "ns", "", "namespaces created by the host")
	fs.StringVar(&c.without, "without", "", "layers not to apply")
	fs.IntVar(&c.stage, "stage", 1, "start stage")
	fs.StringVar(&c.applied, "applied", "", "the first stage's report")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	return c, nil
}

// has reports whether a comma-separated list names s.
func has(list, s string) bool {
	for _, x := range strings.Split(list, ",") {
		if x == s {
			return true
		}
	}
	return false
}

// ServeWorker turns the current process into a sandbox worker: it confines
// itself with every layer the system offers (see Layer), then serves tool
// calls to its host until the host closes the channel. It must be called
// before the process does anything else, and only in a process started by a
// Pool (otherwise it returns ErrNotWorker). On Linux the first call
// re-executes the binary, which calls ServeWorker again.
func ServeWorker(args []string) error {
	if os.Getenv(workerEnv) == "" || !isSocket(connFD) {
		return ErrNotWorker
	}
	cfg, err := parseWorkerArgs(args)
	if err != nil {
		return fmt.Errorf("sandbox worker: %w", err)
	}
	// Standard input is the host's /dev/null and stays open: the runtime of
	// the re-executed image refuses to start without descriptors 0 to 2.
	report, tmp, err := confine(cfg)
	if err != nil {
		return fmt.Errorf("sandbox worker: %w", err)
	}
	// Nothing of the start-up environment (the worker marker, the loader's
	// search path) is a tool's business either.
	// A tool with the whole standard library finds its temporary
	// directory where os.TempDir looks.
	os.Clearenv()
	_ = os.Setenv("TMPDIR", tmp)
	eng, err := newEngine(engineConfig{allow: strings.Split(cfg.allow, ","), unsafe: cfg.unsafe, outputLimit: cfg.outputLimit, cacheSize: cfg.cacheSize,
		resultLimit: resultLimit(cfg.memory)})
	if err != nil {
		return err
	}
	// One call at a time needs one processor: hand-offs between the reader,
	// the tool and the watchdog then stay on one thread, and a goroutine
	// bomb cannot take more than one CPU; asynchronous preemption lets the
	// watchdog in beside a computing tool. Under the race detector a tool
	// spends long stretches in non-preemptible race-runtime calls, so such
	// a worker gets two.
	procs := 1
	if raceEnabled {
		procs = 2
	}
	runtime.GOMAXPROCS(min(procs, runtime.NumCPU()))
	eng.exec = newExecutor()
	srv := &workerServer{eng: eng, cfg: cfg, stderr: os.Stderr}
	srv.mem = newMemWatch(uint64(cfg.memory))
	debug.SetMemoryLimit(int64(srv.mem.limit))
	debug.SetMaxStack(int(min(64<<20, max(cfg.memory/4, 8<<20))))
	c := newConn(connFD)
	if err := c.send(frameHello, encodeHello(hello{Version: protocolVersion, Report: report})); err != nil {
		return fmt.Errorf("sandbox worker: hello: %w", err)
	}
	return srv.serve(c)
}

// isSocket reports whether fd is an open socket.
func isSocket(fd int) bool {
	var st unix.Stat_t
	return unix.Fstat(fd, &st) == nil && st.Mode&unix.S_IFMT == unix.S_IFSOCK
}

// workerServer runs one call at a time (the host never sends two at once).
type workerServer struct {
	eng    *engine
	cfg    workerConfig
	mem    *memWatch
	stderr *os.File
}

// serve answers calls until the host closes the channel.
func (s *workerServer) serve(c *conn) error {
	for {
		kind, body, err := c.recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("sandbox worker: reading a call: %w", err)
		}
		if kind != frameCall {
			return fmt.Errorf("sandbox worker: %w: a %q frame instead of a call", errFrame, kind)
		}
		call, err := decodeCall(body)
		if err != nil {
			return fmt.Errorf("sandbox worker: bad call: %w", err)
		}
		if err := c.send(frameResult, encodeResult(s.run(call))); err != nil {
			return fmt.Errorf("sandbox worker: sending a result: %w", err)
		}
	}
}

// memoryHighMark is what a worker writes to its stderr when a call uses more
// than half of its memory budget, so that the host can tell an allocation
// failure the runtime does not explain from another crash.
const memoryHighMark = "sandbox-worker: memory above half of the budget"

func (s *workerServer) run(c wireCall) wireResult {
	t0 := time.Now()
	// early ends the call before the tool has returned; the worker is then
	// replaced.
	early := func(r Result) wireResult {
		r.DurationMS = float64(time.Since(t0).Microseconds()) / 1000
		return wireResult{Result: r, Recycle: true}
	}
	var x *execution
	if c.Check {
		x = s.eng.startCheck(c.Source)
	} else {
		x = s.eng.start(Call{Source: c.Source, Func: c.Func, Args: c.Args})
	}
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	marked := false
	for {
		select {
		case <-x.Done:
			res := x.res
			if x.out.overLimit() {
				d := res.DurationMS
				res = outputLimitResult(x, s.cfg.outputLimit)
				res.DurationMS = d
			}
			return wireResult{Result: res, Recycle: x.leftover || failedAtRun(res) || s.cpuUsedUp() || s.cfg.unsafe}
		case <-x.out.Exceeded:
			return early(outputLimitResult(x, s.cfg.outputLimit))
		case <-tick.C:
			used, over := s.mem.over()
			if !marked && s.mem.idle+used > s.mem.half {
				marked = true
				fmt.Fprintln(s.stderr, memoryHighMark)
			}
			if over {
				return early(x.failure(errorf(KindMemory, "the tool took %d MiB: with the worker's own %d MiB that is more than the %d MiB budget allows", used>>20, s.mem.own>>20, s.cfg.memory>>20)))
			}
		}
	}
}

// failedAtRun reports whether the tool failed while running (rather than
// being refused or returning an error): the worker is then recycled, since
// the failure may have left state behind.
func failedAtRun(r Result) bool {
	if r.OK {
		return false
	}
	switch r.Error.Kind {
	case KindCompile, KindForbidden, KindBadArgs, KindError:
		return false
	}
	return true
}

func outputLimitResult(x *execution, limit int) Result {
	return x.failure(errorf(KindOutputLimit, "the tool wrote more than %d bytes", limit))
}

// cpuUsedUp reports whether the worker has used more than half of its CPU
// seconds, so that the host replaces it before RLIMIT_CPU strikes mid-call.
func (s *workerServer) cpuUsedUp() bool {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return true
	}
	used := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return used > time.Duration(s.cfg.cpuSeconds)*time.Second/2
}
