package asp

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// Grounding benchmarks; the end-to-end comparison with clingo is
// bench/asp (see docs/benchmarks/asp.md).

func benchProgram(b *testing.B, src string) *Program {
	b.Helper()
	prog, err := Parse("bench.lp", []byte(src))
	if err != nil {
		b.Fatal(err)
	}
	return prog
}

func closureProgram(n int) string {
	var sb strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&sb, "e(%d,%d). e(%d,%d).\n", i, i%n+1, i, (i*7)%n+1)
	}
	sb.WriteString("tc(X,Y) :- e(X,Y).\ntc(X,Z) :- tc(X,Y), e(Y,Z).\n")
	return sb.String()
}

func BenchmarkGroundClosure100(b *testing.B) {
	prog := benchProgram(b, closureProgram(100))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Ground(context.Background(), prog, GroundOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGroundQueens20(b *testing.B) {
	prog := benchProgram(b, `#const n = 20.
{ q(I,J) : J = 1..n } = 1 :- I = 1..n.
{ q(I,J) : I = 1..n } = 1 :- J = 1..n.
:- D = 2..2*n, #count{ I,J : q(I,J), I+J = D } >= 2.
:- D = 1-n..n-1, #count{ I,J : q(I,J), I-J = D } >= 2.`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Ground(context.Background(), prog, GroundOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	src := []byte(closureProgram(500))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Parse("bench.lp", src); err != nil {
			b.Fatal(err)
		}
	}
}
