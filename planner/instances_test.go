package planner

import (
	"context"
	"testing"
)

func TestInstances(t *testing.T) {
	p := newTravel(t, Options{})
	tests := []planCase{
		{
			name:    "two airports: roles by input name",
			request: `{"goals":["Flights.Route"],"known":{"Airports.Search#origin.query":"New York","Airports.Search#destination.query":"London","date":"2024-08-15"}}`,
			want:    `{"status":"ok","steps":[{"id":"s1","api":"Airports.Search","args":{"query":{"value":"London"}},"instance":"destination","effect":"read"},{"id":"s2","api":"Airports.Search","args":{"query":{"value":"New York"}},"instance":"origin","effect":"read"},{"id":"s3","api":"Flights.Route","args":{"date":{"value":"2024-08-15"},"destinationSkyId":{"from":"s1","field":"skyId"},"originSkyId":{"from":"s2","field":"skyId"}},"effect":"read"}],"problems":[],"cost":3}`,
		},
		{
			name:    "two dates: two goal instances share the airport",
			request: `{"goals":["Flights.Search#outbound","Flights.Search#return"],"known":{"city":"Rome","Flights.Search#outbound.date":"2024-10-05","Flights.Search#return.date":"2024-10-15"}}`,
			want:    `{"status":"ok","steps":[{"id":"s1","api":"Airports.Search","args":{"query":{"value":"Rome"}},"effect":"read"},{"id":"s2","api":"Flights.Search","args":{"date":{"value":"2024-10-05"},"destinationSkyId":{"from":"s1","field":"skyId"}},"instance":"outbound","effect":"read"},{"id":"s3","api":"Flights.Search","args":{"date":{"value":"2024-10-15"},"destinationSkyId":{"from":"s1","field":"skyId"}},"instance":"return","effect":"read"}],"problems":[],"cost":3}`,
		},
		{
			name:    "a missing value of one instance is asked for",
			request: `{"goals":["Flights.Route"],"known":{"Airports.Search#origin.query":"New York","Airports.Search#destination.query":"London"}}`,
			want:    `{"status":"needs_info","steps":[{"id":"s1","api":"get_info","slot":"date","question":"What is the date?"},{"id":"s2","api":"Airports.Search","args":{"query":{"value":"London"}},"instance":"destination","effect":"read"},{"id":"s3","api":"Airports.Search","args":{"query":{"value":"New York"}},"instance":"origin","effect":"read"},{"id":"s4","api":"Flights.Route","args":{"date":{"from":"s1","field":"date"},"destinationSkyId":{"from":"s2","field":"skyId"},"originSkyId":{"from":"s3","field":"skyId"}},"effect":"read"}],"problems":[],"cost":8}`,
		},
	}
	checkPlans(t, p, tests)
}

func TestReplanInstance(t *testing.T) {
	p := newTravel(t, Options{})
	req := mustRequest(t, `{"goals":["Flights.Route"],"known":{"Airports.Search#origin.query":"New York","Airports.Search#destination.query":"London","date":"2024-08-15"}}`)
	_, plan, err := p.Replan(context.Background(), req, Update{Done: []Done{{ID: "s2", API: "Airports.Search", Instance: "origin"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"status":"ok","steps":[{"id":"s3","api":"Airports.Search","args":{"query":{"value":"London"}},"instance":"destination","effect":"read"},{"id":"s4","api":"Flights.Route","args":{"date":{"value":"2024-08-15"},"destinationSkyId":{"from":"s3","field":"skyId"},"originSkyId":{"from":"s2","field":"skyId"}},"effect":"read"}],"problems":[],"cost":2}`
	if got := planJSON(t, plan); got != want {
		t.Errorf("plan\n got %s\nwant %s", got, want)
	}
}

// TestNullKeepsTheMention checks that a null value keeps the instance (and
// the API it names) in the plan and asks for the value.
func TestNullKeepsTheMention(t *testing.T) {
	p := newTravel(t, Options{})
	plan, err := p.Plan(context.Background(), mustRequest(t,
		`{"goals":["Flights.Route"],"known":{"Airports.Search#origin.query":null,"Airports.Search#destination.query":"London","date":"2024-08-15"}}`))
	if err != nil {
		t.Fatal(err)
	}
	q := plan.Questions()
	if plan.Status != StatusNeedsInfo || len(q) != 1 || q[0].Slot != "city" {
		t.Fatalf("want one question for the origin city, got %s", plan.Text())
	}
	for _, s := range plan.Steps {
		if s.API == "Airports.Search" && s.Instance == "origin" {
			if s.Args["query"].From != q[0].ID {
				t.Errorf("origin query = %+v, want the answer of %s", s.Args["query"], q[0].ID)
			}
			return
		}
	}
	t.Fatalf("no origin airport search:\n%s", plan.Text())
}

// TestNullIsAnsweredByTheUser checks that an input given as null takes the
// user's answer even when an API could produce its slot.
func TestNullIsAnsweredByTheUser(t *testing.T) {
	p := newTravel(t, Options{})
	plan, err := p.Plan(context.Background(), mustRequest(t,
		`{"goals":["Flights.Book","Payments.Pay"],"known":{"city":"Oslo","date":"2024-12-01","passenger":"Ada","Payments.Pay.amount":null}}`))
	if err != nil {
		t.Fatal(err)
	}
	q, _ := asked(plan)
	if len(q) != 1 || q[0].Slot != "amount" {
		t.Fatalf("want one question for the amount, got %s", plan.Text())
	}
	pay := plan.Steps[len(plan.Steps)-1]
	if pay.API != "Payments.Pay" || pay.Args["amount"].From != q[0].ID {
		t.Fatalf("Payments.Pay amount = %+v, want the answer %s\n%s", pay.Args["amount"], q[0].ID, plan.Text())
	}
}
