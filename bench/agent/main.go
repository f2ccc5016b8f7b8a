// Command agent measures the agent's own overhead per turn (model and API
// time excluded), a server under 200 concurrent sessions, and the server's
// memory over many turns.
//
//	go run ./bench/agent [-conversations 300] [-concurrent 200] [-runs 1] [-redis redis://127.0.0.1:6379/0] [-stores NAME]
//	go run ./bench/agent -memory 100000 -stores redis
//
// The model is the scripted model (microseconds per call) and the APIs have
// fixed responses, so what remains is understanding, planning, binding,
// session storage and the HTTP layer. The per-turn overhead subtracts the
// metered model latency of the turn. With -runs the concurrent figure is
// measured that many times and the median run is printed, with the
// process's CPU time per turn (user and system), which the machine's other
// load disturbs less than throughput does. Every session is deleted after
// the measurement.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/toolsmith-dev/toolsmith/agent"
	"github.com/toolsmith-dev/toolsmith/agent/server"
	"github.com/toolsmith-dev/toolsmith/examples/travel"
	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/registry"
)

var messages = []string{"Book me a rental car in San Diego from Oct 5 for 3 days", "10:30", "yes"}

func main() {
	n := flag.Int("conversations", 300, "conversations of three turns for the overhead figure")
	conc := flag.Int("concurrent", 200, "concurrent sessions against one server")
	redisURL := flag.String("redis", "redis://127.0.0.1:6379/0", "Redis for the Redis rows (empty: skip)")
	only := flag.String("stores", "", "run only the stores whose name contains this (e.g. redis)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	runs := flag.Int("runs", 1, "measure the concurrent sessions this many times; print the median run")
	memory := flag.Int("memory", 0, "instead: run this many turns through the server and report its heap on the way")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	ctx := context.Background()

	fmt.Printf("machine: %d CPUs, %s\n\n", runtime.NumCPU(), runtime.Version())
	if *memory > 0 {
		memoryRun(ctx, *redisURL, *only, *memory, *conc)
		return
	}
	fmt.Println("| store | what | turns | p50 | p95 | p99 | mean model time per turn |")
	fmt.Println("| --- | --- | --- | --- | --- | --- | --- |")
	dir, _ := os.MkdirTemp("", "agentbench")
	defer os.RemoveAll(dir)
	stores := []struct {
		name   string
		target string
		opts   registry.Options
	}{
		{"bbolt (fsync)", filepath.Join(dir, "a.db"), registry.Options{}},
		{"bbolt (no fsync)", filepath.Join(dir, "b.db"), registry.Options{NoSync: true}},
	}
	if *redisURL != "" {
		stores = append(stores, struct {
			name   string
			target string
			opts   registry.Options
		}{"redis loopback", *redisURL, registry.Options{Prefix: fmt.Sprintf("agentbench-%d", time.Now().UnixNano())}})
	}
	for _, s := range stores {
		if !strings.Contains(s.name, *only) {
			continue
		}
		store, err := registry.Open(ctx, s.target, s.opts)
		if err != nil {
			log.Fatalf("%s: %v", s.name, err)
		}
		ms := models(ctx)
		a := newAgent(ctx, store, ms)
		var overhead []time.Duration
		var modelTime time.Duration
		run := time.Now().UnixNano()
		for i := 0; i < *n; i++ {
			id := fmt.Sprintf("b%d-%d", run, i)
			for _, m := range messages {
				start := time.Now()
				r, err := a.Turn(ctx, id, m)
				if err != nil {
					log.Fatal(err)
				}
				total := time.Since(start)
				modelTime += r.Cost.Latency
				overhead = append(overhead, total-r.Cost.Latency)
			}
			a.Reset(ctx, id)
		}
		p50, p95 := pct(overhead, 50), pct(overhead, 95)
		fmt.Printf("| %s | agent overhead per turn (model time excluded) | %d | %s | %s | %s | %s |\n",
			s.name, len(overhead), ms3(p50), ms3(p95), ms3(pct(overhead, 99)), ms3(modelTime/time.Duration(len(overhead))))

		// The same conversations through the HTTP server, concurrently.
		srv := &server.Server{Store: store, DefaultNamespace: "bench", NewAgent: func(ctx context.Context, ns string) (*agent.Agent, error) {
			return newAgentNS(ctx, store, ms, ns), nil
		}}
		putAPIs(ctx, store, "bench")
		ts := httptest.NewServer(srv.Handler())
		var results []result
		for r := 0; r < *runs; r++ {
			results = append(results, concurrent(ts.URL, *conc))
		}
		ts.Close()
		sort.Slice(results, func(i, j int) bool { return results[i].throughput() < results[j].throughput() })
		m := results[len(results)/2]
		runsNote := ""
		if *runs > 1 {
			runsNote = fmt.Sprintf(", median of %d runs", *runs)
		}
		fmt.Printf("| %s | HTTP turn with %d concurrent sessions (%d failed, %.0f turns/s, %.2f ms CPU a turn%s) | %d | %s | %s | %s | |\n",
			s.name, *conc, m.failed, m.throughput(), m.cpuPerTurn(), runsNote, len(m.lat), ms3(pct(m.lat, 50)), ms3(pct(m.lat, 95)), ms3(pct(m.lat, 99)))
		store.Close()
	}
}

func models(ctx context.Context) *llm.Models {
	data, err := fs.ReadFile(travel.Files, "scripted.yaml")
	if err != nil {
		log.Fatal(err)
	}
	sc, err := llm.ParseScript(data)
	if err != nil {
		log.Fatal(err)
	}
	ms, err := llm.Open(ctx, llm.Config{Script: sc})
	if err != nil {
		log.Fatal(err)
	}
	return ms
}

func putAPIs(ctx context.Context, store registry.Store, ns string) {
	data, _ := fs.ReadFile(travel.Files, "apis.yaml")
	apis, err := registry.ParseAPIs("apis.yaml", data)
	if err != nil {
		log.Fatal(err)
	}
	if err := store.PutAPIs(ctx, ns, apis); err != nil {
		log.Fatal(err)
	}
}

func newAgent(ctx context.Context, store registry.Store, ms *llm.Models) *agent.Agent {
	putAPIs(ctx, store, "bench")
	return newAgentNS(ctx, store, ms, "bench")
}

func newAgentNS(ctx context.Context, store registry.Store, ms *llm.Models, ns string) *agent.Agent {
	a, err := agent.New(ctx, agent.Options{Store: store, Models: ms, Namespace: ns})
	if err != nil {
		log.Fatal(err)
	}
	return a
}

// result is one measurement of concurrent sessions.
type result struct {
	lat     []time.Duration // every turn's latency
	elapsed time.Duration
	cpu     time.Duration // the process's user and system time
	failed  int
}

func (r result) throughput() float64 { return float64(len(r.lat)) / r.elapsed.Seconds() }

func (r result) cpuPerTurn() float64 {
	return float64(r.cpu.Microseconds()) / 1000 / float64(max(len(r.lat), 1))
}

// cpuTime returns the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// concurrent runs n three-turn conversations at once over HTTP and returns
// every turn's latency; the sessions are deleted afterwards.
func concurrent(base string, n int) result {
	var mu sync.Mutex
	var res result
	var wg sync.WaitGroup
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n}}
	ids := make([]string, n)
	cpu := cpuTime()
	start := time.Now()
	for i := 0; i < n; i++ {
		ids[i] = fmt.Sprintf("c%d-%d", time.Now().UnixNano(), i)
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			last, lat, ok := converse(client, base, id)
			mu.Lock()
			defer mu.Unlock()
			res.lat = append(res.lat, lat...)
			if !ok || last.Status != agent.StatusAnswered {
				res.failed++
			}
		}(ids[i])
	}
	wg.Wait()
	res.elapsed, res.cpu = time.Since(start), cpuTime()-cpu
	for _, id := range ids {
		deleteSession(client, base, id)
	}
	return res
}

