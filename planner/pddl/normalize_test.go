package pddl

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// normDomain wraps action definitions into a domain with two types and a
// few predicates. Its last action, mutate, changes every predicate, so that
// none is static (static atoms are decided at compile time; see
// TestNormalizeStatic); the tests leave it out of what they compare.
func normDomain(actions string) string {
	return `(define (domain d)
  (:requirements :adl :typing :action-costs)
  (:types block - object ball - object)
  (:constants c1 - block)
  (:predicates (p ?x) (q ?x) (r ?x ?y) (done))
  (:functions (total-cost) - number (dist ?a ?b - block) - number)
  ` + actions + `
  (:action mutate :parameters (?x ?y) :effect (and (not (p ?x)) (q ?x) (r ?x ?y) (not (done)))))`
}

// withoutMutate renders the actions of t other than normDomain's mutate.
func withoutMutate(t *Task) string {
	var lines []string
	for i := range t.Actions {
		if t.Actions[i].Name != "mutate" {
			lines = append(lines, actionString(t, &t.Actions[i]))
		}
	}
	return strings.Join(lines, "\n")
}

const normProblem = `(define (problem pr) (:domain d)
  (:objects b2 - block x1 x2 - ball)
  (:init (p c1) (= (dist c1 b2) 4))
  (:goal (done)))`

