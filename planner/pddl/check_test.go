package pddl

import (
	"errors"
	"strings"
	"testing"
)

const checkDomain = `(define (domain d)
  (:requirements :typing :action-costs)
  (:types block)
  (:constants table - block)
  (:predicates (on ?x ?y - block) (clear ?x - block))
  (:functions (total-cost) - number)
  (:action a :parameters (?x - block) :precondition (clear ?x) :effect (on ?x table)))`

func TestCheck(t *testing.T) {
	tests := []struct {
		name, domain, problem string
		want                  []string // every error, in order
		unsupported           bool
	}{{
		name: "valid",
	}, {
		name:   "unknown predicate",
		domain: `(:action b :parameters (?x - block) :precondition (cleer ?x))`,
		want:   []string{"d.pddl:8:53: unknown predicate cleer"},
	}, {
		name:   "arity",
		domain: `(:action b :parameters (?x - block) :effect (on ?x))`,
		want:   []string{"d.pddl:8:47: predicate on takes 2 arguments, found 1"},
	}, {
		name:   "undeclared variable",
		domain: `(:action b :parameters (?x - block) :effect (clear ?y))`,
		want:   []string{"d.pddl:8:54: undeclared variable ?y"},
	}, {
		name:   "undeclared type",
		domain: `(:action b :parameters (?x - ball) :effect (clear ?x))`,
		want:   []string{"d.pddl:8:27: undeclared type ball (of ?x)"},
	}, {
		name:   "undeclared constant",
		domain: `(:action b :parameters () :effect (clear floor))`,
		want:   []string{"d.pddl:8:44: undeclared constant floor"},
	}, {
		name:   "duplicate action and parameter",
		domain: `(:action a :parameters (?x ?x - block))`,
		want:   []string{"d.pddl:8:3: action a declared twice (first at 7:3)", "d.pddl:8:30: parameter ?x declared twice"},
	}, {
		name:        "numeric fluent",
		domain:      `(:action b :parameters () :effect (increase (fuel) 1))`,
		want:        []string{"d.pddl:8:37: numeric fluent fuel (only total-cost may be increased) not supported"},
		unsupported: true,
	}, {
		name:        "cost in a conditional effect",
		domain:      `(:action b :parameters (?x - block) :effect (when (clear ?x) (increase (total-cost) 1)))`,
		want:        []string{"d.pddl:8:64: a cost inside forall or when not supported"},
		unsupported: true,
	}, {
		name:    "undeclared object and arity in the problem",
		problem: `(:init (clear b1) (on b2)) (:goal (clear b3))`,
		want: []string{
			"p.pddl:2:19: predicate on takes 2 arguments, found 1",
			"p.pddl:2:42: undeclared object b3",
		},
	}, {
		name:   "argument type",
		domain: `(:types ball) (:action b :parameters (?x - ball) :effect (clear ?x))`,
		want:   []string{"d.pddl:8:67: argument 1 of clear: ?x is of type ball, not block"},
	}, {
		name:    "object type",
		problem: `(:objects o1) (:init (clear o1))`,
		want:    []string{"p.pddl:2:29: argument 1 of clear: o1 is of type object, not block"},
	}, {
		name:    "wrong domain",
		problem: `(:init)`,
		want:    nil,
	}, {
		name:    "unknown function in init",
		problem: `(:init (= (fuel b1) 3))`,
		want:    []string{"p.pddl:2:8: unknown function fuel"},
	}, {
		name:   "undeclared derived predicate",
		domain: `(:derived (above ?x ?y - block) (on ?x ?y))`,
		want:   []string{"d.pddl:8:3: derived predicate above is not declared in :predicates"},
	}, {
		name:   "derived predicate arity",
		domain: `(:predicates (free ?x - block)) (:derived (free ?x ?y - block) (clear ?x))`,
		want:   []string{"d.pddl:8:35: derived predicate free takes 1 arguments, its rule has 2 parameters"},
	}, {
		name:   "derived predicates not stratified",
		domain: `(:predicates (ok ?x - block) (bad ?x - block)) (:derived (ok ?x - block) (not (bad ?x))) (:derived (bad ?x - block) (clear ?x)) (:derived (bad ?x - block) (not (ok ?x)))`,
		want:   []string{"d.pddl:8:50: derived predicates are not stratified: ok depends on bad under a negation, and bad on ok"},
	}, {
		name:    "derived predicate in an effect and in init",
		domain:  `(:predicates (free ?x - block)) (:derived (free ?x - block) (clear ?x)) (:action c :parameters (?x - block) :effect (free ?x))`,
		problem: `(:init (free b1))`,
		want: []string{
			"d.pddl:8:119: an effect cannot change the derived predicate free",
			"p.pddl:2:8: the derived predicate free cannot be an initial fact (its rules decide it)",
		},
	}, {
		name:        "maximize",
		problem:     `(:metric maximize (total-cost))`,
		want:        []string{"p.pddl:2:1: metric other than (minimize (total-cost)) not supported"},
		unsupported: true,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dsrc := strings.TrimSuffix(checkDomain, ")") + "\n  " + tt.domain + ")"
			d, err := ParseDomain("d.pddl", []byte(dsrc))
			if err != nil {
				t.Fatal(err)
			}
			psrc := "(define (problem p) (:domain d) (:objects b1 b2 - block)\n" + tt.problem + ")"
			p, err := ParseProblem("p.pddl", []byte(psrc))
			if err != nil {
				t.Fatal(err)
			}
			err = Check(d, p)
			var got []string
			var list ErrorList
			if errors.As(err, &list) {
				for _, e := range list {
					got = append(got, e.Error())
				}
			} else if err != nil {
				t.Fatalf("error %T is not an ErrorList", err)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if errors.Is(err, ErrUnsupported) != tt.unsupported {
				t.Errorf("errors.Is(err, ErrUnsupported) = %v", !tt.unsupported)
			}
		})
	}
}

func TestCheckDomainName(t *testing.T) {
	d, _ := ParseDomain("d.pddl", []byte(checkDomain))
	p, _ := ParseProblem("p.pddl", []byte("(define (problem p) (:domain other) (:init))"))
	if err := Check(d, p); err == nil || err.Error() != "p.pddl:1:1: problem p is for domain other, not d" {
		t.Errorf("got %v", err)
	}
}

// A domain may use a name that only its problems declare (llmp/tyreworld
// does); without a problem that declares it, it is an error.
func TestCheckDeferredConstant(t *testing.T) {
	d, p := readTestdata(t, "llmp/tyreworld/domain.pddl", "llmp/tyreworld/p01.pddl")
	if err := Check(d, p); err != nil {
		t.Errorf("with its problem: %v", err)
	}
	if err := Check(d, nil); err == nil || !strings.Contains(err.Error(), "undeclared constant wrench") {
		t.Errorf("alone: %v", err)
	}
}

func TestCheckBrokenExample(t *testing.T) {
	d, p := readTestdata(t, "llmp/floortile/domain.pddl", "llmp/floortile/p_example.pddl")
	err := Check(d, p)
	if err == nil || !strings.HasPrefix(err.Error(), "llmp/floortile/p_example.pddl:14:14: undeclared object robot2") {
		t.Errorf("got %v", err)
	}
}

func TestCheckTypeCycle(t *testing.T) {
	d, err := ParseDomain("d.pddl", []byte("(define (domain d) (:types a - b b - a))"))
	if err != nil {
		t.Fatal(err)
	}
	if err := Check(d, nil); err == nil || !strings.Contains(err.Error(), "is its own ancestor") {
		t.Errorf("got %v", err)
	}
}
