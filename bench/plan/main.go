// Command plan measures the API planner's latency against registry size:
// synthetic registries of 100, 1,000 and 10,000 APIs, each request a
// five-step chain with two values missing (two get_info steps), among
// distractor APIs, some of which produce the chain's slots. It reports
// medians of the whole Plan call and of its stages, the ASP step against
// clingo solving the same program (a subprocess, as a baseline), and a
// plan-cache hit against a full plan.
//
//	go run ./bench/plan [-sizes 100,1000,10000] [-requests 60] [-uniform] [-clingo clingo]
//	go run ./bench/plan -openapi ../shared/data/openapi/stripe.yaml[,FILE...] [-rounds 3]
//
// With -openapi it plans every operation of each document instead (see
// runOpenAPI).
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/toolsmith-dev/toolsmith/planner"
	"github.com/toolsmith-dev/toolsmith/registry"
)

func main() {
	sizes := flag.String("sizes", "100,1000,10000", "registry sizes (comma-separated)")
	requests := flag.Int("requests", 60, "requests timed per size")
	uniform := flag.Bool("uniform", false, "stress case: distractors over uniformly drawn askable slots")
	clingo := flag.String("clingo", "clingo", "clingo binary for the ASP baseline (\"\" to skip)")
	dumpASP := flag.String("dump-asp", "", "write the ASP program of the first request of the last size to this file")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	openapi := flag.String("openapi", "", "plan every operation of these OpenAPI documents (comma-separated), read back from a store")
	rounds := flag.Int("rounds", 3, "with -openapi: times each operation is planned")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		defer pprof.StopCPUProfile()
	}
	if *openapi != "" {
		fmt.Println("| document | APIs | parse | load from store | planner.New | plan p50 | plan p90 | plan p99 | plan max | plans | unsafe |")
		fmt.Println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
		for _, file := range strings.Split(*openapi, ",") {
			if err := runOpenAPI(file, *rounds); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
		return
	}
	fmt.Println("| APIs | relevant APIs | plan p50 | plan p90 | relevance | ASP step | materialise | search | decode | ASP (clingo) | ASP speed-up | cache hit p50 | hit speed-up |")
	fmt.Println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 10 {
			fmt.Fprintf(os.Stderr, "bad size %q\n", s)
			os.Exit(2)
		}
		if err := run(n, *requests, *uniform, *clingo, *dumpASP); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

// stageTimes collects the durations Options.Trace reports.
type stageTimes struct {
	mu sync.Mutex
	d  map[planner.Stage]time.Duration
}

func (s *stageTimes) add(st planner.Stage, d time.Duration) {
	s.mu.Lock()
	s.d[st] += d
	s.mu.Unlock()
}

func (s *stageTimes) take() map[planner.Stage]time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.d
	s.d = map[planner.Stage]time.Duration{}
	return out
}

