package llm

import (
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	base := 100 * time.Millisecond
	for n := 1; n <= 12; n++ {
		full := min(base<<(n-1), maxRetryDelay)
		for range 50 {
			d := backoff(base, n, 0)
			if d < full/2 || d > full {
				t.Fatalf("retry %d: %v outside [%v, %v]", n, d, full/2, full)
			}
		}
	}
	if d := backoff(base, 1, 5*time.Second); d != 5*time.Second {
		t.Errorf("Retry-After 5s gave %v", d)
	}
	if d := backoff(base, 1, time.Hour); d != maxRetryDelay {
		t.Errorf("Retry-After 1h gave %v, want the %v cap", d, maxRetryDelay)
	}
	if d := backoff(base, 80, 0); d > maxRetryDelay || d <= 0 {
		t.Errorf("retry 80 gave %v", d)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"7", 7 * time.Second},
		{"-1", 0},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
		{"soon", 0},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestRetryable(t *testing.T) {
	other := errors.New("x")
	tests := []struct {
		err    error
		status int
		want   bool
	}{
		{other, 429, true},
		{other, 408, true},
		{other, 500, true},
		{other, 529, true},
		{other, 400, false},
		{other, 401, false},
		{other, 404, false},
		{other, 0, false}, // e.g. a scripted model's no-match error
		{&transportError{other}, 0, true},
		{errTimeout, 0, true},
	}
	for _, tt := range tests {
		if got := retryable(tt.err, tt.status); got != tt.want {
			t.Errorf("retryable(%v, %d) = %v, want %v", tt.err, tt.status, got, tt.want)
		}
	}
}

func TestOllamaBaseURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "http://127.0.0.1:11434"},
		{"gpu-box", "http://gpu-box:11434"},
		{"gpu-box:8000", "http://gpu-box:8000"},
		{"https://ollama.example/", "https://ollama.example"},
		{"http://ollama.example/base", "http://ollama.example/base"},
		{"http://10.0.0.2:11434", "http://10.0.0.2:11434"},
	}
	for _, tt := range tests {
		if got, err := ollamaBaseURL(tt.in); err != nil || got != tt.want {
			t.Errorf("ollamaBaseURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"ftp://h", "http://", "::"} {
		if got, err := ollamaBaseURL(bad); err == nil {
			t.Errorf("ollamaBaseURL(%q) = %q, want an error", bad, got)
		}
	}
}
