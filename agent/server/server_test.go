package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/toolsmith-dev/toolsmith/agent"
	"github.com/toolsmith-dev/toolsmith/agent/agenttest"
	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// testStore opens the Redis of $REDIS_URL (or 127.0.0.1:6379) under a key
// prefix of its own; without Redis it falls back to bbolt unless CI is set.
func testStore(t *testing.T) registry.Store {
	t.Helper()
	ctx := context.Background()
	url := os.Getenv("REDIS_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	prefix := fmt.Sprintf("tstest-server-%d", time.Now().UnixNano())
	store, err := registry.Open(ctx, url, registry.Options{Prefix: prefix})
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("redis: %v", err)
		}
		t.Logf("no redis (%v): using bbolt", err)
		store, err = registry.Open(ctx, filepath.Join(t.TempDir(), "t.db"), registry.Options{})
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { store.Close() })
	return store
}

func newTestServer(t *testing.T, tokens map[string]string) (*httptest.Server, registry.Store) {
	t.Helper()
	store := testStore(t)
	srv, _ := travelServer(t, store, 0)
	srv.Tokens, srv.MaxBody = tokens, 4096
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, store
}

type client struct {
	t     *testing.T
	base  string
	token string
}

func (c client) do(method, path, body string, header ...string) (int, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw
}

func (c client) say(session, text string) agent.Reply {
	c.t.Helper()
	body, _ := json.Marshal(map[string]string{"text": text})
	code, raw := c.do("POST", "/v1/sessions/"+session+"/messages", string(body))
	if code != http.StatusOK {
		c.t.Fatalf("POST message %q: %d %s", text, code, raw)
	}
	var r agent.Reply
	if err := json.Unmarshal(raw, &r); err != nil {
		c.t.Fatalf("reply: %v: %s", err, raw)
	}
	return r
}

func TestGetInfoRoundTripOverHTTP(t *testing.T) {
	ts, _ := newTestServer(t, nil)
	c := client{t: t, base: ts.URL}
	code, raw := c.do("POST", "/v1/sessions", "")
	if code != http.StatusCreated {
		t.Fatalf("create session: %d %s", code, raw)
	}
	var created struct{ ID string }
	json.Unmarshal(raw, &created)

	r := c.say(created.ID, "Book me a rental car in San Diego from Oct 5 for 3 days")
	if r.Status != agent.StatusNeedsInfo || len(r.Questions) != 1 || r.Questions[0].Slot != "pickup_time" {
		t.Fatalf("turn 1: %+v", r)
	}
	r = c.say(created.ID, "10:30")
	if r.Status != agent.StatusNeedsConfirmation {
		t.Fatalf("turn 2: %+v", r)
	}
	r = c.say(created.ID, "yes")
	if r.Status != agent.StatusAnswered || !strings.Contains(r.Text, "R-77031") {
		t.Fatalf("turn 3: %+v", r)
	}
	code, raw = c.do("GET", "/v1/sessions/"+created.ID, "")
	if code != http.StatusOK || !strings.Contains(string(raw), `"kind":"call"`) {
		t.Fatalf("history: %d %s", code, raw)
	}
}

func TestStreamSendsEventsThenTheReply(t *testing.T) {
	ts, _ := newTestServer(t, nil)
	c := client{t: t, base: ts.URL}
	body := `{"text": "Book me a rental car in San Diego from Oct 5 for 3 days"}`
	code, raw := c.do("POST", "/v1/sessions/st1/messages", body, "Accept", "text/event-stream")
	if code != http.StatusOK {
		t.Fatalf("%d %s", code, raw)
	}
	var events []string
	sc := bufio.NewScanner(strings.NewReader(string(raw)))
	for sc.Scan() {
		if ev, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
			events = append(events, ev)
		}
	}
	want := []string{"message", "plan", "questions", "reply"}
	if strings.Join(events, ",") != strings.Join(want, ",") {
		t.Fatalf("events %v, want %v", events, want)
	}
}

func TestBadRequestsGetClearErrorsAndTheServerGoesOn(t *testing.T) {
	ts, _ := newTestServer(t, nil)
	c := client{t: t, base: ts.URL}
	tests := []struct {
		name, method, path, body string
		code                     int
		msg                      string
	}{
		{"malformed JSON", "POST", "/v1/sessions/x/messages", `{"text": `, 400, "malformed JSON"},
		{"unknown field", "POST", "/v1/sessions/x/messages", `{"txt": "hi"}`, 400, "unknown field"},
		{"empty text", "POST", "/v1/sessions/x/messages", `{"text": " "}`, 400, "text is empty"},
		{"oversized body", "POST", "/v1/sessions/x/messages", `{"text": "` + strings.Repeat("a", 5000) + `"}`, 413, "larger than"},
		{"unknown session", "GET", "/v1/sessions/nope", "", 404, "not found"},
		{"malformed plan request", "POST", "/v1/plan", `{"goals": 3}`, 400, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, raw := c.do(tc.method, tc.path, tc.body)
			if code != tc.code || !strings.Contains(string(raw), tc.msg) || !json.Valid(raw) {
				t.Fatalf("%d %s, want %d with %q", code, raw, tc.code, tc.msg)
			}
		})
	}
	if code, raw := c.do("GET", "/healthz", ""); code != 200 {
		t.Fatalf("healthz after bad requests: %d %s", code, raw)
	}
}

