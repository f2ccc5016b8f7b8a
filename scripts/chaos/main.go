// Command chaos runs the agent's chaos suite: two `toolsmith serve`
// replicas on one Redis of its own (a redis-server on a free port, with an
// append-only file), a counting side-effect API, and clients carrying
// booking conversations to their end while the suite
//
//   - kills Redis (SIGKILL) under load and restarts it,
//   - pauses Redis (SIGSTOP) under load and resumes it,
//   - kills a replica (SIGKILL) at each step of a turn (loaded, intent
//     saved, API invoked, result saved, reply saved),
//   - sends one confirmation to both replicas at once,
//   - has the API answer 500, or drop the connection, after acting.
//
// It then reports duplicated calls, calls no session knows, and stuck
// sessions, and exits 1 unless all are 0:
//
//	go run ./scripts/chaos [-full] [-bin bin/toolsmith] [-v]
//
// Without -full it runs the short version `make test` runs (about half a
// minute); `make chaos` runs the full one.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// config sizes a run.
type config struct {
	Workers      int           // conversations at a time
	Both         int           // sessions whose confirmation goes to both replicas
	Warmup       time.Duration // load before the first fault
	RedisDown    time.Duration // Redis killed for
	RedisStopped time.Duration // Redis paused for
	Between      time.Duration // load between faults
	Crashes      int           // rounds of replica kills at each step of a turn
	FailRate     float64       // API failing after acting, during its phase
	FailFor      time.Duration
	LeaseTTL     time.Duration
	Settle       time.Duration // for the conversations to end once faults stop
}

var (
	short = config{Workers: 8, Both: 8, Warmup: time.Second, RedisDown: 2 * time.Second, RedisStopped: 4 * time.Second,
		Between: time.Second, Crashes: 1, FailRate: 0.3, FailFor: 2 * time.Second, LeaseTTL: 2 * time.Second, Settle: 40 * time.Second}
	full = config{Workers: 24, Both: 30, Warmup: 3 * time.Second, RedisDown: 5 * time.Second, RedisStopped: 10 * time.Second,
		Between: 3 * time.Second, Crashes: 3, FailRate: 0.3, FailFor: 8 * time.Second, LeaseTTL: 3 * time.Second, Settle: 90 * time.Second}
)

func main() {
	long := flag.Bool("full", false, "run the full suite (default: the short one)")
	bin := flag.String("bin", "", "toolsmith binary (default: built from ./cmd/toolsmith)")
	verbose := flag.Bool("v", false, "show the replicas' and Redis's logs")
	flag.Parse()
	cfg := short
	if *long {
		cfg = full
	}
	var logs io.Writer = io.Discard
	if *verbose {
		logs = os.Stderr
	}
	f, err := run(context.Background(), cfg, *bin, os.Stdout, logs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "chaos:", err)
		os.Exit(2)
	}
	if !f.ok() {
		os.Exit(1)
	}
}

// build compiles toolsmith into dir, with the go build flags given.
func build(dir string, flags ...string) (string, error) {
	out := filepath.Join(dir, "toolsmith")
	root, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	cmd := exec.Command("go", append(append([]string{"build", "-o", out}, flags...), "./cmd/toolsmith")...)
	cmd.Dir = filepath.Dir(string(root[:len(root)-1]))
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, msg)
	}
	return out, nil
}

