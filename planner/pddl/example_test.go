package pddl_test

import (
	"errors"
	"fmt"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
)

const exampleDomain = `(define (domain lights)
  (:requirements :typing :negative-preconditions)
  (:types lamp)
  (:predicates (on ?l - lamp))
  (:action switch-on :parameters (?l - lamp)
    :precondition (not (on ?l)) :effect (on ?l)))`

const exampleProblem = `(define (problem two) (:domain lights)
  (:objects kitchen hall - lamp)
  (:init (on hall))
  (:goal (forall (?l - lamp) (on ?l))))`

// Parse a domain and a problem, normalise them and check a plan.
func Example() {
	d, err := pddl.ParseDomain("lights.pddl", []byte(exampleDomain))
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := pddl.ParseProblem("two.pddl", []byte(exampleProblem))
	if err != nil {
		fmt.Println(err)
		return
	}
	task, err := pddl.Normalize(d, p)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(task.Objects, len(task.Goal), "goal literals")

	plan, _ := pddl.ParsePlan([]byte("(switch-on kitchen)\n; cost = 1 (unit cost)\n"))
	cost, err := pddl.Validate(task, plan)
	fmt.Println(cost, err)

	_, err = pddl.Validate(task, []pddl.Step{{Action: "switch-on", Args: []string{"hall"}}})
	var pe *pddl.PlanError
	if errors.As(err, &pe) {
		fmt.Println("step", pe.Step, pe.Reason)
	}
	// Output:
	// [kitchen hall] 2 goal literals
	// 1 <nil>
	// step 1 precondition (not (on hall)) is false
}

// Errors carry file:line:col positions.
func ExampleParseDomain_error() {
	_, err := pddl.ParseDomain("bad.pddl", []byte("(define (domain d)\n  (:predicates (p))\n  (:durative-action move))"))
	fmt.Println(err)
	// Output:
	// bad.pddl:3:3: durative actions (:durative-action) not supported
}

// Build a domain from Go values and print it as PDDL.
func ExampleDomain_String() {
	d := &pddl.Domain{
		Name:       "api",
		Predicates: []*pddl.PredicateDecl{{Name: "known", Params: []pddl.TypedName{{Name: "?s"}}}},
		Actions: []*pddl.ActionDef{{
			Name:         "ask",
			Params:       []pddl.TypedName{{Name: "?s"}},
			Precondition: &pddl.NotFormula{Arg: &pddl.AtomFormula{Pred: "known", Args: []string{"?s"}}},
			Effect:       &pddl.LiteralEffect{Pred: "known", Args: []string{"?s"}},
		}},
	}
	fmt.Print(d)
	// Output:
	// (define (domain api)
	//   (:predicates
	//     (known ?s))
	//   (:action ask
	//     :parameters (?s)
	//     :precondition (not (known ?s))
	//     :effect (known ?s))
	// )
}
