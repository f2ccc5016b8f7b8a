package search

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
)

// derivedCases are hand-made domains with derived predicates and
// conditions Normalize compiles into derived predicates, with their
// optimal plan costs (worked out by hand; testdata/derived holds a plan of
// that cost for each).
var derivedCases = []struct {
	domain, problem string
	optimal         int64
}{
	{"circuit", "circuit-p1", 4},
	{"packing", "packing-p1", 5},
}

// readDerived parses a domain and problem of testdata/derived.
func readDerived(t *testing.T, domain, problem string) (*pddl.Domain, *pddl.Problem) {
	t.Helper()
	read := func(name string) []byte {
		src, err := os.ReadFile(filepath.Join("testdata", "derived", name+".pddl"))
		if err != nil {
			t.Fatal(err)
		}
		return src
	}
	d, err := pddl.ParseDomain(domain+".pddl", read(domain))
	if err != nil {
		t.Fatal(err)
	}
	p, err := pddl.ParseProblem(problem+".pddl", read(problem))
	if err != nil {
		t.Fatal(err)
	}
	return d, p
}

// TestDerivedPlans solves the hand-made axiom domains with every
// configuration: optimal searches must find the known optimum, and every
// plan must be valid both for pddl.Validate (on the normalised task, axioms
// evaluated by semi-naive joins) and for pddl.ValidateAST (on the formulas
// as written, derived predicates iterated to their fixpoint), at the same
// cost.
func TestDerivedPlans(t *testing.T) {
	configs := []Options{
		{}, {Search: "lazy"}, {Search: "gbfs", Heuristic: "add"}, {Search: "lazy", Heuristic: "lmcount"},
		{Search: "wastar", Heuristic: "ff"}, {Search: "lama", Anytime: true},
		{Search: "astar", Heuristic: "blind"}, {Search: "astar", Heuristic: "max"}, {Search: "astar", Heuristic: "lmcut"},
	}
	for _, c := range derivedCases {
		t.Run(c.problem, func(t *testing.T) {
			d, p := readDerived(t, c.domain, c.problem)
			task, err := pddl.Normalize(d, p)
			if err != nil {
				t.Fatal(err)
			}
			if len(task.Axioms) == 0 {
				t.Fatal("no axioms: the test would not exercise them")
			}
			for _, o := range configs {
				_, res := solve(t, task, o)
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
			}
		})
	}
}

// TestDerivedGroundTask: the circuit's derived facts sit after the primary
// ones, powered and dark in two layers (dark negates powered), and the
// initial state derives what the rules say.
func TestDerivedGroundTask(t *testing.T) {
	d, p := readDerived(t, "circuit", "circuit-p1")
	task, err := pddl.Normalize(d, p)
	if err != nil {
		t.Fatal(err)
	}
	g, err := Ground(context.Background(), task)
	if err != nil {
		t.Fatal(err)
	}
	if g.Primary == len(g.Facts) {
		t.Fatal("no derived facts")
	}
	layers := map[string][]int{}
	for _, ax := range g.Axioms {
		pred, _, _ := strings.Cut(g.Facts[ax.Head], " ")
		layers[pred] = append(layers[pred], ax.Layer)
	}
	if len(layers["powered"]) == 0 || len(layers["dark"]) == 0 || slices.Max(layers["powered"]) >= slices.Min(layers["dark"]) {
		t.Errorf("layers %v: dark must come after powered", layers)
	}
	init := g.InitState()
	want := map[string]bool{"powered s": true, "powered a": true, "powered b": true, "powered t": false}
	for f, name := range g.Facts {
		if v, ok := want[name]; ok && init[f] != v {
			t.Errorf("%s = %v initially, want %v", name, init[f], v)
		}
	}
	for _, ax := range g.Axioms {
		for _, f := range ax.NegPre {
			if int(f) < g.Primary {
				continue
			}
			for _, bx := range g.Axioms {
				if bx.Head == f && bx.Layer >= ax.Layer {
					t.Errorf("%s (layer %d) negates %s of layer %d", g.Facts[ax.Head], ax.Layer, g.Facts[f], bx.Layer)
				}
			}
		}
	}
}

// TestNotStratified: a task whose axioms negate themselves is refused.
func TestNotStratified(t *testing.T) {
	task := &pddl.Task{
		Objects:     []string{"a"},
		TypeObjects: map[string][]int{"object": {0}},
		Predicates:  []pddl.Predicate{{Name: "p", Derived: true}, {Name: "q"}},
		Actions:     []pddl.Action{{Name: "set", Effects: []pddl.Effect{{Atom: pddl.Atom{Pred: "q"}}}}},
		Axioms:      []pddl.Axiom{{Head: pddl.Atom{Pred: "p"}, Body: []pddl.Literal{{Atom: pddl.Atom{Pred: "p"}, Negated: true}, {Atom: pddl.Atom{Pred: "q"}}}}},
		Goal:        []pddl.GroundLiteral{{GroundAtom: pddl.GroundAtom{Pred: "p"}}},
	}
	if _, err := Ground(context.Background(), task); !errors.Is(err, ErrNotStratified) {
		t.Errorf("Ground: %v, want ErrNotStratified", err)
	}
	if err := task.Check(); err == nil {
		t.Error("Check accepts axioms that are not stratified")
	}
}
