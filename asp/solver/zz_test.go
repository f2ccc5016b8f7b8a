package solver

import (
	"testing"
)

func BenchmarkZZHam(b *testing.B) {
	p := hamiltonian(22, 5, 3)
	for i := 0; i < b.N; i++ {
		cpu := cpuTime()
		res, _ := Solve(b.Context(), p, Options{Models: 0}, nil)
		b.Log(res.Models, (cpuTime()-cpu).Milliseconds())
	}
}
