package registry

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/toolsmith-dev/toolsmith/internal/testenv"
)

// redisServer is a redis-server process owned by a test.
type redisServer struct {
	t    *testing.T
	bin  string
	port int
	dir  string
	cmd  *exec.Cmd
}

// startRedisServer starts redis-server on a free port with an append-only
// file fsynced on every write, so acknowledged writes survive a kill. It
// skips when redis-server is absent and CI is unset.
func startRedisServer(t *testing.T) *redisServer {
	t.Helper()
	bin := testenv.RedisServer(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	rs := &redisServer{t: t, bin: bin, port: port, dir: t.TempDir()}
	rs.start()
	t.Cleanup(rs.kill)
	return rs
}

func (rs *redisServer) url() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", rs.port) }

func (rs *redisServer) start() {
	rs.t.Helper()
	rs.cmd = exec.Command(rs.bin, "--port", fmt.Sprint(rs.port), "--bind", "127.0.0.1",
		"--dir", rs.dir, "--appendonly", "yes", "--appendfsync", "always", "--save", "",
		"--protected-mode", "no")
	if err := rs.cmd.Start(); err != nil {
		rs.t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", rs.port), 100*time.Millisecond)
		if err == nil {
			c.Write([]byte("PING\r\n"))
			buf := make([]byte, 16)
			c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
			n, _ := c.Read(buf)
			c.Close()
			if strings.HasPrefix(string(buf[:n]), "+PONG") {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	rs.t.Fatal("redis-server did not start")
}

// kill stops the server with SIGKILL (no chance to flush anything more).
func (rs *redisServer) kill() {
	if rs.cmd != nil && rs.cmd.Process != nil {
		rs.cmd.Process.Kill()
		rs.cmd.Wait()
		rs.cmd = nil
	}
}

// TestRedisKilledAndRestarted has writers registering tools and APIs while
// the server is killed (SIGKILL) and restarted under them: the client
// recovers, every write either completed or reported an *UnavailableError,
// and no record is half written.
func TestRedisKilledAndRestarted(t *testing.T) {
	srv := startRedisServer(t)
	ctx := context.Background()
	s, err := Open(ctx, srv.url(), Options{Prefix: "fault", DialTimeout: 300 * time.Millisecond, IOTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	type result struct {
		i       int
		version int // tool version, 0 when the write failed
		apiOK   bool
	}
	const writers = 4
	var (
		mu          sync.Mutex
		results     = make([][]result, writers)
		failures    int
		okAfter     int
		restarted   atomic.Bool
		stop        atomic.Bool
		wrongErrors []error
		slowest     time.Duration // longest failing write
		wg          sync.WaitGroup
	)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				r := result{i: i}
				start := time.Now()
				v, err := s.PutTool(ctx, sampleTool(fmt.Sprintf("flaky_%d", w), "", fmt.Sprintf("return words[%d:]", i)))
				took := time.Since(start)
				after := restarted.Load()
				errT := err
				if err == nil {
					r.version = v
				}
				api := API{Name: fmt.Sprintf("api_%d_%d", w, i), Description: strings.Repeat("d", 2000),
					Inputs: []Input{{Name: "x", Required: true}}, Outputs: []Output{{Name: "y"}}}
				errA := s.PutAPI(ctx, api)
				r.apiOK = errA == nil
				mu.Lock()
				if errT != nil && took > slowest {
					slowest = took
				}
				for _, err := range []error{errT, errA} {
					var ue *UnavailableError
					if err != nil {
						failures++
						if !errors.As(err, &ue) {
							wrongErrors = append(wrongErrors, err)
						}
					}
				}
				if after && errT == nil && errA == nil {
					okAfter++
				}
				results[w] = append(results[w], r)
				mu.Unlock()
				if err != nil {
					time.Sleep(10 * time.Millisecond)
				}
			}
		}(w)
	}
	time.Sleep(300 * time.Millisecond)
	srv.kill()
	time.Sleep(400 * time.Millisecond)
	srv.start()
	restarted.Store(true)
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := okAfter
		mu.Unlock()
		if n >= 40 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop.Store(true)
	wg.Wait()
	if okAfter < 40 {
		t.Fatalf("client did not recover: %d successful writes after the restart", okAfter)
	}
	if failures == 0 {
		t.Fatal("no write failed while the server was down")
	}
	for _, err := range wrongErrors {
		t.Errorf("write failed with %T %v, want *UnavailableError", err, err)
	}
	// Failures are reported promptly (dial 300 ms, I/O 1 s), never a hang;
	// the bound leaves room for a loaded machine.
	if slowest > 5*time.Second {
		t.Errorf("a failing write took %v", slowest)
	}

	total, versions, apiCount := 0, 0, 0
	for w := 0; w < writers; w++ {
		name := fmt.Sprintf("flaky_%d", w)
		// Every acknowledged write is there, whole.
		for _, r := range results[w] {
			total++
			if r.version > 0 {
				tool, err := s.GetToolVersion(ctx, "", name, r.version)
				if err != nil {
					t.Fatalf("acknowledged version %d of %s write %d lost: %v", r.version, name, r.i, err)
				}
				if want := fmt.Sprintf("return words[%d:]", r.i); !strings.Contains(tool.Source, want) {
					t.Fatalf("%s version %d holds %q, want write %d", name, r.version, tool.Source, r.i)
				}
			}
			if r.apiOK {
				if _, err := s.GetAPI(ctx, "", fmt.Sprintf("api_%d_%d", w, r.i)); err != nil {
					t.Fatalf("acknowledged API of write %d lost: %v", r.i, err)
				}
			}
		}
		// No version is half written: versions are 1..n without holes, each
		// decodes, validates and matches its content hash, and the current
		// version is readable.
		vs, err := s.ToolVersions(ctx, "", name)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range vs {
			if v.Version != i+1 {
				t.Fatalf("%s: version list has a hole at %d", name, i+1)
			}
			tool, err := s.GetToolVersion(ctx, "", name, v.Version)
			if err != nil {
				t.Fatalf("%s version %d unreadable: %v", name, v.Version, err)
			}
			if tool.Hash != tool.ContentHash() || tool.Validate() != nil {
				t.Fatalf("%s version %d is damaged", name, v.Version)
			}
		}
		if _, err := s.GetTool(ctx, "", name); err != nil {
			t.Fatalf("%s: current version unreadable: %v", name, err)
		}
		versions += len(vs)
	}
	apis, err := s.ListAPIs(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range apis {
		if err := a.Validate(); err != nil || len(a.Description) != 2000 {
			t.Fatalf("API %s damaged: %v", a.Name, err)
		}
	}
	apiCount = len(apis)
	t.Logf("%d write pairs, %d failures (slowest %v), %d tool versions, %d APIs", total, failures, slowest, versions, apiCount)
}

// TestRedisHungServer pauses the server (SIGSTOP: connections stay open, no
// replies come) mid-run: writes fail with *UnavailableError within the I/O
// timeout instead of hanging, and succeed again once it resumes.
func TestRedisHungServer(t *testing.T) {
	srv := startRedisServer(t)
	ctx := context.Background()
	const ioTimeout = 300 * time.Millisecond
	s, err := Open(ctx, srv.url(), Options{Prefix: "hung", DialTimeout: 300 * time.Millisecond, IOTimeout: ioTimeout})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustPut(t, s, sampleTool("paused", "", "return words"))

	if err := srv.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	resumed := false
	defer func() {
		if !resumed {
			srv.cmd.Process.Signal(syscall.SIGCONT)
		}
	}()
	start := time.Now()
	_, err = s.PutTool(ctx, sampleTool("paused", "", "return nil"))
	took := time.Since(start)
	var ue *UnavailableError
	if !errors.As(err, &ue) {
		t.Fatalf("write to a hung server: %v, want *UnavailableError", err)
	}
	if took > 3*time.Second {
		t.Fatalf("write to a hung server took %v (I/O timeout %v)", took, ioTimeout)
	}
	if _, err := s.GetTool(ctx, "", "paused"); !errors.As(err, &ue) {
		t.Fatalf("read from a hung server: %v", err)
	}

	srv.cmd.Process.Signal(syscall.SIGCONT)
	resumed = true
	var v int
	for i := 0; i < 50; i++ { // stale pooled connections fail once each
		if v, err = s.PutTool(ctx, sampleTool("paused", "", "return words[1:]")); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("no recovery after the server resumed: %v", err)
	}
	vs, err := s.ToolVersions(ctx, "", "paused")
	if err != nil {
		t.Fatal(err)
	}
	for i, tv := range vs {
		if tv.Version != i+1 {
			t.Fatalf("versions %+v have a hole", vs)
		}
	}
	if got, err := s.GetTool(ctx, "", "paused"); err != nil || got.Version != v {
		t.Fatalf("current = %+v, %v; want version %d", got, err, v)
	}
}
