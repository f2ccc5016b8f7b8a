// Command sandbox measures the sandbox: a warm call of a cached tool through
// the worker pool (latency and throughput with 2 workers), a cold compile and
// first call, the replacement of a killed worker, and the same call as a
// native Go function and as a Python function exec'd in a fresh python3
// process per call (the way LATM runs its tools). It prints a markdown table.
//
//	go run ./bench/sandbox -data ../shared/data
//
// The inputs are the 20-word lists of BIG-Bench Hard word sorting. The bench
// binary serves as its own sandbox worker unless -toolsmith names a built
// toolsmith binary (whose start-up then counts in the replacement figure).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/toolsmith-dev/toolsmith/sandbox"
)

const sortTool = `package tool

import "sort"

// SortWords returns the words in alphabetical order.
func SortWords(words []string) []string {
	out := make([]string, len(words))
	copy(out, words)
	sort.Strings(out)
	return out
}
`

const pythonScript = `import json, sys
src = "def sort_words(words):\n    return sorted(words)\n"
ns = {}
exec(src, ns)
print(json.dumps(ns["sort_words"](json.loads(sys.argv[1]))))
`

func main() {
	if len(os.Args) > 1 && os.Args[1] == pingPongCommand {
		servePingPong()
		return
	}
	if len(os.Args) > 1 && os.Args[1] == sandbox.WorkerCommand {
		if err := sandbox.ServeWorker(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	data := flag.String("data", "../shared/data", "the shared data directory (reads bbh/word_sorting.json)")
	warm := flag.Int("warm", 3000, "warm calls (latency), and 2x that for throughput")
	cold := flag.Int("cold", 30, "cold compile + first call samples")
	kills := flag.Int("kills", 15, "worker kill + replacement samples")
	py := flag.Int("python", 20, "python3 exec samples")
	toolsmith := flag.String("toolsmith", "", "toolsmith binary to use as the worker (default: this binary)")
	layers := flag.Bool("layers", true, "measure what each confinement layer costs")
	killGap := flag.Duration("kill-gap", 0, "pause after each replacement before the next kill (0: back to back)")
	flag.Parse()
	log.SetFlags(0)

	lists, err := wordLists(filepath.Join(*data, "bbh", "word_sorting.json"), 20)
	if err != nil {
		log.Fatal(err)
	}
	var command []string
	if *toolsmith != "" {
		command = []string{*toolsmith, sandbox.WorkerCommand}
	}
	ctx := context.Background()
	var rows []row
	add := func(r row) { rows = append(rows, r); log.Printf("%-45s %s", r.name, r.value) }

	native := measureNative(lists)
	add(row{"native Go function (sort 20 words)", fmtDur(native), "floor"})

	inproc, err := sandbox.NewInProcess(sandbox.Options{})
	if err != nil {
		log.Fatal(err)
	}
	ip := latencies(*warm, func(i int) error { return call(ctx, inproc, lists[i%len(lists)]) })
	inproc.Close()
	add(row{"in-process yaegi, warm call p50", fmtDur(ip.p50()), ratio(ip.p50(), native) + " native"})

	// Spawn: a pool of one worker, started and closed.
	spawn := latencies(*kills, func(int) error {
		p, err := sandbox.NewPool(ctx, sandbox.Options{Workers: 1, Command: command})
		if err != nil {
			return err
		}
		return p.Close()
	})
	add(row{"worker start (process + handshake) p50", fmtDur(spawn.p50()), ""})

	pp, err := measurePingPong(*warm)
	if err != nil {
		log.Fatal(err)
	}
	add(row{"IPC floor: pipe round trip to a child p50", fmtDur(pp.p50()), "no protocol, no work"})

	pool, err := sandbox.NewPool(ctx, sandbox.Options{Workers: 2, Command: command})
	if err != nil {
		log.Fatal(err)
	}
	correct := 0
	for _, l := range lists {
		res, err := pool.Run(ctx, sandbox.Call{Source: sortTool, Args: argsOf(l.words)})
		if err == nil && res.OK && string(res.Result) == mustJSON(strings.Fields(l.target)) {
			correct++
		}
	}
	add(row{"pool answers = BBH target", fmt.Sprintf("%d/%d", correct, len(lists)), "20-word lists"})
	lat := latencies(*warm, func(i int) error { return call(ctx, pool, lists[i%len(lists)]) })
	add(row{"pool warm call p50 (1 caller)", fmtDur(lat.p50()), ratio(lat.p50(), native) + " native"})
	add(row{"pool warm call p99 (1 caller)", fmtDur(lat.p(0.99)), ""})
	rate := throughput(2**warm, 4, func(i int) error { return call(ctx, pool, lists[i%len(lists)]) })
	add(row{"pool throughput, 2 workers, 4 callers", fmt.Sprintf("%.0f calls/s", rate), ""})

	coldLat := latencies(*cold, func(i int) error {
		src := sortTool + fmt.Sprintf("\n// variant %d %d\n", i, time.Now().UnixNano())
		return callSrc(ctx, pool, src, lists[i%len(lists)])
	})
	add(row{"pool cold compile + first call p50", fmtDur(coldLat.p50()), ""})
	pool.Close()

	replace := measureKills(ctx, command, lists, *kills, *killGap, false)
	add(row{"kill on timeout -> next call answered p50", fmtDur(replace.p50()), fmt.Sprintf("spare worker; tool recompiled; %v between kills", *killGap)})
	noSpare := measureKills(ctx, command, lists, *kills, *killGap, true)
	add(row{"kill on timeout -> next call answered p50, no spare", fmtDur(noSpare.p50()), "Options.NoSpare: new worker started at the kill"})

	pyLat := latencies(*py, func(i int) error {
		out, err := exec.Command("python3", "-c", pythonScript, mustJSON(lists[i%len(lists)].words)).Output()
		if err != nil {
			return err
		}
		if strings.TrimSpace(string(out)) != pyJSON(lists[i%len(lists)].target) {
			return fmt.Errorf("python answered %s", out)
		}
		return nil
	})
	add(row{"python3 -c exec per call p50", fmtDur(pyLat.p50()), ratio(pyLat.p50(), lat.p50()) + " pool warm"})

	fmt.Println("| measure | value | note |")
	fmt.Println("| --- | --- | --- |")
	for _, r := range rows {
		fmt.Printf("| %s | %s | %s |\n", r.name, r.value, r.note)
	}
	fmt.Printf("\n%d word lists; GOMAXPROCS %d; %s\n", len(lists), runtime.GOMAXPROCS(0), loadAvg())
	if *layers {
		fmt.Println()
		measureLayers(ctx, command, lists, *kills, *cold, *warm/2)
		fmt.Printf("\n%s\n", loadAvg())
	}
}

type row struct{ name, value, note string }

// measureKills times, n times over, a call killed at its time limit and
// then the next call on a pool of one worker: from the timeout's result to
// the next answer. gap is a pause after each answer, which gives a spare
// worker the time to start (as calls spaced by real work do).
func measureKills(ctx context.Context, command []string, lists []wordList, n int, gap time.Duration, noSpare bool) samples {
	one, err := sandbox.NewPool(ctx, sandbox.Options{Workers: 1, Command: command, NoSpare: noSpare})
	if err != nil {
		log.Fatal(err)
	}
	defer one.Close()
	replace := make(samples, 0, n)
	for i := range n {
		res, err := one.Run(ctx, sandbox.Call{Source: "package main\nfunc main() { for {} }\n", Timeout: 20 * time.Millisecond})
		if err != nil || res.OK || res.Error.Kind != sandbox.KindTimeout {
			log.Fatalf("loop: %+v %v", res, err)
		}
		t0 := time.Now()
		if err := call(ctx, one, lists[i%len(lists)]); err != nil {
			log.Fatal(err)
		}
		replace = append(replace, time.Since(t0))
		time.Sleep(gap)
	}
	return replace
}

type wordList struct {
	words  []string
	target string
}

// wordLists reads the BBH word-sorting examples with exactly n words.
func wordLists(path string, n int) ([]wordList, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Examples []struct{ Input, Target string }
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var out []wordList
	for _, e := range doc.Examples {
		_, list, ok := strings.Cut(e.Input, "List:")
		if !ok {
			continue
		}
		if w := strings.Fields(list); len(w) == n {
			out = append(out, wordList{words: w, target: e.Target})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no %d-word lists", path, n)
	}
	return out, nil
}

func argsOf(words []string) json.RawMessage {
	return json.RawMessage("[" + mustJSON(words) + "]")
}

func call(ctx context.Context, r sandbox.Runner, l wordList) error {
	return callSrc(ctx, r, sortTool, l)
}

func callSrc(ctx context.Context, r sandbox.Runner, src string, l wordList) error {
	res, err := r.Run(ctx, sandbox.Call{Source: src, Args: argsOf(l.words)})
	if err != nil {
		return err
	}
	if !res.OK {
		return fmt.Errorf("call failed: %v", res.Error)
	}
	return nil
}

// measureNative is the median time of the same sort compiled into this
// binary, over batches.
func measureNative(lists []wordList) time.Duration {
	var sink int
	// Short batches, so that few of them include a time slice lost to
	// other processes; the median then ignores those.
	const batches, perBatch = 501, 200
	s := make(samples, 0, batches)
	for b := range batches {
		t0 := time.Now()
		for i := range perBatch {
			w := lists[(b+i)%len(lists)].words
			out := make([]string, len(w))
			copy(out, w)
			sort.Strings(out)
			sink += len(out[0])
		}
		s = append(s, time.Since(t0)/perBatch)
	}
	if sink < 0 {
		fmt.Println(sink)
	}
	return s.p50()
}

type samples []time.Duration

func (s samples) p(q float64) time.Duration {
	c := slices.Clone(s)
	slices.Sort(c)
	return c[min(len(c)-1, int(q*float64(len(c))))]
}

func (s samples) p50() time.Duration { return s.p(0.5) }

func latencies(n int, f func(i int) error) samples {
	s := make(samples, 0, n)
	for i := range n {
		t0 := time.Now()
		if err := f(i); err != nil {
			log.Fatal(err)
		}
		s = append(s, time.Since(t0))
	}
	return s
}

func throughput(n, callers int, f func(i int) error) float64 {
	var next atomic.Int64
	var wg sync.WaitGroup
	t0 := time.Now()
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if err := f(i); err != nil {
					log.Fatal(err)
				}
			}
		}()
	}
	wg.Wait()
	return float64(n) / time.Since(t0).Seconds()
}

func fmtDur(d time.Duration) string {
	switch {
	case d < time.Microsecond:
		return fmt.Sprintf("%d ns", d.Nanoseconds())
	case d < time.Millisecond:
		return fmt.Sprintf("%.1f µs", float64(d.Nanoseconds())/1e3)
	}
	return fmt.Sprintf("%.2f ms", float64(d.Nanoseconds())/1e6)
}

func ratio(a, b time.Duration) string {
	return fmt.Sprintf("%.0fx", float64(a)/float64(b))
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		log.Fatal(err)
	}
	return string(b)
}

// pyJSON is how Python's json.dumps writes the sorted list.
func pyJSON(target string) string {
	var parts []string
	for _, w := range strings.Fields(target) {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(w); err != nil {
			log.Fatal(err)
		}
		parts = append(parts, strings.TrimSpace(b.String()))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	return "load average " + strings.Join(strings.Fields(string(b))[:3], " ")
}
