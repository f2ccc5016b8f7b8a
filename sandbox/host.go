package sandbox

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// startTimeout bounds a worker's start: process, confinement and hello.
const startTimeout = 10 * time.Second

// worker is the host's side of one worker process (worker.go is the other
// side). It owns the process's lifecycle: start, handshake, calls, kill.
// Failures are values: a call ends in a Result and says whether the worker
// may serve again; nothing is retried behind the caller's back.
type worker struct {
	cmd    *exec.Cmd
	conn   *conn
	pid    int
	dir    string // the host directory of this worker (temp dir without a mount namespace)
	stderr *tail
	calls  int
	report Confinement
	cg     *cgroup // nil without the cgroup layer

	exited  chan struct{} // closed when the process has been reaped
	peakRSS int64         // the process's peak RSS in bytes, known once exited is closed

	killOnce sync.Once
}

// startWorker starts a worker process as l describes it and waits for its
// hello. The worker starts with an empty environment (but for the variable
// that marks it as a worker), the channel as file descriptor 3 and its own
// binary as descriptor 4, in new namespaces where the host can make them,
// its own process group, killed if the host dies; it confines itself before
// it greets the host.
func (l *launcher) startWorker(memory int64) (*worker, error) {
	ns := l.namespaces()
	w, err := l.spawn(memory, ns)
	if err != nil && len(ns) > 0 && namespaceRefused(err) {
		// Degrade loudly: the report of every worker says why.
		l.refuseNamespaces(err.Error())
		w, err = l.spawn(memory, nil)
		ns = nil
	}
	if err != nil {
		return nil, err
	}
	if err := w.handshake(); err != nil {
		w.kill()
		return nil, fmt.Errorf("sandbox: starting worker %s: %w%s", l.command[0], err, w.stderr.suffix())
	}
	l.hostLayers(&w.report, w.cg, ns)
	return w, nil
}

// spawn starts the process of a worker in the namespaces ns.
func (l *launcher) spawn(memory int64, ns []string) (*worker, error) {
	dir, err := os.MkdirTemp("", l.dirPattern)
	if err != nil {
		return nil, fmt.Errorf("sandbox: worker directory: %w", err)
	}
	work, err := workDir(dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("sandbox: worker directory: %w", err)
	}
	path, err := exec.LookPath(l.command[0])
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("sandbox: worker executable: %w", err)
	}
	exe, err := os.Open(path)
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("sandbox: worker executable: %w", err)
	}
	defer exe.Close()
	fds, err := socketPair()
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("sandbox: worker channel: %w", err)
	}
	theirs := os.NewFile(uintptr(fds[1]), "sandbox-channel")
	defer theirs.Close() // the worker has its copy once started
	w := &worker{conn: newConn(fds[0]), dir: dir, stderr: &tail{max: 8 << 10}, exited: make(chan struct{})}
	cfg := l.workerConfig(memory, work, ns)
	cmd := exec.Command(path, append(l.command[1:], cfg.args()...)...)
	// The binary is executed through its descriptor: the worker's user
	// may not be allowed to walk the path to it, and the first stage
	// re-executes it from there inside its new root.
	cmd.Path = execPath(path)
	cmd.Dir = work
	cmd.Env = []string{fmt.Sprintf("%s=%d", workerEnv, protocolVersion)}
	cmd.ExtraFiles = []*os.File{theirs, exe} // fds 3 (connFD) and 4 (exeFD)
	cmd.Stderr = w.stderr
	// A process the worker left holding its stderr must not keep the host
	// waiting (there is none with a PID namespace).
	cmd.WaitDelay = time.Second
	cmd.SysProcAttr = sysProcAttr(ns)
	if l.cgroup != nil {
		if w.cg, err = l.cgroup.create(cgroupLimit(memory), l.opts.Processes); err != nil {
			l.logger.Warn("sandbox: no cgroup for the worker", "err", err)
		}
	}
	w.cmd = cmd
	if err := cmd.Start(); err != nil {
		w.conn.close()
		w.cg.remove()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("sandbox: starting worker %s: %w", l.command[0], err)
	}
	w.pid = cmd.Process.Pid
	go w.reap()
	if w.cg != nil {
		if err := w.cg.add(w.pid); err != nil {
			l.logger.Warn("sandbox: cannot move the worker into its cgroup", "err", err)
			w.cg.remove()
			w.cg = nil
		}
	}
	return w, nil
}

