package registry

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestRedisHashTags checks that every key a namespace's records produce
// carries that namespace's hash tag, so a namespace lives in one Redis
// Cluster slot and its multi-key transactions are legal there.
func TestRedisHashTags(t *testing.T) {
	s := openTestRedis(t, uniquePrefix())
	ctx := context.Background()
	for _, ns := range []string{"alpha", "beta"} {
		tool := sampleTool("t", "fam", "return nil")
		tool.Namespace = ns
		mustPut(t, s, tool)
		if err := s.RecordCall(ctx, ns, "t", Call{Latency: time.Millisecond}); err != nil {
			t.Fatal(err)
		}
		if err := s.PutAPI(ctx, API{Name: "a", Namespace: ns}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddFamilyExample(ctx, ns, "fam", Example{Input: "x"}); err != nil {
			t.Fatal(err)
		}
		if err := s.PutSession(ctx, &Session{ID: "s", Namespace: ns, State: json.RawMessage(`{}`)}, time.Minute); err != nil {
			t.Fatal(err)
		}
		if err := s.PutPlan(ctx, &PlanCacheEntry{Key: "k", Namespace: ns, Plan: json.RawMessage(`{}`)}, time.Minute); err != nil {
			t.Fatal(err)
		}
		if err := s.PutPolicy(ctx, &Policy{Name: "p", Namespace: ns, Source: "a."}); err != nil {
			t.Fatal(err)
		}
	}
	iter := s.rdb.Scan(ctx, 0, "*"+s.prefix+"*", 1000).Iterator()
	counts := map[string]int{}
	seen := map[string]bool{}
	for iter.Next(ctx) {
		key := iter.Val()
		seen[key] = true
		switch {
		case strings.HasPrefix(key, "{"+s.prefix+":alpha}:"):
			counts["alpha"]++
		case strings.HasPrefix(key, "{"+s.prefix+":beta}:"):
			counts["beta"]++
		default:
			t.Errorf("key %q lacks its namespace's hash tag", key)
		}
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	// meta, version, stats, tools set, family index, api, apis set, family,
	// families set, session, plan and the five collection counters used.
	if counts["alpha"] < 12 || counts["alpha"] != counts["beta"] {
		t.Fatalf("keys per namespace = %v", counts)
	}
	for _, k := range []string{"policy:p", "policies", "ver:policies"} {
		if key := s.key("alpha", k); !seen[key] {
			t.Errorf("policy key %s not written", key)
		}
	}
}
