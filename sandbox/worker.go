package sandbox

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
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
	memory      int64 // the tools' memory budget in bytes
	cpuSeconds  uint64
	openFiles   uint64
	processes   uint64
	outputLimit int
	cacheSize   int
	allow       string // comma-separated import paths
}

func (c workerConfig) args() []string {
	return []string{
		"-memory", fmt.Sprint(c.memory),
		"-cpu", fmt.Sprint(c.cpuSeconds),
		"-nofile", fmt.Sprint(c.openFiles),
		"-nproc", fmt.Sprint(c.processes),
		"-output-limit", fmt.Sprint(c.outputLimit),
		"-cache", fmt.Sprint(c.cacheSize),
		"-allow", c.allow,
	}
}

func parseWorkerArgs(args []string) (workerConfig, error) {
	var c workerConfig
	fs := flag.NewFlagSet(WorkerCommand, flag.ContinueOnError)
	fs.Int64Var(&c.memory, "memory", DefaultMemoryBytes, "memory budget in bytes")
	fs.Uint64Var(&c.cpuSeconds, "cpu", 60, "RLIMIT_CPU in seconds")
	fs.Uint64Var(&c.openFiles, "nofile", 64, "RLIMIT_NOFILE")
	fs.Uint64Var(&c.processes, "nproc", 4096, "RLIMIT_NPROC")
	fs.IntVar(&c.outputLimit, "output-limit", DefaultOutputLimit, "output limit in bytes")
	fs.IntVar(&c.cacheSize, "cache", 64, "compiled tools to keep")
	fs.StringVar(&c.allow, "allow", strings.Join(DefaultAllow(), ","), "allowed import paths, comma-separated")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	return c, nil
}

// ServeWorker turns the current process into a sandbox worker: it applies
// the resource limits given in args, then serves tool calls to the host over
// gRPC until the host closes the connection. It must be called before the
// process does anything else, and only in a process started by a Pool
// (otherwise it returns ErrNotWorker).
func ServeWorker(args []string) error {
	hs := handshake()
	if os.Getenv(hs.MagicCookieKey) != hs.MagicCookieValue {
		return ErrNotWorker
	}
	cfg, err := parseWorkerArgs(args)
	if err != nil {
		return err
	}
	// The host's stdin is no business of a tool.
	_ = os.Stdin.Close()
	if err := applyLimits(cfg); err != nil {
		return fmt.Errorf("sandbox worker: %w", err)
	}
	allow := strings.Split(cfg.allow, ",")
	eng, err := newEngine(allow, cfg.outputLimit, cfg.cacheSize)
	if err != nil {
		return err
	}
	// One call at a time needs one processor: hand-offs between the gRPC
	// server, the tool and the watchdog then stay on one thread (measured
	// faster than two), and a goroutine bomb cannot take more than one CPU;
	// asynchronous preemption lets the watchdog in beside a computing tool.
	// Under the race detector a tool spends long stretches in
	// non-preemptible race-runtime calls, so such a worker gets two.
	procs := 1
	if raceEnabled {
		procs = 2
	}
	runtime.GOMAXPROCS(min(procs, runtime.NumCPU()))
	eng.exec = newExecutor()
	srv := &workerServer{eng: eng, cfg: cfg}
	srv.mem = newMemWatch(uint64(cfg.memory))
	srv.stderr = os.Stderr // fd 2; go-plugin replaces os.Stderr when it serves
	debug.SetMemoryLimit(int64(srv.mem.limit))
	debug.SetMaxStack(int(min(64<<20, max(cfg.memory/4, 8<<20))))
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: hs,
		Plugins:         plugin.PluginSet{pluginName: &workerPlugin{srv: srv}},
		GRPCServer: func(opts []grpc.ServerOption) *grpc.Server {
			return grpc.NewServer(append(opts, grpc.MaxRecvMsgSize(maxMessageLen), grpc.MaxSendMsgSize(maxMessageLen),
				grpc.InitialWindowSize(windowSize), grpc.InitialConnWindowSize(windowSize),
				// Handlers run on a kept goroutine rather than a new one
				// per call (a new one when it is busy).
				grpc.NumStreamWorkers(1))...)
		},
		Logger: hclog.NewNullLogger(),
	})
	return nil
}

// workerServer runs one call at a time (the host never sends two at once).
type workerServer struct {
	eng    *engine
	cfg    workerConfig
	mem    *memWatch
	stderr *os.File
}

// memoryHighMark is what a worker writes to its stderr when a call uses more
// than half of its memory budget, so that the host can tell an allocation
// failure the runtime does not explain from another crash.
const memoryHighMark = "sandbox-worker: memory above half of the budget"

// resultLimit bounds a result's JSON.
const resultLimit = 16 << 20

func (s *workerServer) run(ctx context.Context, c wireCall) wireResult {
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
			if len(res.Result) > resultLimit {
				res = Result{Error: errorf(KindOutputLimit, "the result is %d bytes, more than the %d allowed", len(res.Result), resultLimit), Stdout: res.Stdout, Stderr: res.Stderr, DurationMS: res.DurationMS}
			}
			if x.out.overLimit() {
				d := res.DurationMS
				res = outputLimitResult(x, s.cfg.outputLimit)
				res.DurationMS = d
			}
			return wireResult{Result: res, Recycle: x.leftover || failedAtRun(res) || s.cpuUsedUp()}
		case <-x.out.Exceeded:
			return early(outputLimitResult(x, s.cfg.outputLimit))
		case <-tick.C:
			used, over := s.mem.over()
			if !marked && used > s.mem.half {
				marked = true
				fmt.Fprintln(s.stderr, memoryHighMark)
			}
			if over {
				return early(x.failure(errorf(KindMemory, "the tool used %d MiB, more than its %d MiB budget", used>>20, s.cfg.memory>>20)))
			}
		case <-ctx.Done():
			return early(failed(errorf(KindTimeout, "the call's deadline passed")))
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
