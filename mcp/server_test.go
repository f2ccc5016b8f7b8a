package mcp

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/toolsmith-dev/toolsmith/agent"
	"github.com/toolsmith-dev/toolsmith/examples/travel"
	"github.com/toolsmith-dev/toolsmith/llm/llmtest"
	"github.com/toolsmith-dev/toolsmith/registry"
	"github.com/toolsmith-dev/toolsmith/registry/registrytest"
)

// newTravelServer is an MCP server over the travel example's APIs in a
// fresh store, answering from the example's scripted model.
func newTravelServer(t *testing.T) *Server {
	t.Helper()
	ctx := context.Background()
	apisYAML, _ := travel.Files.ReadFile("apis.yaml")
	scriptYAML, _ := travel.Files.ReadFile("scripted.yaml")
	apis, err := registry.ParseAPIs("apis.yaml", apisYAML)
	if err != nil {
		t.Fatal(err)
	}
	store := registrytest.Bolt(t)
	if err := store.PutAPIs(ctx, "travel", apis); err != nil {
		t.Fatal(err)
	}
	ms := llmtest.Models(t, string(scriptYAML))
	return &Server{
		Store:            store,
		DefaultNamespace: "travel",
		NewAgent: func(ctx context.Context, ns string) (*agent.Agent, error) {
			return agent.New(ctx, agent.Options{Store: store, Models: ms, Namespace: ns})
		},
	}
}

// connect opens a client session with the server over in-memory
// transports; elicit, when set, answers the server's forms.
func connect(t *testing.T, s *Server, elicit func(*sdk.ElicitRequest) *sdk.ElicitResult) *sdk.ClientSession {
	t.Helper()
	ctx := context.Background()
	st, ct := sdk.NewInMemoryTransports()
	go s.ServeStdio(ctx, st)
	opts := &sdk.ClientOptions{}
	if elicit != nil {
		opts.Capabilities = &sdk.ClientCapabilities{Elicitation: &sdk.ElicitationCapabilities{Form: &sdk.FormElicitationCapabilities{}}}
		opts.ElicitationHandler = func(_ context.Context, req *sdk.ElicitRequest) (*sdk.ElicitResult, error) {
			return elicit(req), nil
		}
	}
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "test", Version: "1"}, opts).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

func callRun(t *testing.T, cs *sdk.ClientSession, args map[string]any) agent.Reply {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &sdk.CallToolParams{Name: "run", Arguments: args})
	if err != nil {
		t.Fatal(err)
	}
	if res.IsError {
		t.Fatalf("run failed: %s", ResultText(res))
	}
	var reply agent.Reply
	raw, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(raw, &reply); err != nil {
		t.Fatal(err)
	}
	return reply
}

const booking = "Book me a rental car in San Diego"

func booked(t *testing.T, reply agent.Reply) {
	t.Helper()
	if reply.Status != agent.StatusAnswered || !strings.Contains(reply.Text, "R-77031") {
		t.Fatalf("not booked: %s: %s", reply.Status, reply.Text)
	}
}

func TestRunElicitsQuestionsAndConfirmation(t *testing.T) {
	var forms []string
	var mu sync.Mutex
	cs := connect(t, newTravelServer(t), func(req *sdk.ElicitRequest) *sdk.ElicitResult {
		mu.Lock()
		defer mu.Unlock()
		schema := req.Params.RequestedSchema.(map[string]any)
		props := schema["properties"].(map[string]any)
		switch {
		case props["pickup_time"] != nil:
			forms = append(forms, "pickup_time")
			if req := schema["required"].([]any); len(req) != 1 || req[0] != "pickup_time" {
				t.Errorf("required %v", req)
			}
			return &sdk.ElicitResult{Action: "accept", Content: map[string]any{"pickup_time": "10:30"}}
		case props["confirm"] != nil:
			forms = append(forms, "confirm")
			if !strings.Contains(req.Params.Message, "RentalCars.ReserveCar") {
				t.Errorf("the confirmation does not name the call: %s", req.Params.Message)
			}
			return &sdk.ElicitResult{Action: "accept", Content: map[string]any{"confirm": true}}
		}
		t.Errorf("unexpected form %v", props)
		return &sdk.ElicitResult{Action: "cancel"}
	})
	reply := callRun(t, cs, map[string]any{"message": booking})
	booked(t, reply)
	if strings.Join(forms, ",") != "pickup_time,confirm" {
		t.Fatalf("forms %v, want pickup_time then confirm", forms)
	}
	reserved := 0
	for _, c := range reply.Calls {
		if c.API == "RentalCars.ReserveCar" && c.Error == "" {
			reserved++
		}
	}
	if reserved != 1 {
		t.Fatalf("ReserveCar called %d times, want once", reserved)
	}
}

func TestRunDeclinedConfirmationStaysPending(t *testing.T) {
	s := newTravelServer(t)
	cs := connect(t, s, func(req *sdk.ElicitRequest) *sdk.ElicitResult {
		if _, ok := req.Params.RequestedSchema.(map[string]any)["properties"].(map[string]any)["confirm"]; ok {
			return &sdk.ElicitResult{Action: "decline"}
		}
		return &sdk.ElicitResult{Action: "accept", Content: map[string]any{"pickup_time": "10:30"}}
	})
	reply := callRun(t, cs, map[string]any{"message": booking})
	if reply.Status != agent.StatusNeedsConfirmation {
		t.Fatalf("status %s, want needs_confirmation kept after a decline", reply.Status)
	}
	for _, c := range reply.Calls {
		if c.API == "RentalCars.ReserveCar" {
			t.Fatalf("ReserveCar called without confirmation")
		}
	}
	// The next call (here without elicitation) confirms in words.
	plain := connect(t, s, nil)
	booked(t, callRun(t, plain, map[string]any{"session": reply.SessionID, "message": "yes"}))
}

