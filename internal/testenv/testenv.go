// Package testenv tells tests what the machine offers — a Redis server,
// clingo, redis-server — and skips a test that needs something missing with
// the reason, except under CI (the environment variable CI set), where a
// missing service fails the test: `make test` and CI provide them all
// (scripts/test-env.sh), so there a skip would hide a broken setup.
package testenv

import (
	"net"
	"net/url"
	"os"
	"os/exec"
	"testing"
	"time"
)

// DefaultRedisURL is the Redis used when $REDIS_URL is not set.
const DefaultRedisURL = "redis://127.0.0.1:6379/0"

// CI reports whether the tests run under CI, where every service must be
// present.
func CI() bool { return os.Getenv("CI") != "" }

// Need skips tb with the reason when err is not nil, or fails it under CI.
// what names the missing thing ("Redis at redis://...", "clingo").
func Need(tb testing.TB, what string, err error) {
	tb.Helper()
	if err == nil {
		return
	}
	if CI() {
		tb.Fatalf("%s is required under CI: %v", what, err)
		return
	}
	tb.Skipf("%s unavailable (make test provides it; set CI=true to make this a failure): %v", what, err)
}

// RedisURL returns $REDIS_URL, else DefaultRedisURL, after checking that a
// server accepts connections there (within a second); otherwise it skips tb
// (fails it under CI).
func RedisURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("REDIS_URL")
	if u == "" {
		u = DefaultRedisURL
	}
	Need(tb, "Redis at "+u, dialRedis(u))
	return u
}

// dialRedis connects to the server of a redis://, rediss:// or unix:// URL.
func dialRedis(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return err
	}
	network, addr := "tcp", u.Host
	switch {
	case u.Scheme == "unix":
		network, addr = "unix", u.Path
	case u.Port() == "":
		addr = net.JoinHostPort(u.Hostname(), "6379")
	}
	c, err := net.DialTimeout(network, addr, time.Second)
	if err != nil {
		return err
	}
	return c.Close()
}

// Clingo returns the path of the clingo binary (the reference ASP solver
// of the differential tests); without it it skips tb (fails it under CI).
func Clingo(tb testing.TB) string {
	tb.Helper()
	return command(tb, "clingo")
}

// RedisServer returns the path of redis-server, for tests that start (and
// kill) a server of their own; without it it skips tb (fails it under CI).
func RedisServer(tb testing.TB) string {
	tb.Helper()
	return command(tb, "redis-server")
}

// command looks name up on $PATH.
func command(tb testing.TB, name string) string {
	tb.Helper()
	path, err := exec.LookPath(name)
	Need(tb, name, err)
	return path
}
