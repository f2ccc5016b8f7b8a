package search

import (
	"context"
	"testing"
)

func benchProblem(b *testing.B, c ipcCase) *Task {
	p, err := Ground(context.Background(), loadIPC(b, c))
	if err != nil {
		b.Fatal(err)
	}
	return p
}

var benchCase = ipcCase{domain: "barman-sat11-strips", problem: "pfile06-021"}

func BenchmarkGround(b *testing.B) {
	task := loadIPC(b, benchCase)
	for b.Loop() {
		if _, err := Ground(context.Background(), task); err != nil {
			b.Fatal(err)
		}
	}
}

func benchHeuristic(b *testing.B, name string) {
	p := benchProblem(b, benchCase)
	h, err := newHeuristic(name, p, true)
	if err != nil {
		b.Fatal(err)
	}
	s := packState(p, p.Init)
	for b.Loop() {
		h.evaluate(evalAt(s))
	}
}

func BenchmarkFF(b *testing.B)      { benchHeuristic(b, "ff") }
func BenchmarkAdd(b *testing.B)     { benchHeuristic(b, "add") }
func BenchmarkLMCut(b *testing.B)   { benchHeuristic(b, "lmcut") }
func BenchmarkLMCount(b *testing.B) { benchHeuristic(b, "lmcount") }

func BenchmarkSuccessors(b *testing.B) {
	p := benchProblem(b, benchCase)
	sg := newSuccGen(p.Operators)
	s := packState(p, p.Init)
	var ops []int32
	for b.Loop() {
		ops = sg.applicable(s, ops[:0])
	}
}

// BenchmarkLama solves a whole problem with the default configuration.
func BenchmarkLama(b *testing.B) {
	p := benchProblem(b, benchCase)
	for b.Loop() {
		res, err := Plan(context.Background(), p, Options{})
		if err != nil || res.Status != Solved {
			b.Fatal(err, res.Status)
		}
	}
}