func TestRunWithoutElicitationReturnsQuestions(t *testing.T) {
	s := newTravelServer(t)
	cs := connect(t, s, nil)
	reply := callRun(t, cs, map[string]any{"message": booking})
	if reply.Status != agent.StatusNeedsInfo || len(reply.Questions) != 1 || reply.Questions[0].Slot != "pickup_time" || reply.SessionID == "" {
		t.Fatalf("want the pickup time asked with a session id, got %+v", reply)
	}
	// A wrong type is refused and the question stays.
	res, err := cs.CallTool(context.Background(), &sdk.CallToolParams{Name: "run", Arguments: map[string]any{"session": reply.SessionID, "answers": map[string]any{"pickup_time": 10}}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ResultText(res), "pickup_time") {
		t.Fatalf("the refused answer is not explained: %s", ResultText(res))
	}
	reply = callRun(t, cs, map[string]any{"session": reply.SessionID, "answers": map[string]any{"pickup_time": "10:30"}})
	if reply.Status != agent.StatusNeedsConfirmation {
		t.Fatalf("status %s, want needs_confirmation", reply.Status)
	}
	booked(t, callRun(t, cs, map[string]any{"session": reply.SessionID, "message": "yes"}))
}

func TestRunBadInput(t *testing.T) {
	cs := connect(t, newTravelServer(t), nil)
	for _, args := range []map[string]any{
		{},
		{"answers": map[string]any{"pickup_time": "10:30"}},
		{"session": "mcp-unknown", "answers": map[string]any{"pickup_time": "10:30"}},
	} {
		res, err := cs.CallTool(context.Background(), &sdk.CallToolParams{Name: "run", Arguments: args})
		if err != nil {
			t.Fatal(err)
		}
		if !res.IsError {
			t.Errorf("%v: not an error: %s", args, ResultText(res))
		}
	}
}

func TestPlanToolAndResources(t *testing.T) {
	ctx := context.Background()
	cs := connect(t, newTravelServer(t), nil)
	res, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: "plan", Arguments: map[string]any{
		"goals": []string{"RentalCars.GetCarsAvailable"},
		"known": map[string]any{"city": "San Diego", "pickup_date": "2024-10-05", "pickup_time": "10:30", "days": 3},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var plan struct {
		Status string `json:"status"`
		Steps  []struct {
			API string `json:"api"`
		} `json:"steps"`
	}
	raw, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(raw, &plan); err != nil || plan.Status != "ok" || len(plan.Steps) != 1 || plan.Steps[0].API != "RentalCars.GetCarsAvailable" {
		t.Fatalf("plan %s (%v)", raw, err)
	}
	tools, err := ListTools(ctx, cs)
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range tools {
		if tool.Name == "plan" && (tool.Annotations == nil || !tool.Annotations.ReadOnlyHint) {
			t.Errorf("plan is not annotated read-only")
		}
	}
	rr, err := cs.ReadResource(ctx, &sdk.ReadResourceParams{URI: "toolsmith://apis/RentalCars.ReserveCar"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rr.Contents[0].Text, `"confirm": true`) {
		t.Fatalf("resource %s", rr.Contents[0].Text)
	}
	var uris []string
	for r, err := range cs.Resources(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		uris = append(uris, r.URI)
	}
	if len(uris) != 3 {
		t.Fatalf("resources %v, want the three APIs", uris)
	}
}

func TestHTTPAuthAndRebinding(t *testing.T) {
	s := newTravelServer(t)
	s.Tokens = map[string]string{"tok": "travel"}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	init := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`
	cases := []struct {
		name   string
		host   string
		origin string
		token  string
		want   int
	}{
		{"token", "", "", "tok", http.StatusOK},
		{"no token", "", "", "", http.StatusUnauthorized},
		{"unknown token", "", "", "nope", http.StatusUnauthorized},
		{"rebound host", "evil.example.com", "", "tok", http.StatusForbidden},
		{"foreign origin", "", "http://evil.example.com", "tok", http.StatusForbidden},
		{"local origin", "", "http://localhost:3000", "tok", http.StatusOK},
	}
	for _, c := range cases {
		req, _ := http.NewRequest("POST", ts.URL, strings.NewReader(init))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		if c.host != "" {
			req.Host = c.host
		}
		if c.origin != "" {
			req.Header.Set("Origin", c.origin)
		}
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("%s: status %d, want %d", c.name, resp.StatusCode, c.want)
		}
	}
}

func TestClientOverHTTP(t *testing.T) {
	s := newTravelServer(t)
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	ctx := context.Background()
	cs, err := Connect(ctx, Target{URL: ts.URL}, ClientOptions{Elicit: func(_ context.Context, msg string, fields []agent.Question) (agent.ElicitResult, error) {
		if len(fields) == 1 && fields[0].Slot == "pickup_time" {
			return agent.ElicitResult{Action: agent.ElicitAccept, Values: map[string]any{"pickup_time": "10:30"}}, nil
		}
		return agent.ElicitResult{Action: agent.ElicitAccept, Values: map[string]any{confirmField: true}}, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	res, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: "run", Arguments: map[string]any{"message": booking}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ResultText(res), "R-77031") {
		t.Fatalf("not booked: %s", ResultText(res))
	}
}