func TestTokensSeparateNamespaces(t *testing.T) {
	ts, _ := newTestServer(t, map[string]string{"tok-travel": "travel", "tok-other": "other"})
	anon := client{t: t, base: ts.URL}
	if code, _ := anon.do("GET", "/v1/apis", ""); code != http.StatusUnauthorized {
		t.Fatalf("no token: %d", code)
	}
	if code, _ := (client{t: t, base: ts.URL, token: "wrong"}).do("GET", "/v1/apis", ""); code != http.StatusUnauthorized {
		t.Fatalf("wrong token: %d", code)
	}
	travel := client{t: t, base: ts.URL, token: "tok-travel"}
	other := client{t: t, base: ts.URL, token: "tok-other"}
	_, raw := travel.do("GET", "/v1/apis", "")
	if !strings.Contains(string(raw), "RentalCars.ReserveCar") {
		t.Fatalf("travel tenant does not see its APIs: %s", raw)
	}
	_, raw = other.do("GET", "/v1/apis", "")
	if strings.Contains(string(raw), "RentalCars") {
		t.Fatalf("another tenant sees travel's APIs: %s", raw)
	}
	travel.say("shared-id", "Book me a rental car in San Diego from Oct 5 for 3 days")
	if code, _ := other.do("GET", "/v1/sessions/shared-id", ""); code != http.StatusNotFound {
		t.Fatalf("another tenant reads travel's session: %d", code)
	}
}