// run runs the suite and writes its report to out; without bin it builds
// toolsmith with the go build flags given.
func run(ctx context.Context, cfg config, bin string, out, logs io.Writer, flags ...string) (findings, error) {
	began := time.Now()
	dir, err := os.MkdirTemp("", "toolsmith-chaos-")
	if err != nil {
		return findings{}, err
	}
	defer os.RemoveAll(dir)
	if bin == "" {
		if bin, err = build(dir, flags...); err != nil {
			return findings{}, err
		}
	}
	say := func(format string, args ...any) {
		fmt.Fprintf(out, "chaos: %4.1fs "+format+"\n", append([]any{time.Since(began).Seconds()}, args...)...)
	}

	rdb, err := startRedis(dir)
	if err != nil {
		return findings{}, err
	}
	defer rdb.kill()
	m := newMock()
	port, err := freePort()
	if err != nil {
		return findings{}, err
	}
	mockAddr := "127.0.0.1:" + strconv.Itoa(port)
	api := &http.Server{Addr: mockAddr, Handler: m}
	go api.ListenAndServe()
	defer api.Close()
	if err := waitHTTP(mockAddr); err != nil {
		return findings{}, err
	}
	apis, script := filepath.Join(dir, "apis.yaml"), filepath.Join(dir, "script.yaml")
	if err := os.WriteFile(apis, []byte(apisYAML("http://"+mockAddr)), 0o644); err != nil {
		return findings{}, err
	}
	if err := os.WriteFile(script, []byte(scriptYAML), 0o644); err != nil {
		return findings{}, err
	}
	var replicas []*replica
	for i := 0; i < 2; i++ {
		p, err := freePort()
		if err != nil {
			return findings{}, err
		}
		r := &replica{name: fmt.Sprintf("replica %d", i+1), bin: bin, addr: "127.0.0.1:" + strconv.Itoa(p), logs: logs,
			args: []string{"--store", rdb.url(), "--home", filepath.Join(dir, fmt.Sprint("home", i)), "--scripted", script,
				"serve", "--namespace", "chaos", "--apis", apis, "--lease-ttl", cfg.LeaseTTL.String()}}
		if err := os.MkdirAll(filepath.Join(dir, fmt.Sprint("home", i)), 0o755); err != nil {
			return findings{}, err
		}
		if err := r.start(""); err != nil {
			return findings{}, err
		}
		defer r.kill()
		replicas = append(replicas, r)
	}
	say("built and started: redis on :%d, replicas on %s and %s, API on %s", rdb.port, replicas[0].addr, replicas[1].addr, mockAddr)

	d := newDriver(replicas, strconv.FormatInt(time.Now().UnixNano()%1e9, 36))
	convCtx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	stop := make(chan struct{})
	workers := d.load(convCtx, cfg.Workers, stop)
	pause := func(d time.Duration) { time.Sleep(d) }
	pause(cfg.Warmup)

	say("Redis SIGKILL for %v under load", cfg.RedisDown)
	rdb.kill()
	pause(cfg.RedisDown)
	if err := rdb.start(); err != nil {
		return findings{}, err
	}
	pause(cfg.Between)

	say("Redis SIGSTOP for %v under load", cfg.RedisStopped)
	rdb.signal(syscall.SIGSTOP)
	pause(cfg.RedisStopped)
	rdb.signal(syscall.SIGCONT)
	pause(cfg.Between)

	steps := []string{"loaded", "intent-saved", "invoked", "result-saved", "saved"}
	crashes := 0
	for i := 0; i < cfg.Crashes*len(steps); i++ {
		step, r := steps[i%len(steps)], replicas[i%2]
		say("%s SIGKILL at step %q of a turn", r.name, step)
		r.kill()
		// The failpoint fires at the step's second or third time, so the
		// crash falls on a booking under way, not the first request.
		// It may crash before it answered the first health check.
		if err := r.start(fmt.Sprintf("%s:%d", step, 2+rand.IntN(2))); err != nil && !errors.Is(err, errExited) {
			return findings{}, err
		}
		select {
		case <-r.exited():
			crashes++
		case <-time.After(30 * time.Second):
			say("%s did not reach step %q in 30s", r.name, step)
		}
		if err := r.start(""); err != nil {
			return findings{}, err
		}
	}

	say("one confirmation sent to both replicas, %d sessions", cfg.Both)
	d.bothReplicas(convCtx, cfg.Both)

	say("the API fails after acting (500 or a reset connection) at rate %.0f%% for %v", 100*cfg.FailRate, cfg.FailFor)
	m.failAfterActing(cfg.FailRate)
	pause(cfg.FailFor)
	m.failAfterActing(0)

	close(stop)
	settled := make(chan struct{})
	go func() { workers.Wait(); close(settled) }()
	select {
	case <-settled:
	case <-time.After(cfg.Settle):
		cancel()
		<-settled
	}
	say("faults over; the conversations ended; auditing")
	actx, acancel := context.WithTimeout(ctx, 2*time.Minute)
	defer acancel()
	f, err := audit(actx, d, m, replicas[0].addr)
	if err != nil {
		return f, err
	}
	f.Failpoints = crashes
	f.write(out)
	if f.ok() {
		say("PASS")
	} else {
		say("FAIL")
	}
	return f, nil
}

// waitHTTP waits until addr accepts connections.
func waitHTTP(addr string) error {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get("http://" + addr + "/"); err == nil {
			resp.Body.Close()
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("nothing answers on %s", addr)
}
