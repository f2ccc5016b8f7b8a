package registry

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/toolsmith-dev/toolsmith/internal/testenv"
)

// uniquePrefix returns a key prefix no other test run uses.
func uniquePrefix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "tstest-" + hex.EncodeToString(b[:])
}

// openTestRedis opens a Redis store under prefix, skipping when Redis is
// absent outside CI, and deletes every key of prefix when the test ends.
func openTestRedis(t testing.TB, prefix string) *redisStore {
	t.Helper()
	s, err := Open(context.Background(), testenv.RedisURL(t), Options{Prefix: prefix, DialTimeout: time.Second})
	if err != nil {
		t.Fatalf("open redis: %v", err)
	}
	rs := s.(*redisStore)
	t.Cleanup(func() {
		purgePrefix(t, rs)
		rs.Close()
	})
	return rs
}

// purgePrefix deletes every key of the store's prefix.
func purgePrefix(t testing.TB, s *redisStore) {
	ctx := context.Background()
	iter := s.rdb.Scan(ctx, 0, "{"+s.prefix+":*", 1000).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Logf("purge %s: %v", s.prefix, err)
		return
	}
	for _, k := range keys {
		s.rdb.Del(ctx, k)
	}
}

// openTestBolt opens a bbolt store in a fresh temporary directory.
func openTestBolt(t testing.TB) *boltStore {
	t.Helper()
	clock := &testClock{now: time.Now()}
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "toolsmith.db"), Options{NoSync: true, Clock: clock.Now})
	if err != nil {
		t.Fatalf("open bbolt: %v", err)
	}
	testClocks.Store(s, clock)
	t.Cleanup(func() { testClocks.Delete(s); s.Close() })
	return s.(*boltStore)
}

// testClock is a clock that moves only when a test advances it.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the clock's time.
func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock d forward.
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// testClocks maps the stores openTestBolt opened to their clocks.
var testClocks sync.Map

// elapse lets d pass for s: the clock of a store from openTestBolt moves at
// once; Redis, whose TTLs run on the server's own time, is waited for.
func elapse(t testing.TB, s Store, d time.Duration) {
	t.Helper()
	if c, ok := testClocks.Load(s); ok {
		c.(*testClock).Advance(d)
		return
	}
	time.Sleep(d)
}

// backends lists the store constructors the conformance suite runs against.
var backends = []struct {
	name string
	open func(t testing.TB) Store
}{
	{"redis", func(t testing.TB) Store { return openTestRedis(t, uniquePrefix()) }},
	{"bbolt", func(t testing.TB) Store { return openTestBolt(t) }},
}

// sampleTool returns a valid tool named name.
func sampleTool(name, family, body string) *Tool {
	return &Tool{
		Name:         name,
		Family:       family,
		Description:  "sorts words alphabetically",
		Source:       "package main\n\nfunc Sort(words []string) []string { " + body + " }\n",
		Entry:        "Sort",
		Parse:        "ParseInput",
		Schemas:      map[string]json.RawMessage{"Sort": json.RawMessage(`{"type":"object","properties":{"words":{"type":"array"}}}`)},
		Demos:        []Demo{{Input: "Sort: pear apple", Args: []byte(`{"words":["pear","apple"]}`), Answer: "apple pear"}},
		Tests:        []ToolTest{{Input: "Sort: b a", Expected: "a b"}},
		Provenance:   Provenance{MakerModel: "scripted:maker", PromptTokens: 120, CompletionTokens: 80, CostUSD: 0.01, Duration: 2 * time.Second},
		Verification: Verification{Status: VerifyPassed, Passed: 3},
	}
}
