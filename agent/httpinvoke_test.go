package agent

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/toolsmith-dev/toolsmith/registry"
)

func TestHTTPInvoker(t *testing.T) {
	var hits atomic.Int32
	var lastKey, lastBody, lastURL string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		lastKey = r.Header.Get("Idempotency-Key")
		b, _ := io.ReadAll(r.Body)
		lastBody, lastURL = string(b), r.URL.String()
		switch {
		case strings.HasPrefix(r.URL.Path, "/flaky") && n == 1:
			http.Error(w, "try again", http.StatusServiceUnavailable)
		case strings.HasPrefix(r.URL.Path, "/broken"):
			http.Error(w, "no such pet", http.StatusNotFound)
		case strings.HasPrefix(r.URL.Path, "/list"):
			io.WriteString(w, `[1, 2]`)
		default:
			json.NewEncoder(w).Encode(map[string]any{"id": 7, "path": r.URL.Path})
		}
	}))
	defer srv.Close()
	inv := &HTTPInvoker{}
	api := func(method, path string, in map[string]string) registry.API {
		return registry.API{Name: "Pets.Op", Binding: &registry.Binding{Kind: registry.BindHTTP, Method: method, URL: srv.URL + path, In: in}}
	}
	ctx := context.Background()

	tests := []struct {
		name     string
		api      registry.API
		args     map[string]any
		wantHits int32
		wantURL  string
		wantBody string
		wantOut  string
		wantErr  string
	}{
		{name: "path and query", api: api("GET", "/pets/{petId}", map[string]string{"petId": "path", "limit": "query"}),
			args: map[string]any{"petId": "a b", "limit": 3}, wantHits: 1, wantURL: "/pets/a%20b?limit=3", wantOut: `"id":7`},
		{name: "JSON body for POST", api: api("POST", "/pets", nil),
			args: map[string]any{"name": "Rex"}, wantHits: 1, wantURL: "/pets", wantBody: `{"name":"Rex"}`},
		{name: "GET retried on 503", api: api("GET", "/flaky", nil), wantHits: 2, wantOut: `"id":7`},
		{name: "POST not retried", api: api("POST", "/flaky", nil), wantHits: 1, wantErr: "HTTP 503"},
		{name: "client error not retried", api: api("GET", "/broken", nil), wantHits: 1, wantErr: "HTTP 404: no such pet"},
		{name: "non-object JSON is output result", api: api("GET", "/list", nil), wantHits: 1, wantOut: `"result":[1,2]`},
		{name: "unfilled path parameter", api: api("GET", "/pets/{petId}", nil), wantHits: 0, wantErr: "path parameter"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hits.Store(0)
			out, err := inv.Invoke(ctx, Invocation{API: tc.api, Args: tc.args, IdempotencyKey: "k-1"})
			if got := hits.Load(); got != tc.wantHits {
				t.Errorf("%d requests, want %d", got, tc.wantHits)
			}
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := json.Marshal(out)
			if tc.wantOut != "" && !strings.Contains(string(raw), tc.wantOut) {
				t.Errorf("outputs %s lack %s", raw, tc.wantOut)
			}
			if tc.wantURL != "" && lastURL != tc.wantURL {
				t.Errorf("URL %s, want %s", lastURL, tc.wantURL)
			}
			if tc.wantBody != "" && lastBody != tc.wantBody {
				t.Errorf("body %s, want %s", lastBody, tc.wantBody)
			}
			if lastKey != "k-1" {
				t.Errorf("Idempotency-Key %q", lastKey)
			}
		})
	}
	var se *StatusError
	_, err := inv.Invoke(ctx, Invocation{API: api("GET", "/broken", nil)})
	if !errors.As(err, &se) || se.Code != 404 {
		t.Errorf("want a *StatusError 404, got %v", err)
	}
}

