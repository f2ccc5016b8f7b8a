package planner

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/registry"
)

func loadTravel(t testing.TB) []registry.API {
	t.Helper()
	data, err := os.ReadFile("testdata/travel.json")
	if err != nil {
		t.Fatal(err)
	}
	var apis []registry.API
	if err := json.Unmarshal(data, &apis); err != nil {
		t.Fatal(err)
	}
	return apis
}

func newTravel(t testing.TB, opts Options) *Planner {
	t.Helper()
	p, err := New(loadTravel(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustRequest(t testing.TB, s string) Request {
	t.Helper()
	r, err := ParseRequest([]byte(s))
	if err != nil {
		t.Fatalf("ParseRequest(%s): %v", s, err)
	}
	return r
}

func planJSON(t testing.TB, p *Plan) string {
	t.Helper()
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// planCase is a request and the plan JSON it must give.
type planCase struct{ name, request, want string }

// checkPlans plans each case's request with p and compares the plan JSON.
func checkPlans(t *testing.T, p *Planner, tests []planCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := p.Plan(context.Background(), mustRequest(t, tt.request))
			if err != nil {
				t.Fatal(err)
			}
			if got := planJSON(t, plan); got != tt.want {
				t.Errorf("plan\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestPlanTravel(t *testing.T) {
	p := newTravel(t, Options{})
	tests := []planCase{
		{
			name:    "complete request, one call",
			request: `{"goals":["Cars.Rent"],"known":{"city":"San Diego","pickup_time":"10:00"}}`,
			want:    `{"status":"ok","steps":[{"id":"s1","api":"Cars.Rent","args":{"car_type":{"value":"standard"},"pickup_city":{"value":"San Diego"},"pickup_time":{"value":"10:00"}},"confirm":true,"effect":"write"}],"problems":[],"cost":2}`,
		},
		{
			name:    "missing value becomes a get_info step",
			request: `{"goals":["Cars.Rent"],"known":{"city":"San Diego","Cars.Rent.car_type":"compact"}}`,
			want:    `{"status":"needs_info","steps":[{"id":"s1","api":"get_info","slot":"pickup_time","question":"What is the pickup time?"},{"id":"s2","api":"Cars.Rent","args":{"car_type":{"value":"compact"},"pickup_city":{"value":"San Diego"},"pickup_time":{"from":"s1","field":"pickup_time"}},"confirm":true,"effect":"write"}],"problems":[],"cost":7}`,
		},
		{
			name:    "dataflow through an alias: skyId feeds destinationSkyId",
			request: `{"goals":["Flights.Search"],"known":{"city":"London","date":"2024-08-15"}}`,
			want:    `{"status":"ok","steps":[{"id":"s1","api":"Airports.Search","args":{"query":{"value":"London"}},"effect":"read"},{"id":"s2","api":"Flights.Search","args":{"date":{"value":"2024-08-15"},"destinationSkyId":{"from":"s1","field":"skyId"}},"effect":"read"}],"problems":[],"cost":2}`,
		},
		{
			name:    "Api.input wins over the slot",
			request: `{"goals":["Hotels.Search"],"known":{"city":"Rome","date":"2024-10-05","Hotels.Search.checkIn":"2024-10-06","checkOut":"2024-10-09"}}`,
			want:    `{"status":"ok","steps":[{"id":"s1","api":"Hotels.SearchLocation","args":{"query":{"value":"Rome"}},"effect":"read"},{"id":"s2","api":"Hotels.Search","args":{"checkIn":{"value":"2024-10-06"},"checkOut":{"value":"2024-10-09"},"geoId":{"from":"s1","field":"geoId"}},"effect":"read"}],"problems":[],"cost":2}`,
		},
		{
			name:    "two goals share the airport lookup and the question",
			request: `{"goals":["Flights.Search","Hotels.Search"],"known":{"city":"Paris","checkOut":"2024-10-15"}}`,
			want:    `{"status":"needs_info","steps":[{"id":"s1","api":"get_info","slot":"date","question":"What is the date? (Departure date, YYYY-MM-DD)"},{"id":"s2","api":"Airports.Search","args":{"query":{"value":"Paris"}},"effect":"read"},{"id":"s3","api":"Flights.Search","args":{"date":{"from":"s1","field":"date"},"destinationSkyId":{"from":"s2","field":"skyId"}},"effect":"read"},{"id":"s4","api":"Hotels.SearchLocation","args":{"query":{"value":"Paris"}},"effect":"read"},{"id":"s5","api":"Hotels.Search","args":{"checkIn":{"from":"s1","field":"date"},"checkOut":{"value":"2024-10-15"},"geoId":{"from":"s4","field":"geoId"}},"effect":"read"}],"problems":[],"cost":9}`,
		},
		{
			name:    "conflicting values are reported and asked again",
			request: `{"goals":["Cars.Rent"],"known":{"city":"San Diego","pickup_time":"10:00","pickup_time":"11:00"}}`,
			want:    `{"status":"needs_info","steps":[{"id":"s1","api":"get_info","slot":"pickup_time","question":"What is the pickup time? You gave \"10:00\", \"11:00\"; which one?"},{"id":"s2","api":"Cars.Rent","args":{"car_type":{"value":"standard"},"pickup_city":{"value":"San Diego"},"pickup_time":{"from":"s1","field":"pickup_time"}},"confirm":true,"effect":"write"}],"problems":[{"kind":"conflict","message":"pickup_time was given 2 values: \"10:00\", \"11:00\"","slot":"pickup_time","values":["10:00","11:00"]}],"cost":7}`,
		},
		{
			name:    "a value outside the allowed ones lists them",
			request: `{"goals":["Cars.Rent"],"known":{"city":"San Diego","pickup_time":"10:00","car_type":"limousine"}}`,
			want:    `{"status":"needs_info","steps":[{"id":"s1","api":"get_info","slot":"car_type","question":"What is the car type? \"limousine\" is not accepted. One of: \"compact\", \"standard\"."},{"id":"s2","api":"Cars.Rent","args":{"car_type":{"from":"s1","field":"car_type"},"pickup_city":{"value":"San Diego"},"pickup_time":{"value":"10:00"}},"confirm":true,"effect":"write"}],"problems":[{"kind":"invalid_value","message":"Cars.Rent.car_type: \"limousine\" is not allowed; allowed values: \"compact\", \"standard\"","api":"Cars.Rent","input":"car_type","values":["limousine"],"allowed":["compact","standard"]}],"cost":7}`,
		},
		{
			name:    "unknown goal",
			request: `{"goals":["Trains.Search"],"known":{}}`,
			want:    `{"status":"infeasible","steps":[],"problems":[{"kind":"unknown_api","message":"goal Trains.Search is not an API of the registry","api":"Trains.Search"}],"cost":0}`,
		},
		{
			name:    "unreachable goal names the input nothing supplies",
			request: `{"goals":["Weather.Get"]}`,
			want:    `{"status":"infeasible","steps":[],"problems":[{"kind":"unreachable","message":"Weather.Get.station_id needs station_id: it was not given, it cannot be asked of the user, and no API provides it","api":"Weather.Get","input":"station_id","slot":"station_id"}],"cost":0}`,
		},
		{
			name:    "a write API is never called to obtain a value: it must be a goal",
			request: `{"goals":["Payments.Pay"],"known":{"city":"Oslo","date":"2024-12-01","passenger":"Ada Lovelace"}}`,
			want:    `{"status":"infeasible","steps":[],"problems":[{"kind":"unreachable","message":"Payments.Pay.booking_id needs booking_id: it was not given, it cannot be asked of the user, and no API provides it (Flights.Book would, but changes something and is not a goal of the request: name it as a goal to have it called)","api":"Payments.Pay","input":"booking_id","slot":"booking_id"}],"cost":0}`,
		},
		{
			name:    "a chain: search, choose, book, pay (both writes are goals, both confirmed; the flight is the user's choice among the search's results)",
			request: `{"goals":["Flights.Book","Payments.Pay"],"known":{"city":"Oslo","date":"2024-12-01","passenger":"Ada Lovelace"}}`,
			want:    `{"status":"needs_info","steps":[{"id":"s1","api":"Airports.Search","args":{"query":{"value":"Oslo"}},"effect":"read"},{"id":"s2","api":"Flights.Search","args":{"date":{"value":"2024-12-01"},"destinationSkyId":{"from":"s1","field":"skyId"}},"effect":"read"},{"id":"s3","api":"get_info","slot":"flight_id","question":"Which flight id? Choose one of the results of Flights.Search.","options":{"from":"s2","field":"flight_id"}},{"id":"s4","api":"Flights.Book","args":{"date":{"value":"2024-12-01"},"flight_id":{"from":"s3","field":"flight_id"},"passenger":{"value":"Ada Lovelace"}},"confirm":true,"effect":"write"},{"id":"s5","api":"Payments.Pay","args":{"amount":{"from":"s4","field":"price"},"booking_id":{"from":"s4","field":"booking_id"}},"confirm":true,"effect":"write"}],"problems":[],"cost":9}`,
		},
	}
	checkPlans(t, p, tests)
}

func TestInvalidRequests(t *testing.T) {
	for _, in := range []string{
		`{"goals":["Cars.Rent"],"known":[1,2]}`,
		`{"goals":[""]}`,
		`{"goals":[]}`,
		`{"query":"rent a car"}`,
		`{"goals":["Cars.Rent"],"extra":1}`,
		`{"goals":["Cars.Rent"]} {}`,
		`not json`,
	} {
		_, err := ParseRequest([]byte(in))
		var ie *InputError
		if err == nil || !asInputError(err, &ie) {
			t.Errorf("ParseRequest(%s) = %v, want an *InputError", in, err)
		}
	}
	p := newTravel(t, Options{})
	plan, err := p.Plan(context.Background(), Request{Goals: []string{""}})
	if err != nil || plan.Status != StatusInvalid {
		t.Errorf("Plan(empty goal) = %+v, %v; want status invalid", plan, err)
	}
	plan, err = p.Plan(context.Background(), Request{Goals: []string{"Cars.Rent"}, Done: []Done{{ID: "s1", API: "Nope"}}})
	if err != nil || plan.Status != StatusInvalid || !strings.Contains(plan.Issues[0].Message, "Nope") {
		t.Errorf("Plan(done unknown api) = %+v, %v; want status invalid", plan, err)
	}
}

func asInputError(err error, target **InputError) bool {
	ie, ok := err.(*InputError)
	if ok {
		*target = ie
	}
	return ok
}

func TestNewRejectsDuplicates(t *testing.T) {
	_, err := New([]registry.API{{Name: "A"}, {Name: "A"}}, Options{})
	if _, ok := err.(*InputError); !ok {
		t.Fatalf("New(duplicate) = %v, want *InputError", err)
	}
}

func TestUnreachableNamesTheRootCause(t *testing.T) {
	apis := []registry.API{
		{Name: "Goal", Inputs: []registry.Input{{Name: "ticket", Required: true, NotAskable: true}}},
		{Name: "MakeTicket", Inputs: []registry.Input{{Name: "token", Required: true, NotAskable: true}}, Outputs: []registry.Output{{Name: "ticket"}}},
	}
	p, err := New(apis, Options{})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := p.Plan(context.Background(), Request{Goals: []string{"Goal"}})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Status != StatusInfeasible || len(plan.Issues) != 1 || plan.Issues[0].API != "MakeTicket" || plan.Issues[0].Input != "token" {
		t.Fatalf("want MakeTicket.token named as the cause, got %s", plan.Text())
	}
}

func TestWhatIs(t *testing.T) {
	for name, want := range map[string]string{
		"pickup time": "What is the pickup time?",
		"units":       "What are the units?",
		"address":     "What is the address?",
		"status":      "What is the status?",
		"days":        "What are the days?",
		"gps":         "What is the gps?",
	} {
		if got := whatIs(name); got != want {
			t.Errorf("whatIs(%q) = %q, want %q", name, got, want)
		}
	}
}
