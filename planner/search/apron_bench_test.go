package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
)

// apronProblem writes a problem of testdata/bench/apron.pddl: a grid of
// rows×cols segments linked east and west along rows and between rows,
// each segment shadowing the two behind it, a gate at the start of each
// row, a runway at the end of the first, and planes planes facing east
// on every third segment off the edges; even planes must take off, odd
// ones park.
func apronProblem(rows, cols, planes int) string {
	var objs, init, goal strings.Builder
	seg := func(i, j int) string { return fmt.Sprintf("s%d_%d", i, j) }
	fact := func(format string, args ...any) { fmt.Fprintf(&init, " ("+format+")", args...) }
	for i := range rows {
		for j := range cols {
			fmt.Fprintf(&objs, " %s", seg(i, j))
			if j+1 < cols {
				fact("link %s %s east", seg(i, j), seg(i, j+1))
				fact("link %s %s west", seg(i, j+1), seg(i, j))
			}
			if i+1 < rows {
				fact("link %s %s east", seg(i, j), seg(i+1, j))
				fact("link %s %s west", seg(i+1, j), seg(i, j))
			}
			for _, d := range []struct {
				name string
				dj   int
			}{{"east", 1}, {"west", -1}} {
				for k := 1; k <= 2; k++ {
					if b := j - d.dj*k; b >= 0 && b < cols {
						fact("shadow %s %s %s", seg(i, b), seg(i, j), d.name)
					}
				}
				fact("shadow %s %s %s", seg(i, j), seg(i, j), d.name)
			}
		}
		fact("gate %s", seg(i, 0))
	}
	fact("runway %s", seg(0, cols-1))
	objs.WriteString(" - segment")
	for k := range planes {
		cell := 3 * k
		s := seg(cell/(cols-2)%rows, 1+cell%(cols-2))
		fmt.Fprintf(&objs, " a%d", k)
		fact("at a%d %s", k, s)
		fact("facing a%d east", k)
		fact("occupied %s", s)
		fact("blocked %s a%d", s, k)
		if k%2 == 0 {
			fmt.Fprintf(&goal, " (gone a%d)", k)
		} else {
			fmt.Fprintf(&goal, " (parked a%d)", k)
		}
	}
	return fmt.Sprintf("(define (problem apron-%d-%d-%d) (:domain apron)\n (:objects%s - plane east west - dir)\n (:init%s)\n (:goal (and%s)))\n",
		rows, cols, planes, objs.String(), init.String(), goal.String())
}

// apronTask normalises a generated apron problem.
func apronTask(b testing.TB, rows, cols, planes int) *pddl.Task {
	b.Helper()
	path := filepath.Join("testdata", "bench", "apron.pddl")
	src, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	d, err := pddl.ParseDomain(path, src)
	if err != nil {
		b.Fatal(err)
	}
	p, err := pddl.ParseProblem("apron", []byte(apronProblem(rows, cols, planes)))
	if err != nil {
		b.Fatal(err)
	}
	task, err := pddl.Normalize(d, p)
	if err != nil {
		b.Fatal(err)
	}
	return task
}

// BenchmarkApron grounds an apron of 14×16 segments and 16 planes (11 024
// facts, 20 672 operators with quantified conditional effects, 53 760
// axioms) and evaluates its axioms in the initial state; lama solves one
// of 10×12 segments and 10 planes (3 750 facts, 6 820 operators, 10 800
// axioms; a plan of 97 steps).
func BenchmarkApron(b *testing.B) {
	task := apronTask(b, 14, 16, 16)
	b.Run("ground", func(b *testing.B) {
		for b.Loop() {
			if _, err := Ground(context.Background(), task); err != nil {
				b.Fatal(err)
			}
		}
	})
	p, err := Ground(context.Background(), task)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("axioms", func(b *testing.B) {
		ev := newAxiomEvaluator(p)
		s := packState(p, p.Init)
		for b.Loop() {
			ev.evaluate(s)
		}
	})
	small, err := Ground(context.Background(), apronTask(b, 10, 12, 10))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("lama", func(b *testing.B) {
		for b.Loop() {
			res, err := Plan(context.Background(), small, Options{})
			if err != nil || res.Status != Solved {
				b.Fatal(err, res.Status)
			}
		}
	})
}
