package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func wantVersionConflict(t *testing.T, err error, stored uint64) {
	t.Helper()
	var vc *VersionConflictError
	if !errors.As(err, &vc) || vc.Stored != stored {
		t.Fatalf("got %v, want a version conflict with version %d stored", err, stored)
	}
}

// testSessionVersions: every write bumps the version; SaveSession writes
// only over the version its caller read, and of concurrent writers that
// read the same version exactly one wins.
func testSessionVersions(t *testing.T, s Store) {
	ctx := context.Background()
	sess := &Session{ID: "v1", State: json.RawMessage(`{"n":1}`)}
	if err := s.SaveSession(ctx, sess, time.Hour, 0); err != nil || sess.Version != 1 {
		t.Fatalf("first save: %v, version %d", err, sess.Version)
	}
	wantVersionConflict(t, s.SaveSession(ctx, &Session{ID: "v1", State: json.RawMessage(`{"n":2}`)}, time.Hour, 0), 1)
	if got, err := s.GetSession(ctx, "", "v1"); err != nil || got.Version != 1 || string(got.State) != `{"n":1}` {
		t.Fatalf("a losing save wrote: %+v %v", got, err)
	}
	sess.State = json.RawMessage(`{"n":3}`)
	if err := s.SaveSession(ctx, sess, time.Hour, 1); err != nil || sess.Version != 2 {
		t.Fatalf("second save: %v, version %d", err, sess.Version)
	}
	if err := s.PutSession(ctx, &Session{ID: "v1", State: json.RawMessage(`{}`)}, time.Hour); err != nil {
		t.Fatal(err)
	}
	got, err := s.UpdateSession(ctx, "", "v1", time.Hour, func(*Session) error { return nil })
	if err != nil || got.Version != 4 {
		t.Fatalf("put and update: version %v, %v; want 4", got, err)
	}
	// A save expecting a version of a deleted session loses.
	if err := s.DeleteSession(ctx, "", "v1"); err != nil {
		t.Fatal(err)
	}
	wantVersionConflict(t, s.SaveSession(ctx, &Session{ID: "v1"}, time.Hour, 4), 0)

	// Racing writers that read the same version: one wins each round.
	const writers, rounds = 6, 5
	for round := 0; round < rounds; round++ {
		var wins atomic.Int32
		var wg sync.WaitGroup
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				err := s.SaveSession(ctx, &Session{ID: "race", State: json.RawMessage(fmt.Sprintf(`{"w":%d}`, w))}, time.Hour, uint64(round))
				var vc *VersionConflictError
				switch {
				case err == nil:
					wins.Add(1)
				case !errors.As(err, &vc):
					t.Error(err)
				}
			}(w)
		}
		wg.Wait()
		if n := wins.Load(); n != 1 {
			t.Fatalf("round %d: %d writers won, want 1", round, n)
		}
	}
	// Versions are per namespace.
	if err := s.SaveSession(ctx, &Session{ID: "race", Namespace: "other"}, time.Hour, 0); err != nil {
		t.Fatal(err)
	}
}

func events(from, to int) []json.RawMessage {
	var out []json.RawMessage
	for i := from; i < to; i++ {
		out = append(out, json.RawMessage(fmt.Sprintf(`{"i":%d}`, i)))
	}
	return out
}

func wantPage(t *testing.T, p HistoryPage, start, total int, first, n int) {
	t.Helper()
	if p.Start != start || p.Total != total || len(p.Events) != n {
		t.Fatalf("page start %d total %d with %d events, want %d, %d, %d", p.Start, p.Total, len(p.Events), start, total, n)
	}
	for i, e := range p.Events {
		if want := fmt.Sprintf(`{"i":%d}`, first+i); string(e) != want {
			t.Fatalf("event %d = %s, want %s", i, e, want)
		}
	}
}

