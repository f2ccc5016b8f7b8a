package llm

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"sync"
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