// cgroupLimit is the memory limit of a worker's cgroup: its budget. A
// worker built with the race detector also holds the detector's shadow
// memory, which the budget does not count, so it gets room for that too.
func cgroupLimit(budget int64) int64 {
	if raceEnabled {
		return 4*budget + 128<<20
	}
	return budget
}

// handshake waits for the worker's hello within startTimeout.
func (w *worker) handshake() error {
	var late atomic.Bool
	timer := time.AfterFunc(startTimeout, func() { late.Store(true); w.abort() })
	kind, body, err := w.conn.recv()
	timer.Stop()
	switch {
	case late.Load():
		return fmt.Errorf("no hello within %v", startTimeout)
	case err != nil:
		w.waitExit()
		return fmt.Errorf("the worker ended before its hello (%v)", err)
	case kind != frameHello:
		return fmt.Errorf("%w: a %q frame before the hello", errFrame, kind)
	}
	h, err := decodeHello(body)
	if err != nil {
		return fmt.Errorf("bad hello: %w", err)
	}
	if h.Version != protocolVersion {
		return fmt.Errorf("the worker speaks protocol %d, the host %d (a different toolsmith build?)", h.Version, protocolVersion)
	}
	w.report = h.Report
	return nil
}

// reap waits for the process and records its peak RSS.
func (w *worker) reap() {
	_ = w.cmd.Wait()
	if st := w.cmd.ProcessState; st != nil {
		if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
			w.peakRSS = int64(ru.Maxrss) * 1024 // KiB on Linux
		}
	}
	close(w.exited)
}

// waitExit waits (a little) for the process to be reaped, so that what it
// wrote to stderr before dying has been read.
func (w *worker) waitExit() {
	select {
	case <-w.exited:
	case <-time.After(2 * time.Second):
	}
}

// call runs c in the worker within timeout. reuse reports whether the
// worker may serve another call; when it may not, the caller must kill it.
// A non-nil error means the caller's ctx ended.
func (w *worker) call(ctx context.Context, c wireCall, timeout time.Duration) (res Result, reuse bool, err error) {
	w.calls++
	w.stderr.reset() // what it says about this call's death is what counts
	body, err := encodeCall(c)
	if err != nil {
		return failed(errorf(KindBadArgs, "the arguments are not JSON: %v", err)), true, nil
	}
	var late atomic.Bool
	timer := time.AfterFunc(timeout, func() { late.Store(true); w.abort() })
	stopCtx := context.AfterFunc(ctx, w.abort)
	t0 := time.Now()
	kind, msg, err := w.roundTrip(body)
	elapsed := time.Since(t0)
	intime := timer.Stop()
	uncancelled := stopCtx()
	if err == nil {
		if kind != frameResult {
			err = fmt.Errorf("%w: a %q frame instead of a result", errFrame, kind)
		} else {
			var wr wireResult
			if wr, err = decodeResult(msg); err == nil {
				// Past the deadline or the context the worker is being
				// killed, but its answer is complete.
				return w.stamp(wr.Result), !wr.Recycle && intime && uncancelled, nil
			}
		}
	}
	w.abort()
	switch {
	case late.Load():
		return w.stamp(timeoutResult(timeout, elapsed)), false, nil
	case ctx.Err() != nil:
		return Result{}, false, ctx.Err()
	}
	// The worker died on its own, or broke the protocol: read why from
	// what it wrote to stderr.
	w.waitExit()
	r := failed(w.deathCause(err))
	r.DurationMS = float64(elapsed.Microseconds()) / 1000
	return w.stamp(r), false, nil
}

