package pddl

import (
	"errors"
	"math/rand/v2"
	"testing"
)

// groundSteps lists every well-typed step of the domain, up to limit.
func groundSteps(x *astExec, d *Domain, limit int) []Step {
	var out []Step
	for _, a := range d.Actions {
		x.each(a.Params, astEnv{}, func(env astEnv) bool {
			s := Step{Action: a.Name}
			for _, p := range a.Params {
				s.Args = append(s.Args, x.sym.objects[env[lower(p.Name)]].name)
			}
			out = append(out, s)
			return len(out) >= limit
		})
	}
	return out
}

// planOutcome summarises a validation: the failing step (-1 when valid, 0
// for the goal) and the cost of a valid plan.
func planOutcome(t *testing.T, cost int64, err error) (int, int64) {
	t.Helper()
	if err == nil {
		return -1, cost
	}
	var pe *PlanError
	if !errors.As(err, &pe) {
		t.Fatalf("not a plan error: %v", err)
	}
	return pe.Step, 0
}

// TestValidateAgreesWithAST runs random step sequences — mostly applicable
// ones, some not — through Normalize+Validate and through ValidateAST:
// both must fail at the same step, or both accept with the same cost. This
// checks the ADL compilation against a direct reading of the formulas.
func TestValidateAgreesWithAST(t *testing.T) {
	// walks, when set, asks for fewer and shorter random walks: ValidateAST
	// derives atoms naively, evaluating every rule for every binding of
	// its parameters until nothing changes, which is slow on the larger
	// axiom domains.
	cases := []struct {
		domain, problem string
		walks           int
	}{
		{"adl/domain.pddl", "adl/tidy.pddl", 0},
		{"adl/briefcase.pddl", "adl/briefcase-p1.pddl", 0},
		{"ipc/miconic-simpleadl/domain.pddl", "ipc/miconic-simpleadl/s2-0.pddl", 0},
		{"ipc/gripper/domain.pddl", "ipc/gripper/prob01.pddl", 0},
		{"llmp/tyreworld/domain.pddl", "llmp/tyreworld/p01.pddl", 0},
		// Derived predicates, and conditions compiled into them.
		{"ipc/psr-large/domain.pddl", "ipc/psr-large/p01-s29-n2-l5-f30.pddl", 1},
		{"ipc/philosophers/domain.pddl", "ipc/philosophers/p01-phil2.pddl", 3},
		{"ipc/miconic-fulladl/domain.pddl", "ipc/miconic-fulladl/f1-0.pddl", 0},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range cases {
		t.Run(tc.problem, func(t *testing.T) {
			d, p := readTestdata(t, tc.domain, tc.problem)
			task, err := Normalize(d, p)
			if err != nil {
				t.Fatal(err)
			}
			// Copies without a goal: every applicable prefix is then a
			// valid plan, and the costs are compared too.
			noGoalTask, noGoalProblem := *task, *p
			noGoalTask.Goal, noGoalProblem.Goal = nil, nil
			x0, err := newASTExec(d, p)
			if err != nil {
				t.Fatal(err)
			}
			all := groundSteps(x0, d, 50000)
			agreeing := map[int]int{}
			// Walks of 20 steps, checked every 5 steps; the slow cases
			// get one walk of 10 steps, checked at its end.
			walks, length, step := 25, 20, 5
			if tc.walks > 0 {
				walks, length, step = tc.walks, 10, 10
			}
			for walk := 0; walk < walks; walk++ {
				var plan []Step
				x := x0.clone()
				for len(plan) < length {
					// Mostly an applicable step, found by scanning from a
					// random place; sometimes any step, or a misspelt one.
					start := rng.IntN(len(all))
					next := all[start]
					switch r := rng.IntN(40); {
					case r == 0:
						next = Step{Action: next.Action, Args: append([]string{"nowhere"}, next.Args[1:]...)}
					case r == 1:
					default:
						for i := range all {
							cand := all[(start+i)%len(all)]
							if _, _, reason := x.applies(cand); reason == "" {
								next = cand
								break
							}
						}
					}
					x.step(next)
					plan = append(plan, next)
				}
				for n := step; n <= len(plan); n += step {
					c1, e1 := Validate(task, plan[:n])
					c2, e2 := ValidateAST(d, p, plan[:n])
					s1, k1 := planOutcome(t, c1, e1)
					s2, k2 := planOutcome(t, c2, e2)
					if s1 != s2 || k1 != k2 {
						t.Fatalf("plan %v:\nValidate:    %v (cost %d)\nValidateAST: %v (cost %d)", plan[:n], e1, c1, e2, c2)
					}
					agreeing[s1]++
					c1, e1 = Validate(&noGoalTask, plan[:n])
					c2, e2 = ValidateAST(d, &noGoalProblem, plan[:n])
					s1, k1 = planOutcome(t, c1, e1)
					s2, k2 = planOutcome(t, c2, e2)
					if s1 != s2 || k1 != k2 {
						t.Fatalf("plan %v without goal:\nValidate:    %v (cost %d)\nValidateAST: %v (cost %d)", plan[:n], e1, c1, e2, c2)
					}
					if s1 == -1 {
						agreeing[-1]++
					}
				}
			}
			// The walks must have exercised both valid prefixes (or goal
			// failures) and failing steps.
			t.Logf("outcomes by failing step (-1 valid, 0 goal): %v", agreeing)
			if agreeing[0]+agreeing[-1] == 0 {
				t.Errorf("no walk got past its first step: %v", agreeing)
			}
		})
	}
}
