// Command mcp measures the round trip of the MCP tool plan over Streamable
// HTTP on loopback — the official Go SDK client calling toolsmith's MCP
// server — against planning the same request in process, interleaved call
// by call so load affects both alike, and reports p50 and p99.
//
//	go run ./bench/mcp -calls 2000
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/toolsmith-dev/toolsmith/agent"
	"github.com/toolsmith-dev/toolsmith/examples/travel"
	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/mcp"
	"github.com/toolsmith-dev/toolsmith/planner"
	"github.com/toolsmith-dev/toolsmith/registry"
)

func main() {
	calls := flag.Int("calls", 2000, "calls of each kind")
	flag.Parse()
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "bench-mcp")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	store, err := registry.Open(ctx, filepath.Join(dir, "b.db"), registry.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	apisYAML, _ := travel.Files.ReadFile("apis.yaml")
	apis, err := registry.ParseAPIs("apis.yaml", apisYAML)
	if err != nil {
		log.Fatal(err)
	}
	if err := store.PutAPIs(ctx, "bench", apis); err != nil {
		log.Fatal(err)
	}
	ms, err := llm.Open(ctx, llm.Config{Script: &llm.Script{}})
	if err != nil {
		log.Fatal(err)
	}
	ag, err := agent.New(ctx, agent.Options{Store: store, Models: ms, Namespace: "bench"})
	if err != nil {
		log.Fatal(err)
	}
	srv := &mcp.Server{Store: store, DefaultNamespace: "bench", NewAgent: func(context.Context, string) (*agent.Agent, error) { return ag, nil }}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	cs, err := mcp.Connect(ctx, mcp.Target{URL: ts.URL}, mcp.ClientOptions{})
	if err != nil {
		log.Fatal(err)
	}
	defer cs.Close()

	args := map[string]any{
		"goals": []string{"RentalCars.GetCarsAvailable"},
		"known": map[string]any{"city": "San Diego", "pickup_date": "2024-10-05", "pickup_time": "10:30", "days": 3},
	}
	raw, _ := json.Marshal(args)
	req, err := planner.ParseRequest(raw)
	if err != nil {
		log.Fatal(err)
	}
	var local, remote []time.Duration
	for i := 0; i < *calls+50; i++ {
		start := time.Now()
		if _, err := ag.Plan(ctx, req); err != nil {
			log.Fatal(err)
		}
		l := time.Since(start)
		start = time.Now()
		res, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: "plan", Arguments: args})
		if err != nil || res.IsError {
			log.Fatalf("plan over MCP: %v %v", err, res)
		}
		r := time.Since(start)
		if i >= 50 { // warm-up
			local, remote = append(local, l), append(remote, r)
		}
	}
	fmt.Printf("%d calls each, interleaved (plan of RentalCars.GetCarsAvailable, travel APIs)\n\n", *calls)
	fmt.Println("| path | p50 | p99 |")
	fmt.Println("| --- | --- | --- |")
	lp50, lp99 := pct(local, 50), pct(local, 99)
	rp50, rp99 := pct(remote, 50), pct(remote, 99)
	fmt.Printf("| plan in process (baseline) | %s | %s |\n", ms2(lp50), ms2(lp99))
	fmt.Printf("| plan tool over Streamable HTTP | %s | %s |\n", ms2(rp50), ms2(rp99))
	fmt.Printf("| overhead (difference) | %s | %s |\n", ms2(rp50-lp50), ms2(rp99-lp99))
}

func pct(d []time.Duration, p int) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[(len(s)-1)*p/100]
}

func ms2(d time.Duration) string { return fmt.Sprintf("%.3f ms", float64(d.Microseconds())/1000) }
