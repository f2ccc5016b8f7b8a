package planner

import (
	"context"
	"testing"
)

func TestReplan(t *testing.T) {
	ctx := context.Background()
	p := newTravel(t, Options{})
	req := mustRequest(t, `{"goals":["Flights.Search","Hotels.Search"],"known":{"city":"Paris","checkOut":"2024-10-15"}}`)
	plan, err := p.Plan(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	q := plan.Questions()
	if len(q) != 1 || q[0].Slot != "date" {
		t.Fatalf("first plan: %s", plan.Text())
	}

	// The user answers; the airport lookup has run meanwhile.
	req, plan, err = p.Replan(ctx, req, Update{
		Done: []Done{
			{ID: q[0].ID, API: GetInfo, Slot: "date", Outputs: map[string]any{"date": "2024-10-05"}},
			{ID: "s2", API: "Airports.Search"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"status":"ok","steps":[{"id":"s3","api":"Flights.Search","args":{"date":{"value":"2024-10-05"},"destinationSkyId":{"from":"s2","field":"skyId"}},"effect":"read"},{"id":"s4","api":"Hotels.SearchLocation","args":{"query":{"value":"Paris"}},"effect":"read"},{"id":"s5","api":"Hotels.Search","args":{"checkIn":{"value":"2024-10-05"},"checkOut":{"value":"2024-10-15"},"geoId":{"from":"s4","field":"geoId"}},"effect":"read"}],"problems":[],"cost":3}`
	if got := planJSON(t, plan); got != want {
		t.Errorf("after the answer\n got %s\nwant %s", got, want)
	}

	// Flights.Search ran; Hotels.SearchLocation failed, and nothing else
	// provides a geoId: the hotel goal becomes infeasible.
	_, plan, err = p.Replan(ctx, req, Update{Done: []Done{{ID: "s3", API: "Flights.Search"}}, Failed: []string{"Hotels.SearchLocation"}})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Status != StatusInfeasible {
		t.Fatalf("after the failure: %s", plan.Text())
	}
	var kinds []IssueKind
	for _, pr := range plan.Issues {
		kinds = append(kinds, pr.Kind)
	}
	if len(kinds) != 2 || kinds[0] != IssueForbidden || kinds[1] != IssueUnreachable {
		t.Errorf("problems = %v, want forbidden (failed) then unreachable geoId\n%s", kinds, plan.Text())
	}
}

func TestReplanAnswerSettlesConflict(t *testing.T) {
	ctx := context.Background()
	p := newTravel(t, Options{})
	req := mustRequest(t, `{"goals":["Cars.Rent"],"known":{"city":"San Diego","pickup_time":"10:00","pickup_time":"11:00"}}`)
	_, plan, err := p.Replan(ctx, req, Update{Known: []Known{{Key: "pickup_time", Value: "11:00"}}})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Status != StatusOK || len(plan.Issues) != 0 || plan.Steps[0].Args["pickup_time"].Value != "11:00" {
		t.Fatalf("plan after the answer: %s", plan.Text())
	}
}

func TestAllGoalsDone(t *testing.T) {
	p := newTravel(t, Options{})
	plan, err := p.Plan(context.Background(), Request{Goals: []string{"Cars.Rent"}, Done: []Done{{ID: "s1", API: "Cars.Rent"}}})
	if err != nil || plan.Status != StatusOK || len(plan.Steps) != 0 {
		t.Fatalf("plan = %+v, %v; want ok with no steps", plan, err)
	}
}
