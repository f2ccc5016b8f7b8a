package llm

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// quiet returns a logger that drops everything.
func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// testConfig is a Config for tests: fast retries, no logging.
func testConfig() Config {
	return Config{RetryDelay: time.Millisecond, Logger: quiet()}
}

func mustOpen(t *testing.T, cfg Config) *Models {
	t.Helper()
	ms, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return ms
}

// envMap returns a getenv over m.
func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// recorder collects values from concurrent handlers.
type recorder[T any] struct {
	mu   sync.Mutex
	vals []T
}

func (r *recorder[T]) add(v T) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.vals = append(r.vals, v)
}

func (r *recorder[T]) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.vals)
}

func (r *recorder[T]) get(i int) T {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.vals[i]
}

func jsonValid(s string) bool { return json.Valid([]byte(s)) }

// providerServer serves path like a provider's API: it fails the test when a
// request goes to another path or check reports a fault, decodes each
// request body into a T and records it, and answers with handle, which is
// given the request's number from 1.
func providerServer[T any](t *testing.T, path string, check func(r *http.Request), handle func(n int, req T, w http.ResponseWriter)) (*httptest.Server, *recorder[T]) {
	t.Helper()
	reqs := &recorder[T]{}
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			t.Errorf("path = %s, want %s", r.URL.Path, path)
		}
		check(r)
		body, _ := io.ReadAll(r.Body)
		var req T
		if err := json.Unmarshal(body, &req); err != nil {
			t.Errorf("request body: %v\n%s", err, body)
		}
		reqs.add(req)
		handle(int(n.Add(1)), req, w)
	}))
	t.Cleanup(srv.Close)
	return srv, reqs
}
