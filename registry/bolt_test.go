package registry

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestBoltPurgesExpiredOnOpen checks that expired sessions and plans are
// deleted from the file when it is opened, not only hidden on read.
func TestBoltPurgesExpiredOnOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	s, err := Open(ctx, path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, ns := range []string{"", "other"} {
		if err := s.PutSession(ctx, &Session{ID: "old", Namespace: ns, State: json.RawMessage(`{}`)}, 20*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		if err := s.PutSession(ctx, &Session{ID: "live", Namespace: ns}, time.Hour); err != nil {
			t.Fatal(err)
		}
		if err := s.PutPlan(ctx, &PlanCacheEntry{Key: "old", Namespace: ns, Plan: json.RawMessage(`1`)}, 20*time.Millisecond); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	time.Sleep(50 * time.Millisecond)
	s, err = Open(ctx, path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.(*boltStore).db.View(func(tx *bolt.Tx) error {
		for _, ns := range []string{DefaultNamespace, "other"} {
			if n := bucket(tx, ns, bSessions).Stats().KeyN; n != 1 {
				t.Errorf("%s: %d sessions left, want the live one", ns, n)
			}
			if n := bucket(tx, ns, bPlans).Stats().KeyN; n != 0 {
				t.Errorf("%s: %d plans left, want 0", ns, n)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetSession(ctx, "other", "live"); err != nil {
		t.Fatal(err)
	}
}

func TestDataType(t *testing.T) {
	cases := map[string]string{
		"": "", "String": "string", "str": "string", "Enum": "string", "Date (yyyy-mm-dd)": "string",
		"int": "integer", "Integer": "integer", "float": "number", "Number": "number", "bool": "boolean",
		"Boolean": "boolean", "list": "array", "Array": "array", "dict": "object", "Object": "object",
		"null": "null", "weird thing": "string",
	}
	for in, want := range cases {
		if got := dataType(in); got != want {
			t.Errorf("dataType(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBoltClock: the embedded backend computes expiry against Options.Clock,
// so an hour-long TTL runs out when the clock moves, with no sleeping.
func TestBoltClock(t *testing.T) {
	ctx := context.Background()
	s := openTestBolt(t)
	if err := s.PutSession(ctx, &Session{ID: "long", State: json.RawMessage(`{}`)}, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := s.PutPlan(ctx, &PlanCacheEntry{Key: "p", Plan: json.RawMessage(`1`)}, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.AcquireLease(ctx, "", "l", time.Hour); !ok || err != nil {
		t.Fatalf("lease: %v %v", ok, err)
	}
	elapse(t, s, 59*time.Minute)
	if _, err := s.GetSession(ctx, "", "long"); err != nil {
		t.Fatalf("session gone before its TTL: %v", err)
	}
	if _, ok, _ := s.AcquireLease(ctx, "", "l", time.Hour); ok {
		t.Fatal("a lease was taken before its TTL ran out")
	}
	elapse(t, s, 2*time.Minute)
	_, err := s.GetSession(ctx, "", "long")
	wantNotFound(t, err, "session past its TTL")
	_, err = s.GetPlan(ctx, "", "p")
	wantNotFound(t, err, "plan past its TTL")
	if _, ok, _ := s.AcquireLease(ctx, "", "l", time.Hour); !ok {
		t.Fatal("a lease past its TTL cannot be taken")
	}
}