func TestNormalizeConstructs(t *testing.T) {
	tests := []struct {
		name, action, want string
	}{{
		name:   "strips",
		action: `(:action a :parameters (?x - block) :precondition (and (p ?x) (not (q ?x))) :effect (and (q ?x) (not (p ?x))))`,
		want:   `a(?x:block) pre: (p ?x) (not (q ?x)); add (q ?x); del (p ?x)`,
	}, {
		name:   "a type as a predicate holds of a variable of that type",
		action: `(:action a :parameters (?x - block) :precondition (and (block ?x) (object ?x) (block c1) (not (ball c1))) :effect (done))`,
		want:   `a(?x:block) pre: ; add (done)`,
	}, {
		name:   "a type as a predicate of a variable of a wider type",
		action: `(:action a :parameters (?x) :precondition (and (ball ?x) (p ?x)) :effect (done))`,
		want:   `a(?x:object | ?type-member:ball) pre: (= ?type-member ?x) (p ?x); add (done)`,
	}, {
		name:   "a negated type predicate",
		action: `(:action a :parameters (?x) :precondition (and (not (ball ?x)) (p ?x)) :effect (done))`,
		want:   `a(?x:object) pre: (not (= x1 ?x)) (not (= x2 ?x)) (p ?x); add (done)`,
	}, {
		name:   "no precondition, untyped parameter",
		action: `(:action a :parameters (?x) :effect (p ?x))`,
		want:   `a(?x:object) pre: ; add (p ?x)`,
	}, {
		name:   "negation normal form",
		action: `(:action a :parameters (?x) :precondition (not (and (p ?x) (not (q ?x)))) :effect (done))`,
		want: "a(?x:object) pre: (not (p ?x)); add (done)\n" +
			"a(?x:object) pre: (q ?x); add (done)",
	}, {
		name:   "disjunction splits the action",
		action: `(:action a :parameters (?x) :precondition (and (p ?x) (or (q ?x) (r ?x ?x))) :effect (done))`,
		want: "a(?x:object) pre: (p ?x) (q ?x); add (done)\n" +
			"a(?x:object) pre: (p ?x) (r ?x ?x); add (done)",
	}, {
		name:   "imply",
		action: `(:action a :parameters (?x) :precondition (imply (p ?x) (q ?x)) :effect (done))`,
		want: "a(?x:object) pre: (not (p ?x)); add (done)\n" +
			"a(?x:object) pre: (q ?x); add (done)",
	}, {
		name:   "contradictory disjunct dropped",
		action: `(:action a :parameters (?x) :precondition (and (p ?x) (or (not (p ?x)) (q ?x))) :effect (done))`,
		want:   "a(?x:object) pre: (p ?x) (q ?x); add (done)",
	}, {
		name:   "existential becomes an extra parameter",
		action: `(:action a :parameters (?x) :precondition (exists (?y - ball) (r ?x ?y)) :effect (done))`,
		want:   "a(?x:object | ?y:ball) pre: (r ?x ?y); add (done)",
	}, {
		name:   "negated universal is existential",
		action: `(:action a :parameters () :precondition (not (forall (?y - ball) (p ?y))) :effect (done))`,
		want:   "a( | ?y:ball) pre: (not (p ?y)); add (done)",
	}, {
		name:   "universal expands over the objects of its type",
		action: `(:action a :parameters (?x) :precondition (forall (?y - ball) (r ?x ?y)) :effect (done))`,
		want:   "a(?x:object) pre: (r ?x x1) (r ?x x2); add (done)",
	}, {
		name:   "universal over a subtype includes constants",
		action: `(:action a :parameters () :precondition (forall (?y - block) (not (p ?y))) :effect (done))`,
		want:   "a() pre: (not (p c1)) (not (p b2)); add (done)",
	}, {
		name:   "equality with constants is decided",
		action: `(:action a :parameters (?x - block) :precondition (and (p ?x) (forall (?y - block) (imply (= ?y c1) (q ?y)))) :effect (done))`,
		want:   "a(?x:block) pre: (p ?x) (q c1); add (done)",
	}, {
		name:   "equality between variables stays",
		action: `(:action a :parameters (?x ?y) :precondition (not (= ?x ?y)) :effect (done))`,
		want:   "a(?x:object ?y:object) pre: (not (= ?x ?y)); add (done)",
	}, {
		name:   "false precondition drops the action",
		action: `(:action a :parameters () :precondition (= c1 b2) :effect (done))`,
		want:   "",
	}, {
		name:   "either type",
		action: `(:action a :parameters (?x - (either block ball)) :effect (p ?x))`,
		want:   "a(?x:(either block ball)) pre: ; add (p ?x)",
	}, {
		name:   "forall and when effects",
		action: `(:action a :parameters (?x) :effect (forall (?y - ball) (when (r ?x ?y) (and (p ?y) (not (q ?y))))))`,
		want:   "a(?x:object) pre: ; forall(?y:ball) when((r ?x ?y)) add (p ?y); forall(?y:ball) when((r ?x ?y)) del (q ?y)",
	}, {
		name:   "disjunctive condition splits the effect",
		action: `(:action a :parameters (?x) :effect (when (or (p ?x) (q ?x)) (done)))`,
		want:   "a(?x:object) pre: ; when((p ?x)) add (done); when((q ?x)) add (done)",
	}, {
		name:   "existential condition becomes a forall parameter",
		action: `(:action a :parameters (?x) :effect (when (exists (?y - ball) (r ?x ?y)) (p ?x)))`,
		want:   "a(?x:object) pre: ; forall(?y:ball) when((r ?x ?y)) add (p ?x)",
	}, {
		name:   "nested when conjoins conditions",
		action: `(:action a :parameters (?x) :effect (when (p ?x) (forall (?y - ball) (when (q ?y) (r ?x ?y)))))`,
		want:   "a(?x:object) pre: ; forall(?y:ball) when((p ?x) (q ?y)) add (r ?x ?y)",
	}, {
		name:   "constant cost",
		action: `(:action a :parameters () :effect (and (done) (increase (total-cost) 3) (increase (total-cost) 2)))`,
		want:   "a() pre: ; add (done); cost 5",
	}, {
		name:   "function cost",
		action: `(:action a :parameters (?x ?y - block) :effect (and (done) (increase (total-cost) (dist ?x ?y))))`,
		want:   "a(?x:block ?y:block) pre: ; add (done); cost (dist ?x ?y)+0",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task := normalizeText(t, normDomain(tt.action), normProblem)
			if got := withoutMutate(task); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestNormalizeGoal(t *testing.T) {
	tests := []struct {
		name, goal, wantGoal, wantAxioms string
	}{{
		name: "conjunction", goal: `(and (p c1) (not (q b2)))`, wantGoal: "(p c1) (not (q b2))",
	}, {
		name: "universal", goal: `(forall (?y - ball) (p ?y))`, wantGoal: "(p x1) (p x2)",
	}, {
		name: "equality decided", goal: `(and (p c1) (not (= c1 b2)))`, wantGoal: "(p c1)",
	}, {
		name: "disjunction", goal: `(or (p c1) (q b2))`, wantGoal: "(goal-reached)",
		wantAxioms: "(goal-reached) [] :- (p c1)\n" +
			"(goal-reached) [] :- (q b2)",
	}, {
		name: "existential", goal: `(exists (?y - ball) (r c1 ?y))`, wantGoal: "(goal-reached)",
		wantAxioms: "(goal-reached) [?y:ball] :- (r c1 ?y)",
	}, {
		name: "unsatisfiable", goal: `(= c1 b2)`, wantGoal: "(goal-reached)",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prob := strings.Replace(normProblem, "(:goal (done))", "(:goal "+tt.goal+")", 1)
			task := normalizeText(t, normDomain(""), prob)
			if got := goalString(task); got != tt.wantGoal {
				t.Errorf("goal %s, want %s", got, tt.wantGoal)
			}
			if got := taskAxioms(task); got != tt.wantAxioms {
				t.Errorf("axioms\n%s\nwant\n%s", got, tt.wantAxioms)
			}
		})
	}
}

// TestNormalizeStatic: ground atoms of predicates no action changes are
// decided from the initial state, which keeps universal quantifiers over
// static conditions from growing into disjunctions.
func TestNormalizeStatic(t *testing.T) {
	dom := `(define (domain s) (:requirements :adl)
  (:predicates (vip ?p) (boarded ?p) (served ?p) (done))
  (:action finish :parameters ()
    :precondition (forall (?p) (imply (vip ?p) (served ?p)))
    :effect (done))
  (:action serve :parameters (?p) :precondition (boarded ?p) :effect (served ?p)))`
	prob := `(define (problem s1) (:domain s) (:objects a b c)
  (:init (vip a) (vip c) (boarded a))
  (:goal (and (done) (or (vip b) (served c)))))`
	task := normalizeText(t, dom, prob)
	want := "finish() pre: (served a) (served c); add (done)\n" +
		"serve(?p:object) pre: (boarded ?p); add (served ?p)"
	if got := taskActions(task); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := goalString(task); got != "(done) (served c)" {
		t.Errorf("goal %s", got)
	}
}

func TestNormalizeTask(t *testing.T) {
	d, p := readTestdata(t, "adl/domain.pddl", "adl/tidy.pddl")
	task, err := Normalize(d, p)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"hall", "kitchen", "study", "b1", "key1", "r1"}; !reflect.DeepEqual(task.Objects, want) {
		t.Errorf("objects %v, want %v", task.Objects, want)
	}
	wantTypes := map[string][]int{
		"object": {0, 1, 2, 3, 4, 5}, "room": {0, 1, 2}, "item": {3, 4}, "box": {3}, "tool": {4},
		"robot": {5}, "(either box tool)": {3, 4},
	}
	if !reflect.DeepEqual(task.TypeObjects, wantTypes) {
		t.Errorf("types %v, want %v", task.TypeObjects, wantTypes)
	}
	if !task.UsesCost {
		t.Error("UsesCost not set for (:metric minimize (total-cost))")
	}
	if len(task.Init) != 8 || len(task.InitValues) != 5 {
		t.Errorf("%d initial atoms and %d values, want 8 and 5", len(task.Init), len(task.InitValues))
	}
	// Normalize is deterministic.
	again, err := Normalize(d, p)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(task, again) {
		t.Error("two normalisations of the same input differ")
	}
}

func TestNormalizeNoMetricIgnoresCosts(t *testing.T) {
	d, p := readTestdata(t, "adl/domain.pddl", "adl/tidy.pddl")
	p.Metric = nil
	task, err := Normalize(d, p)
	if err != nil {
		t.Fatal(err)
	}
	if task.UsesCost {
		t.Error("UsesCost set without a metric")
	}
}

func TestNormalizeErrors(t *testing.T) {
	tests := []struct {
		name, action, problem, want string
		unsupported                 bool
	}{{
		name:    "undeclared predicate",
		action:  `(:action a :parameters (?x) :precondition (s ?x) :effect (done))`,
		problem: normProblem,
		want:    "domain.pddl:7:45: unknown predicate s",
	}, {
		name:    "effect on a derived predicate",
		action:  `(:derived (done) (p c1)) (:action a :parameters () :effect (done))`,
		problem: normProblem,
		want:    "domain.pddl:7:62: an effect cannot change the derived predicate done",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseDomain("domain.pddl", []byte(normDomain(tt.action)))
			if err != nil {
				t.Fatal(err)
			}
			p, err := ParseProblem("problem.pddl", []byte(tt.problem))
			if err != nil {
				t.Fatal(err)
			}
			_, err = normalize(d, p, normLimits{atoms: 1000, clauses: maxClauses, expand: maxExpandLiterals})
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("got %v, want %s...", err, tt.want)
			}
			if errors.Is(err, ErrUnsupported) != tt.unsupported {
				t.Errorf("errors.Is(err, ErrUnsupported) = %v", !tt.unsupported)
			}
		})
	}
}

