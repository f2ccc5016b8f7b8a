package pddl

import (
	"errors"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
		unsupported     bool
	}{
		{"empty file", "", "f.pddl:1:1: no (define ...) found", false},
		{"unclosed", "(define (domain d)\n  (:predicates (p)", "f.pddl:2:3: unclosed '(' (end of file reached)", false},
		{"stray paren", "(define (domain d)))", "f.pddl:1:20: unexpected ')'", false},
		{"not define", "(domain d)", "f.pddl:1:1: expected (define (domain ...) ...) or (define (problem ...) ...), found (domain ...)", false},
		{"unknown section", "(define (domain d)\n  (:predicate (p)))", "f.pddl:2:3: unknown domain section :predicate", false},
		{"unknown requirement", "(define (domain d) (:requirements :strips :magic))", "f.pddl:1:43: unknown requirement :magic", false},
		{"durative action", "(define (domain d) (:predicates (p)) (:durative-action a))", "f.pddl:1:38: durative actions (:durative-action) not supported", true},
		{"derived without a condition", "(define (domain d) (:predicates (p)) (:derived (p)))", "f.pddl:1:38: (:derived (predicate ?x ...) condition) takes a predicate with its parameters and one condition", false},
		{"durative", "(define (domain d)\n (:durative-action a :parameters ()))", "f.pddl:2:2: durative actions (:durative-action) not supported", true},
		{"durative requirement", "(define (domain d) (:requirements :durative-actions))", "f.pddl:1:35: requirement :durative-actions not supported", true},
		{"numeric precondition", "(define (domain d) (:action a :parameters () :precondition (> (fuel) 0)))", "f.pddl:1:60: numeric comparison (> ...) not supported", true},
		{"numeric effect", "(define (domain d) (:action a :parameters () :effect (decrease (fuel) 1)))", "f.pddl:1:54: numeric effect (decrease ...) not supported", true},
		{"real cost", "(define (domain d) (:action a :parameters () :effect (increase (total-cost) 1.5)))", "f.pddl:1:77: non-integer number 1.5 not supported", true},
		{"timed literal", "(define (problem p) (:domain d) (:init (at 10 (p))))", "f.pddl:1:40: timed initial literals not supported", true},
		{"dash without type", "(define (domain d) (:types a -))", "f.pddl:1:30: '-' must be followed by a type", false},
		{"variable as object", "(define (problem p) (:domain d) (:objects ?x))", "f.pddl:1:43: expected an object, found \"?x\"", false},
		{"action key", "(define (domain d) (:action a :parameters () :pre (p)))", "f.pddl:1:46: unknown action key :pre", false},
		{"bad not in effect", "(define (domain d) (:action a :parameters () :effect (not (and (p)))))", "f.pddl:1:59: (not ...) in an effect takes an atom, found (and ...)", false},
		{"goal twice", "(define (problem p) (:domain d) (:goal (p)) (:goal (q)))", "f.pddl:1:45: second :goal section", false},
		{"metric", "(define (problem p) (:domain d) (:metric minimize (+ (a) (b))))", "f.pddl:1:51: metric arithmetic not supported", true},
		{"precondition not a list", "(define (domain d) (:action a :parameters () :precondition p))", "f.pddl:1:60: expected a condition in parentheses, found \"p\"", false},
		{"precondition headed by a variable", "(define (domain d) (:action a :parameters (?x) :precondition (?x)))", "f.pddl:1:62: expected a predicate or a connective, found \"?x\"", false},
		{"effect not a list", "(define (domain d) (:action a :parameters () :effect p))", "f.pddl:1:54: expected an effect in parentheses, found \"p\"", false},
		{"effect headed by a variable", "(define (domain d) (:action a :parameters (?x) :effect (?x)))", "f.pddl:1:56: expected a predicate or an effect keyword, found \"?x\"", false},
		{"lone question mark", "(define (domain d) (:predicates (p ?)))", "f.pddl:1:36: \"?\" must be followed by a name", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Parse("f.pddl", []byte(tt.src))
			if err == nil {
				t.Fatal("no error")
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %T is not an ErrorList", err)
			}
			if got := list[0].Error(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if errors.Is(err, ErrUnsupported) != tt.unsupported {
				t.Errorf("errors.Is(err, ErrUnsupported) = %v, want %v", !tt.unsupported, tt.unsupported)
			}
		})
	}
}