func run(n, requests int, uniform bool, clingo, dumpASP string) error {
	ctx := context.Background()
	apis, chains := synth(n, uniform)
	st := &stageTimes{d: map[planner.Stage]time.Duration{}}
	p, err := planner.New(apis, planner.Options{Trace: st.add})
	if err != nil {
		return err
	}
	var total []time.Duration
	stages := map[planner.Stage][]time.Duration{}
	var aspIn, aspClingo []time.Duration
	for i := 0; i < requests+5; i++ {
		k := i % chains
		req := chainRequest(k)
		st.take()
		start := time.Now()
		plan, err := p.Plan(ctx, req)
		d := time.Since(start)
		if err != nil {
			return err
		}
		if err := checkChain(plan, k); err != nil {
			return fmt.Errorf("%d APIs, chain %d: %w\n%s", n, k, err, plan.Text())
		}
		times := st.take()
		if i < 5 {
			continue // warm-up
		}
		total = append(total, d)
		for s, v := range times {
			stages[s] = append(stages[s], v)
		}
		if clingo != "" && i < 25 {
			prog, err := p.ASPProgram(ctx, req)
			if err != nil {
				return err
			}
			start := time.Now()
			cmd := exec.Command(clingo, "-V0", "-W", "none", "-")
			cmd.Stdin = strings.NewReader(prog)
			if out, err := cmd.Output(); err != nil && !strings.Contains(string(out), "SATISFIABLE") {
				return fmt.Errorf("clingo: %v", err)
			}
			aspClingo = append(aspClingo, time.Since(start))
			aspIn = append(aspIn, times[planner.StageReason])
		}
	}
	prog, err := p.ASPProgram(ctx, chainRequest(0))
	if err != nil {
		return err
	}
	if dumpASP != "" {
		if err := os.WriteFile(dumpASP, []byte(prog), 0o644); err != nil {
			return err
		}
	}
	relevant := strings.Count(prog, "\napi(") + boolInt(strings.HasPrefix(prog, "api("))
	// Cache hits: the same requests again through a planner with a cache.
	cp, err := planner.New(apis, planner.Options{Cache: planner.NewMemoryCache(0)})
	if err != nil {
		return err
	}
	for k := 0; k < chains; k++ {
		if _, err := cp.Plan(ctx, chainRequest(k)); err != nil {
			return err
		}
	}
	var hits []time.Duration
	for i := 0; i < requests; i++ {
		req := chainRequest(i % chains)
		start := time.Now()
		if _, err := cp.Plan(ctx, req); err != nil {
			return err
		}
		hits = append(hits, time.Since(start))
	}
	planP50 := median(total)
	row := []string{
		strconv.Itoa(n), strconv.Itoa(relevant), ms(planP50), ms(percentile(total, 0.9)),
		ms(median(stages[planner.StageRelevance])), ms(median(stages[planner.StageReason])),
		ms(median(stages[planner.StageMaterialise])), ms(median(stages[planner.StageSearch])),
		ms(median(stages[planner.StageDecode])),
	}
	if len(aspClingo) > 0 {
		row = append(row, ms(median(aspClingo)), fmt.Sprintf("%.1f×", float64(median(aspClingo))/float64(median(aspIn))))
	} else {
		row = append(row, "–", "–")
	}
	hit := median(hits)
	row = append(row, fmt.Sprintf("%.1f µs", float64(hit.Nanoseconds())/1e3), fmt.Sprintf("%.0f×", float64(planP50)/float64(hit)))
	fmt.Println("| " + strings.Join(row, " | ") + " |")
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3f ms", float64(d.Microseconds())/1000) }

func median(ds []time.Duration) time.Duration { return percentile(ds, 0.5) }

func percentile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[int(q*float64(len(s)-1))]
}

// addServices fills the registry up to n APIs with services of ten APIs
// each, like real registries: every API needs a shared askable value (one
// of 40 slots such as a city or a date) and often an id of its own service,
// and returns ids of its service; one in ten also returns a shared value,
// and one in twenty a chain's id, but then it needs a token nothing makes.
func addServices(rng *rand.Rand, apis *[]registry.API, n, chains int) {
	for i := len(*apis); i < n; i++ {
		svc := i / 10
		a := registry.API{Name: fmt.Sprintf("Service%d.Op%d", svc, i%10)}
		a.Inputs = append(a.Inputs, registry.Input{Name: "value", Type: fmt.Sprintf("g%d", rng.IntN(40)), Required: true})
		if rng.IntN(10) < 6 {
			a.Inputs = append(a.Inputs, registry.Input{Name: "id", Type: fmt.Sprintf("s%d_id%d", svc, rng.IntN(5)), Required: true, NotAskable: true})
		}
		for j := 0; j < 1+rng.IntN(2); j++ {
			a.Outputs = append(a.Outputs, registry.Output{Name: fmt.Sprintf("id%d", j), Type: fmt.Sprintf("s%d_id%d", svc, rng.IntN(5))})
		}
		if rng.IntN(10) == 0 {
			a.Outputs = append(a.Outputs, registry.Output{Name: "shared", Type: fmt.Sprintf("g%d", rng.IntN(40))})
		}
		if rng.IntN(20) == 0 {
			a.Outputs = append(a.Outputs, registry.Output{Name: "chain", Type: fmt.Sprintf("c%d_%d", rng.IntN(chains), 1+rng.IntN(4))})
			a.Inputs = append(a.Inputs, registry.Input{Name: "token", Type: fmt.Sprintf("token%d", i), Required: true, NotAskable: true})
		}
		*apis = append(*apis, a)
	}
}