// TestNormalizeArgumentTypes: an atom whose arguments are not of the
// predicate's declared types is an error for Check but, as for Fast
// Downward's translator, just an atom for Normalize and ValidateAST.
func TestNormalizeArgumentTypes(t *testing.T) {
	d, err := ParseDomain("domain.pddl", []byte(`(define (domain d)
  (:requirements :typing)
  (:types block ball)
  (:predicates (on ?x - block) (held ?x - ball))
  (:action hold :parameters (?x - block) :precondition (on ?x) :effect (held ?x)))`))
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseProblem("problem.pddl", []byte(`(define (problem pr) (:domain d)
  (:objects b - block x - ball) (:init (on b) (on x)) (:goal (and (held b) (held x))))`))
	if err != nil {
		t.Fatal(err)
	}
	err = Check(d, p)
	if err == nil || !strings.Contains(err.Error(), "argument 1 of held: ?x is of type block, not ball") {
		t.Errorf("Check: %v", err)
	}
	task, err := Normalize(d, p)
	if err != nil {
		t.Fatalf("Normalize: %v", err)
	}
	// x (a ball) is on, but hold takes blocks only: b can be held, x not.
	plan := []Step{{Action: "hold", Args: []string{"b"}}}
	if _, err := Validate(task, plan); err == nil {
		t.Error("Validate: (held x) cannot be reached")
	}
	if _, err := ValidateAST(d, p, append(plan, Step{Action: "hold", Args: []string{"x"}})); err == nil {
		t.Error("ValidateAST accepts hold of a ball")
	}
}

