package planner

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// TestCostPruneKeepsOptimalPlans compares plans with and without cost
// pruning on a registry with many costly alternatives.
func TestCostPruneKeepsOptimalPlans(t *testing.T) {
	apis := loadTravel(t)
	for i := range 40 {
		apis = append(apis, registry.API{
			Name:    fmt.Sprintf("Costly%d", i),
			Cost:    3 + i%5,
			Inputs:  []registry.Input{{Name: "city", Required: true}, {Name: fmt.Sprintf("extra%d", i%7), Required: i%2 == 0}},
			Outputs: []registry.Output{{Name: []string{"skyId", "geoId", "flight_id", "booking_id"}[i%4]}},
		})
	}
	pruned, err := New(apis, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// A policy turns cost pruning off without changing anything else.
	full, err := New(apis, Options{Rules: []string{"unused_policy_atom :- api(\"none\")."}})
	if err != nil {
		t.Fatal(err)
	}
	smaller := false
	for _, r := range []string{
		`{"goals":["Payments.Pay"],"known":{"city":"Oslo","date":"2024-12-01"}}`,
		`{"goals":["Flights.Search","Hotels.Search"],"known":{"city":"Paris"}}`,
		`{"goals":["Hotels.Search"],"known":{"city":"Rome","city":"Milan","checkOut":"x","date":"y"}}`,
		`{"goals":["Cars.Rent"],"known":{"city":"a","car_type":"van"}}`,
		`{"goals":["Payments.Pay"],"known":{"Costly4.city":"Oslo","passenger":"A"},"failed":["Airports.Search"]}`,
	} {
		req := mustRequest(t, r)
		a, err := pruned.Plan(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		b, err := full.Plan(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if a.Cost != b.Cost || a.Status != b.Status {
			t.Errorf("%s:\npruned %s\nfull   %s", r, a.Text(), b.Text())
		}
		pa, errA := pruned.ASPProgram(context.Background(), req)
		pb, errB := full.ASPProgram(context.Background(), req)
		if errA == nil && errB == nil && strings.Count(pa, "\napi(") < strings.Count(pb, "\napi(") {
			smaller = true
		}
	}
	if !smaller {
		t.Error("cost pruning never left an API out of the reasoning")
	}
}
