package agent

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/toolsmith-dev/toolsmith/registry"
	"github.com/toolsmith-dev/toolsmith/registry/registrytest"
)

// TestNotUnderstoodFirstTurnLeavesAUsableSession: a first message the
// Translator cannot turn into a request saves a state that loads, and the
// session goes on; an empty stored state (a session created over HTTP)
// loads too.
func TestNotUnderstoodFirstTurnLeavesAUsableSession(t *testing.T) {
	ctx := context.Background()
	store := registrytest.Bolt(t)
	a := newTestAgent(t, dialogueScript, Options{Store: store})
	mustTurn(t, a, "n1", "Nonsense", StatusClarify)
	if _, err := a.State(ctx, "n1"); err != nil {
		t.Fatalf("state after a clarification: %v", err)
	}
	mustTurn(t, a, "n1", "Nonsense", StatusClarify)
	mustTurn(t, a, "n1", "Rent a car in San Diego on Oct 5", StatusNeedsInfo)

	for _, raw := range []string{`{}`, `null`, ``, `{"request":{"goals":[]},"status":"clarify"}`, `{"request":{"goals":null,"known":{"city":"Paris"}}}`} {
		if err := store.PutSession(ctx, &registry.Session{ID: "empty", Namespace: "", State: json.RawMessage(raw)}, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := a.State(ctx, "empty"); err != nil {
			t.Fatalf("state %q does not load: %v", raw, err)
		}
		mustTurn(t, a, "empty", "Nonsense", StatusClarify)
	}
}

// TestHistoryIsBoundedInTheState: the state keeps the recent events, the
// store the whole history, paged oldest first.
func TestHistoryIsBoundedInTheState(t *testing.T) {
	ctx := context.Background()
	a := newTestAgent(t, dialogueScript, Options{})
	const turns = 60
	for i := 0; i < turns; i++ {
		mustTurn(t, a, "h1", "Nonsense", StatusClarify)
	}
	st, err := a.State(ctx, "h1")
	if err != nil {
		t.Fatal(err)
	}
	if len(st.History) != RecentEvents || st.HistoryTotal != 2*turns {
		t.Fatalf("state keeps %d events of %d, want %d of %d", len(st.History), st.HistoryTotal, RecentEvents, 2*turns)
	}
	var all []Event
	for from := 0; from >= 0; {
		page, next, err := a.History(ctx, "h1", from, 25)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		from = next
	}
	if len(all) != 2*turns || all[0].Kind != EventMessage || all[1].Kind != EventReply {
		t.Fatalf("history pages hold %d events (first %+v), want %d", len(all), all[0], 2*turns)
	}
	if _, _, err := a.History(ctx, "nope", 0, 10); !errors.Is(err, registry.ErrNotFound) {
		t.Fatalf("history of an unknown session: %v", err)
	}
}

// TestOversizedResultsStopTheRequestNotTheSession: results over the state
// budget end the request with a clear reply; the session still answers.
func TestOversizedResultsStopTheRequestNotTheSession(t *testing.T) {
	s := &shop{}
	a := newShopAgent(t, registrytest.Bolt(t), s, Options{StateBudget: 64 << 10})
	r := mustTurn(t, a, "big", "look at a big catalogue", StatusFailed)
	if !strings.Contains(r.Text, "do not fit in the session") {
		t.Fatalf("no clear reason: %q", r.Text)
	}
	mustTurn(t, a, "big", "buy a lamp", StatusNeedsConfirmation)
	mustTurn(t, a, "big", "yes", StatusAnswered)
}

// TestRepeatedMessageIDGetsTheSameReply: a message resent with its id (a
// lost reply) is answered from the first turn, calling nothing again.
func TestRepeatedMessageIDGetsTheSameReply(t *testing.T) {
	ctx := context.Background()
	s := &shop{}
	a := newShopAgent(t, registrytest.Bolt(t), s, Options{})
	mustTurn(t, a, "m", "buy a lamp", StatusNeedsConfirmation)
	first, err := a.Send(ctx, "m", Message{Text: "yes", ID: "msg-2"}, nil)
	if err != nil || first.Status != StatusAnswered {
		t.Fatalf("%+v %v", first, err)
	}
	again, err := a.Send(ctx, "m", Message{Text: "yes", ID: "msg-2"}, nil)
	if err != nil || !again.Repeated || again.Text != first.Text || len(again.Calls) != 1 {
		t.Fatalf("repeat: %+v %v", again, err)
	}
	if s.acted() != 1 {
		t.Fatalf("acted %d times", s.acted())
	}
}

// TestBusySessionWaitsThenGivesUp: a second turn of a session waits for the
// first briefly, then fails with a *BusyError carrying the saved state.
func TestBusySessionWaitsThenGivesUp(t *testing.T) {
	store := registrytest.Bolt(t)
	s := &shop{delay: 600 * time.Millisecond}
	a := newShopAgent(t, store, s, Options{})
	b := newShopAgent(t, store, s, Options{LeaseWait: 100 * time.Millisecond})
	mustTurn(t, a, "busy", "buy a lamp", StatusNeedsConfirmation)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		mustTurn(t, a, "busy", "yes", StatusAnswered)
	}()
	time.Sleep(100 * time.Millisecond)
	_, err := b.Turn(context.Background(), "busy", "yes")
	var be *BusyError
	if !errors.As(err, &be) || be.State == nil || be.Conflict {
		t.Fatalf("got %v, want a busy error with the state", err)
	}
	wg.Wait()
	if s.acted() != 1 {
		t.Fatalf("acted %d times", s.acted())
	}
}

