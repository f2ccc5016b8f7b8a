// Command registry measures the registry: Get tool latency on Redis
// loopback and bbolt, loading a registry of 10,000 APIs, and relevance
// search over 10,000 tools. Each figure comes with a baseline measured in the
// same run; the output is a markdown section for docs/benchmarks/registry.md.
//
//	go run ./bench/registry -data ../shared/data/nestful [-redis redis://127.0.0.1:6379/0] [-n 10000]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/toolsmith-dev/toolsmith/registry"
	bolt "go.etcd.io/bbolt"
)

func main() {
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

// failure carries an error from check to run, so that deferred clean-ups
// (temporary files, the Redis keys of the run) still happen.
type failure struct{ err error }

func run() (err error) {
	defer func() {
		if r := recover(); r != nil {
			f, ok := r.(failure)
			if !ok {
				panic(r)
			}
			err = f.err
		}
	}()
	data := flag.String("data", "../shared/data/nestful", "NESTFUL data directory (spec and data JSON files)")
	redisURL := flag.String("redis", envOr("REDIS_URL", "redis://127.0.0.1:6379/0"), "Redis URL (empty: skip Redis)")
	n := flag.Int("n", 10000, "APIs and tools in the large registries")
	gets := flag.Int("gets", 20000, "GetTool calls per backend")
	queries := flag.Int("queries", 2000, "search queries")
	bbh := flag.String("bbh", "", "BIG-Bench data directory (e.g. ../shared/data/bbh): also measure dispatch accuracy")
	flag.Parse()
	log.SetFlags(0)
	ctx := context.Background()

	specs, glaive, requests := loadNESTFUL(*data)
	dir, err := os.MkdirTemp("", "registry-bench")
	check(err)
	defer os.RemoveAll(dir)

	type backend struct {
		name string
		s    registry.Store
	}
	var backends []backend
	bs, err := registry.Open(ctx, filepath.Join(dir, "bench.db"), registry.Options{})
	check(err)
	backends = append(backends, backend{"bbolt", bs})
	prefix := fmt.Sprintf("bench-%d", time.Now().UnixNano())
	var rdb *redis.Client
	if *redisURL != "" {
		rs, err := registry.Open(ctx, *redisURL, registry.Options{Prefix: prefix})
		if err != nil {
			log.Printf("redis skipped: %v", err)
		} else {
			backends = append(backends, backend{"redis", rs})
			opt, _ := redis.ParseURL(*redisURL)
			rdb = redis.NewClient(opt)
			defer cleanRedis(ctx, rdb, prefix)
		}
	}

	fmt.Printf("## Registry benchmarks\n\nMachine: %s/%s, %d CPUs, %s. Command: `go run ./bench/registry -data %s -n %d`.\n\n",
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), *data, *n)

	// 1. Get tool latency.
	fmt.Printf("### Get tool (current version of one of 1,000 tools, %d calls)\n\n", *gets)
	fmt.Println("| backend | p50 | p99 | baseline | baseline p50 | baseline p99 | p50 / baseline p50 |")
	fmt.Println("| --- | --- | --- | --- | --- | --- | --- |")
	tools := makeTools(specs, requests, *n)
	for _, b := range backends {
		for _, t := range tools[:1000] {
			_, err := b.s.PutTool(ctx, t)
			check(err)
		}
		lat := measure(*gets, func(i int) {
			_, err := b.s.GetTool(ctx, "", tools[rand.IntN(1000)].Name)
			check(err)
		})
		var base []time.Duration
		var baseName string
		record, _ := json.Marshal(tools[0])
		switch b.name {
		case "redis":
			baseName = "go-redis GET of the same bytes"
			key := "{" + prefix + ":raw}:x"
			check(rdb.Set(ctx, key, record, 0).Err())
			base = measure(*gets, func(int) {
				var t registry.Tool
				b, err := rdb.Get(ctx, key).Bytes()
				check(err)
				check(json.Unmarshal(b, &t))
			})
		case "bbolt":
			baseName = "raw bbolt Get + decode"
			base = rawBolt(filepath.Join(dir, "raw.db"), record, *gets)
		}
		p50, p99 := pct(lat, 50), pct(lat, 99)
		fmt.Printf("| %s | %s | %s | %s | %s | %s | %.2f |\n", b.name, us(p50), us(p99), baseName, us(pct(base, 50)), us(pct(base, 99)), float64(p50)/float64(pct(base, 50)))
	}

	// 1b. Recording one call (a lone caller: what `tool solve` pays).
	fmt.Printf("\n### Record one call (a lone caller, %d calls; bbolt with fsync)\n\n", *gets/10)
	fmt.Println("| backend | p50 | p99 | baseline | baseline p50 | p50 / baseline p50 |")
	fmt.Println("| --- | --- | --- | --- | --- | --- |")
	for _, b := range backends {
		lat := measure(*gets/10, func(i int) {
			check(b.s.RecordCall(ctx, "", tools[i%1000].Name, registry.Call{Latency: time.Millisecond}))
		})
		get := measure(*gets/10, func(i int) {
			_, err := b.s.GetTool(ctx, "", tools[i%1000].Name)
			check(err)
		})
		fmt.Printf("| %s | %s | %s | GetTool | %s | %.2f |\n", b.name, us(pct(lat, 50)), us(pct(lat, 99)), us(pct(get, 50)), float64(pct(lat, 50))/float64(pct(get, 50)))
	}

	// 2. Load a registry of n APIs.
	for _, set := range []struct {
		name  string
		specs []registry.API
	}{{"all NESTFUL specs", specs}, {"NESTFUL glaive specs (smaller)", glaive}} {
		apis := makeAPIs(set.specs, *n)
		file, _ := json.Marshal(apis)
		fmt.Printf("\n### Load a registry of %d APIs: %s replicated (native JSON, %.1f MB; medians of 5 runs)\n\n", len(apis), set.name, float64(len(file))/1e6)
		fmt.Println("| step | time | CPU time | baseline (encoding/json into []API): time, CPU | time / baseline |")
		fmt.Println("| --- | --- | --- | --- | --- |")
		base, baseCPU := medianCPU(5, func() {
			var out []registry.API
			check(json.Unmarshal(file, &out))
		})
		row := func(step string, wall, cpu time.Duration) {
			fmt.Printf("| %s | %s | %s | %s, %s | %.2f |\n", step, ms(wall), ms(cpu), ms(base), ms(baseCPU), float64(wall)/float64(base))
		}
		measured := func(step string, fn func()) {
			wall, cpu := medianCPU(5, fn)
			row(step, wall, cpu)
		}
		measured("ParseAPIs (detect + decode + validate)", func() {
			_, err := registry.ParseAPIs("apis.json", file)
			check(err)
		})
		for _, b := range backends {
			ns := fmt.Sprintf("load%d", len(file))
			measured(b.name+" PutAPIs (one atomic write)", func() { check(b.s.PutAPIs(ctx, ns, apis)) })
			measured(b.name+" ListAPIs (read all)", func() {
				got, err := b.s.ListAPIs(ctx, ns)
				check(err)
				if len(got) != len(apis) {
					check(fmt.Errorf("listed %d APIs, want %d", len(got), len(apis)))
				}
			})
			se := registry.NewSearcher(b.s, registry.SearchOptions{})
			c0, start := cpuTime(), time.Now()
			_, _, err := se.AllAPIs(ctx, ns)
			check(err)
			row(b.name+" Searcher.AllAPIs, first call (read all + index)", time.Since(start), cpuTime()-c0)
			warm := median(101, func() {
				_, _, err := se.AllAPIs(ctx, ns)
				check(err)
			})
			fmt.Printf("| %s Searcher.AllAPIs, unchanged catalogue (version check) | %s | - | %s, %s | %.5f |\n", b.name, us(warm), ms(base), ms(baseCPU), float64(warm)/float64(base))
		}
	}

	// 3. Relevance search over n tools.
	fmt.Printf("\n### Relevance search over %d tools (%d NESTFUL requests as queries, top 10)\n\n", *n, *queries)
	fmt.Println("| backend | index build | p50 | p99 | baseline (brute-force term overlap) p50 | speed-up p50 |")
	fmt.Println("| --- | --- | --- | --- | --- | --- |")
	docs := make([][]string, len(tools))
	for i, t := range tools {
		docs[i] = registry.Tokenise(t.Name + " " + t.Family + " " + t.Description + " " + t.Demos[0].Input)
	}
	brute := measure(*queries, func(i int) { bruteForce(docs, requests[i%len(requests)]) })
	for _, b := range backends {
		for _, t := range tools[1000:] {
			_, err := b.s.PutTool(ctx, t)
			check(err)
		}
		se := registry.NewSearcher(b.s, registry.SearchOptions{})
		start := time.Now()
		_, err := se.Tools(ctx, "", "warm up", registry.ToolQuery{})
		check(err)
		build := time.Since(start)
		lat := measure(*queries, func(i int) {
			_, err := se.Tools(ctx, "", requests[i%len(requests)], registry.ToolQuery{})
			check(err)
		})
		fmt.Printf("| %s | %s | %s | %s | %s | %.0fx |\n", b.name, ms(build), us(pct(lat, 50)), us(pct(lat, 99)), us(pct(brute, 50)), float64(pct(brute, 50))/float64(pct(lat, 50)))
	}
	if *bbh != "" {
		ds, err := registry.Open(ctx, filepath.Join(dir, "dispatch.db"), registry.Options{NoSync: true})
		check(err)
		defer ds.Close()
		dispatch(ctx, *bbh, ds, tools[:1000], requests)
	}
	for _, b := range backends {
		b.s.Close()
	}
	return nil
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func check(err error) {
	if err != nil {
		panic(failure{err})
	}
}

// loadNESTFUL reads the API specs (all, and the smaller glaive ones alone)
// and the request texts.
func loadNESTFUL(dir string) (specs, glaive []registry.API, requests []string) {
	for _, name := range []string{"executable", "non-executable-glaive"} {
		data, err := os.ReadFile(filepath.Join(dir, name+"-spec.json"))
		check(err)
		apis, err := registry.ParseAPIs(name, data)
		check(err)
		specs = append(specs, apis...)
		if name == "non-executable-glaive" {
			glaive = apis
		}
		data, err = os.ReadFile(filepath.Join(dir, name+"-data.json"))
		check(err)
		var samples []struct {
			Input string `json:"input"`
		}
		check(json.Unmarshal(data, &samples))
		for _, s := range samples {
			requests = append(requests, s.Input)
		}
	}
	return specs, glaive, requests
}

// makeAPIs replicates the NESTFUL specs under distinct names up to n.
func makeAPIs(specs []registry.API, n int) []registry.API {
	out := make([]registry.API, n)
	for i := range out {
		a := specs[i%len(specs)]
		a.Name = fmt.Sprintf("%s_%d", a.Name, i)
		out[i] = a
	}
	return out
}

// makeTools makes n tools whose texts come from the NESTFUL specs and
// requests, so that queries have realistic overlap.
func makeTools(specs []registry.API, requests []string, n int) []*registry.Tool {
	out := make([]*registry.Tool, n)
	for i := range out {
		a := specs[i%len(specs)]
		out[i] = &registry.Tool{
			Name: fmt.Sprintf("%s_tool_%d", a.Name, i), Family: a.Name, Description: a.Description,
			Source: "package main\n\nfunc Run(s string) string { return s }\n", Entry: "Run",
			Demos: []registry.Demo{{Input: requests[i%len(requests)]}},
		}
	}
	return out
}

func measure(n int, fn func(i int)) []time.Duration {
	lat := make([]time.Duration, n)
	for i := range lat {
		start := time.Now()
		fn(i)
		lat[i] = time.Since(start)
	}
	slices.Sort(lat)
	return lat
}

// cpuTime is the process's user+system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	check(syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// medianCPU is median, also returning the median CPU time of a run: on a
// loaded machine it is closer to what the step costs on an idle one.
func medianCPU(runs int, fn func()) (wall, cpu time.Duration) {
	d := make([]time.Duration, runs)
	c := make([]time.Duration, runs)
	for i := range d {
		runtime.GC()
		c0, start := cpuTime(), time.Now()
		fn()
		d[i], c[i] = time.Since(start), cpuTime()-c0
	}
	slices.Sort(d)
	slices.Sort(c)
	return d[runs/2], c[runs/2]
}

func median(runs int, fn func()) time.Duration {
	d := make([]time.Duration, runs)
	for i := range d {
		start := time.Now()
		fn()
		d[i] = time.Since(start)
	}
	slices.Sort(d)
	return d[runs/2]
}

func pct(sorted []time.Duration, p int) time.Duration {
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

func us(d time.Duration) string {
	if d < 10*time.Microsecond {
		return fmt.Sprintf("%.1f µs", float64(d)/1e3)
	}
	return fmt.Sprintf("%.0f µs", float64(d)/1e3)
}
func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/1e6) }

