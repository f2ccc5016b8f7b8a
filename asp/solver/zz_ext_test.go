package solver_test

import (
	"context"
	"os"
	"testing"

	"github.com/toolsmith-dev/toolsmith/asp"
	"github.com/toolsmith-dev/toolsmith/asp/solver"
)

func TestZZQueens(t *testing.T) {
	src, _ := os.ReadFile("/tmp/q10.lp")
	prog, err := asp.Parse("q10.lp", src)
	if err != nil {
		t.Fatal(err)
	}
	gp, err := asp.Ground(context.Background(), prog, asp.GroundOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p := gp.Program
	nw, nn, nc := 0, 0, 0
	for _, r := range p.Rules {
		switch {
		case r.BodyKind == solver.Weight:
			nw++
		case r.HeadKind == solver.Choice:
			nc++
		default:
			nn++
		}
	}
	t.Log("atoms", p.NumAtoms, "rules", len(p.Rules), "weight", nw, "choice", nc, "normal", nn)
	for i, r := range p.Rules {
		if i < 30 {
			t.Logf("%+v", r)
		}
	}
	res, err := solver.Solve(context.Background(), p, solver.Options{}, nil)
	t.Logf("%+v %v", res, err)
}

func BenchmarkZZQueensExt(b *testing.B) {
	src, _ := os.ReadFile("/tmp/q10.lp")
	prog, _ := asp.Parse("q10.lp", src)
	gp, _ := asp.Ground(context.Background(), prog, asp.GroundOptions{})
	for i := 0; i < b.N; i++ {
		solver.Solve(context.Background(), gp.Program, solver.Options{}, nil)
	}
}