// TestHTTPCallLayout checks where arguments go and how they are written:
// numbers in plain decimal, arrays in the query repeated, objects and
// arrays in a form body in Stripe's name[key] and name[0] convention.
func TestHTTPCallLayout(t *testing.T) {
	tests := []struct {
		name     string
		binding  registry.Binding
		args     map[string]any
		wantURL  string
		wantBody string
		wantType string
		wantHdr  map[string]string
	}{
		{name: "plain numbers in path and query",
			binding: registry.Binding{Method: "GET", URL: "https://h/items/{id}", In: map[string]string{"id": "path", "min": "query"}},
			args:    map[string]any{"id": 1e6, "min": 0.5},
			wantURL: "https://h/items/1000000?min=0.5"},
		{name: "query array repeated, object as name[key]",
			binding: registry.Binding{Method: "GET", URL: "https://h/search"},
			args:    map[string]any{"tag": []any{"a", "b"}, "created": map[string]any{"gte": 10.0}},
			wantURL: "https://h/search?created%5Bgte%5D=10&tag=a&tag=b"},
		{name: "form body, nested",
			binding:  registry.Binding{Method: "POST", URL: "https://h/v1/prices", Encoding: "form"},
			args:     map[string]any{"unit_amount": 2000.0, "recurring": map[string]any{"interval": "month"}, "expand": []any{"product"}, "active": true, "nickname": nil},
			wantURL:  "https://h/v1/prices",
			wantBody: "active=true&expand%5B0%5D=product&recurring%5Binterval%5D=month&unit_amount=2000",
			wantType: "application/x-www-form-urlencoded"},
		{name: "JSON body by default",
			binding:  registry.Binding{Method: "POST", URL: "https://h/pets"},
			args:     map[string]any{"name": "Rex"},
			wantURL:  "https://h/pets",
			wantBody: `{"name":"Rex"}`,
			wantType: "application/json"},
		{name: "header and cookie",
			binding: registry.Binding{Method: "GET", URL: "https://h/me", In: map[string]string{"X-Trace": "header", "session": "cookie"}},
			args:    map[string]any{"X-Trace": "t1", "session": "s1"},
			wantURL: "https://h/me",
			wantHdr: map[string]string{"X-Trace": "t1", "Cookie": "session=s1"}},
		{name: "inputs sent under their parameters' names",
			binding: registry.Binding{Method: "POST", URL: "https://h/proxy/{path}",
				In:   map[string]string{"path": "path", "path_query": "query", "path_body": "body"},
				Wire: map[string]string{"path_query": "path", "path_body": "path"}},
			args:     map[string]any{"path": "a", "path_query": "b", "path_body": "c"},
			wantURL:  "https://h/proxy/a?path=b",
			wantBody: `{"path":"c"}`,
			wantType: "application/json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.binding
			b.Kind = registry.BindHTTP
			c, err := newHTTPCall(b.Method, b.URL, Invocation{API: registry.API{Name: "X", Binding: &b}, Args: tc.args})
			if err != nil {
				t.Fatal(err)
			}
			req, err := c.request(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got := req.URL.String(); got != tc.wantURL {
				t.Errorf("URL %s, want %s", got, tc.wantURL)
			}
			var body []byte
			if req.Body != nil {
				body, _ = io.ReadAll(req.Body)
			}
			if string(body) != tc.wantBody {
				t.Errorf("body %s, want %s", body, tc.wantBody)
			}
			if got := req.Header.Get("Content-Type"); got != tc.wantType {
				t.Errorf("Content-Type %q, want %q", got, tc.wantType)
			}
			for k, v := range tc.wantHdr {
				if got := req.Header.Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

// TestAuthSchemes checks each scheme's placement, that the credential wins
// over an argument of the same name, and that a bad auth is refused.
func TestAuthSchemes(t *testing.T) {
	tests := []struct {
		auth    registry.Auth
		check   func(*http.Request) bool
		wantErr string
	}{
		{auth: registry.Auth{Scheme: "apikey", In: "header", Name: "X-Key"}, check: func(r *http.Request) bool { return r.Header.Get("X-Key") == "s3cr3t:pw" }},
		{auth: registry.Auth{Scheme: "apikey", In: "query", Name: "key"}, check: func(r *http.Request) bool { return r.URL.Query()["key"][0] == "s3cr3t:pw" }},
		{auth: registry.Auth{Scheme: "apikey", In: "cookie", Name: "sid"}, check: func(r *http.Request) bool {
			c, err := r.Cookie("sid")
			return err == nil && c.Value == "s3cr3t:pw"
		}},
		{auth: registry.Auth{Scheme: "bearer"}, check: func(r *http.Request) bool { return r.Header.Get("Authorization") == "Bearer s3cr3t:pw" }},
		{auth: registry.Auth{Scheme: "basic"}, check: func(r *http.Request) bool {
			u, p, ok := r.BasicAuth()
			return ok && u == "s3cr3t" && p == "pw"
		}},
		{auth: registry.Auth{Scheme: "apikey", In: "body", Name: "k"}, wantErr: "want header, query or cookie"},
		{auth: registry.Auth{Scheme: "apikey"}, wantErr: "names no header"},
		{auth: registry.Auth{Scheme: "oauth2"}, wantErr: "not apikey, bearer or basic"},
	}
	for _, tc := range tests {
		b := registry.Binding{Kind: registry.BindHTTP, Method: "GET", URL: "https://h/x",
			In: map[string]string{"key": "query", "X-Key": "header"}}
		c, err := newHTTPCall("GET", b.URL, Invocation{API: registry.API{Name: "X", Binding: &b}, Args: map[string]any{"key": "mine", "X-Key": "mine"}})
		if err != nil {
			t.Fatal(err)
		}
		err = c.authenticate(&tc.auth, "s3cr3t:pw")
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%+v: err %v, want %q", tc.auth, err, tc.wantErr)
			}
			continue
		}
		req, err := c.request(context.Background())
		if err != nil || !tc.check(req) {
			t.Errorf("%+v: request %v %v (err %v)", tc.auth, req.URL, req.Header, err)
		}
	}
}

// TestOnceIsNotReplayedByTheTransport: net/http replays a request that
// carries an Idempotency-Key on a reused connection that breaks before the
// answer; a call made Once reaches the API once, even when the API acted
// and then dropped the connection.
func TestOnceIsNotReplayedByTheTransport(t *testing.T) {
	var posts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			w.Write([]byte(`{"ok": true}`))
			return
		}
		posts.Add(1) // the booking is made, then the connection breaks
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
		}
	}))
	defer srv.Close()
	h := &HTTPInvoker{Client: srv.Client()}
	get := registry.API{Name: "Get", Binding: &registry.Binding{Kind: registry.BindHTTP, Method: "GET", URL: srv.URL + "/x"}}
	for _, withBody := range []bool{true, false} {
		posts.Store(0)
		// A GET first leaves a connection to reuse.
		if _, err := h.Invoke(context.Background(), Invocation{API: get}); err != nil {
			t.Fatal(err)
		}
		post := registry.API{Name: "Book", Binding: &registry.Binding{Kind: registry.BindHTTP, Method: "POST", URL: srv.URL + "/book"}}
		args := map[string]any{}
		if withBody {
			args["item"] = "lamp"
		}
		_, err := h.Invoke(context.Background(), Invocation{API: post, Args: args, IdempotencyKey: "k-1", Once: true})
		if err == nil || certainFailure(err) {
			t.Errorf("body %v: err %v, want an outcome left unknown", withBody, err)
		}
		if n := posts.Load(); n != 1 {
			t.Errorf("body %v: the POST reached the API %d times, want 1", withBody, n)
		}
	}
}