func TestParseErrorListCollectsSeveral(t *testing.T) {
	_, _, err := Parse("f.pddl", []byte("(define (domain d)\n (:bogus)\n (:requirements :nope))"))
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("got %v, want two errors", err)
	}
	if got := err.Error(); got != "f.pddl:2:2: unknown domain section :bogus (and 1 more errors)" {
		t.Errorf("Error() = %q", got)
	}
}

// TestParseCaseAndOrder: keywords are case-insensitive, sections come in
// any order, names keep their spelling and resolve case-insensitively.
func TestParseCaseAndOrder(t *testing.T) {
	dom := `(DEFINE (DOMAIN Lights)
  (:ACTION Switch :PARAMETERS (?L - Lamp) :PRECONDITION (NOT (On ?l)) :EFFECT (ON ?L))
  (:Predicates (On ?x - lamp))
  (:Types Lamp)
  (:Requirements :STRIPS :Typing :negative-preconditions))`
	prob := `(define (problem P1)
  (:goal (and (on L1)))
  (:objects l1 - LAMP)
  (:domain lights)
  (:init))`
	d, err := ParseDomain("d.pddl", []byte(dom))
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "Lights" || d.Actions[0].Name != "Switch" || d.Types[0].Name != "Lamp" {
		t.Errorf("spelling lost: %q %q %q", d.Name, d.Actions[0].Name, d.Types[0].Name)
	}
	p, err := ParseProblem("p.pddl", []byte(prob))
	if err != nil {
		t.Fatal(err)
	}
	task, err := Normalize(d, p)
	if err != nil {
		t.Fatal(err)
	}
	if got := taskActions(task); got != "Switch(?L:Lamp) pre: (not (On ?L)); add (On ?L)" {
		t.Errorf("action %s", got)
	}
	if got := goalString(task); got != "(On L1)" && got != "(On l1)" {
		t.Errorf("goal %s", got)
	}
	cost, err := Validate(task, []Step{{Action: "SWITCH", Args: []string{"L1"}}})
	if err != nil || cost != 1 {
		t.Errorf("Validate = %d, %v", cost, err)
	}
}

func TestParseKinds(t *testing.T) {
	both := "(define (domain d) (:predicates (p)))\n(define (problem q) (:domain d) (:init) (:goal (p)))"
	d, p, err := Parse("both.pddl", []byte(both))
	if err != nil || d == nil || p == nil {
		t.Fatalf("Parse = %v, %v, %v", d, p, err)
	}
	if _, err := ParseDomain("p.pddl", []byte("(define (problem q) (:domain d))")); err == nil || !strings.Contains(err.Error(), "expected a domain, found problem q") {
		t.Errorf("ParseDomain on a problem: %v", err)
	}
	if _, err := ParseProblem("d.pddl", []byte("(define (domain d))")); err == nil || !strings.Contains(err.Error(), "p.pddl") && !strings.Contains(err.Error(), "expected a problem, found domain d") {
		t.Errorf("ParseProblem on a domain: %v", err)
	}
}

func TestParseQuirks(t *testing.T) {
	// A byte order mark and CRLF line ends are accepted; columns count
	// from after the mark.
	_, err := ParseDomain("bom.pddl", []byte("\xEF\xBB\xBF(define (domain d)\r\n  (:bogus))"))
	if err == nil || err.Error() != "bom.pddl:2:3: unknown domain section :bogus" {
		t.Errorf("BOM and CRLF: %v", err)
	}
	// "(aircraft?a)" is the atom (aircraft ?a), as in zenotravel.
	d, err := ParseDomain("z.pddl", []byte("(define (domain z) (:predicates (aircraft ?x)) (:action a :parameters (?a) :precondition (aircraft?a)))"))
	if err != nil {
		t.Fatal(err)
	}
	atom := d.Actions[0].Precondition.(*AtomFormula)
	if atom.Pred != "aircraft" || len(atom.Args) != 1 || atom.Args[0] != "?a" {
		t.Errorf("got %+v", atom)
	}
	// Negative initial facts are accepted and dropped (closed world);
	// an empty precondition () means none.
	p, err := ParseProblem("q.pddl", []byte("(define (problem q) (:domain z) (:objects x) (:init (not (aircraft x)) (aircraft x)) (:goal (and)))"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Init) != 1 {
		t.Errorf("init %v", p.Init)
	}
}
