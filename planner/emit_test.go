package planner

import (
	"context"
	"errors"
	"testing"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
	"github.com/toolsmith-dev/toolsmith/planner/search"
)

// TestMaterialiseRoundTrip prints the task as PDDL, parses it back, solves
// it with an independent search configuration and checks that the optimal
// cost equals the plan's.
func TestMaterialiseRoundTrip(t *testing.T) {
	ctx := context.Background()
	p := newTravel(t, Options{})
	for _, r := range []string{
		`{"goals":["Flights.Book","Payments.Pay"],"known":{"city":"Oslo","date":"2024-12-01"}}`,
		`{"goals":["Flights.Search","Hotels.Search"],"known":{"city":"Paris","checkOut":"2024-10-15"}}`,
		`{"goals":["Cars.Rent"],"known":{"city":"San Diego","pickup_time":"10:00","pickup_time":"11:00"}}`,
	} {
		req := mustRequest(t, r)
		d, pr, _, err := p.Materialise(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		d2, err := pddl.ParseDomain("domain.pddl", []byte(d.String()))
		if err != nil {
			t.Fatalf("%s\n%s", err, d.String())
		}
		p2, err := pddl.ParseProblem("problem.pddl", []byte(pr.String()))
		if err != nil {
			t.Fatalf("%s\n%s", err, pr.String())
		}
		res := solveBlind(t, d2, p2)
		if res.Status != search.Solved {
			t.Fatalf("search: %v", res.Status)
		}
		plan, err := p.Plan(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		// The task's costs are scaled by costScale, less one per preferred
		// call; choices among a call's results come after search.
		_, choices := asked(plan)
		if (res.Cost+costScale-1)/costScale != plan.Cost-int64(len(choices))*5 {
			t.Errorf("%s: cost of the exported task %d, plan cost %d", r, res.Cost, plan.Cost)
		}
	}
	_, _, plan, err := p.Materialise(ctx, mustRequest(t, `{"goals":["Nope"]}`))
	if !errors.Is(err, ErrNoTask) || plan.Status != StatusInfeasible {
		t.Errorf("Materialise(unknown goal) = %v, %+v", err, plan)
	}
}