// TestLoserOfARaceKeepsWhatItLearnt: when another writer changed the
// session while a turn made its call (the turn's lease was lost), the turn
// writes nothing of its own but the call's outcome, and reports a conflict.
func TestLoserOfARaceKeepsWhatItLearnt(t *testing.T) {
	ctx := context.Background()
	store := registrytest.Bolt(t)
	s := &shop{}
	a := newShopAgent(t, store, s, Options{Failpoint: func(at string) {
		if at != "invoked" {
			return
		}
		// Another replica, holding the session after this one's lease
		// expired, found the call in doubt and asked the user.
		sess, _ := store.GetSession(ctx, "shop", "race")
		var st State
		json.Unmarshal(sess.State, &st)
		st.Calls[0].State, st.Unknown, st.Status = CallUnknown, st.Calls[0].Key, StatusOutcomeUnknown
		sess.State, _ = json.Marshal(st)
		if err := store.SaveSession(ctx, sess, 0, sess.Version); err != nil {
			panic(err)
		}
	}})
	mustTurn(t, a, "race", "buy a lamp", StatusNeedsConfirmation)
	_, err := a.Turn(ctx, "race", "yes")
	var be *BusyError
	if !errors.As(err, &be) || !be.Conflict {
		t.Fatalf("got %v, want a conflict", err)
	}
	st, _ := a.State(ctx, "race")
	if c := st.Calls; len(c) != 1 || c[0].State != CallDone || c[0].Outputs["order"] == nil {
		t.Fatalf("the outcome was not merged: %+v", c)
	}
	// The pending question is answered by what was learnt.
	plain := newShopAgent(t, store, s, Options{})
	r := mustTurn(t, plain, "race", "check", StatusAnswered)
	if s.acted() != 1 || r.Text != "Bought." {
		t.Fatalf("%q after %d effects", r.Text, s.acted())
	}
}

// TestInvalidSessionIDIsRefusedBeforeAnyWork: an id the store cannot hold
// is an *InputError, and no model is called.
func TestInvalidSessionIDIsRefusedBeforeAnyWork(t *testing.T) {
	a := newTestAgent(t, travelScript(t), Options{})
	for _, id := range []string{"a:b", "", "ünï", strings.Repeat("x", 129), "a b"} {
		_, err := a.Turn(context.Background(), id, "Book me a rental car in San Diego from Oct 5 for 3 days")
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Errorf("id %q: %v", id, err)
		}
	}
	if n := a.Models().Meter.Total().Calls; n != 0 {
		t.Errorf("%d model calls for invalid ids", n)
	}
}

