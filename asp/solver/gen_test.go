package solver

import (
	"fmt"
	"math/rand"
)

// Generators of larger ground programs for tests and benchmarks, built
// directly as Programs (as the grounder would emit them).

type gen struct{ p *Program }

func (g *gen) atom(text string) Atom {
	g.p.NumAtoms++
	a := Atom(g.p.NumAtoms)
	g.p.Outputs = append(g.p.Outputs, Output{Text: text, Cond: []Lit{Lit(a)}})
	return a
}

func (g *gen) choice(as ...Atom) {
	g.p.Rules = append(g.p.Rules, Rule{HeadKind: Choice, Head: as})
}

// atMost adds ":- k+1 <= #count{as}".
func (g *gen) atMost(k int64, as []Atom) {
	r := Rule{BodyKind: Weight, Bound: k + 1}
	for _, a := range as {
		r.Body = append(r.Body, WeightedLit{Lit: Lit(a), Weight: 1})
	}
	g.p.Rules = append(g.p.Rules, r)
}

// atLeastOne adds ":- not a1, ..., not an".
func (g *gen) atLeastOne(as []Atom) {
	r := Rule{}
	for _, a := range as {
		r.Body = append(r.Body, WeightedLit{Lit: -Lit(a), Weight: 1})
	}
	g.p.Rules = append(g.p.Rules, r)
}

func (g *gen) rule(head Atom, body ...Lit) {
	r := Rule{}
	if head != 0 {
		r.Head = []Atom{head}
	}
	for _, l := range body {
		r.Body = append(r.Body, WeightedLit{Lit: l, Weight: 1})
	}
	g.p.Rules = append(g.p.Rules, r)
}

// pigeonhole places p pigeons into h holes (unsatisfiable when p > h).
func pigeonhole(p, h int) *Program {
	g := &gen{p: &Program{}}
	x := make([][]Atom, p)
	for i := range x {
		for j := 0; j < h; j++ {
			x[i] = append(x[i], g.atom(fmt.Sprintf("x(%d,%d)", i, j)))
		}
		g.choice(x[i]...)
		g.atLeastOne(x[i])
	}
	for j := 0; j < h; j++ {
		var col []Atom
		for i := range x {
			col = append(col, x[i][j])
		}
		g.atMost(1, col)
	}
	return g.p
}

// graphColouring colours a random graph of n nodes (edge probability
// density) with k colours.
func graphColouring(n, k int, density float64, seed int64) *Program {
	r := rand.New(rand.NewSource(seed))
	g := &gen{p: &Program{}}
	c := make([][]Atom, n)
	for v := range c {
		for i := 0; i < k; i++ {
			c[v] = append(c[v], g.atom(fmt.Sprintf("colour(%d,%d)", v, i)))
		}
		g.choice(c[v]...)
		g.atLeastOne(c[v])
		g.atMost(1, c[v])
	}
	for u := 0; u < n; u++ {
		for v := u + 1; v < n; v++ {
			if r.Float64() < density {
				for i := 0; i < k; i++ {
					g.rule(0, Lit(c[u][i]), Lit(c[v][i]))
				}
			}
		}
	}
	return g.p
}

// random3SAT encodes a random 3-SAT formula as a choice rule over the
// variables and one integrity constraint per clause.
func random3SAT(vars, clauses int, seed int64) *Program {
	r := rand.New(rand.NewSource(seed))
	g := &gen{p: &Program{}}
	var xs []Atom
	for i := 0; i < vars; i++ {
		xs = append(xs, g.atom(fmt.Sprintf("x(%d)", i)))
	}
	g.choice(xs...)
	for i := 0; i < clauses; i++ {
		var body []Lit
		for j := 0; j < 3; j++ {
			l := Lit(xs[r.Intn(vars)])
			if r.Intn(2) == 0 {
				l = -l
			}
			body = append(body, -l)
		}
		g.rule(0, body...)
	}
	return g.p
}