// stamp adds the worker's confinement report to a result.
func (w *worker) stamp(r Result) Result {
	rep := w.report
	r.Confinement = &rep
	return r
}

func (w *worker) roundTrip(body []byte) (byte, []byte, error) {
	if err := w.conn.send(frameCall, body); err != nil {
		return 0, nil, err
	}
	return w.conn.recv()
}

func timeoutResult(timeout, elapsed time.Duration) Result {
	r := failed(errorf(KindTimeout, "the call ran longer than %v and was killed", timeout))
	r.DurationMS = float64(elapsed.Microseconds()) / 1000
	return r
}

// deathCause classifies a worker's death from the runtime's last words and
// its cgroup's out-of-memory count.
func (w *worker) deathCause(callErr error) *Error {
	text := w.stderr.String()
	line := ""
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "fatal error:") || strings.HasPrefix(l, "panic:") || strings.HasPrefix(l, "runtime:") {
			line = strings.TrimSpace(l)
			break
		}
	}
	switch {
	case strings.Contains(text, "out of memory") || strings.Contains(text, "cannot allocate memory"):
		return errorf(KindMemory, "the worker ran out of memory (%s)", line)
	case w.cg.oomKilled():
		return errorf(KindMemory, "the worker reached its cgroup's memory limit and was killed")
	case strings.Contains(text, "stack overflow") || strings.Contains(text, "stack exceeds"):
		return errorf(KindCrash, "stack overflow (%s)", line)
	case strings.Contains(text, memoryHighMark):
		// The runtime died without saying why right after the worker
		// reported memory near its limit: an allocation failed.
		return errorf(KindMemory, "the worker died near its memory limit (%s)", line)
	case line != "":
		return errorf(KindCrash, "the worker died: %s", line)
	case errors.Is(callErr, errFrame) || errors.Is(callErr, errWire):
		return errorf(KindCrash, "the worker broke the protocol: %v", callErr)
	}
	if st := w.cmd.ProcessState; st != nil {
		return errorf(KindCrash, "the worker died without a message (%v)", st)
	}
	return errorf(KindCrash, "the worker died without a message (killed by a signal or a resource limit): %v", callErr)
}

// abort kills the worker's process group at once and unblocks a pending
// read of the channel. It does not wait.
func (w *worker) abort() {
	w.killGroup()
	w.conn.shutdown()
}

// killGroup kills the worker (with a PID namespace, everything in it) and
// its process group. Once the worker has been reaped its pid (and so the
// group id) may belong to another process, so the group is only signalled
// while the worker is known to exist (os.Process checks through a pidfd on
// Linux).
func (w *worker) killGroup() {
	p := w.cmd.Process
	if p == nil || p.Signal(syscall.Signal(0)) != nil {
		return
	}
	_ = syscall.Kill(-w.pid, syscall.SIGKILL)
	_ = p.Kill()
}

// kill kills the worker, waits for it to be reaped and removes its
// directory and cgroup. It is safe to call more than once.
func (w *worker) kill() {
	w.killOnce.Do(func() {
		w.abort()
		<-w.exited
		w.conn.close()
		w.cg.remove()
		_ = os.RemoveAll(w.dir)
	})
}

// tail keeps the first and the last max bytes written to it: a fatal
// error's reason comes first, then a long goroutine dump.
type tail struct {
	mu   sync.Mutex
	head []byte
	buf  []byte
	max  int
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(p)
	if room := t.max - len(t.head); room > 0 {
		k := min(room, len(p))
		t.head = append(t.head, p[:k]...)
		p = p[k:]
	}
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return n, nil
}

func (t *tail) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.head, t.buf = t.head[:0], t.buf[:0]
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.head) + string(t.buf)
}

// suffix formats the tail for an error message.
func (t *tail) suffix() string {
	s := strings.TrimSpace(t.String())
	if s == "" {
		return ""
	}
	return ": " + s
}