// rawBolt times bbolt Get + JSON decode of record in a file of its own.
func rawBolt(path string, record []byte, n int) []time.Duration {
	db, err := bolt.Open(path, 0o600, nil)
	check(err)
	defer db.Close()
	check(db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte("b"))
		if err != nil {
			return err
		}
		return b.Put([]byte("k"), record)
	}))
	return measure(n, func(int) {
		check(db.View(func(tx *bolt.Tx) error {
			var t registry.Tool
			return json.Unmarshal(tx.Bucket([]byte("b")).Get([]byte("k")), &t)
		}))
	})
}

// bruteForce scores every document by the number of query terms it holds
// and returns the best ten: the baseline an index must beat.
func bruteForce(docs [][]string, query string) []int {
	terms := map[string]bool{}
	for _, t := range registry.Tokenise(query) {
		terms[t] = true
	}
	type scored struct{ doc, score int }
	var hits []scored
	for i, d := range docs {
		s := 0
		for _, t := range d {
			if terms[t] {
				s++
			}
		}
		if s > 0 {
			hits = append(hits, scored{i, s})
		}
	}
	slices.SortFunc(hits, func(a, b scored) int { return b.score - a.score })
	out := []int{}
	for _, h := range hits[:min(10, len(hits))] {
		out = append(out, h.doc)
	}
	return out
}

func cleanRedis(ctx context.Context, rdb *redis.Client, prefix string) {
	iter := rdb.Scan(ctx, 0, "{"+prefix+":*", 1000).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	for i := 0; i < len(keys); i += 500 {
		rdb.Del(ctx, keys[i:min(i+500, len(keys))]...)
	}
	rdb.Close()
}
