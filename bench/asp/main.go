// Command asp benchmarks "toolsmith asp solve" against clingo on the same
// instances in the same run: N-queens (n=10 all models, n=30 first model),
// 3-colouring of a random 150-node graph, a Hamiltonian cycle in a random
// 30-node directed graph and the transitive closure of a random 250-node
// graph. Instances are generated from a fixed seed (there is no ASP data
// set in the shared data folder), so every run solves the same programs.
//
// Usage:
//
//	go build -o /tmp/ts ./cmd/toolsmith
//	go run ./bench/asp -toolsmith /tmp/ts [-clingo clingo] [-runs 5] [-keep DIR]
//	go run ./bench/asp -inprocess DIR   # small programs solved in process vs clingo processes
//
// It prints a markdown table: median wall time and peak resident memory of
// each solver (processes started per run, start-up included) and the ratios
// toolsmith/clingo.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"time"
)

// instance is one benchmark program and the solver arguments it is run with.
type instance struct {
	name string
	src  string
	args []string // e.g. -n 0
	want string   // expected first line of the result (SATISFIABLE, ...)
}

func queens(n int) string {
	return fmt.Sprintf(`#const n = %d.
{ q(I,J) : J = 1..n } = 1 :- I = 1..n.
{ q(I,J) : I = 1..n } = 1 :- J = 1..n.
:- D = 2..2*n, #count{ I,J : q(I,J), I+J = D } >= 2.
:- D = 1-n..n-1, #count{ I,J : q(I,J), I-J = D } >= 2.
`, n)
}

// colouring plants a 3-colouring and adds random edges that respect it.
func colouring(r *rand.Rand, nodes, edges int) string {
	var b strings.Builder
	col := make([]int, nodes+1)
	for i := 1; i <= nodes; i++ {
		col[i] = r.Intn(3)
	}
	fmt.Fprintf(&b, "node(1..%d).\ncol(r;g;b).\n", nodes)
	seen := map[[2]int]bool{}
	for len(seen) < edges {
		x, y := 1+r.Intn(nodes), 1+r.Intn(nodes)
		if x >= y || col[x] == col[y] || seen[[2]int{x, y}] {
			continue
		}
		seen[[2]int{x, y}] = true
		fmt.Fprintf(&b, "edge(%d,%d).\n", x, y)
	}
	b.WriteString(`1 { color(X,C) : col(C) } 1 :- node(X).
:- edge(X,Y), color(X,C), color(Y,C).
#show color/2.
`)
	return b.String()
}

// hamiltonian plants a cycle through a random permutation and adds random
// arcs.
func hamiltonian(r *rand.Rand, nodes, extra int) string {
	var b strings.Builder
	perm := r.Perm(nodes)
	arcs := map[[2]int]bool{}
	for i := range perm {
		arcs[[2]int{perm[i] + 1, perm[(i+1)%nodes] + 1}] = true
	}
	for len(arcs) < nodes+extra {
		x, y := 1+r.Intn(nodes), 1+r.Intn(nodes)
		if x != y {
			arcs[[2]int{x, y}] = true
		}
	}
	keys := make([][2]int, 0, len(arcs))
	for k := range arcs {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i][0] < keys[j][0] || keys[i][0] == keys[j][0] && keys[i][1] < keys[j][1]
	})
	fmt.Fprintf(&b, "node(1..%d).\n", nodes)
	for _, k := range keys {
		fmt.Fprintf(&b, "arc(%d,%d).\n", k[0], k[1])
	}
	b.WriteString(`{ in(X,Y) : arc(X,Y) } = 1 :- node(X).
{ in(X,Y) : arc(X,Y) } = 1 :- node(Y).
reach(1).
reach(Y) :- reach(X), in(X,Y).
:- node(X), not reach(X).
#show in/2.
`)
	return b.String()
}

func closure(r *rand.Rand, nodes, edges int) string {
	var b strings.Builder
	seen := map[[2]int]bool{}
	for len(seen) < edges {
		x, y := 1+r.Intn(nodes), 1+r.Intn(nodes)
		if !seen[[2]int{x, y}] {
			seen[[2]int{x, y}] = true
			fmt.Fprintf(&b, "e(%d,%d).\n", x, y)
		}
	}
	b.WriteString("tc(X,Y) :- e(X,Y).\ntc(X,Z) :- tc(X,Y), e(Y,Z).\n#show tc/2.\n")
	return b.String()
}

func instances() []instance {
	r := rand.New(rand.NewSource(20261128))
	return []instance{
		{"queens-10-all", queens(10), []string{"-n", "0"}, "SATISFIABLE"},
		{"queens-30-first", queens(30), []string{"-n", "1"}, "SATISFIABLE"},
		{"3col-150", colouring(r, 150, 330), []string{"-n", "1"}, "SATISFIABLE"},
		{"hamilton-30", hamiltonian(r, 30, 90), []string{"-n", "1"}, "SATISFIABLE"},
		{"tc-250", closure(r, 250, 500), []string{"-n", "1"}, "SATISFIABLE"},
	}
}

