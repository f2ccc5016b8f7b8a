package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/registry"
	"github.com/toolsmith-dev/toolsmith/registry/registrytest"
)

// shopScript asks for one purchase per API variant.
const shopScript = `
rules:
  - role: translator
    when: 'User request: buy a lamp'
    tool_calls: [{name: plan_request, arguments: {goals: [Shop.Buy], known: {item: lamp}}}]
  - role: translator
    when: 'User request: buy a keyed lamp'
    tool_calls: [{name: plan_request, arguments: {goals: [Shop.BuyKeyed], known: {item: lamp}}}]
  - role: translator
    when: 'User request: buy a checked lamp'
    tool_calls: [{name: plan_request, arguments: {goals: [Shop.BuyChecked], known: {item: lamp}}}]
  - role: translator
    when: 'User request: look at a big catalogue'
    tool_calls: [{name: plan_request, arguments: {goals: [Shop.Catalogue], known: {item: lamp}}}]
  - role: user
    when: 'answer the user from the results'
    reply: Bought.
`

// shop is an API with side effects that counts what it does: every
// request of Shop.Buy and Shop.BuyChecked acts; Shop.BuyKeyed acts once per
// idempotency key. fail, when set, makes a request fail after it acted.
type shop struct {
	mu       sync.Mutex
	effects  map[string]int // idempotency key -> times acted
	requests atomic.Int32
	delay    time.Duration
	fail     func(key string, attempt int) error
}

func (s *shop) invoke(ctx context.Context, inv Invocation) (map[string]any, error) {
	switch inv.API.Name {
	case "Shop.Order": // the status check
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.effects[inv.IdempotencyKey] == 0 {
			return nil, ErrNotDone
		}
		return map[string]any{"order": "O-" + inv.IdempotencyKey[:6]}, nil
	case "Shop.Catalogue":
		return map[string]any{"items": strings.Repeat("x", 300<<10)}, nil
	}
	n := s.requests.Add(1)
	if s.delay > 0 {
		time.Sleep(s.delay)
	}
	s.mu.Lock()
	if s.effects == nil {
		s.effects = map[string]int{}
	}
	if inv.API.Name != "Shop.BuyKeyed" || s.effects[inv.IdempotencyKey] == 0 {
		s.effects[inv.IdempotencyKey]++
	}
	s.mu.Unlock()
	if s.fail != nil {
		if err := s.fail(inv.IdempotencyKey, int(n)); err != nil {
			return nil, err
		}
	}
	return map[string]any{"order": "O-" + inv.IdempotencyKey[:6]}, nil
}

// acted returns how many times the shop acted, in all.
func (s *shop) acted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.effects {
		n += c
	}
	return n
}

func shopAPIs() []registry.API {
	buy := func(name string, b registry.Binding) registry.API {
		b.Kind = registry.BindFunc
		return registry.API{Name: name, Effect: registry.EffectWrite, Confirm: true,
			Inputs:  []registry.Input{{Name: "item", Required: true}},
			Outputs: []registry.Output{{Name: "order"}}, Binding: &b}
	}
	return []registry.API{
		buy("Shop.Buy", registry.Binding{}),
		buy("Shop.BuyKeyed", registry.Binding{Idempotency: registry.IdempotencyKey}),
		buy("Shop.BuyChecked", registry.Binding{StatusCheck: "Shop.Order"}),
		{Name: "Shop.Order", Effect: registry.EffectRead, Inputs: []registry.Input{{Name: "item"}},
			Outputs: []registry.Output{{Name: "order"}}, Binding: &registry.Binding{Kind: registry.BindFunc}},
		{Name: "Shop.Catalogue", Effect: registry.EffectRead, Inputs: []registry.Input{{Name: "item", Required: true}},
			Outputs: []registry.Output{{Name: "items"}}, Binding: &registry.Binding{Kind: registry.BindFunc}},
	}
}

