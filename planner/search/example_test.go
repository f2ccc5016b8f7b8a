package search_test

import (
	"context"
	"fmt"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
	"github.com/toolsmith-dev/toolsmith/planner/search"
)

// A task built directly in Go: a robot moves between rooms along doors.
func Example() {
	v := func(i int) pddl.Term { return pddl.Term{Var: i} }
	task := &pddl.Task{
		Objects:     []string{"hall", "kitchen", "garden"},
		TypeObjects: map[string][]int{"room": {0, 1, 2}, "object": {0, 1, 2}},
		Predicates:  []pddl.Predicate{{Name: "at", Arity: 1}, {Name: "door", Arity: 2}},
		Actions: []pddl.Action{{
			Name:   "go",
			Params: []pddl.Param{{Name: "?from", Type: "room"}, {Name: "?to", Type: "room"}},
			Precondition: []pddl.Literal{
				{Atom: pddl.Atom{Pred: "at", Args: []pddl.Term{v(0)}}},
				{Atom: pddl.Atom{Pred: "door", Args: []pddl.Term{v(0), v(1)}}},
			},
			Effects: []pddl.Effect{
				{Atom: pddl.Atom{Pred: "at", Args: []pddl.Term{v(1)}}},
				{Atom: pddl.Atom{Pred: "at", Args: []pddl.Term{v(0)}}, Delete: true},
			},
		}},
		Init: []pddl.GroundAtom{{Pred: "at", Args: []int{0}}, {Pred: "door", Args: []int{0, 1}}, {Pred: "door", Args: []int{1, 2}}},
		Goal: []pddl.GroundLiteral{{GroundAtom: pddl.GroundAtom{Pred: "at", Args: []int{2}}}},
	}
	ctx := context.Background()
	prob, err := search.Ground(ctx, task)
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := search.Plan(ctx, prob, search.Options{Search: "astar", Heuristic: "lmcut"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status, len(prob.Operators), "operators")
	for _, s := range res.Plan {
		fmt.Println(s)
	}
	fmt.Println("cost", res.Cost)
	// Output:
	// solved 2 operators
	// (go hall kitchen)
	// (go kitchen garden)
	// cost 2
}