// addUniform fills the registry up to n APIs with a stress case: inputs
// and outputs drawn uniformly from n/2 askable slots, so that the backward
// closure of any slot spans most of the registry; one in ten also returns a
// chain's id at a cost (20) that never pays, so that all of it is relevant.
func addUniform(rng *rand.Rand, apis *[]registry.API, n, chains int) {
	vocab := max(10, n/2)
	for i := len(*apis); i < n; i++ {
		a := registry.API{Name: fmt.Sprintf("Distractor%d", i)}
		for j := 0; j < 1+rng.IntN(3); j++ {
			a.Inputs = append(a.Inputs, registry.Input{Name: fmt.Sprintf("in%d", j), Type: fmt.Sprintf("g%d", rng.IntN(vocab)), Required: j == 0 || rng.IntN(3) > 0})
		}
		for j := 0; j < 1+rng.IntN(3); j++ {
			a.Outputs = append(a.Outputs, registry.Output{Name: fmt.Sprintf("out%d", j), Type: fmt.Sprintf("g%d", rng.IntN(vocab))})
		}
		if rng.IntN(10) == 0 {
			// A costly way to a chain's id: relevant, callable, never best.
			a.Outputs = append(a.Outputs, registry.Output{Name: "chain", Type: fmt.Sprintf("c%d_%d", rng.IntN(chains), 1+rng.IntN(4))})
			a.Cost = 20
		}
		*apis = append(*apis, a)
	}
}

// synth builds a registry of n APIs: chains of five APIs (Chain<k>.Step1 ..
// Step5) passing internal ids (not askable) c<k>_1 .. c<k>_4, whose second
// and fourth steps also need a value nothing provides (m<k>_1, m<k>_2:
// asked), a costly shortcut and an unreachable shortcut per chain,
// and distractors over a vocabulary of generic slots, a tenth of which also
// produce a chain slot.
func synth(n int, uniform bool) ([]registry.API, int) {
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	chains := max(1, min(20, n/20))
	var apis []registry.API
	in := func(slot string) registry.Input { return registry.Input{Name: slot, Required: true} }
	id := func(slot string) registry.Input { return registry.Input{Name: slot, Required: true, NotAskable: true} }
	out := func(slot string) registry.Output { return registry.Output{Name: slot} }
	for k := 0; k < chains; k++ {
		c := func(i int) string { return fmt.Sprintf("c%d_%d", k, i) }
		m := func(i int) string { return fmt.Sprintf("m%d_%d", k, i) }
		name := func(i int) string { return fmt.Sprintf("Chain%d.Step%d", k, i) }
		apis = append(apis,
			registry.API{Name: name(1), Inputs: []registry.Input{in(c(0))}, Outputs: []registry.Output{out(c(1))}},
			registry.API{Name: name(2), Inputs: []registry.Input{id(c(1)), in(m(1))}, Outputs: []registry.Output{out(c(2))}},
			registry.API{Name: name(3), Inputs: []registry.Input{id(c(2))}, Outputs: []registry.Output{out(c(3))}},
			registry.API{Name: name(4), Inputs: []registry.Input{id(c(3)), in(m(2))}, Outputs: []registry.Output{out(c(4))}},
			registry.API{Name: name(5), Inputs: []registry.Input{id(c(4))}, Outputs: []registry.Output{out(c(5))}},
			registry.API{Name: fmt.Sprintf("Chain%d.Costly", k), Cost: 8, Inputs: []registry.Input{in(c(0))}, Outputs: []registry.Output{out(c(2))}},
			registry.API{Name: fmt.Sprintf("Chain%d.Blocked", k), Inputs: []registry.Input{id(c(1)), id(fmt.Sprintf("secret%d", k))}, Outputs: []registry.Output{out(c(3))}},
		)
	}
	if uniform {
		addUniform(rng, &apis, n, chains)
	} else {
		addServices(rng, &apis, n, chains)
	}
	return apis, chains
}

func chainRequest(k int) planner.Request {
	return planner.Request{
		Goals: []string{fmt.Sprintf("Chain%d.Step5", k)},
		Known: []planner.Known{{Key: fmt.Sprintf("c%d_0", k), Value: "start"}},
	}
}

// checkChain verifies that the plan is the chain with its two questions.
func checkChain(p *planner.Plan, k int) error {
	if p.Status != planner.StatusNeedsInfo {
		return fmt.Errorf("status %s", p.Status)
	}
	var asked []string
	calls := 0
	for _, s := range p.Steps {
		if s.API == planner.GetInfo {
			asked = append(asked, s.Slot)
		} else {
			calls++
		}
	}
	slices.Sort(asked)
	want := []string{fmt.Sprintf("m%d_1", k), fmt.Sprintf("m%d_2", k)}
	if !slices.Equal(asked, want) || calls != 5 || p.Cost != 15 {
		return fmt.Errorf("asked %v, %d calls, cost %d; want %v, 5 calls, cost 15", asked, calls, p.Cost, want)
	}
	return nil
}
