package pddl

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse: the parser never panics; what it accepts prints back to text
// that parses to the same AST; checking and normalising never panic.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*.pddl")
	more, _ := filepath.Glob("testdata/*/*/*.pddl")
	for _, name := range append(files, more...) {
		if src, err := os.ReadFile(name); err == nil && len(src) < 8000 {
			f.Add(src)
		}
	}
	f.Add([]byte("(define (domain d) (:predicates (p ?x)) (:action a :parameters (?x) :precondition (or (p ?x) (exists (?y) (p ?y))) :effect (forall (?z) (when (p ?z) (not (p ?z))))))"))
	f.Fuzz(func(t *testing.T, src []byte) {
		d, p, err := Parse("fuzz.pddl", src)
		if err != nil {
			return
		}
		if d != nil {
			roundTrip(t, "fuzz domain", d)
			_ = Check(d, nil)
		}
		if p != nil {
			roundTrip(t, "fuzz problem", p)
		}
		if d != nil && p != nil {
			if task, err := Normalize(d, p); err == nil {
				_, _ = Validate(task, nil)
			}
		}
	})
}

// FuzzParsePlan: the plan parser never panics, and the steps it reads
// format to a plan that reads back the same.
func FuzzParsePlan(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*/*.plan")
	more, _ := filepath.Glob("testdata/*/*.plan")
	for _, name := range append(files, more...) {
		if src, err := os.ReadFile(name); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("0.000: (a b) [1]\n; x\n(c)"))
	d, p := readTestdata(f, "adl/domain.pddl", "adl/tidy.pddl")
	task, err := Normalize(d, p)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		steps, err := ParsePlan(src)
		if err != nil {
			return
		}
		// Any plan validates or fails with a plan error, the same way
		// under both validators.
		c1, e1 := Validate(task, steps)
		c2, e2 := ValidateAST(d, p, steps)
		s1, k1 := planOutcome(t, c1, e1)
		s2, k2 := planOutcome(t, c2, e2)
		if s1 != s2 || k1 != k2 {
			t.Fatalf("Validate: %v (cost %d); ValidateAST: %v (cost %d)", e1, c1, e2, c2)
		}
		again, err := ParsePlan([]byte(FormatPlan(steps, 0, false)))
		if err != nil {
			t.Fatalf("formatted plan does not parse: %v", err)
		}
		if len(again) != len(steps) {
			t.Fatalf("%d steps became %d", len(steps), len(again))
		}
		for i := range steps {
			if steps[i].String() != again[i].String() {
				t.Fatalf("step %d: %s became %s", i, steps[i], again[i])
			}
		}
	})
}
