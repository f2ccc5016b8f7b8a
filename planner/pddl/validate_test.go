package pddl

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestValidateTestdataPlans validates every plan under testdata against
// its problem and checks the cost the plan file states.
func TestValidateTestdataPlans(t *testing.T) {
	plans := []struct{ domain, problem, plan string }{
		{"adl/domain.pddl", "adl/tidy.pddl", "adl/tidy.plan"},
		{"adl/briefcase.pddl", "adl/briefcase-p1.pddl", "adl/briefcase-p1.plan"},
		{"ipc/gripper/domain.pddl", "ipc/gripper/prob01.pddl", "ipc/gripper/prob01.plan"},
		{"ipc/blocks/domain.pddl", "ipc/blocks/probBLOCKS-4-0.pddl", "ipc/blocks/probBLOCKS-4-0.plan"},
		{"ipc/miconic-simpleadl/domain.pddl", "ipc/miconic-simpleadl/s2-0.pddl", "ipc/miconic-simpleadl/s2-0.plan"},
		{"ipc/elevators-sat08-strips/domain.pddl", "ipc/elevators-sat08-strips/p01.pddl", "ipc/elevators-sat08-strips/p01.plan"},
		{"ipc/logistics00/domain.pddl", "ipc/logistics00/probLOGISTICS-4-0.pddl", "ipc/logistics00/probLOGISTICS-4-0.plan"},
		{"ipc/zenotravel/domain.pddl", "ipc/zenotravel/p01.pddl", "ipc/zenotravel/p01.plan"},
	}
	for _, tc := range plans {
		t.Run(tc.plan, func(t *testing.T) {
			d, p := readTestdata(t, tc.domain, tc.problem)
			task, err := Normalize(d, p)
			if err != nil {
				t.Fatal(err)
			}
			src, err := os.ReadFile("testdata/" + tc.plan)
			if err != nil {
				t.Fatal(err)
			}
			steps, err := ParsePlan(src)
			if err != nil {
				t.Fatal(err)
			}
			cost, err := Validate(task, steps)
			if err != nil {
				t.Fatal(err)
			}
			want := statedCost(string(src))
			if cost != want {
				t.Errorf("cost %d, the plan file says %d", cost, want)
			}
			// Dropping the last step leaves the goal unreached.
			if _, err := Validate(task, steps[:len(steps)-1]); err == nil {
				t.Error("the plan without its last step validates")
			}
		})
	}
}

// statedCost reads "; cost = N" from a plan file.
func statedCost(plan string) int64 {
	for _, line := range strings.Split(plan, "\n") {
		var n int64
		var kind string
		if _, err := fmt.Sscanf(line, "; cost = %d %s", &n, &kind); err == nil {
			return n
		}
	}
	return -1
}

func TestValidateFailures(t *testing.T) {
	d, p := readTestdata(t, "adl/domain.pddl", "adl/tidy.pddl")
	task, err := Normalize(d, p)
	if err != nil {
		t.Fatal(err)
	}
	good := []string{
		"(move r1 hall kitchen)", "(pick r1 key1 kitchen)", "(move r1 kitchen hall)",
		"(unlock r1 study)", "(move r1 hall study)", "(pick r1 b1 study)",
		"(sweep r1 study)", "(move r1 study hall)", "(move r1 hall kitchen)",
		"(drop-all r1 kitchen)",
	}
	edit := func(i int, step string) []string {
		out := append([]string(nil), good...)
		if step == "" {
			return append(out[:i], out[i+1:]...)
		}
		out[i] = step
		return out
	}
	tests := []struct {
		name  string
		steps []string
		want  string
	}{
		{"unknown action", edit(0, "(fly r1 hall kitchen)"), "step 1 (fly r1 hall kitchen) at line 1: unknown action fly"},
		{"wrong arity", edit(0, "(move r1 hall)"), "step 1 (move r1 hall) at line 1: action move takes 3 arguments, found 2"},
		{"unknown object", edit(0, "(move r1 hall garage)"), "step 1 (move r1 hall garage) at line 1: unknown object garage"},
		{"wrong type", edit(1, "(pick r1 hall kitchen)"), "step 2 (pick r1 hall kitchen) at line 2: argument 2, hall, is not of type (either box tool) (parameter ?i)"},
		{"false precondition", edit(3, ""), "step 4 (move r1 hall study) at line 4: no disjunct of the precondition holds; in the first, precondition (not (locked study)) is false"},
		{"existential precondition", edit(1, ""), "step 3 (unlock r1 study) at line 3: precondition (holding r1 key1) is false"},
		{"universal precondition", edit(5, ""), "step 6 (sweep r1 study) at line 6: precondition (not (in b1 study)) is false"},
		{"disjunctive precondition", edit(2, "(move r1 kitchen study)"), "step 3 (move r1 kitchen study) at line 3: no disjunct of the precondition holds; in the first, precondition (connected kitchen study) is false"},
		{"goal", edit(9, ""), "goal not reached: (in b1 kitchen) is false"},
		{"goal disjunction", edit(6, ""), "goal not reached: (goal-reached) is false (no rule for goal-reached holds; in the first, (clean study) is false)"},
		{"not the robot's room", edit(9, "(drop-all r1 hall)"), "step 10 (drop-all r1 hall) at line 10: precondition (at r1 hall) is false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps, err := ParsePlan([]byte(strings.Join(tt.steps, "\n")))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Validate(task, steps)
			var pe *PlanError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a *PlanError", err)
			}
			if err.Error() != tt.want {
				t.Errorf("got  %s\nwant %s", err, tt.want)
			}
		})
	}
}

