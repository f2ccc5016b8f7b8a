package agent

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/tmc/langchaingo/llms"
	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// repeatAPIs are a forecast API a user may want for two cities, and a
// route search fed by two airport searches (origin and destination).
var repeatAPIs = []registry.API{
	{Name: "Weather.Forecast", Description: "Weather forecast for a city on a date",
		Inputs: []registry.Input{{Name: "city", Required: true}, {Name: "date", Required: true},
			{Name: "units", Allowed: []any{"metric", "imperial"}}},
		Outputs: []registry.Output{{Name: "forecast"}},
		Binding: &registry.Binding{Kind: registry.BindFixed, Response: map[string]any{"forecast": "{city}"}}},
	{Name: "Airports.Search", Description: "Find the airport of a city",
		Inputs:  []registry.Input{{Name: "query", Required: true}},
		Outputs: []registry.Output{{Name: "skyId"}},
		Binding: &registry.Binding{Kind: registry.BindFixed, Response: map[string]any{"skyId": "{query}"}}},
	{Name: "Flights.Route", Description: "Flights between two airports on a date",
		Inputs: []registry.Input{{Name: "originSkyId", Type: "skyId", Required: true, NotAskable: true},
			{Name: "destinationSkyId", Type: "skyId", Required: true, NotAskable: true}, {Name: "date", Required: true}},
		Outputs: []registry.Output{{Name: "flights"}},
		Binding: &registry.Binding{Kind: registry.BindFixed, Response: map[string]any{"flights": "found"}}},
}

const repeatScript = `
rules:
  - role: translator
    when: 'User request: Weather in Paris and London'
    tool_calls:
      - name: plan_request
        arguments:
          goals: [Weather.Forecast]
          known: {date: "2024-10-05"}
          calls:
            - {api: Weather.Forecast, tag: Paris, values: {city: Paris}}
            - {api: Weather.Forecast, tag: London, values: {city: London, units: metric}}
  - role: translator
    when: 'User request: Flights from New York to London'
    tool_calls:
      - name: plan_request
        arguments:
          goals: [Flights.Route]
          known: {date: "2024-08-15"}
          calls:
            - {api: Airports.Search, tag: origin, values: {query: New York}}
            - {api: Airports.Search, tag: destination, values: {query: London}}
  - role: user
    when: 'answer the user from the results'
    reply: Done.
`

// TestTwoCallsOfOneAPI checks that the Translator's calls reach the plan:
// one goal API called for two cities, and one supplier called for the two
// ends of a route, each call with its own values.
func TestTwoCallsOfOneAPI(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	var got []string
	record := InvokerFunc(func(ctx context.Context, inv Invocation) (map[string]any, error) {
		mu.Lock()
		keys := make([]string, 0, len(inv.Args))
		for k := range inv.Args {
			keys = append(keys, fmt.Sprintf("%s=%v", k, inv.Args[k]))
		}
		sort.Strings(keys)
		got = append(got, inv.API.Name+"("+strings.Join(keys, ",")+")")
		mu.Unlock()
		return fixedInvoker{}.Invoke(ctx, inv)
	})
	a := newTestAgent(t, repeatScript, Options{APIs: repeatAPIs,
		Invokers: map[registry.BindingKind]Invoker{registry.BindFixed: record}})
	tests := []struct {
		message string
		want    []string
	}{
		{"Weather in Paris and London on Oct 5", []string{
			"Weather.Forecast(city=London,date=2024-10-05,units=metric)",
			"Weather.Forecast(city=Paris,date=2024-10-05)"}},
		{"Flights from New York to London on Aug 15", []string{
			"Airports.Search(query=London)",
			"Airports.Search(query=New York)",
			"Flights.Route(date=2024-08-15,destinationSkyId=London,originSkyId=New York)"}},
	}
	for i, tc := range tests {
		got = nil
		r, err := a.Turn(ctx, fmt.Sprint("c", i), tc.message)
		if err != nil {
			t.Fatal(err)
		}
		sort.Strings(got)
		if r.Status != StatusAnswered || !slices.Equal(got, tc.want) {
			t.Errorf("%q: %s with calls\n  %v\nwant\n  %v\n(%s)", tc.message, r.Status, got, tc.want, r.Text)
		}
	}
}

// TestCallsAreChecked checks that a malformed calls list goes back to the
// Translator with the reason.
func TestCallsAreChecked(t *testing.T) {
	c := newCatalogue(repeatAPIs)
	tests := []struct {
		calls string
		want  string
	}{
		{`[{"api": "Weather.Nowcast", "tag": "a"}]`, "not an API"},
		{`[{"api": "Weather.Forecast", "tag": "  "}]`, "tag"},
		{`[{"api": "Weather.Forecast", "tag": "x", "values": {"town": "Rome"}}]`, `no input "town"`},
		{`[{"api": "Weather.Forecast", "tag": "x", "values": {"units": "kelvin"}}]`, "not an allowed value"},
		{`[{"api": "Weather.Forecast", "tag": "Rome"}, {"api": "Weather.Forecast", "tag": "rome"}]`, "tag each call differently"},
	}
	for _, tc := range tests {
		a := &Agent{cat: c}
		reply := llm.Reply{ToolCalls: toolCall(fnPlanRequest, `{"goals": ["Weather.Forecast"], "calls": `+tc.calls+`}`)}
		_, err := a.parseRequestCall(reply, "m")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("calls %s: error %v, want %q", tc.calls, err, tc.want)
		}
	}
	a := &Agent{cat: c}
	req, err := a.parseRequestCall(llm.Reply{ToolCalls: toolCall(fnPlanRequest,
		`{"goals": ["Weather.Forecast"], "calls": [{"api": "Weather.Forecast", "tag": "New York!", "values": {"city": "New York"}}]}`)}, "m")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(req.Goals, []string{"Weather.Forecast#new_york"}) || len(req.Known) != 1 || req.Known[0].Key != "Weather.Forecast#new_york.city" {
		t.Errorf("goals %v known %+v", req.Goals, req.Known)
	}
}

func toolCall(name, args string) []llms.ToolCall {
	return []llms.ToolCall{{Type: "function", FunctionCall: &llms.FunctionCall{Name: name, Arguments: args}}}
}
