// Command agent measures the agent's own overhead per turn (model and API
// time excluded) and a server under 200 concurrent sessions.
//
//	go run ./bench/agent [-conversations 300] [-concurrent 200] [-redis redis://127.0.0.1:6379/0]
//
// The model is the scripted model (microseconds per call) and the APIs have
// fixed responses, so what remains is understanding, planning, binding,
// session storage and the HTTP layer. The per-turn overhead subtracts the
// metered model latency of the turn.
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
	"sort"
	"sync"
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
	flag.Parse()
	ctx := context.Background()

	fmt.Printf("machine: %d CPUs, %s\n\n", runtime.NumCPU(), runtime.Version())
	fmt.Println("| store | what | turns | p50 | p95 | mean model time per turn |")
	fmt.Println("| --- | --- | --- | --- | --- | --- |")
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
		store, err := registry.Open(ctx, s.target, s.opts)
		if err != nil {
			log.Fatalf("%s: %v", s.name, err)
		}
		ms := models(ctx)
		a := newAgent(ctx, store, ms)
		var overhead []time.Duration
		var modelTime time.Duration
		for i := 0; i < *n; i++ {
			id := fmt.Sprintf("b%d", i)
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
		}
		p50, p95 := pct(overhead, 50), pct(overhead, 95)
		fmt.Printf("| %s | agent overhead per turn (model time excluded) | %d | %s | %s | %s |\n",
			s.name, len(overhead), ms3(p50), ms3(p95), ms3(modelTime/time.Duration(len(overhead))))

		// The same conversations through the HTTP server, concurrently.
		srv := &server.Server{Store: store, DefaultNamespace: "bench", NewAgent: func(ctx context.Context, ns string) (*agent.Agent, error) {
			return newAgentNS(ctx, store, ms, ns), nil
		}}
		putAPIs(ctx, store, "bench")
		ts := httptest.NewServer(srv.Handler())
		lat, elapsed, failed := concurrent(ts.URL, *conc)
		ts.Close()
		fmt.Printf("| %s | HTTP turn with %d concurrent sessions (%d failed, %.0f turns/s) | %d | %s | %s | |\n",
			s.name, *conc, failed, float64(len(lat))/elapsed.Seconds(), len(lat), ms3(pct(lat, 50)), ms3(pct(lat, 95)))
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
	apis, err := registry.ParseAPIs(data, "apis.yaml")
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

// concurrent runs n three-turn conversations at once over HTTP and returns
// every turn's latency.
func concurrent(base string, n int) ([]time.Duration, time.Duration, int) {
	var mu sync.Mutex
	var lat []time.Duration
	failed := 0
	var wg sync.WaitGroup
	start := time.Now()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n}}
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			id := fmt.Sprintf("c%d-%d", time.Now().UnixNano(), i)
			var last agent.Reply
			for _, m := range messages {
				body, _ := json.Marshal(map[string]string{"text": m})
				t := time.Now()
				resp, err := client.Post(base+"/v1/sessions/"+id+"/messages", "application/json", bytes.NewReader(body))
				if err != nil {
					mu.Lock()
					failed++
					mu.Unlock()
					return
				}
				json.NewDecoder(resp.Body).Decode(&last)
				resp.Body.Close()
				d := time.Since(t)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
			if last.Status != agent.StatusAnswered {
				mu.Lock()
				failed++
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	return lat, time.Since(start), failed
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