func TestConcurrentSessionsOverHTTP(t *testing.T) {
	ts, _ := newTestServer(t, nil)
	c := client{t: t, base: ts.URL}
	const n = 100
	var wg sync.WaitGroup
	errs := make(chan string, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			id := fmt.Sprintf("conc-%d", i)
			var last agent.Reply
			for _, msg := range []string{"Book me a rental car in San Diego from Oct 5 for 3 days", "10:30", "yes"} {
				body, _ := json.Marshal(map[string]string{"text": msg})
				req, _ := http.NewRequest("POST", ts.URL+"/v1/sessions/"+id+"/messages", strings.NewReader(string(body)))
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					errs <- err.Error()
					return
				}
				if resp.StatusCode != http.StatusOK {
					raw, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					errs <- fmt.Sprintf("%s %q: %d %s", id, msg, resp.StatusCode, raw)
					return
				}
				json.NewDecoder(resp.Body).Decode(&last)
				resp.Body.Close()
			}
			if last.Status != agent.StatusAnswered || last.SessionID != id {
				errs <- fmt.Sprintf("%s ended %s", id, last.Status)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	_, raw := c.do("GET", "/metrics", "")
	if !strings.Contains(string(raw), `toolsmith_turns_total{namespace="travel",status="answered"} 100`) {
		t.Errorf("metrics do not count the 100 answered turns:\n%s", grep(string(raw), "toolsmith_turns_total"))
	}
}

func TestOpenAPIDocumentIsValidJSON(t *testing.T) {
	ts, _ := newTestServer(t, nil)
	_, raw := (client{t: t, base: ts.URL}).do("GET", "/openapi.json", "")
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil || doc["openapi"] == nil {
		t.Fatalf("openapi.json: %v %.200s", err, raw)
	}
}

func grep(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestSlowAPITimesOutClearlyAndTheServerGoesOn(t *testing.T) {
	ctx := context.Background()
	store := testStore(t)
	apis := []registry.API{{
		Name:    "Slow.Op",
		Inputs:  []registry.Input{{Name: "x", Required: true}},
		Outputs: []registry.Output{{Name: "y"}},
		Binding: &registry.Binding{Kind: registry.BindFunc, Func: "slow"},
	}}
	if err := store.PutAPIs(ctx, "slow", apis); err != nil {
		t.Fatal(err)
	}
	sc, err := llm.ParseScript([]byte(`
rules:
  - role: translator
    when: 'User request: do the slow thing'
    tool_calls: [{name: plan_request, arguments: {goals: [Slow.Op], known: {x: "1"}}}]
`))
	if err != nil {
		t.Fatal(err)
	}
	ms, err := llm.Open(ctx, llm.Config{Script: sc})
	if err != nil {
		t.Fatal(err)
	}
	slow := func(ctx context.Context, args map[string]any) (map[string]any, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	srv := &Server{
		Store: store, DefaultNamespace: "slow", TurnTimeout: 300 * time.Millisecond,
		NewAgent: func(ctx context.Context, ns string) (*agent.Agent, error) {
			return agent.New(ctx, agent.Options{Store: store, Models: ms, Namespace: ns, Funcs: map[string]agent.Func{"slow": slow}})
		},
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	c := client{t: t, base: ts.URL}
	start := time.Now()
	code, raw := c.do("POST", "/v1/sessions/s/messages", `{"text": "do the slow thing"}`)
	if code != http.StatusGatewayTimeout || !strings.Contains(string(raw), "did not finish in time") {
		t.Fatalf("%d %s", code, raw)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("timeout answered after %v", d)
	}
	if code, _ := c.do("GET", "/healthz", ""); code != 200 {
		t.Fatalf("server not serving after a timeout: %d", code)
	}
	code, raw = c.do("GET", "/v1/sessions/s", "")
	if code != 200 || !strings.Contains(string(raw), "Slow.Op") {
		t.Fatalf("the timed-out turn's state was not saved: %d %s", code, raw)
	}
}

func TestSlowModelTimesOutClearly(t *testing.T) {
	ctx := context.Background()
	// A model server that never answers in time.
	model := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // so that the server notices the client going away
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer model.Close()
	ms, err := llm.Open(ctx, llm.Config{
		MakerModel: "openai-compatible:slow@" + model.URL + "/v1",
		UserModel:  "openai-compatible:slow@" + model.URL + "/v1",
		Retries:    -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	store := testStore(t)
	srv := &Server{
		Store: store, DefaultNamespace: "slowmodel", TurnTimeout: 300 * time.Millisecond,
		NewAgent: func(ctx context.Context, ns string) (*agent.Agent, error) {
			return agent.New(ctx, agent.Options{Store: store, Models: ms, Namespace: ns, APIs: []registry.API{{
				Name: "X.Op", Inputs: []registry.Input{{Name: "x", Required: true}}, Outputs: []registry.Output{{Name: "y"}},
				Binding: &registry.Binding{Kind: registry.BindFixed, Response: map[string]any{"y": 1}},
			}}})
		},
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	c := client{t: t, base: ts.URL}
	start := time.Now()
	code, raw := c.do("POST", "/v1/sessions/m/messages", `{"text": "do it"}`)
	if code != http.StatusGatewayTimeout || !strings.Contains(string(raw), "did not finish in time") {
		t.Fatalf("%d %s", code, raw)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("answered after %v", d)
	}
	if code, _ := c.do("GET", "/healthz", ""); code != 200 {
		t.Fatalf("server not serving after a model timeout: %d", code)
	}
}

// TestChoiceOverServe runs a choice over the HTTP API: the question
// carries the options (value and label) and the same values as allowed,
// an enum for clients that render forms; the pick is an ordinary message.
func TestChoiceOverServe(t *testing.T) {
	ctx := context.Background()
	pets := &agenttest.PetStore{}
	petSrv := httptest.NewServer(pets)
	defer petSrv.Close()
	sc, err := llm.ParseScript(agenttest.PetsScript())
	if err != nil {
		t.Fatal(err)
	}
	ms, err := llm.Open(ctx, llm.Config{Script: sc})
	if err != nil {
		t.Fatal(err)
	}
	apis, err := registry.ParseAPIs("pets.yaml", agenttest.PetsOpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	store := testStore(t)
	if err := store.PutAPIs(ctx, "pets", apis); err != nil {
		t.Fatal(err)
	}
	if err := store.PutSettings(ctx, &registry.Settings{Namespace: "pets", BaseURL: petSrv.URL}); err != nil {
		t.Fatal(err)
	}
	srv := &Server{Store: store, DefaultNamespace: "pets",
		NewAgent: func(ctx context.Context, ns string) (*agent.Agent, error) {
			return agent.New(ctx, agent.Options{Store: store, Models: ms, Namespace: ns})
		}}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	c := client{t: t, base: ts.URL}

	body, _ := json.Marshal(map[string]string{"text": "Delete one of my pets"})
	code, raw := c.do("POST", "/v1/sessions/ch/messages", string(body))
	if code != http.StatusOK {
		t.Fatalf("%d %s", code, raw)
	}
	var reply struct {
		Status    string            `json:"status"`
		Questions []json.RawMessage `json:"questions"`
	}
	if err := json.Unmarshal(raw, &reply); err != nil || reply.Status != "needs_info" || len(reply.Questions) != 1 {
		t.Fatalf("want one question: %v %s", err, raw)
	}
	want := `{"id":"q1","slot":"Pet.id","text":"Which pet should I delete?","type":"integer","allowed":[1,2],` +
		`"options":[{"value":1,"label":"name: Rex, tag: dog"},{"value":2,"label":"name: Tom"}]}`
	if got := string(reply.Questions[0]); got != want {
		t.Errorf("question\n got %s\nwant %s", got, want)
	}
	if r := c.say("ch", "1"); r.Status != agent.StatusNeedsConfirmation {
		t.Fatalf("after the pick: %s %q", r.Status, r.Text)
	}
	if r := c.say("ch", "yes"); r.Status != agent.StatusAnswered || !slices.Equal(pets.Deleted(), []string{"1"}) {
		t.Fatalf("after yes: %s %q, deleted %v", r.Status, r.Text, pets.Deleted())
	}
}