// TestStateStaysSmallOverManyTurns: a long conversation's state does not
// grow with its length.
func TestStateStaysSmallOverManyTurns(t *testing.T) {
	ctx := context.Background()
	store := registrytest.Bolt(t)
	a := newTestAgent(t, travelScript(t), Options{Store: store})
	size := func() int {
		sess, err := store.GetSession(ctx, "", "long")
		if err != nil {
			t.Fatal(err)
		}
		return len(sess.State)
	}
	var at5 int
	for i := 0; i < 25; i++ {
		for _, m := range []string{"Book me a rental car in San Diego from Oct 5 for 3 days", "10:30", "yes"} {
			if _, err := a.Turn(ctx, "long", m); err != nil {
				t.Fatal(err)
			}
		}
		if i == 5 {
			at5 = size()
		}
	}
	if n := size(); n > at5+at5/10 {
		t.Fatalf("state grew from %d bytes (5 requests) to %d (25)", at5, n)
	}
}

// TestTenantsWithTheSameSessionIDHaveTheirOwnCosts: two namespaces using
// one session id each see only their own model usage.
func TestTenantsWithTheSameSessionIDHaveTheirOwnCosts(t *testing.T) {
	ctx := context.Background()
	store := registrytest.Bolt(t)
	a := newTestAgent(t, travelScript(t), Options{Store: store, Namespace: "tenant-a"})
	b, err := New(ctx, Options{Store: store, Models: a.Models(), Namespace: "tenant-b", APIs: a.APIs()})
	if err != nil {
		t.Fatal(err)
	}
	ra := mustTurn(t, a, "same", "Book me a rental car in San Diego from Oct 5 for 3 days", StatusNeedsInfo)
	rb := mustTurn(t, b, "same", "Book me a rental car in San Diego from Oct 5 for 3 days", StatusNeedsInfo)
	if ra.Cost.Calls != 2 || rb.Cost.Calls != 2 {
		t.Fatalf("turn costs %d and %d model calls, want 2 each", ra.Cost.Calls, rb.Cost.Calls)
	}
	m := a.Models().Meter
	if got := m.Session("tenant-b", "same").Calls; got != 2 {
		t.Errorf("tenant-b's session shows %d calls, want its own 2", got)
	}
	if got := m.Namespace("tenant-a").Calls; got != 2 {
		t.Errorf("tenant-a's namespace shows %d calls, want 2", got)
	}
}

// TestLongTurnKeepsItsLease: a turn longer than the lease's TTL renews it,
// so another replica does not take the session over meanwhile.
func TestLongTurnKeepsItsLease(t *testing.T) {
	store := registrytest.Bolt(t)
	// Renewals come every third of the TTL; the TTL leaves a loaded
	// machine (make test runs packages in parallel under -race) two thirds
	// of a second to run one.
	s := &shop{delay: 2500 * time.Millisecond}
	a := newShopAgent(t, store, s, Options{LeaseTTL: time.Second})
	b := newShopAgent(t, store, s, Options{LeaseWait: 50 * time.Millisecond})
	mustTurn(t, a, "long-turn", "buy a lamp", StatusNeedsConfirmation)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		mustTurn(t, a, "long-turn", "yes", StatusAnswered)
	}()
	time.Sleep(1500 * time.Millisecond) // past the TTL: only renewals keep the lease
	_, err := b.Turn(context.Background(), "long-turn", "yes")
	var be *BusyError
	if !errors.As(err, &be) {
		t.Errorf("another replica got into a session under way: %v", err)
	}
	wg.Wait()
	if s.acted() != 1 {
		t.Fatalf("acted %d times", s.acted())
	}
}