// newShopAgent builds an agent (a replica) over store selling from s.
func newShopAgent(t *testing.T, store registry.Store, s *shop, opts Options) *Agent {
	t.Helper()
	sc, err := llm.ParseScript([]byte(shopScript))
	if err != nil {
		t.Fatal(err)
	}
	ms, err := llm.Open(context.Background(), llm.Config{Script: sc})
	if err != nil {
		t.Fatal(err)
	}
	opts.Store, opts.Models, opts.APIs = store, ms, shopAPIs()
	if opts.Invokers == nil {
		opts.Invokers = map[registry.BindingKind]Invoker{registry.BindFunc: InvokerFunc(s.invoke)}
	}
	if opts.Namespace == "" {
		opts.Namespace = "shop"
	}
	a, err := New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func mustTurn(t *testing.T, a *Agent, session, msg string, want Status) *Reply {
	t.Helper()
	r, err := a.Turn(context.Background(), session, msg)
	if err != nil {
		t.Fatalf("%q: %v", msg, err)
	}
	if r.Status != want {
		t.Fatalf("%q: status %s (%q), want %s", msg, r.Status, r.Text, want)
	}
	return r
}

// crash is what a failpoint panics with to stop a turn where a process
// would die; the state in the store is all that survives.
type crash struct{ at string }

// crashAt returns a failpoint that crashes at step name, once.
func crashAt(name string) func(string) {
	var done atomic.Bool
	return func(at string) {
		if at == name && done.CompareAndSwap(false, true) {
			panic(crash{at})
		}
	}
}

// turnCrashing runs a turn that is expected to crash.
func turnCrashing(t *testing.T, a *Agent, session, msg string) {
	t.Helper()
	defer func() {
		if _, ok := recover().(crash); !ok {
			t.Fatal("the turn did not crash")
		}
	}()
	a.Turn(context.Background(), session, msg)
}

// TestConfirmationSentToTwoReplicas: the same "yes" sent at once to two
// replicas sharing a store makes the call once; the other replica answers
// without calling.
func TestConfirmationSentToTwoReplicas(t *testing.T) {
	registrytest.Both(t, func(t *testing.T, store registry.Store) {
		s := &shop{delay: 20 * time.Millisecond}
		a, b := newShopAgent(t, store, s, Options{}), newShopAgent(t, store, s, Options{})
		const sessions = 10
		var wg sync.WaitGroup
		for i := 0; i < sessions; i++ {
			id := fmt.Sprint("two-", i)
			mustTurn(t, a, id, "buy a lamp", StatusNeedsConfirmation)
			for _, r := range []*Agent{a, b} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					reply, err := r.Turn(context.Background(), id, "yes")
					if err != nil {
						t.Error(err)
						return
					}
					if reply.Status != StatusAnswered {
						t.Errorf("%s: %s %q", id, reply.Status, reply.Text)
					}
				}()
			}
		}
		wg.Wait()
		if n := s.acted(); n != sessions {
			t.Fatalf("the shop acted %d times for %d confirmed purchases", n, sessions)
		}
		for i := 0; i < sessions; i++ {
			st, err := a.State(context.Background(), fmt.Sprint("two-", i))
			if err != nil {
				t.Fatal(err)
			}
			if c := st.Calls; len(c) != 1 || c[0].State != CallDone {
				t.Errorf("session %d records %+v, want one call done", i, c)
			}
		}
	})
}