// TestValidateSemantics checks delete-then-add, conditional effects read
// in the state before the action, and costs.
func TestValidateSemantics(t *testing.T) {
	dom := `(define (domain s) (:requirements :adl :action-costs)
  (:predicates (p) (q) (r))
  (:functions (total-cost) - number (w ?x) - number)
  (:action toggle :parameters ()
    :effect (and (when (p) (not (p))) (when (not (p)) (p)) (increase (total-cost) 2)))
  (:action both :parameters () :effect (and (not (q)) (q)))
  (:action weigh :parameters (?x) :precondition (q) :effect (and (r) (increase (total-cost) (w ?x)))))`
	prob := `(define (problem s1) (:domain s) (:objects a b) (:init (= (w a) 7)) (:goal (and (p) (q) (r))) (:metric minimize (total-cost)))`
	task := normalizeText(t, dom, prob)
	steps := []Step{{Action: "toggle"}, {Action: "both"}, {Action: "weigh", Args: []string{"a"}}}
	cost, err := Validate(task, steps)
	if err != nil || cost != 9 {
		t.Fatalf("Validate = %d, %v; want 9, nil", cost, err)
	}
	// Toggling twice: the second toggle sees (p) and deletes it only.
	_, err = Validate(task, append([]Step{{Action: "toggle"}}, steps...))
	if err == nil || err.Error() != "goal not reached: (p) is false" {
		t.Errorf("double toggle: %v", err)
	}
	// A cost function without a value is an error of the step.
	_, err = Validate(task, []Step{{Action: "both"}, {Action: "weigh", Args: []string{"b"}}})
	if err == nil || err.Error() != "step 2 (weigh b): cost (w b) has no initial value" {
		t.Errorf("missing cost value: %v", err)
	}
	// Without the metric every step costs 1.
	task.UsesCost = false
	if cost, err := Validate(task, steps); err != nil || cost != 3 {
		t.Errorf("unit cost: %d, %v", cost, err)
	}
}

func TestParsePlan(t *testing.T) {
	src := "; a plan\n(pick-up A)\n  (STACK a b) ; comment\n0.000: (move x y) [1.000]\n\n; cost = 3 (unit cost)\n"
	steps, err := ParsePlan([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []Step{{"pick-up", []string{"A"}, 2}, {"STACK", []string{"a", "b"}, 3}, {"move", []string{"x", "y"}, 4}}
	if len(steps) != len(want) {
		t.Fatalf("got %v", steps)
	}
	for i := range want {
		if steps[i].String() != want[i].String() || steps[i].Line != want[i].Line {
			t.Errorf("step %d = %+v, want %+v", i, steps[i], want[i])
		}
	}
	if got := FormatPlan(steps, 3, false); got != "(pick-up A)\n(STACK a b)\n(move x y)\n; cost = 3 (unit cost)\n" {
		t.Errorf("FormatPlan = %q", got)
	}
	bad := []struct{ src, want string }{
		{"(move a b", "1:1: unclosed '(' (end of file reached)"},
		{"move a b", "1:1: expected a step (action obj ...), found \"move\" (and 2 more errors)"},
		{"(move ?x)", "1:7: expected an action or object name, found \"?x\""},
		{"(move (a))", "1:7: expected an action or object name, found (a ...)"},
		{"()", "1:1: empty step ()"},
	}
	for _, b := range bad {
		if _, err := ParsePlan([]byte(b.src)); err == nil || err.Error() != b.want {
			t.Errorf("ParsePlan(%q) = %v, want %s", b.src, err, b.want)
		}
	}
}

func TestTaskCheck(t *testing.T) {
	base := func() *Task {
		return &Task{
			Objects:     []string{"a", "b"},
			TypeObjects: map[string][]int{"object": {0, 1}},
			Predicates:  []Predicate{{Name: "p", Arity: 1}},
			Actions: []Action{{Name: "go", Params: []Param{{Name: "?x", Type: "object"}},
				Precondition: []Literal{{Atom: Atom{Pred: "p", Args: []Term{{Var: 0}}}}},
				Effects:      []Effect{{Atom: Atom{Pred: "p", Args: []Term{{Var: -1, Obj: 1}}}}}}},
			Init: []GroundAtom{{Pred: "p", Args: []int{0}}},
			Goal: []GroundLiteral{{GroundAtom: GroundAtom{Pred: "p", Args: []int{1}}}},
		}
	}
	if err := base().Check(); err != nil {
		t.Fatalf("valid task: %v", err)
	}
	if cost, err := Validate(base(), []Step{{Action: "go", Args: []string{"a"}}}); err != nil || cost != 1 {
		t.Fatalf("Validate = %d, %v", cost, err)
	}
	tests := []struct {
		name   string
		break_ func(*Task)
		want   string
	}{
		{"variable out of range", func(t *Task) { t.Actions[0].Precondition[0].Args[0].Var = 1 }, "action go: argument of p out of range (var 1, obj 0)"},
		{"object out of range", func(t *Task) { t.Init[0].Args[0] = 5 }, "init: object 5 of p out of range"},
		{"arity", func(t *Task) { t.Goal[0].Args = nil }, "goal: predicate p takes 1 arguments, found 0"},
		{"undeclared predicate", func(t *Task) { t.Actions[0].Effects[0].Atom.Pred = "q" }, "action go: undeclared predicate q"},
		{"missing type", func(t *Task) { t.Actions[0].Params[0].Type = "thing" }, "action go: parameter ?x has type thing, which TypeObjects lacks"},
	}
	for _, tt := range tests {
		task := base()
		tt.break_(task)
		if err := task.Check(); err == nil || err.Error() != tt.want {
			t.Errorf("%s: got %v, want %s", tt.name, err, tt.want)
		}
		if _, err := Validate(task, nil); err == nil || !strings.HasPrefix(err.Error(), "invalid task: ") {
			t.Errorf("%s: Validate: %v", tt.name, err)
		}
	}
}
