package sandbox

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// worker is the host's handle on one worker process.
type worker struct {
	client *plugin.Client
	conn   *grpc.ClientConn
	pid    int
	proc   *os.Process
	dir    string
	stderr *tail
	calls  int

	killOnce sync.Once
}

// startWorker starts a worker process: empty environment (go-plugin adds
// only its handshake variables), an empty temporary working directory, its
// own process group, killed if the host dies. The worker applies its
// resource limits itself before it serves.
func startWorker(command []string, cfg workerConfig) (*worker, error) {
	// dir/work is the worker's (empty) working directory; dir/sock holds
	// go-plugin's socket, so that removing dir cleans up after a killed
	// worker too.
	dir, err := os.MkdirTemp("", "toolsmith-worker-")
	if err != nil {
		return nil, fmt.Errorf("sandbox: worker directory: %w", err)
	}
	work, sock := filepath.Join(dir, "work"), filepath.Join(dir, "sock")
	for _, d := range []string{work, sock} {
		if err := os.Mkdir(d, 0o700); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("sandbox: worker directory: %w", err)
		}
	}
	cmd := exec.Command(command[0], append(command[1:], cfg.args()...)...)
	cmd.Dir = work
	cmd.Env = []string{plugin.EnvUnixSocketDir + "=" + sock}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	w := &worker{dir: dir, stderr: &tail{max: 8 << 10}}
	w.client = plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  handshake(),
		Plugins:          plugin.PluginSet{pluginName: &workerPlugin{}},
		Cmd:              cmd,
		SkipHostEnv:      true,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           hclog.NewNullLogger(),
		Stderr:           w.stderr,
		StartTimeout:     10 * time.Second,
		// Fixed windows turn off gRPC's bandwidth-delay estimator, whose
		// pings would add round trips to short calls.
		GRPCDialOptions: []grpc.DialOption{
			grpc.WithInitialWindowSize(windowSize),
			grpc.WithInitialConnWindowSize(windowSize),
		},
	})
	rpc, err := w.client.Client()
	if err != nil {
		w.kill()
		return nil, fmt.Errorf("sandbox: starting worker %s: %w%s", command[0], err, w.stderr.suffix())
	}
	if cmd.Process != nil {
		w.pid, w.proc = cmd.Process.Pid, cmd.Process
	}
	raw, err := rpc.Dispense(pluginName)
	if err != nil {
		w.kill()
		return nil, fmt.Errorf("sandbox: connecting to worker: %w", err)
	}
	w.conn = raw.(*grpc.ClientConn)
	return w, nil
}

// call runs c in the worker within timeout. reuse reports whether the
// worker may serve another call; when it may not, its process group has
// been killed already and the caller must still call kill to clean up.
// A non-nil error means the caller's ctx ended.
func (w *worker) call(ctx context.Context, c wireCall, timeout time.Duration) (res Result, reuse bool, err error) {
	w.calls++
	w.stderr.reset() // what it says about this call's death is what counts
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	t0 := time.Now()
	wr, err := invoke(cctx, w.conn, c)
	elapsed := time.Since(t0)
	if err == nil {
		if r := wr.Result; !r.OK && r.Error.Kind == KindTimeout {
			// The worker saw the deadline first; the tool is still running.
			w.killGroup()
			return timeoutResult(timeout, elapsed), false, nil
		}
		return wr.Result, !wr.Recycle, nil
	}
	w.killGroup()
	switch {
	case ctx.Err() != nil:
		return Result{}, false, ctx.Err()
	case errors.Is(cctx.Err(), context.DeadlineExceeded) || status.Code(err) == codes.DeadlineExceeded:
		// The worker's side of the stream may see the deadline first.
		return timeoutResult(timeout, elapsed), false, nil
	}
	// The worker died on its own: read why from what it wrote to stderr.
	w.kill()
	r := failed(w.deathCause(err))
	r.DurationMS = float64(elapsed.Microseconds()) / 1000
	return r, false, nil
}

func timeoutResult(timeout, elapsed time.Duration) Result {
	r := failed(errorf(KindTimeout, "the call ran longer than %v and was killed", timeout))
	r.DurationMS = float64(elapsed.Microseconds()) / 1000
	return r
}

// deathCause classifies a worker's death from the runtime's last words.
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
	case strings.Contains(text, "stack overflow") || strings.Contains(text, "stack exceeds"):
		return errorf(KindCrash, "stack overflow (%s)", line)
	case strings.Contains(text, memoryHighMark):
		// The runtime died without saying why right after the worker
		// reported memory near its limit: an allocation failed.
		return errorf(KindMemory, "the worker died near its memory limit (%s)", line)
	case line != "":
		return errorf(KindCrash, "the worker died: %s", line)
	}
	return errorf(KindCrash, "the worker died without a message (killed by a signal or a resource limit): %v", callErr)
}

// killGroup kills the worker's whole process group at once. It does not
// wait and does not rely on go-plugin's graceful shutdown. Once the worker
// has been reaped its pid (and so the group id) may belong to another
// process, so the group is only signalled while the worker is known to
// exist (os.Process checks through a pidfd on Linux).
func (w *worker) killGroup() {
	if w.proc == nil || w.proc.Signal(syscall.Signal(0)) != nil {
		return
	}
	_ = syscall.Kill(-w.pid, syscall.SIGKILL)
}

// kill kills the worker, waits for go-plugin to notice and removes its
// directory. It is safe to call more than once.
func (w *worker) kill() {
	w.killOnce.Do(func() {
		w.killGroup()
		w.client.Kill()
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
