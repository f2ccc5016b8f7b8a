package pddl

import (
	"os"
	"testing"
)

// benchFiles are the inputs of the parser and normaliser benchmarks.
var benchFiles = []struct{ name, domain, problem string }{
	{"gripper", "ipc/gripper/domain.pddl", "ipc/gripper/prob01.pddl"},
	{"elevators", "ipc/elevators-sat08-strips/domain.pddl", "ipc/elevators-sat08-strips/p01.pddl"},
	{"psr-small", "ipc/psr-small/p01-domain.pddl", "ipc/psr-small/p01-s2-n1-l2-f50.pddl"},
}

func BenchmarkParse(b *testing.B) {
	for _, f := range benchFiles {
		src, err := os.ReadFile("testdata/" + f.problem)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(f.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if _, err := ParseProblem(f.problem, src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkNormalize(b *testing.B) {
	for _, f := range benchFiles {
		d, p := readTestdata(b, f.domain, f.problem)
		b.Run(f.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Normalize(d, p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
