package solver

import (
	"fmt"
	"math/rand"
	"testing"
	"time"
)

func TestZZTC(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	n := 150
	g := &gen{p: &Program{}}
	var edges [][2]int
	e := map[[2]int]Atom{}
	for len(edges) < 4*n {
		u, v := r.Intn(n), r.Intn(n)
		if u == v {
			continue
		}
		if _, ok := e[[2]int{u, v}]; ok {
			continue
		}
		e[[2]int{u, v}] = g.atom(fmt.Sprintf("e(%d,%d)", u, v))
		edges = append(edges, [2]int{u, v})
	}
	for _, a := range e {
		g.choice(a)
	}
	reach := make([][]Atom, n)
	for x := range reach {
		reach[x] = make([]Atom, n)
		for y := range reach[x] {
			reach[x][y] = g.atom(fmt.Sprintf("r(%d,%d)", x, y))
		}
	}
	for _, ed := range edges {
		a := e[ed]
		g.rule(reach[ed[0]][ed[1]], Lit(a))
		for x := 0; x < n; x++ {
			g.rule(reach[x][ed[1]], Lit(reach[x][ed[0]]), Lit(a))
		}
	}
	// require some reachability
	for x := 0; x < 10; x++ {
		g.rule(0, -Lit(reach[x][(x+7)%n]))
	}
	st := time.Now()
	res, err := Solve(t.Context(), g.p, Options{Models: 3}, nil)
	t.Log(g.p.NumAtoms, len(g.p.Rules), time.Since(st), res.Models, res.Stats.Conflicts, res.Stats.UnfoundedSets, err)
}
