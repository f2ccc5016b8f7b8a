// Command toolmaker benchmarks the tool-making pipeline on the BIG-Bench
// tasks with the example's scripted replies: it makes the six tools, then
// answers every instance three ways, each in the same run, and prints the
// median throughput of each:
//
//   - zero-cost path: the family is known, the tool's Parse → Solve → Format
//     runs in a sandbox worker pool, no model call;
//   - dispatched: relevance search and the (scripted) Dispatcher pick the
//     tool first, then the same path;
//   - parse-dispatched: the candidates' parsers route the request
//     (Options.ParseDispatch), no model call at all;
//   - in-process: the zero-cost path with the in-process runner (no
//     isolation);
//   - native: the same tools compiled into this program (one goroutine), the
//     floor; it also checks every label against the tools.
//
// Usage (from the repository root):
//
//	go run ./bench/toolmaker -data ../shared/data/bbh [-runs 3] [-workers 2] [-concurrency 4]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/toolsmith-dev/toolsmith/eval"
	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/registry"
	"github.com/toolsmith-dev/toolsmith/sandbox"
	"github.com/toolsmith-dev/toolsmith/toolmaker"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == sandbox.WorkerCommand {
		if err := sandbox.ServeWorker(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	data := flag.String("data", "../shared/data/bbh", "BIG-Bench task directory")
	script := flag.String("scripted", "examples/bigbench/scripted.yaml", "scripted-model file")
	runs := flag.Int("runs", 3, "runs of each measurement (the median is reported)")
	workers := flag.Int("workers", runtime.NumCPU(), "sandbox worker processes")
	conc := flag.Int("concurrency", 2*runtime.NumCPU(), "requests at once")
	stats := flag.Bool("stats", false, "record every call in the store's tool statistics")
	storeURL := flag.String("store", "", "store for the tools: a redis:// URL (a private key prefix is used) or empty for a temporary bbolt file")
	flag.Parse()
	if err := run(context.Background(), *data, *script, *storeURL, *runs, *workers, *conc, *stats); err != nil {
		fmt.Fprintln(os.Stderr, "bench/toolmaker:", err)
		os.Exit(1)
	}
}

type item struct{ input, target, family string }

func run(ctx context.Context, data, script, storeURL string, runs, workers, conc int, stats bool) error {
	tasks, err := eval.LoadBBH(data)
	if err != nil {
		return err
	}
	s, err := llm.LoadScript(script)
	if err != nil {
		return err
	}
	ms, err := llm.Open(ctx, llm.Config{Script: s})
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "bench-toolmaker-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	target := filepath.Join(dir, "b.db")
	if storeURL != "" {
		target = storeURL
	}
	store, err := registry.Open(ctx, target, registry.Options{NoSync: true, Prefix: fmt.Sprintf("bench-toolmaker-%d", time.Now().UnixNano())})
	if err != nil {
		return err
	}
	defer store.Close()
	pool, err := sandbox.NewPool(ctx, sandbox.Options{Workers: workers})
	if err != nil {
		return err
	}
	defer pool.Close()
	inproc, err := sandbox.NewInProcess(sandbox.Options{})
	if err != nil {
		return err
	}
	opts := toolmaker.Options{AutoMake: -1, NoStats: !stats}
	tm := toolmaker.New(store, pool, ms, opts)
	tmIn := toolmaker.New(store, inproc, ms, opts)
	pd := opts
	pd.ParseDispatch = true
	tmParse := toolmaker.New(store, pool, ms, pd)

	start := time.Now()
	var items []item
	for _, t := range tasks {
		train, valid := eval.SplitLATM(t.Examples, nil)
		if _, err := tm.Make(ctx, toolmaker.Family{Name: t.Name, Train: train, Valid: valid}); err != nil {
			return err
		}
		for _, ex := range t.Examples {
			items = append(items, item{ex.Input, ex.Target, t.Name})
		}
	}
	fmt.Printf("made %d tools in %s; %d instances; %d workers, %d requests at once, GOMAXPROCS %d\n",
		len(tasks), time.Since(start).Round(time.Millisecond), len(items), workers, conc, runtime.GOMAXPROCS(0))

	measure := func(name string, tm *toolmaker.Toolmaker, dispatch bool) (float64, error) {
		var rates []float64
		for range runs {
			rate, correct, zero, err := stream(ctx, tm, items, conc, dispatch)
			if err != nil {
				return 0, err
			}
			rates = append(rates, rate)
			if correct != len(items) || zero != len(items) {
				return 0, fmt.Errorf("%s: %d of %d correct, %d with no model call after dispatch", name, correct, len(items), zero)
			}
		}
		slices.Sort(rates)
		return rates[len(rates)/2], nil
	}
	zero, err := measure("zero-cost", tm, false)
	if err != nil {
		return err
	}
	disp, err := measure("dispatched", tm, true)
	if err != nil {
		return err
	}
	byParse, err := measure("parse-dispatched", tmParse, true)
	if err != nil {
		return err
	}
	in, err := measure("in-process", tmIn, false)
	if err != nil {
		return err
	}
	var nat []float64
	for range runs {
		start := time.Now()
		for _, it := range items {
			got, err := native(it.family, it.input)
			if err != nil || got != it.target {
				return fmt.Errorf("native %s: %q, %v; want %q", it.family, got, err, it.target)
			}
		}
		nat = append(nat, float64(len(items))/time.Since(start).Seconds())
	}
	slices.Sort(nat)
	natRate := nat[len(nat)/2]
	fmt.Printf("| path | instances/s (median of %d) | ratio |\n|---|---:|---:|\n", runs)
	fmt.Printf("| zero-cost: Parse → Solve → Format in the worker pool, no model call | %.0f | 1.00 |\n", zero)
	fmt.Printf("| dispatched: search + scripted Dispatcher, then the same path | %.0f | %.2f |\n", disp, disp/zero)
	fmt.Printf("| parse-dispatched: the candidates' parsers route, no model call | %.0f | %.2f |\n", byParse, byParse/zero)
	fmt.Printf("| zero-cost with the in-process runner (no isolation) | %.0f | %.2f |\n", in, in/zero)
	fmt.Printf("| the same tools compiled natively, one goroutine (floor) | %.0f | %.2f |\n", natRate, natRate/zero)
	return nil
}

// stream answers every item with conc requests at once and returns the
// throughput, the correct answers and the answers with no model call
// besides dispatch.
func stream(ctx context.Context, tm *toolmaker.Toolmaker, items []item, conc int, dispatch bool) (float64, int, int, error) {
	var (
		mu            sync.Mutex
		correct, zero int
		firstErr      error
		wg            sync.WaitGroup
		next          = make(chan item)
	)
	start := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range next {
				fam := it.family
				if dispatch {
					fam = ""
				}
				a, err := tm.Solve(ctx, it.input, fam)
				mu.Lock()
				switch {
				case err != nil:
					if firstErr == nil {
						firstErr = err
					}
				default:
					if a.Text == it.target {
						correct++
					}
					if a.Path == toolmaker.PathParse {
						zero++
					}
				}
				mu.Unlock()
			}
		}()
	}
	for _, it := range items {
		next <- it
	}
	close(next)
	wg.Wait()
	return float64(len(items)) / time.Since(start).Seconds(), correct, zero, firstErr
}