// TestCrashAfterTheCallAsksTheUser: a replica that dies after the call was
// sent but before its outcome was saved leaves the intent; the next turn,
// on any replica, does not call again but says the outcome is unknown, and
// "skip" goes on without it.
func TestCrashAfterTheCallAsksTheUser(t *testing.T) {
	ctx := context.Background()
	store := registrytest.Bolt(t)
	s := &shop{}
	dying := newShopAgent(t, store, s, Options{Failpoint: crashAt("invoked")})
	mustTurn(t, dying, "c1", "buy a lamp", StatusNeedsConfirmation)
	turnCrashing(t, dying, "c1", "yes")
	if s.acted() != 1 {
		t.Fatalf("acted %d times before the crash", s.acted())
	}
	st, _ := dying.State(ctx, "c1")
	if len(st.Calls) != 1 || st.Calls[0].State != CallCalling || st.Calls[0].Key == "" {
		t.Fatalf("the intent was not saved before the call: %+v", st.Calls)
	}

	other := newShopAgent(t, store, s, Options{})
	r := mustTurn(t, other, "c1", "yes", StatusOutcomeUnknown)
	if r.Unknown == nil || r.Unknown.API != "Shop.Buy" || strings.Join(r.Choices, ",") != "retry,skip" || !strings.Contains(r.Text, "do not know whether it took effect") {
		t.Fatalf("unknown outcome not explained: %+v", r)
	}
	mustTurn(t, other, "c1", "what now?", StatusOutcomeUnknown)
	r = mustTurn(t, other, "c1", "skip", StatusFailed)
	if !strings.Contains(r.Text, "Skipped Shop.Buy") {
		t.Errorf("skip: %q", r.Text)
	}
	if s.acted() != 1 {
		t.Fatalf("acted %d times, want 1", s.acted())
	}
	// The session goes on.
	mustTurn(t, other, "c1", "buy a lamp", StatusNeedsConfirmation)
}

// TestCrashedKeyedCallIsResentWithItsKey: an API that honours idempotency
// keys gets the interrupted call again, with the same key, and acts once.
func TestCrashedKeyedCallIsResentWithItsKey(t *testing.T) {
	store := registrytest.Bolt(t)
	s := &shop{}
	dying := newShopAgent(t, store, s, Options{Failpoint: crashAt("invoked")})
	mustTurn(t, dying, "k1", "buy a keyed lamp", StatusNeedsConfirmation)
	turnCrashing(t, dying, "k1", "yes")
	other := newShopAgent(t, store, s, Options{})
	r := mustTurn(t, other, "k1", "yes", StatusAnswered)
	if r.Text != "Bought." || s.requests.Load() != 2 || s.acted() != 1 {
		t.Fatalf("%q after %d requests, %d effects; want the call resent once, acting once", r.Text, s.requests.Load(), s.acted())
	}
}

// TestCrashBeforeTheCallIsCheckedThenMade: a replica that dies after saving
// the intent but before calling leaves a call in doubt; a declared status
// check finds it was not made, and it is made, once.
func TestCrashBeforeTheCallIsCheckedThenMade(t *testing.T) {
	store := registrytest.Bolt(t)
	s := &shop{}
	dying := newShopAgent(t, store, s, Options{Failpoint: crashAt("intent-saved")})
	mustTurn(t, dying, "b1", "buy a checked lamp", StatusNeedsConfirmation)
	turnCrashing(t, dying, "b1", "yes")
	if s.acted() != 0 {
		t.Fatal("called before the crash point")
	}
	other := newShopAgent(t, store, s, Options{})
	mustTurn(t, other, "b1", "yes", StatusAnswered)
	if s.acted() != 1 {
		t.Fatalf("acted %d times, want 1", s.acted())
	}
}

