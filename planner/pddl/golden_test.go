package pddl

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// goldenInputs are the testdata files whose printed form is kept in
// testdata/golden.
var goldenInputs = []string{
	"adl/domain.pddl",
	"adl/tidy.pddl",
	"adl/briefcase.pddl",
	"adl/briefcase-p1.pddl",
	"ipc/gripper/domain.pddl",
	"ipc/gripper/prob01.pddl",
	"ipc/miconic-simpleadl/domain.pddl",
	"ipc/elevators-sat08-strips/domain.pddl",
	"ipc/elevators-sat08-strips/p01.pddl",
	"ipc/psr-small/p01-domain.pddl",
	"ipc/psr-large/domain.pddl",
	"ipc/zenotravel/domain.pddl",
	"llmp/tyreworld/domain.pddl",
}

// TestGolden prints each input, compares the text with its golden file and
// checks that parsing the printed text gives back the same AST.
func TestGolden(t *testing.T) {
	for _, in := range goldenInputs {
		t.Run(in, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", in))
			if err != nil {
				t.Fatal(err)
			}
			d, p, err := Parse(in, src)
			if err != nil {
				t.Fatal(err)
			}
			var ast interface{ String() string } = d
			if p != nil {
				ast = p
			}
			got := ast.String()
			golden := filepath.Join("testdata", "golden", strings.ReplaceAll(in, "/", "_"))
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGolden -update)", err)
			}
			if got != string(want) {
				t.Errorf("printed text differs from %s:\n%s", golden, got)
			}
			roundTrip(t, in, ast)
			// Printing is a fixed point: the printed text prints the same.
			d2, p2, err := Parse(in, []byte(got))
			if err != nil {
				t.Fatal(err)
			}
			var again interface{ String() string } = d2
			if p2 != nil {
				again = p2
			}
			if again.String() != got {
				t.Error("printing the printed text changes it")
			}
		})
	}
}

// TestPrintBuiltAST prints an AST built from Go values, as the API planner
// does, and reads it back.
func TestPrintBuiltAST(t *testing.T) {
	d := &Domain{
		Name:         "api",
		Requirements: []string{":typing", ":action-costs", ":negative-preconditions"},
		Types:        []TypedName{{Name: "slot"}},
		Predicates: []*PredicateDecl{
			{Name: "known", Params: []TypedName{{Name: "?s", Type: []string{"slot"}}}},
			{Name: "done"},
		},
		Functions: []*FunctionDecl{{Name: "total-cost", Type: "number"}},
		Actions: []*ActionDef{{
			Name:         "get_info",
			Params:       []TypedName{{Name: "?s", Type: []string{"slot"}}},
			Precondition: &NotFormula{Arg: &AtomFormula{Pred: "known", Args: []string{"?s"}}},
			Effect: &AndEffect{Effects: []EffectExpr{
				&LiteralEffect{Pred: "known", Args: []string{"?s"}},
				&IncreaseEffect{Func: "total-cost", Amount: NumExpr{Value: 5}},
			}},
		}, {
			Name:         "book",
			Precondition: &ForallFormula{Params: []TypedName{{Name: "?s", Type: []string{"slot"}}}, Body: &AtomFormula{Pred: "known", Args: []string{"?s"}}},
			Effect:       &LiteralEffect{Pred: "done"},
		}},
	}
	p := &Problem{
		Name: "req", Domain: "api",
		Objects: []TypedName{{Name: "city", Type: []string{"slot"}}, {Name: "date", Type: []string{"slot"}}},
		Init:    []*Fact{{Pred: "known", Args: []string{"city"}}},
		Goal:    &AtomFormula{Pred: "done"},
		Metric:  &Metric{Func: "total-cost"},
	}
	wantDomain := `(define (domain api)
  (:requirements :typing :action-costs :negative-preconditions)
  (:types slot)
  (:predicates
    (known ?s - slot)
    (done))
  (:functions
    (total-cost) - number)
  (:action get_info
    :parameters (?s - slot)
    :precondition (not (known ?s))
    :effect (and (known ?s) (increase (total-cost) 5)))
  (:action book
    :parameters ()
    :precondition (forall (?s - slot) (known ?s))
    :effect (done))
)
`
	if got := d.String(); got != wantDomain {
		t.Errorf("domain:\n%s\nwant:\n%s", got, wantDomain)
	}
	roundTrip(t, "built domain", d)
	roundTrip(t, "built problem", p)
	task, err := Normalize(d, p)
	if err != nil {
		t.Fatal(err)
	}
	cost, err := Validate(task, []Step{{Action: "get_info", Args: []string{"date"}}, {Action: "book"}})
	if err != nil || cost != 5 {
		t.Errorf("Validate = %d, %v; want 5, nil", cost, err)
	}
}

// TestPrintUntypedBeforeTyped: a name without a type followed by typed ones
// must not take their type when read back.
func TestPrintUntypedBeforeTyped(t *testing.T) {
	got := typedList([]TypedName{{Name: "a"}, {Name: "b", Type: []string{"t"}}, {Name: "c"}})
	if want := "a - object b - t c"; got != want {
		t.Errorf("typedList = %q, want %q", got, want)
	}
	got = typedList([]TypedName{{Name: "?x", Type: []string{"a", "b"}}, {Name: "?y", Type: []string{"a", "b"}}})
	if want := "?x ?y - (either a b)"; got != want {
		t.Errorf("typedList = %q, want %q", got, want)
	}
}

// TestPrintDeepNesting: printing stays linear in the depth of a formula
// (it decides at every level whether the subtree fits a line).
func TestPrintDeepNesting(t *testing.T) {
	const depth = maxDepth - 10
	src := "(define (domain d) (:predicates (p)) (:action a :parameters () :precondition " +
		strings.Repeat("(not ", depth) + "(p)" + strings.Repeat(")", depth) + "))"
	d, err := ParseDomain("deep.pddl", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	roundTrip(t, "deep", d)
}

// TestGoldenTask keeps the normalised form of the ADL test problem in
// testdata/golden/adl_tidy.task.
func TestGoldenTask(t *testing.T) {
	d, p := readTestdata(t, "adl/domain.pddl", "adl/tidy.pddl")
	task, err := Normalize(d, p)
	if err != nil {
		t.Fatal(err)
	}
	got := taskActions(task) + "\n" + taskAxioms(task) + "\ngoal: " + goalString(task) + "\n"
	golden := filepath.Join("testdata", "golden", "adl_tidy.task")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestGoldenTask -update)", err)
	}
	if got != string(want) {
		t.Errorf("normalised task differs from %s:\n%s", golden, got)
	}
}
