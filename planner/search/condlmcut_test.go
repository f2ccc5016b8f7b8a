package search

import "testing"

// TestAstarOptimalWithConditionalEffects: LM-cut counts an operator once per
// conditional effect, so it overestimates after (prep) — three goals left,
// one step (all) of cost 1 away — and A* with it would settle for the three
// single steps (cost 3) instead of prep, all (cost 2). The default
// heuristic of astar must keep its plans optimal.
func TestAstarOptimalWithConditionalEffects(t *testing.T) {
	domain := `(define (domain d)
  (:requirements :adl)
  (:predicates (ready) (on) (g1) (g2) (g3))
  (:action prep :parameters () :precondition (not (ready)) :effect (ready))
  (:action all :parameters () :precondition (ready)
    :effect (and (when (on) (g1)) (when (on) (g2)) (when (on) (g3))))
  (:action off :parameters () :precondition (on) :effect (not (on)))
  (:action one :parameters () :effect (g1))
  (:action two :parameters () :effect (g2))
  (:action three :parameters () :effect (g3)))`
	problem := `(define (problem p) (:domain d) (:init (on)) (:goal (and (g1) (g2) (g3))))`
	task := parseTask(t, domain, problem)
	for _, h := range []string{"", "max", "blind"} {
		_, res := solve(t, task, Options{Search: "astar", Heuristic: h})
		if res.Status != Solved || res.Cost != 2 {
			t.Errorf("astar heuristic %q: %v cost %d, want optimal cost 2 (prep, all): %v", h, res.Status, res.Cost, res.Plan)
		}
	}
	_, res := solve(t, task, Options{Search: "astar", Heuristic: "lmcut"})
	t.Logf("astar lmcut (inadmissible here): cost %d %v", res.Cost, res.Plan)
}