// measurement is one process run.
type measurement struct {
	wall   time.Duration
	rssKiB int64
	models string
}

func run(bin string, args []string) (measurement, error) {
	cmd := exec.Command(bin, args...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || (ee.ExitCode() != 10 && ee.ExitCode() != 20 && ee.ExitCode() != 30) {
			return measurement{}, fmt.Errorf("%s %v: %v\n%s", bin, args, err, out.String())
		}
	}
	m := measurement{wall: wall}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.rssKiB = ru.Maxrss
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "Models") {
			m.models = strings.TrimSpace(strings.TrimPrefix(line, "Models       :"))
		}
	}
	return m, nil
}

func median(ms []measurement) measurement {
	sort.Slice(ms, func(i, j int) bool { return ms[i].wall < ms[j].wall })
	m := ms[len(ms)/2]
	rss := make([]int64, len(ms))
	for i := range ms {
		rss[i] = ms[i].rssKiB
	}
	sort.Slice(rss, func(i, j int) bool { return rss[i] < rss[j] })
	m.rssKiB = rss[len(rss)/2]
	return m
}

func main() {
	toolsmith := flag.String("toolsmith", "", "path of the toolsmith binary (required)")
	clingo := flag.String("clingo", "clingo", "path of the clingo binary")
	runs := flag.Int("runs", 5, "runs per instance and solver (the median is reported)")
	keep := flag.String("keep", "", "write the instances into this directory and keep them")
	only := flag.String("only", "", "run only instances whose name contains this")
	inproc := flag.String("inprocess", "", "also solve every .lp file of this directory in process and compare the latency with clingo processes")
	flag.Parse()
	if *toolsmith == "" && *inproc == "" {
		log.Fatal("-toolsmith is required")
	}
	if *inproc != "" {
		defer inProcess(*inproc, *clingo, *runs)
		if *toolsmith == "" {
			return
		}
	}
	dir := *keep
	if dir == "" {
		d, err := os.MkdirTemp("", "asp-bench")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(d)
		dir = d
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Fatal(err)
	}
	// Idle baselines: each binary solving the one-fact program "a.".
	idle := filepath.Join(dir, "idle.lp")
	if err := os.WriteFile(idle, []byte("a.\n"), 0o644); err != nil {
		log.Fatal(err)
	}
	var ourIdle, theirIdle []measurement
	for i := 0; i < *runs; i++ {
		m, err := run(*toolsmith, []string{"asp", "solve", idle})
		if err != nil {
			log.Fatal(err)
		}
		ourIdle = append(ourIdle, m)
		if m, err = run(*clingo, []string{idle}); err != nil {
			log.Fatal(err)
		}
		theirIdle = append(theirIdle, m)
	}
	oi, ti := median(ourIdle), median(theirIdle)
	fmt.Printf("Machine: %s/%s, %d CPUs, %s; median of %d runs; wall time includes process start-up.\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), cpuModel(), *runs)
	fmt.Printf("Idle (program \"a.\"): toolsmith %s, %.1f MiB; clingo %s, %.1f MiB. \"Δ RSS\" is peak RSS above that idle figure.\n\n",
		oi.wall.Round(time.Millisecond/10), float64(oi.rssKiB)/1024, ti.wall.Round(time.Millisecond/10), float64(ti.rssKiB)/1024)
	fmt.Println("| instance | models (toolsmith / clingo) | toolsmith time | clingo time | time ratio | toolsmith peak RSS | clingo peak RSS | memory ratio | toolsmith Δ RSS | clingo Δ RSS |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, in := range instances() {
		if *only != "" && !strings.Contains(in.name, *only) {
			continue
		}
		file := filepath.Join(dir, in.name+".lp")
		if err := os.WriteFile(file, []byte(in.src), 0o644); err != nil {
			log.Fatal(err)
		}
		var ours, theirs []measurement
		for i := 0; i < *runs; i++ {
			m, err := run(*toolsmith, append([]string{"asp", "solve", file}, in.args...))
			if err != nil {
				log.Fatal(err)
			}
			ours = append(ours, m)
			m, err = run(*clingo, append([]string{file}, in.args...))
			if err != nil {
				log.Fatal(err)
			}
			theirs = append(theirs, m)
		}
		a, b := median(ours), median(theirs)
		fmt.Printf("| %s | %s / %s | %s | %s | %.2f | %.1f MiB | %.1f MiB | %.2f | %.1f MiB | %.1f MiB |\n", in.name, a.models, b.models,
			a.wall.Round(time.Millisecond/10), b.wall.Round(time.Millisecond/10), a.wall.Seconds()/b.wall.Seconds(),
			float64(a.rssKiB)/1024, float64(b.rssKiB)/1024, float64(a.rssKiB)/float64(b.rssKiB),
			float64(a.rssKiB-oi.rssKiB)/1024, float64(b.rssKiB-ti.rssKiB)/1024)
	}
}

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "model name") {
			_, v, _ := strings.Cut(line, ":")
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}
