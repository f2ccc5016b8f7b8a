package agent

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// Credentials of the pet service below, one per auth scheme.
const (
	petsKey    = "pk_query_31415926" // apikey in the query
	petsToken  = "tok_bearer_271828" // bearer
	petsHeader = "hk_header_161803"  // apikey in a header
	petsBasic  = "ops:pa55w0rd_1414" // basic
)

// petAPIs are HTTP APIs whose document names no server (bare paths), each
// authenticated another way.
func petAPIs() []registry.API {
	return []registry.API{
		{Name: "Pets.Count", Description: "Count the pets of a species",
			Inputs:  []registry.Input{{Name: "species", Required: true}},
			Outputs: []registry.Output{{Name: "count"}},
			Binding: &registry.Binding{Kind: registry.BindHTTP, Method: "GET", URL: "/pets/count",
				Auth: &registry.Auth{Scheme: "apikey", In: "query", Name: "api_key", Secret: "PETS_KEY"}}},
		{Name: "Pets.Add", Description: "Add a pet", Effect: registry.EffectWrite, Confirm: true,
			Inputs: []registry.Input{{Name: "name", Required: true}, {Name: "tags", DataType: "array"},
				{Name: "owner", DataType: "object"}, {Name: "weight", DataType: "number"}},
			Outputs: []registry.Output{{Name: "pet_id"}},
			Binding: &registry.Binding{Kind: registry.BindHTTP, Method: "POST", URL: "/pets", Encoding: "form",
				Auth: &registry.Auth{Scheme: "bearer", Secret: "PETS_TOKEN"}}},
		{Name: "Pets.Vets", Description: "List the vets of a town",
			Inputs:  []registry.Input{{Name: "town", Required: true}},
			Outputs: []registry.Output{{Name: "vets"}},
			Binding: &registry.Binding{Kind: registry.BindHTTP, Method: "GET", URL: "/vets",
				Auth: &registry.Auth{Scheme: "apikey", In: "header", Name: "X-Api-Key", Secret: "PETS_HEADER"}}},
		{Name: "Pets.Audit", Description: "Read the audit log of a day",
			Inputs:  []registry.Input{{Name: "day", Required: true}},
			Outputs: []registry.Output{{Name: "entries"}},
			Binding: &registry.Binding{Kind: registry.BindHTTP, Method: "GET", URL: "/audit",
				Auth: &registry.Auth{Scheme: "basic", Secret: "PETS_BASIC"}}},
	}
}

const petScript = `
rules:
  - role: translator
    when: 'User request: How many dogs'
    tool_calls: [{name: plan_request, arguments: {goals: [Pets.Count], known: {species: dog}}}]
  - role: translator
    when: 'User request: Add Rex'
    tool_calls: [{name: plan_request, arguments: {goals: [Pets.Add], known: {name: Rex, tags: [good, "very old"], owner: {name: Ada, address: {town: Oslo}}, weight: 12.5}}}]
  - role: translator
    when: 'User request: Vets in Oslo'
    tool_calls: [{name: plan_request, arguments: {goals: [Pets.Vets], known: {town: Oslo}}}]
  - role: translator
    when: 'User request: Audit of Monday'
    tool_calls: [{name: plan_request, arguments: {goals: [Pets.Audit], known: {day: monday}}}]
  - role: user
    when: 'answer the user from the results'
    reply: Done.
`

// petServer checks each request's credential and answers; a request
// without the right one gets a 401 that echoes what it was sent, as some
// servers do.
type petServer struct {
	mu   sync.Mutex
	form url.Values
}

func (p *petServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ok := false
	switch r.URL.Path {
	case "/pets/count":
		ok = r.URL.Query().Get("api_key") == petsKey
	case "/pets":
		ok = r.Header.Get("Authorization") == "Bearer "+petsToken &&
			r.Header.Get("Content-Type") == "application/x-www-form-urlencoded"
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		p.mu.Lock()
		p.form = form
		p.mu.Unlock()
	case "/vets":
		ok = r.Header.Get("X-Api-Key") == petsHeader
	case "/audit":
		user, pass, _ := r.BasicAuth()
		ok = user+":"+pass == petsBasic
	}
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, "unauthorized: "+r.URL.String()+" "+r.Header.Get("Authorization"))
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"count": 2, "pet_id": "p1", "vets": []string{"Dr. Who"}, "entries": 3})
}