// TestServerErrorAfterActingIsNotRetried: an API answering 500 to a POST
// after acting is not called again; with a status-check API the agent
// learns that it acted.
func TestServerErrorAfterActingIsNotRetried(t *testing.T) {
	var acted atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			acted.Add(1)
			http.Error(w, "upstream timeout", http.StatusBadGateway)
			return
		}
		w.Write([]byte(`{"order": "O-1"}`))
	}))
	defer api.Close()
	for _, tc := range []struct {
		check string
		want  Status
	}{{"", StatusOutcomeUnknown}, {"Shop.Order", StatusAnswered}} {
		acted.Store(0)
		apis := []registry.API{
			{Name: "Shop.Buy", Confirm: true, Inputs: []registry.Input{{Name: "item", Required: true}}, Outputs: []registry.Output{{Name: "order"}},
				Binding: &registry.Binding{Kind: registry.BindHTTP, Method: "POST", URL: api.URL + "/orders", StatusCheck: tc.check}},
			{Name: "Shop.Order", Inputs: []registry.Input{{Name: "item"}}, Outputs: []registry.Output{{Name: "order"}},
				Binding: &registry.Binding{Kind: registry.BindHTTP, Method: "GET", URL: api.URL + "/orders"}},
		}
		sc, _ := llm.ParseScript([]byte(shopScript))
		ms, _ := llm.Open(context.Background(), llm.Config{Script: sc})
		a, err := New(context.Background(), Options{Store: registrytest.Bolt(t), Models: ms, APIs: apis, Retries: 3})
		if err != nil {
			t.Fatal(err)
		}
		mustTurn(t, a, "p", "buy a lamp", StatusNeedsConfirmation)
		r := mustTurn(t, a, "p", "yes", tc.want)
		if n := acted.Load(); n != 1 {
			t.Errorf("check %q: the POST was sent %d times, want 1", tc.check, n)
		}
		if tc.want == StatusOutcomeUnknown && (r.Unknown == nil || !strings.Contains(r.Unknown.Error, "502")) {
			t.Errorf("the unknown outcome does not say what happened: %+v", r.Unknown)
		}
	}
}

// TestStoreOutageBeforeTheIntentCallsNothing: when the intent cannot be
// saved the call is not made and the error says the store is unavailable;
// the confirmation is still pending afterwards.
func TestStoreOutageBeforeTheIntentCallsNothing(t *testing.T) {
	store := &outageStore{Store: registrytest.Bolt(t)}
	s := &shop{}
	a := newShopAgent(t, store, s, Options{})
	mustTurn(t, a, "o1", "buy a lamp", StatusNeedsConfirmation)
	store.down.Store(true)
	_, err := a.Turn(context.Background(), "o1", "yes")
	var ue *registry.UnavailableError
	if !errors.As(err, &ue) || s.acted() != 0 {
		t.Fatalf("err %v after %d effects, want an unavailable store and no call", err, s.acted())
	}
	store.down.Store(false)
	mustTurn(t, a, "o1", "yes", StatusAnswered)
	if s.acted() != 1 {
		t.Fatalf("acted %d times", s.acted())
	}
}

// TestStoreOutageAfterTheCallKeepsItsOutcome: when the store fails right
// after the call, the outcome is saved once it is back, within the turn.
func TestStoreOutageAfterTheCallKeepsItsOutcome(t *testing.T) {
	store := &outageStore{Store: registrytest.Bolt(t)}
	s := &shop{}
	a := newShopAgent(t, store, s, Options{Failpoint: func(at string) {
		if at == "invoked" {
			store.down.Store(true)
			time.AfterFunc(300*time.Millisecond, func() { store.down.Store(false) })
		}
	}})
	mustTurn(t, a, "o2", "buy a lamp", StatusNeedsConfirmation)
	mustTurn(t, a, "o2", "yes", StatusAnswered)
	st, _ := a.State(context.Background(), "o2")
	if len(st.Calls) != 1 || st.Calls[0].State != CallDone || s.acted() != 1 {
		t.Fatalf("calls %+v after %d effects", st.Calls, s.acted())
	}
}

// outageStore fails every session write and lease while down is set.
type outageStore struct {
	registry.Store
	down atomic.Bool
}

func (o *outageStore) err() error {
	if o.down.Load() {
		return &registry.UnavailableError{Backend: "test", Addr: "nowhere", Err: errors.New("connection refused")}
	}
	return nil
}

func (o *outageStore) SaveSession(ctx context.Context, s *registry.Session, ttl time.Duration, expect uint64, events ...json.RawMessage) error {
	if err := o.err(); err != nil {
		return err
	}
	return o.Store.SaveSession(ctx, s, ttl, expect, events...)
}

func (o *outageStore) AcquireLease(ctx context.Context, ns, name string, ttl time.Duration) (string, bool, error) {
	if err := o.err(); err != nil {
		return "", false, err
	}
	return o.Store.AcquireLease(ctx, ns, name, ttl)
}
