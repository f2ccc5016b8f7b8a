package testenv

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
)

// recorder is a testing.TB that records a skip or failure instead of
// ending the test.
type recorder struct {
	*testing.T
	skipped, failed string
}

func (r *recorder) Helper()                        {}
func (r *recorder) Skipf(format string, a ...any)  { r.skipped = fmt.Sprintf(format, a...) }
func (r *recorder) Fatalf(format string, a ...any) { r.failed = fmt.Sprintf(format, a...) }

func TestNeed(t *testing.T) {
	missing := errors.New("not found")
	tests := []struct {
		name          string
		ci            string
		err           error
		skip, failure bool
	}{
		{"present", "", nil, false, false},
		{"present under CI", "true", nil, false, false},
		{"missing", "", missing, true, false},
		{"missing under CI", "true", missing, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("CI", tc.ci)
			r := &recorder{T: t}
			Need(r, "clingo", tc.err)
			if (r.skipped != "") != tc.skip || (r.failed != "") != tc.failure {
				t.Fatalf("skipped %q, failed %q; want skip %v, failure %v", r.skipped, r.failed, tc.skip, tc.failure)
			}
			for _, msg := range []string{r.skipped, r.failed} {
				if msg != "" && !(strings.Contains(msg, "clingo") && strings.Contains(msg, "not found")) {
					t.Errorf("message %q does not say what is missing and why", msg)
				}
			}
		})
	}
}

func TestRedisURL(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "redis://" + l.Addr().String() + "/0"
	t.Setenv("REDIS_URL", url)
	r := &recorder{T: t}
	if got := RedisURL(r); got != url || r.skipped != "" || r.failed != "" {
		t.Fatalf("listening: RedisURL = %q, skipped %q, failed %q", got, r.skipped, r.failed)
	}
	l.Close()
	t.Setenv("CI", "")
	r = &recorder{T: t}
	RedisURL(r)
	if !strings.Contains(r.skipped, url) {
		t.Fatalf("closed: skipped %q, want the URL named", r.skipped)
	}
}