// testSessionHistory: events appended with the saves are paged oldest
// first, a losing save appends nothing, the log goes with the session and
// keeps only the newest MaxHistoryEvents.
func testSessionHistory(t *testing.T, s Store) {
	ctx := context.Background()
	sess := &Session{ID: "h", State: json.RawMessage(`{}`)}
	if err := s.SaveSession(ctx, sess, time.Hour, 0, events(0, 3)...); err != nil {
		t.Fatal(err)
	}
	wantVersionConflict(t, s.SaveSession(ctx, &Session{ID: "h"}, time.Hour, 0, events(100, 102)...), 1)
	if err := s.SaveSession(ctx, sess, time.Hour, 1, events(3, 5)...); err != nil {
		t.Fatal(err)
	}
	p, err := s.SessionHistory(ctx, "", "h", 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	wantPage(t, p, 0, 5, 0, 2)
	p, _ = s.SessionHistory(ctx, "", "h", 3, 100)
	wantPage(t, p, 3, 5, 3, 2)
	p, _ = s.SessionHistory(ctx, "", "h", 9, 100)
	wantPage(t, p, 9, 5, 0, 0)
	if p, _ := s.SessionHistory(ctx, "other", "h", 0, 10); p.Total != 0 || len(p.Events) != 0 {
		t.Fatalf("another namespace sees the log: %+v", p)
	}
	if p, _ := s.SessionHistory(ctx, "", "never", 0, 10); p.Total != 0 || p.Events == nil {
		t.Fatalf("unknown session: %+v", p)
	}
	if err := s.DeleteSession(ctx, "", "h"); err != nil {
		t.Fatal(err)
	}
	p, _ = s.SessionHistory(ctx, "", "h", 0, 10)
	wantPage(t, p, 0, 0, 0, 0)
	// A new session of the same id starts a new log.
	if err := s.SaveSession(ctx, &Session{ID: "h"}, time.Hour, 0, events(0, 1)...); err != nil {
		t.Fatal(err)
	}
	p, _ = s.SessionHistory(ctx, "", "h", 0, 10)
	wantPage(t, p, 0, 1, 0, 1)

	// An expired session's log expires with it.
	if err := s.SaveSession(ctx, &Session{ID: "brief"}, 300*time.Millisecond, 0, events(0, 2)...); err != nil {
		t.Fatal(err)
	}
	elapse(t, s, 400*time.Millisecond)
	p, _ = s.SessionHistory(ctx, "", "brief", 0, 10)
	wantPage(t, p, 0, 0, 0, 0)
	if err := s.SaveSession(ctx, &Session{ID: "brief"}, time.Hour, 0, events(7, 8)...); err != nil {
		t.Fatalf("saving over an expired session: %v", err)
	}
	p, _ = s.SessionHistory(ctx, "", "brief", 0, 10)
	wantPage(t, p, 0, 1, 7, 1)

	// The log keeps the newest MaxHistoryEvents.
	long := &Session{ID: "long"}
	for i := 0; i < MaxHistoryEvents+5; i += 2500 {
		if err := s.SaveSession(ctx, long, time.Hour, long.Version, events(i, min(i+2500, MaxHistoryEvents+5))...); err != nil {
			t.Fatal(err)
		}
	}
	p, _ = s.SessionHistory(ctx, "", "long", 0, 3)
	wantPage(t, p, 5, MaxHistoryEvents+5, 5, 3)
	p, _ = s.SessionHistory(ctx, "", "long", MaxHistoryEvents+3, 10)
	wantPage(t, p, MaxHistoryEvents+3, MaxHistoryEvents+5, MaxHistoryEvents+3, 2)
}

// testLeases: one holder at a time; renewal and release need the holder's
// token; an expired lease can be taken again and its old holder cannot
// renew it.
func testLeases(t *testing.T, s Store) {
	ctx := context.Background()
	tok, ok, err := s.AcquireLease(ctx, "", "session:a", time.Minute)
	if err != nil || !ok || tok == "" {
		t.Fatalf("acquire: %q %v %v", tok, ok, err)
	}
	if _, ok, _ := s.AcquireLease(ctx, "", "session:a", time.Minute); ok {
		t.Fatal("a held lease was acquired again")
	}
	if _, ok, _ := s.AcquireLease(ctx, "other", "session:a", time.Minute); !ok {
		t.Fatal("leases are not per namespace")
	}
	if ok, _ := s.RenewLease(ctx, "", "session:a", "not-the-token", time.Minute); ok {
		t.Fatal("renewed with another token")
	}
	if ok, err := s.RenewLease(ctx, "", "session:a", tok, time.Minute); !ok || err != nil {
		t.Fatalf("renew: %v %v", ok, err)
	}
	if err := s.ReleaseLease(ctx, "", "session:a", "not-the-token"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.AcquireLease(ctx, "", "session:a", time.Minute); ok {
		t.Fatal("released with another token")
	}
	if err := s.ReleaseLease(ctx, "", "session:a", tok); err != nil {
		t.Fatal(err)
	}
	tok2, ok, _ := s.AcquireLease(ctx, "", "session:a", 200*time.Millisecond)
	if !ok {
		t.Fatal("a released lease cannot be acquired")
	}
	elapse(t, s, 300*time.Millisecond)
	if ok, _ := s.RenewLease(ctx, "", "session:a", tok2, time.Minute); ok {
		t.Fatal("an expired lease was renewed")
	}
	if _, ok, _ := s.AcquireLease(ctx, "", "session:a", time.Minute); !ok {
		t.Fatal("an expired lease cannot be acquired")
	}
	var ve *ValidationError
	if _, _, err := s.AcquireLease(ctx, "", "a{b}", time.Minute); !errors.As(err, &ve) {
		t.Fatalf("brace in a lease name: %v", err)
	}
}

// testTokenBucket: a full bucket gives burst tokens at once, then one per
// 1/rate; the wait says when the next one comes.
func testTokenBucket(t *testing.T, s Store) {
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if wait, err := s.TakeToken(ctx, "", "rate", 10, 3); err != nil || wait != 0 {
			t.Fatalf("token %d: wait %v, %v", i, wait, err)
		}
	}
	wait, err := s.TakeToken(ctx, "", "rate", 10, 3)
	if err != nil || wait <= 0 || wait > 110*time.Millisecond {
		t.Fatalf("empty bucket: wait %v, %v; want up to 100ms", wait, err)
	}
	if w, _ := s.TakeToken(ctx, "other", "rate", 10, 3); w != 0 {
		t.Fatal("buckets are not per namespace")
	}
	elapse(t, s, wait+20*time.Millisecond)
	if w, err := s.TakeToken(ctx, "", "rate", 10, 3); w != 0 || err != nil {
		t.Fatalf("after the wait: %v %v", w, err)
	}
	if _, err := s.TakeToken(ctx, "", "rate", 0, 3); err == nil {
		t.Fatal("a zero rate was accepted")
	}
}

// testSlots: at most limit holders; a released or expired slot is free.
func testSlots(t *testing.T, s Store) {
	ctx := context.Background()
	a, ok1, _ := s.AcquireSlot(ctx, "", "turns", 2, time.Minute)
	_, ok2, _ := s.AcquireSlot(ctx, "", "turns", 2, 200*time.Millisecond)
	if !ok1 || !ok2 {
		t.Fatal("two slots of two not given")
	}
	if _, ok, err := s.AcquireSlot(ctx, "", "turns", 2, time.Minute); ok || err != nil {
		t.Fatalf("a third slot of two: %v %v", ok, err)
	}
	elapse(t, s, 300*time.Millisecond)
	c, ok, _ := s.AcquireSlot(ctx, "", "turns", 2, time.Minute)
	if !ok {
		t.Fatal("an expired slot was not freed")
	}
	if err := s.ReleaseSlot(ctx, "", "turns", a); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.AcquireSlot(ctx, "", "turns", 2, time.Minute); !ok {
		t.Fatal("a released slot was not freed")
	}
	_ = c
}

// testSpend: a day's totals add up, per namespace and day.
func testSpend(t *testing.T, s Store) {
	ctx := context.Background()
	today := time.Now().UTC().Format(time.DateOnly)
	tomorrow := time.Now().UTC().Add(24 * time.Hour).Format(time.DateOnly)
	if sp, err := s.AddSpend(ctx, "", today, 0.5, 2); err != nil || sp != (Spend{0.5, 2}) {
		t.Fatalf("%+v %v", sp, err)
	}
	if sp, _ := s.AddSpend(ctx, "", today, 0.25, 1); sp != (Spend{0.75, 3}) {
		t.Fatalf("%+v", sp)
	}
	if sp, _ := s.AddSpend(ctx, "", today, 0, 0); sp != (Spend{0.75, 3}) {
		t.Fatalf("read: %+v", sp)
	}
	if sp, _ := s.AddSpend(ctx, "other", today, 0, 0); sp != (Spend{}) {
		t.Fatalf("another namespace: %+v", sp)
	}
	if sp, _ := s.AddSpend(ctx, "", tomorrow, 0, 0); sp != (Spend{}) {
		t.Fatalf("another day: %+v", sp)
	}
	var ve *ValidationError
	if _, err := s.AddSpend(ctx, "", "yesterday", 1, 0); !errors.As(err, &ve) {
		t.Fatalf("bad day: %v", err)
	}
}