// converse runs one three-turn conversation and returns the last reply and
// each turn's latency.
func converse(client *http.Client, base, id string) (agent.Reply, []time.Duration, bool) {
	var last agent.Reply
	var lat []time.Duration
	for _, m := range messages {
		body, _ := json.Marshal(map[string]string{"text": m})
		t := time.Now()
		resp, err := client.Post(base+"/v1/sessions/"+id+"/messages", "application/json", bytes.NewReader(body))
		if err != nil {
			return last, lat, false
		}
		json.NewDecoder(resp.Body).Decode(&last)
		resp.Body.Close()
		lat = append(lat, time.Since(t))
	}
	return last, lat, true
}

func deleteSession(client *http.Client, base, id string) {
	req, _ := http.NewRequest("DELETE", base+"/v1/sessions/"+id, nil)
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
	}
}

// memoryRun sends turns turns through one server, conc sessions at a time,
// each session deleted when done, in ten rounds; after each round, with no
// turn under way, it prints the heap after a collection: a server whose
// memory grows with the turns it served shows it here.
func memoryRun(ctx context.Context, redisURL, only string, turns, conc int) {
	target, opts := redisURL, registry.Options{Prefix: fmt.Sprintf("agentbench-%d", time.Now().UnixNano())}
	if !strings.Contains("redis loopback", only) || redisURL == "" {
		dir, _ := os.MkdirTemp("", "agentbench")
		defer os.RemoveAll(dir)
		target, opts = filepath.Join(dir, "m.db"), registry.Options{NoSync: true}
	}
	store, err := registry.Open(ctx, target, opts)
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	ms := models(ctx)
	putAPIs(ctx, store, "bench")
	srv := &server.Server{Store: store, DefaultNamespace: "bench", NewAgent: func(ctx context.Context, ns string) (*agent.Agent, error) {
		return newAgentNS(ctx, store, ms, ns), nil
	}}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc}}
	fmt.Println("| turns served | heap after GC | goroutines |")
	fmt.Println("| --- | --- | --- |")
	var done, seq atomic.Int64
	for round := 1; round <= 10; round++ {
		goal := int64(turns * round / 10)
		var wg sync.WaitGroup
		for w := 0; w < conc; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for done.Load() < goal {
					id := fmt.Sprintf("m%d", seq.Add(1))
					_, lat, _ := converse(client, ts.URL, id)
					deleteSession(client, ts.URL, id)
					done.Add(int64(len(lat)))
				}
			}()
		}
		wg.Wait()
		time.Sleep(2 * time.Second) // the leases given up in the background
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		fmt.Printf("| %d | %.1f MiB | %d |\n", done.Load(), float64(m.HeapAlloc)/(1<<20), runtime.NumGoroutine())
	}
}

func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[(len(s)-1)*p/100]
}

func ms3(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
