package search

import (
	"testing"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
)

func parseTask(t *testing.T, domain, problem string) *pddl.Task {
	t.Helper()
	d, err := pddl.ParseDomain("domain.pddl", []byte(domain))
	if err != nil {
		t.Fatal(err)
	}
	p, err := pddl.ParseProblem("problem.pddl", []byte(problem))
	if err != nil {
		t.Fatal(err)
	}
	task, err := pddl.Normalize(d, p)
	if err != nil {
		t.Fatal(err)
	}
	return task
}

// TestADLThroughNormalize plans for ADL features that Normalize compiles
// away (a disjunctive goal becomes a derived predicate, an existential
// precondition extra parameters, a disjunctive precondition several
// actions); the plan must name only the domain's actions with their own
// parameters, and pddl.Validate must accept it (solve checks).
func TestADLThroughNormalize(t *testing.T) {
	domain := `(define (domain rooms)
  (:requirements :adl)
  (:types room key)
  (:predicates (at ?r - room) (door ?a ?b - room) (locked ?r - room) (has ?k - key) (opens ?k - key ?r - room) (in ?k - key ?r - room))
  (:action go :parameters (?a ?b - room)
    :precondition (and (at ?a) (or (door ?a ?b) (door ?b ?a)) (or (not (locked ?b)) (exists (?k - key) (and (has ?k) (opens ?k ?b)))))
    :effect (and (at ?b) (not (at ?a))))
  (:action take :parameters (?k - key ?r - room)
    :precondition (and (at ?r) (in ?k ?r))
    :effect (and (has ?k) (not (in ?k ?r)))))`
	problem := `(define (problem p) (:domain rooms)
  (:objects r1 r2 r3 r4 - room k - key)
  (:init (at r1) (door r1 r2) (door r3 r2) (door r2 r4) (locked r3) (locked r4) (in k r2) (opens k r3))
  (:goal (or (at r4) (and (at r3) (has k)))))`
	task := parseTask(t, domain, problem)
	for _, o := range []Options{{}, {Search: "astar"}, {Search: "gbfs", Heuristic: "add"}} {
		_, res := solve(t, task, o)
		if res.Status != Solved {
			t.Fatalf("%s: %v", o.Search, res.Status)
		}
		if o.Search == "astar" && res.Cost != 3 {
			t.Errorf("astar: cost %d, want 3 (go r1 r2, take k r2, go r2 r3): %v", res.Cost, res.Plan)
		}
		for _, s := range res.Plan {
			if (s.Action == "go" || s.Action == "take") && len(s.Args) == 2 {
				continue
			}
			t.Errorf("%s: step %s is not a domain action with its parameters", o.Search, s)
		}
	}
}
