package scc

import (
	"slices"
	"testing"
)

func TestTarjan(t *testing.T) {
	// 0 -> 1 -> 2 -> 1, 2 -> 3, 3 -> 3, 4 alone, 5 -> 0.
	adj := [][]int32{{1}, {2}, {1, 3}, {3}, nil, {0}}
	comp := Tarjan(adj)
	if comp[1] != comp[2] {
		t.Fatalf("1 and 2 are on a cycle but in components %d and %d", comp[1], comp[2])
	}
	seen := map[int]bool{}
	for v, c := range comp {
		if v != 2 {
			if seen[c] {
				t.Fatalf("component %d holds more than the cycle 1-2: %v", c, comp)
			}
			seen[c] = true
		}
	}
	for v, ws := range adj {
		for _, w := range ws {
			if comp[v] < comp[w] {
				t.Errorf("edge %d->%d: component %d comes before %d", v, w, comp[v], comp[w])
			}
		}
	}
	if got := Tarjan([][]int{}); !slices.Equal(got, []int{}) {
		t.Errorf("empty graph: %v", got)
	}
}

func TestTarjanDeepChain(t *testing.T) {
	const n = 200000
	adj := make([][]int, n)
	for i := 0; i+1 < n; i++ {
		adj[i] = []int{i + 1}
	}
	adj[n-1] = []int{0}
	comp := Tarjan(adj)
	for v, c := range comp {
		if c != comp[0] {
			t.Fatalf("node %d in component %d, want one cycle (%d)", v, c, comp[0])
		}
	}
}