// TestCredentialsBaseURLAndForms runs the pet service through the agent:
// first without a base URL (a clear error, nothing sent), then with the
// namespace's settings, each auth scheme received by the server, a form
// body sent in Stripe's convention — and no credential in any reply,
// session state, log line, span or error.
func TestCredentialsBaseURLAndForms(t *testing.T) {
	ctx := context.Background()
	srv := httptest.NewServer(&petServer{})
	defer srv.Close()
	pets := srv.Config.Handler.(*petServer)
	t.Setenv("PETS_TOKEN", petsToken)
	t.Setenv("PET_HEADER_VAR", petsHeader)

	var logs bytes.Buffer
	spans := tracetest.NewSpanRecorder()
	store, err := registry.Open(ctx, t.TempDir()+"/t.db", registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	a := newTestAgent(t, petScript, Options{APIs: petAPIs(), Store: store, Namespace: "pets",
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Tracer: sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans)).Tracer("test")})
	var seen []any // every reply and state, to search for credentials

	// No base URL: the call fails before anything is sent, and says how
	// to fix it.
	r, err := a.Turn(ctx, "p0", "How many dogs are there?")
	if err != nil {
		t.Fatal(err)
	}
	seen = append(seen, r)
	if r.Status != StatusFailed || !strings.Contains(r.Text, "base_url=") || len(r.Calls) != 1 || r.Calls[0].Attempts != 1 {
		t.Fatalf("without a base URL: %s %q calls %+v", r.Status, r.Text, r.Calls)
	}

	// The settings: a base URL, a stored key, one credential read from a
	// variable the settings name, one from the variable of its own name,
	// and a wrong basic password at first.
	settings := &registry.Settings{Namespace: "pets", BaseURL: srv.URL + "/", Secrets: map[string]registry.Secret{
		"PETS_KEY":    {Value: petsKey},
		"PETS_HEADER": {Env: "PET_HEADER_VAR"},
		"PETS_BASIC":  {Value: "ops:wrong_password"},
	}}
	if err := store.PutSettings(ctx, settings); err != nil {
		t.Fatal(err)
	}
	for _, conv := range []struct {
		id       string
		messages []string
		want     string // a call's outputs hold this
	}{
		{"p1", []string{"How many dogs are there?"}, `"count":2`},
		{"p2", []string{"Add Rex, my dog", "yes"}, `"pet_id":"p1"`},
		{"p3", []string{"Vets in Oslo"}, `"vets"`},
	} {
		var last *Reply
		for _, m := range conv.messages {
			if last, err = a.Turn(ctx, conv.id, m); err != nil {
				t.Fatal(err)
			}
			seen = append(seen, last)
		}
		raw, _ := json.Marshal(last.Calls)
		if last.Status != StatusAnswered || !strings.Contains(string(raw), conv.want) {
			t.Errorf("%s: %s %q, calls %s", conv.id, last.Status, last.Text, raw)
		}
	}
	pets.mu.Lock()
	form := pets.form
	pets.mu.Unlock()
	want := url.Values{"name": {"Rex"}, "tags[0]": {"good"}, "tags[1]": {"very old"},
		"owner[name]": {"Ada"}, "owner[address][town]": {"Oslo"}, "weight": {"12.5"}}
	if form.Encode() != want.Encode() {
		t.Errorf("form body %s, want %s", form.Encode(), want.Encode())
	}

	// A wrong credential: the server's 401 echoes what it got, and the
	// error the user sees masks it.
	r, err = a.Turn(ctx, "p4", "Audit of Monday")
	if err != nil {
		t.Fatal(err)
	}
	seen = append(seen, r)
	if r.Status != StatusFailed || len(r.Calls) == 0 || !strings.Contains(r.Calls[0].Error, "HTTP 401") {
		t.Fatalf("wrong password: %s %q %+v", r.Status, r.Text, r.Calls)
	}
	settings.Secrets["PETS_BASIC"] = registry.Secret{Value: petsBasic}
	if err := store.PutSettings(ctx, settings); err != nil {
		t.Fatal(err)
	}
	if r, err = a.Turn(ctx, "p5", "Audit of Monday"); err != nil {
		t.Fatal(err)
	}
	seen = append(seen, r)
	if r.Status != StatusAnswered {
		t.Errorf("basic auth: %s %q %+v", r.Status, r.Text, r.Calls)
	}

	for _, id := range []string{"p0", "p1", "p2", "p3", "p4", "p5"} {
		st, err := a.State(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, st)
	}
	text, _ := json.Marshal(seen)
	everything := string(text) + logs.String()
	for _, s := range spans.Ended() {
		for _, kv := range s.Attributes() {
			everything += " " + kv.Value.String()
		}
		for _, e := range s.Events() {
			for _, kv := range e.Attributes {
				everything += " " + kv.Value.String()
			}
		}
		everything += " " + s.Status().Description
	}
	for _, secret := range []string{petsKey, petsToken, petsHeader, "pa55w0rd_1414", "wrong_password"} {
		if strings.Contains(everything, secret) {
			t.Errorf("credential %s appears in a reply, state, log or span", secret)
		}
	}
	if !strings.Contains(everything, "****") {
		t.Error("the echoed credential was not masked (the test's 401 should have shown ****)")
	}
}

// TestMissingCredentialIsAConfigError checks that a credential neither
// in the settings nor in the environment fails the call before anything
// is sent, naming the setting to make.
func TestMissingCredentialIsAConfigError(t *testing.T) {
	var hits int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits++ }))
	defer srv.Close()
	api := petAPIs()[0]
	inv := &HTTPInvoker{
		Settings: func(context.Context) (*registry.Settings, error) {
			return &registry.Settings{Namespace: "pets", BaseURL: srv.URL}, nil
		},
		Getenv: func(string) string { return "" },
	}
	_, err := inv.Invoke(context.Background(), Invocation{API: api, Args: map[string]any{"species": "cat"}})
	var ce *ConfigError
	var se *registry.SecretError
	if !errors.As(err, &ce) || !errors.As(err, &se) || !strings.Contains(err.Error(), "secret.PETS_KEY=env:") {
		t.Fatalf("err = %v, want a ConfigError over a SecretError naming the setting", err)
	}
	if hits != 0 {
		t.Errorf("%d requests sent without the credential", hits)
	}
}