// hamiltonian looks for a Hamiltonian cycle in a random directed graph with
// n nodes and out-degree deg that contains a known cycle; reachability is a
// positive loop, so this exercises unfounded-set checking.
func hamiltonian(n, deg int, seed int64) *Program {
	r := rand.New(rand.NewSource(seed))
	g := &gen{p: &Program{}}
	perm := r.Perm(n)
	edges := map[[2]int]bool{}
	for i := range perm {
		edges[[2]int{perm[i], perm[(i+1)%n]}] = true
	}
	for u := 0; u < n; u++ {
		for k := 0; k < deg-1; k++ {
			if v := r.Intn(n); v != u {
				edges[[2]int{u, v}] = true
			}
		}
	}
	in := map[[2]int]Atom{}
	out := make([][]Atom, n)
	into := make([][]Atom, n)
	for u := 0; u < n; u++ {
		for v := 0; v < n; v++ {
			if edges[[2]int{u, v}] {
				a := g.atom(fmt.Sprintf("in(%d,%d)", u, v))
				in[[2]int{u, v}] = a
				out[u] = append(out[u], a)
				into[v] = append(into[v], a)
			}
		}
	}
	reach := make([]Atom, n)
	for v := range reach {
		reach[v] = g.atom(fmt.Sprintf("reach(%d)", v))
	}
	for u := 0; u < n; u++ {
		g.choice(out[u]...)
		g.atLeastOne(out[u])
		g.atMost(1, out[u])
		g.atLeastOne(into[u])
		g.atMost(1, into[u])
	}
	for e, a := range in {
		if e[0] == 0 {
			g.rule(reach[e[1]], Lit(a))
		} else {
			g.rule(reach[e[1]], Lit(reach[e[0]]), Lit(a))
		}
	}
	for v := range reach {
		g.rule(0, -Lit(reach[v]))
	}
	return g.p
}

// queens places n queens on an n x n board.
func queens(n int) *Program {
	g := &gen{p: &Program{}}
	q := make([][]Atom, n)
	for i := range q {
		for j := 0; j < n; j++ {
			q[i] = append(q[i], g.atom(fmt.Sprintf("queen(%d,%d)", i, j)))
		}
		g.choice(q[i]...)
		g.atLeastOne(q[i])
		g.atMost(1, q[i])
	}
	for j := 0; j < n; j++ {
		var col []Atom
		for i := 0; i < n; i++ {
			col = append(col, q[i][j])
		}
		g.atMost(1, col)
	}
	for d := -(n - 1); d <= n-1; d++ {
		var diag, anti []Atom
		for i := 0; i < n; i++ {
			if j := i + d; j >= 0 && j < n {
				diag = append(diag, q[i][j])
			}
			if j := d + n - 1 - i; j >= 0 && j < n {
				anti = append(anti, q[i][j])
			}
		}
		g.atMost(1, diag)
		g.atMost(1, anti)
	}
	return g.p
}

// facts is a program of n facts, as a grounder emits for a transitive
// closure it computed itself.
func facts(n int) *Program {
	g := &gen{p: &Program{}}
	for i := 0; i < n; i++ {
		g.rule(g.atom(fmt.Sprintf("p(%d)", i)))
	}
	return g.p
}

// reachLoop is one long positive cycle a(0) -> a(1) -> ... -> a(0) entered
// through a choice: its two answer sets need unfounded-set checking over the
// whole cycle.
func reachLoop(n int) *Program {
	g := &gen{p: &Program{}}
	start := g.atom("start")
	g.choice(start)
	as := make([]Atom, n)
	for i := range as {
		as[i] = g.atom(fmt.Sprintf("a(%d)", i))
	}
	g.rule(as[0], Lit(start))
	for i := range as {
		g.rule(as[(i+1)%n], Lit(as[i]))
	}
	return g.p
}

// colouringOpt colours a random graph with up to k colours, minimising
// first the number of colours used, then the sum of the colour indices.
func colouringOpt(n, k int, density float64, seed int64) *Program {
	p := graphColouring(n, k, density, seed)
	g := &gen{p: p}
	used := make([]Atom, k)
	for i := range used {
		used[i] = g.atom(fmt.Sprintf("used(%d)", i))
	}
	lvl2 := Minimize{Priority: 2}
	lvl1 := Minimize{Priority: 1}
	for v := 0; v < n; v++ {
		for i := 0; i < k; i++ {
			a := Atom(v*k + i + 1) // colour(v,i), as numbered by graphColouring
			g.rule(used[i], Lit(a))
			lvl1.Lits = append(lvl1.Lits, WeightedLit{Lit: Lit(a), Weight: int64(i)})
		}
	}
	for _, u := range used {
		lvl2.Lits = append(lvl2.Lits, WeightedLit{Lit: Lit(u), Weight: 1})
	}
	p.Minimize = append(p.Minimize, lvl2, lvl1)
	return p
}

// freeChoice is one choice rule over n atoms: 2^n answer sets.
func freeChoice(n int) *Program {
	g := &gen{p: &Program{}}
	var as []Atom
	for i := 0; i < n; i++ {
		as = append(as, g.atom(fmt.Sprintf("a(%d)", i)))
	}
	g.choice(as...)
	return g.p
}
