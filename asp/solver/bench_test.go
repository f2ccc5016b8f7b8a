package solver

import (
	"context"
	"math/rand"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/toolsmith-dev/toolsmith/internal/testenv"
)

// cpuTime is the CPU time (user and system) used by this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Benchmarks on generated ground programs. Each instance is also run
// through clingo (when installed) under BenchmarkClingo with the same
// sub-benchmark names, so that the ratio is measured in the same run:
//
//	go test -run '^$' -bench . -benchtime 5x ./asp/solver/

type benchCase struct {
	name   string
	p      func() *Program
	models int // 0 = all
}

func benchCases() []benchCase {
	return []benchCase{
		{"pigeonhole-8-7", func() *Program { return pigeonhole(8, 7) }, 1},
		{"queens-10-all", func() *Program { return queens(10) }, 0},
		{"queens-30-first", func() *Program { return queens(30) }, 1},
		{"colouring-150-3", func() *Program { return graphColouring(150, 3, 4.0/150, 1) }, 1},
		{"3sat-150-630", func() *Program { return random3SAT(150, 630, 3) }, 1},
		{"3sat-250-1065", func() *Program { return random3SAT(250, 1065, 5) }, 1},
		{"hamiltonian-30-4", func() *Program { return hamiltonian(30, 4, 2) }, 1},
		{"hamiltonian-50-3", func() *Program { return hamiltonian(50, 3, 4) }, 1},
		{"hamiltonian-22-5-all", func() *Program { return hamiltonian(22, 5, 3) }, 0},
		{"choice-16-all", func() *Program { return freeChoice(16) }, 0},
		{"opt-colouring-30-5", func() *Program { return colouringOpt(30, 5, 0.2, 3) }, 0},
		{"facts-62500", func() *Program { return facts(62500) }, 1},
		{"reach-loop-2000", func() *Program { return reachLoop(2000) }, 0},
	}
}

func BenchmarkSolve(b *testing.B) {
	for _, c := range benchCases() {
		p := c.p()
		b.Run(c.name, func(b *testing.B) {
			var res Result
			cpu := cpuTime()
			for i := 0; i < b.N; i++ {
				var err error
				mode := OptIgnore
				if len(p.Minimize) > 0 {
					mode = OptFind
				}
				res, err = Solve(context.Background(), p, Options{Models: c.models, OptMode: mode}, nil)
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/1e6/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(res.Models), "models")
			b.ReportMetric(float64(res.Stats.Conflicts), "conflicts")
		})
	}
}

func BenchmarkClingo(b *testing.B) {
	path := testenv.Clingo(b)
	dir := b.TempDir()
	for _, c := range benchCases() {
		lp := toLP(c.p())
		file := dir + "/" + c.name + ".lp"
		if err := os.WriteFile(file, []byte(lp), 0o644); err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			var cpu time.Duration
			for i := 0; i < b.N; i++ {
				cmd := exec.Command(path, "-q", "-n", itoa(c.models), file)
				out, _ := cmd.Output()
				if !strings.Contains(string(out), "Models") {
					b.Fatalf("clingo: %s", out)
				}
				cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
			}
			b.ReportMetric(float64(cpu)/1e6/float64(b.N), "cpu-ms/op")
		})
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

// BenchmarkSmall measures the fixed cost of Solve on a program of the size
// the planner's reasoning produces (tens of atoms and rules).
func BenchmarkSmall(b *testing.B) {
	p := largeNonTight(rand.New(rand.NewSource(3)), 60)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Solve(context.Background(), p, Options{Models: 1}, nil); err != nil {
			b.Fatal(err)
		}
	}
}
