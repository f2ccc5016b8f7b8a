package agent

import (
	"context"
	"encoding/json"
	"errors"
	"io"
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
