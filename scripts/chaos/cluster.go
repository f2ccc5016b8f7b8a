package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// freePort returns a TCP port free on loopback.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// redisProc is a redis-server of the suite's own, on a free port, with an
// append-only file fsynced at every write: an acknowledged write survives
// SIGKILL, as in a production setup that promises durability.
type redisProc struct {
	bin, dir string
	port     int
	cmd      *exec.Cmd
}

func startRedis(dir string) (*redisProc, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, fmt.Errorf("redis-server is not installed: %w", err)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	r := &redisProc{bin: bin, dir: dir, port: port}
	return r, r.start()
}

func (r *redisProc) url() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", r.port) }

func (r *redisProc) start() error {
	r.cmd = exec.Command(r.bin, "--port", fmt.Sprint(r.port), "--bind", "127.0.0.1", "--dir", r.dir,
		"--appendonly", "yes", "--appendfsync", "always", "--save", "", "--protected-mode", "no",
		"--logfile", filepath.Join(r.dir, "redis.log"))
	if err := r.cmd.Start(); err != nil {
		return err
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", r.port), 100*time.Millisecond); err == nil {
			c.Write([]byte("PING\r\n"))
			buf := make([]byte, 16)
			c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
			n, _ := c.Read(buf)
			c.Close()
			if strings.HasPrefix(string(buf[:n]), "+PONG") {
				return nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("redis-server on port %d did not start (log in %s)", r.port, r.dir)
}

func (r *redisProc) signal(sig syscall.Signal) {
	if r.cmd != nil && r.cmd.Process != nil {
		r.cmd.Process.Signal(sig)
	}
}

// kill stops the server with SIGKILL.
func (r *redisProc) kill() {
	if r.cmd != nil && r.cmd.Process != nil {
		r.cmd.Process.Signal(syscall.SIGCONT) // a stopped process dies too
		r.cmd.Process.Kill()
		r.cmd.Wait()
		r.cmd = nil
	}
}

// errExited reports a replica that ended while it was starting.
var errExited = errors.New("exited while starting")

// replica is one `toolsmith serve` process.
type replica struct {
	name, bin, addr string
	args            []string
	logs            io.Writer

	mu   sync.Mutex
	cmd  *exec.Cmd
	exit chan struct{} // closed when the process ends
}

// start runs the replica (with TOOLSMITH_FAILPOINT set when failpoint is
// not empty) and waits until it answers /healthz.
func (s *replica) start(failpoint string) error {
	cmd := exec.Command(s.bin, append(append([]string(nil), s.args...), "--addr", s.addr)...)
	cmd.Env = append(os.Environ(), "TOOLSMITH_FAILPOINT="+failpoint)
	cmd.Stdout, cmd.Stderr = s.logs, s.logs
	if err := cmd.Start(); err != nil {
		return err
	}
	exit := make(chan struct{})
	go func() { cmd.Wait(); close(exit) }()
	s.mu.Lock()
	s.cmd, s.exit = cmd, exit
	s.mu.Unlock()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + s.addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		select {
		case <-exit:
			return fmt.Errorf("%s: %w", s.name, errExited)
		case <-time.After(50 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s did not answer on %s", s.name, s.addr)
}

// kill stops the replica with SIGKILL.
func (s *replica) kill() {
	s.mu.Lock()
	cmd, exit := s.cmd, s.exit
	s.mu.Unlock()
	if cmd != nil && cmd.Process != nil {
		cmd.Process.Kill()
		<-exit
	}
}

// exited returns a channel closed when the running process ends.
func (s *replica) exited() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.exit
}
