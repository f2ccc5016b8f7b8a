package search

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
)

// TestAxiomEvaluatorMatchesDerive follows random walks on tasks with
// derived predicates and checks, in every state, that the search's axiom
// evaluator (packed bits, watched conditions) derives exactly what
// Task.Derive, the plain fixpoint layer by layer, does.
func TestAxiomEvaluatorMatchesDerive(t *testing.T) {
	tasks := map[string]*pddl.Task{}
	for _, c := range ipcCases {
		if c.domain == "psr-large" || c.domain == "philosophers" || c.domain == "optical-telegraphs" {
			tasks[c.domain] = loadIPC(t, c)
		}
	}
	for _, c := range generalCases {
		if c.domain == "network" || c.domain == "coloring" || c.domain == "inspect" || c.domain == "either" {
			d, p := readGeneral(t, c.domain, c.problem)
			task, err := pddl.Normalize(d, p)
			if err != nil {
				t.Fatal(err)
			}
			tasks[c.problem] = task
		}
	}
	tasks["apron"] = apronTask(t, 6, 8, 5)
	rng := rand.New(rand.NewPCG(3, 4))
	for name, task := range tasks {
		p, err := Ground(context.Background(), task)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Axioms) == 0 {
			t.Fatalf("%s: no axioms", name)
		}
		ev := newAxiomEvaluator(p)
		for walk := range 20 {
			s := p.InitState()
			for step := range 40 {
				var bits []int32
				for f := range p.Primary {
					if s[f] {
						bits = append(bits, int32(f))
					}
				}
				packed := packState(p, bits)
				ev.evaluate(packed)
				for f := p.Primary; f < len(p.Facts); f++ {
					if packed.has(int32(f)) != s[f] {
						t.Fatalf("%s walk %d step %d: %s is %v for the evaluator, %v for Derive", name, walk, step, p.Facts[f], packed.has(int32(f)), s[f])
					}
				}
				var applicable []int
				for o := range p.Operators {
					if p.Operators[o].Applicable(s) {
						applicable = append(applicable, o)
					}
				}
				if len(applicable) == 0 {
					break
				}
				s = p.Apply(s, applicable[rng.IntN(len(applicable))])
			}
		}
	}
}