// TestNormalizeDerived: :derived rules become axioms (a disjunctive body one
// rule per disjunct, an existential variable an extra parameter), and
// conditions that would multiply out become derived predicates.
func TestNormalizeDerived(t *testing.T) {
	tests := []struct {
		name, defs, goal, wantActions, wantAxioms string
	}{{
		name: "derived rules",
		defs: `(:derived (done) (or (p c1) (exists (?y - ball) (r c1 ?y))))
  (:action a :parameters (?x) :precondition (done) :effect (p ?x))`,
		wantActions: "a(?x:object) pre: (done); add (p ?x)",
		wantAxioms:  "(done) [] :- (p c1)\n(done) [?y:ball] :- (r c1 ?y)",
	}, {
		name:        "universal over a disjunction becomes a negated derived predicate",
		defs:        `(:action a :parameters (?x) :precondition (forall (?y - ball) (or (p ?y) (r ?x ?y))) :effect (done))`,
		wantActions: "a(?x:object) pre: (not (not-all ?x)); add (done)",
		wantAxioms:  "(not-all ?v0) [?v0:object ?y:ball] :- (not (p ?y)) (not (r ?v0 ?y))",
	}, {
		name: "the same condition twice makes one predicate",
		defs: `(:action a :parameters (?x) :precondition (forall (?y - ball) (or (p ?y) (r ?x ?y))) :effect (done))
  (:action b :parameters (?z) :precondition (forall (?w - ball) (or (p ?w) (r ?z ?w))) :effect (done))`,
		wantActions: "a(?x:object) pre: (not (not-all ?x)); add (done)\nb(?z:object) pre: (not (not-all ?z)); add (done)",
		wantAxioms:  "(not-all ?v0) [?v0:object ?y:ball] :- (not (p ?y)) (not (r ?v0 ?y))",
	}, {
		name: "conjunctions of many disjunctions keep derived parts",
		defs: `(:action a :parameters (?x ?y) :precondition (and (or (p ?x) (q ?x)) (or (p ?y) (q ?y)) (or (r ?x ?y) (r ?y ?x))
    (or (p c1) (q c1)) (or (r c1 ?x) (r ?x c1)) (or (r c1 ?y) (r ?y c1)) (or (q ?x) (r ?x ?x))) :effect (done))`,
		// 2^7 disjuncts: the first six parts multiply out to 64, the
		// seventh becomes an any-of atom.
		wantAxioms: "(any-of ?v0) [?v0:object] :- (q ?v0)\n(any-of ?v0) [?v0:object] :- (r ?v0 ?v0)",
	}, {
		name:        "unused derived predicates are dropped",
		defs:        `(:derived (done) (p c1)) (:action a :parameters (?x) :effect (p ?x))`,
		goal:        "(q b2)",
		wantActions: "a(?x:object) pre: ; add (p ?x)",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// done may be derived: mutate no longer changes it.
			dom := strings.Replace(normDomain(tt.defs), "(not (done))", "", 1)
			prob := normProblem
			if tt.goal != "" {
				prob = strings.Replace(prob, "(:goal (done))", "(:goal "+tt.goal+")", 1)
			}
			task := normalizeText(t, dom, prob)
			if got := withoutMutate(task); tt.wantActions != "" && got != tt.wantActions {
				t.Errorf("actions\n%s\nwant\n%s", got, tt.wantActions)
			}
			if got := taskAxioms(task); got != tt.wantAxioms {
				t.Errorf("axioms\n%s\nwant\n%s", got, tt.wantAxioms)
			}
		})
	}
}
