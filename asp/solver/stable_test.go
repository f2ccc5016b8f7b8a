package solver

import (
	"fmt"
	"math/rand"
	"testing"
)

// stable checks in polynomial time that m (indexed by atom) is an answer set
// of p: m satisfies the integrity constraints and equals the least model of
// the reduct of p relative to m.
func stable(p *Program, m []bool) bool {
	holds := func(l Lit, in []bool) bool { return in[l.Atom()] == l.Positive() }
	body := func(r *Rule, pos []bool) bool {
		return bodyHolds(r, func(l Lit) bool {
			if l.Positive() {
				return holds(l, pos)
			}
			return holds(l, m)
		})
	}
	for i := range p.Rules {
		if r := &p.Rules[i]; r.HeadKind == Disjunctive && len(r.Head) == 0 && body(r, m) {
			return false
		}
	}
	lm := make([]bool, p.NumAtoms+1)
	for changed := true; changed; {
		changed = false
		for i := range p.Rules {
			r := &p.Rules[i]
			if len(r.Head) == 0 || !body(r, lm) {
				continue
			}
			for _, h := range r.Head {
				if !lm[h] && (r.HeadKind != Choice || m[h]) {
					lm[h] = true
					changed = true
				}
			}
		}
	}
	for a := 1; a <= p.NumAtoms; a++ {
		if lm[a] != m[a] {
			return false
		}
	}
	return true
}

// largeNonTight draws a program with many positive loops: atoms are
// grouped in rings with internal positive rules, choices feed them, and
// constraints and weight bodies prune.
func largeNonTight(r *rand.Rand, n int) *Program {
	g := &gen{p: &Program{}}
	var as []Atom
	for i := 0; i < n; i++ {
		as = append(as, g.atom("a"+itoa(i+1)))
	}
	pick := func() Atom { return as[r.Intn(n)] }
	for i := 0; i < n/2; i++ {
		g.choice(pick())
	}
	for i := 0; i < 2*n; i++ {
		h := pick()
		switch r.Intn(12) {
		case 0:
			g.rule(h, -Lit(pick()))
		case 6, 7, 8, 9, 10, 11:
			g.rule(h, Lit(pick()))
		case 1, 2:
			g.rule(h, Lit(pick()), Lit(pick()))
		case 3:
			g.rule(h, Lit(pick()), -Lit(pick()))
		case 4:
			g.rule(h, Lit(pick()))
		default:
			rule := Rule{Head: []Atom{h}, BodyKind: Weight, Bound: int64(1 + r.Intn(4))}
			for k := 0; k < 4; k++ {
				l := Lit(pick())
				if r.Intn(3) == 0 {
					l = -l
				}
				rule.Body = append(rule.Body, WeightedLit{Lit: l, Weight: int64(1 + r.Intn(2))})
			}
			g.p.Rules = append(g.p.Rules, rule)
		}
	}
	for i := 0; i < n/20; i++ {
		g.rule(0, Lit(pick()), -Lit(pick()))
	}
	return g.p
}

// TestLargeModelsAreStable checks every model found on larger programs
// (beyond the oracle's reach) with the polynomial answer-set check.
func TestLargeModelsAreStable(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	var progs []*Program
	for i := 0; i < 30; i++ {
		progs = append(progs, largeNonTight(r, 40+r.Intn(80)))
	}
	progs = append(progs, hamiltonian(12, 3, 1), hamiltonian(20, 3, 2), queens(6))
	for i, p := range progs {
		seen := map[string]bool{}
		_, ms, err := collect(p, Options{Models: 300, Seed: int64(i)})
		if err != nil {
			t.Fatal(err)
		}
		for _, mod := range ms {
			m := make([]bool, p.NumAtoms+1)
			for _, k := range mod.Shown {
				m[k+1] = true // output k shows atom k+1
			}
			if !stable(p, m) {
				t.Fatalf("program %d: model %v is not an answer set", i, mod.Shown)
			}
			key := shownKey(p, mod.Shown)
			if seen[key] {
				t.Fatalf("program %d: duplicate model", i)
			}
			seen[key] = true
		}
	}
}

// TestHamiltonianCycles checks that the models of the Hamiltonian cycle
// encoding are exactly single cycles (no disconnected sub-cycles, which only
// unfounded-set checking rules out).
func TestHamiltonianCycles(t *testing.T) {
	const n = 9
	p := hamiltonian(n, 3, 5)
	_, ms, err := collect(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 {
		t.Fatal("no cycle found; the generator plants one")
	}
	for _, m := range ms {
		next := map[int]int{}
		for _, k := range m.Shown {
			var u, v int
			if _, err := sscanf(p.Outputs[k].Text, &u, &v); err == nil {
				next[u] = v
			}
		}
		seen := map[int]bool{}
		for v, k := 0, 0; k < n; k++ {
			seen[v] = true
			v = next[v]
		}
		if len(seen) != n {
			t.Fatalf("model %v is not a single cycle", m.Shown)
		}
	}
}

// sscanf reads "in(U,V)".
func sscanf(s string, u, v *int) (int, error) {
	return fmt.Sscanf(s, "in(%d,%d)", u, v)
}
