package search

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
)

// generalCases are the hand-written domains of testdata/general, which
// between them use every construct Fast Downward's translator accepts
// (see testdata/README.md for which file exercises what), with the optimal
// plan cost of each problem worked out by hand in the problem's leading
// comment; unsolvable problems have optimal -1.
var generalCases = []struct {
	domain, problem string
	optimal         int64
}{
	{"hier", "hier-p1", 13},
	{"switches", "switches-p1", 4},
	{"switches", "switches-p2", 2},
	{"inspect", "inspect-p1", 7},
	{"inspect", "inspect-p2", 5},
	{"deladd", "deladd-p1", 2},
	{"deladd", "deladd-p2", 1},
	{"network", "network-p1", 4},
	{"network", "network-p2", 3},
	{"network", "network-p3", -1},
	{"roads", "roads-p1", 9},
	{"roads", "roads-p2", 2},
	{"rooms", "rooms-p1", 4},
	{"rooms", "rooms-p2", 1},
	{"rooms", "rooms-p3", 0},
	{"rooms", "rooms-p4", -1},
	{"coloring", "coloring-p1", 6},
	{"coloring", "coloring-p2", 3},
	{"coloring", "coloring-p3", -1},
	{"scopes", "scopes-p1", 6},
	{"either", "either-p1", 4},
	{"numbers", "numbers-p1", 4},
	{"numbers", "numbers-p2", 0},
	{"lenient", "lenient-p1", 4},
}

// TestGeneral runs each problem of testdata/general through the whole
// pipeline (parse, check, Normalize, Ground, search) with every search and
// heuristic: the optimal searches must reach the hand-computed optimum,
// every plan must be valid for pddl.Validate and pddl.ValidateAST at the
// cost the search reports, unsolvable problems must be proven so by every
// configuration, and lama's plan must match the golden file
// testdata/golden/general-PROBLEM.plan (-update rewrites it).
func TestGeneral(t *testing.T) {
	configs := []Options{
		{}, {Search: "lazy"}, {Search: "gbfs", Heuristic: "add"}, {Search: "lazy", Heuristic: "lmcount"},
		{Search: "wastar", Heuristic: "ff"}, {Search: "lama", Anytime: true},
		{Search: "astar", Heuristic: "blind"}, {Search: "astar", Heuristic: "max"}, {Search: "astar", Heuristic: "lmcut"},
	}
	for _, c := range generalCases {
		t.Run(c.problem, func(t *testing.T) {
			d, p := readGeneral(t, c.domain, c.problem)
			task, err := pddl.Normalize(d, p)
			if err != nil {
				t.Fatalf("Normalize: %v", err)
			}
			for i, o := range configs {
				_, res := solve(t, task, o)
				if c.optimal < 0 {
					if res.Status != Unsolvable {
						t.Errorf("%+v: %v, want unsolvable", o, res.Status)
					}
					continue
				}
				if res.Status != Solved {
					t.Fatalf("%+v: %v", o, res.Status)
				}
				cost, err := pddl.ValidateAST(d, p, pddlSteps(res.Plan))
				if err != nil || cost != res.Cost {
					t.Fatalf("%+v: ValidateAST: %v, cost %d, want %d", o, err, cost, res.Cost)
				}
				if (o.Search == "astar" || o.Anytime) && res.Cost != c.optimal {
					t.Errorf("%+v: cost %d, optimal %d: %v", o, res.Cost, c.optimal, res.Plan)
				}
				if i == 0 { // lama, the default
					checkGolden(t, filepath.Join("testdata", "golden", "general-"+c.problem+".plan"),
						pddl.FormatPlan(pddlSteps(res.Plan), res.Cost, task.UsesCost))
				}
			}
		})
	}
}

// readGeneral parses a domain and problem of testdata/general.
func readGeneral(t *testing.T, domain, problem string) (*pddl.Domain, *pddl.Problem) {
	t.Helper()
	read := func(name string) (string, []byte) {
		path := filepath.Join("testdata", "general", name+".pddl")
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return path, src
	}
	d, err := pddl.ParseDomain(read(domain))
	if err != nil {
		t.Fatal(err)
	}
	p, err := pddl.ParseProblem(read(problem))
	if err != nil {
		t.Fatal(err)
	}
	return d, p
}

// checkGolden compares got with the golden file, rewriting it under -update.
func checkGolden(t *testing.T, golden, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("plan differs from %s:\n%s", golden, got)
	}
}
