package server

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/toolsmith-dev/toolsmith/agent"
	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/registry"
	"github.com/toolsmith-dev/toolsmith/registry/registrytest"
)

// travelServer returns a Server over the travel example (not yet
// serving) and its models. slowReserve, when set, delays the reservation,
// and a turn then waits only 50 ms for another of its session.
func travelServer(t *testing.T, store registry.Store, slowReserve time.Duration) (*Server, *llm.Models) {
	t.Helper()
	ctx := context.Background()
	root := filepath.Join("..", "..", "examples", "travel")
	script, err := os.ReadFile(filepath.Join(root, "scripted.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sc, err := llm.ParseScript(script)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := llm.Open(ctx, llm.Config{Script: sc})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "apis.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	apis, err := registry.ParseAPIs("apis.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.PutAPIs(ctx, "travel", apis); err != nil {
		t.Fatal(err)
	}
	opts := agent.Options{Store: store, Models: ms}
	if slowReserve > 0 {
		slow := agent.InvokerFunc(func(ctx context.Context, inv agent.Invocation) (map[string]any, error) {
			if inv.API.Name == "RentalCars.ReserveCar" {
				time.Sleep(slowReserve)
			}
			return inv.API.Binding.Response, nil
		})
		opts.Invokers = map[registry.BindingKind]agent.Invoker{registry.BindFixed: slow}
		opts.LeaseWait = 50 * time.Millisecond
	}
	return &Server{
		Store:            store,
		DefaultNamespace: "travel",
		NewAgent: func(ctx context.Context, ns string) (*agent.Agent, error) {
			o := opts
			o.Namespace = ns
			return agent.New(ctx, o)
		},
	}, ms
}

func serveTest(t *testing.T, srv *Server) client {
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return client{t: t, base: ts.URL}
}

// TestIDsAreValidatedBeforeAnyWork: ids the store cannot hold are refused
// with 400 before any model is called.
func TestIDsAreValidatedBeforeAnyWork(t *testing.T) {
	srv, ms := travelServer(t, registrytest.Bolt(t), 0)
	c := serveTest(t, srv)
	body := `{"text": "Book me a rental car in San Diego from Oct 5 for 3 days"}`
	for _, id := range []string{"a:b", "%C3%BCn%C3%AF", "a%2Fb", "a%20b", strings.Repeat("x", 129), "x%7Bp%7D"} {
		for _, p := range []string{"/v1/sessions/" + id + "/messages", "/v1/sessions/" + id, "/v1/sessions/" + id + "/history"} {
			method := "GET"
			if strings.HasSuffix(p, "messages") {
				method = "POST"
			}
			code, raw := c.do(method, p, body)
			if code != http.StatusBadRequest || !strings.Contains(string(raw), "invalid session id") {
				t.Errorf("%s %s: %d %s", method, p, code, raw)
			}
		}
	}
	if code, raw := c.do("POST", "/v1/sessions/ok/messages", `{"text": "hi", "id": "a:b"}`); code != http.StatusBadRequest {
		t.Errorf("invalid message id: %d %s", code, raw)
	}
	if n := ms.Meter.Total().Calls; n != 0 {
		t.Errorf("%d model calls for invalid ids", n)
	}
}

// downStore is a store whose every call fails as an unreachable Redis at a
// private address does.
type downStore struct{ registry.Store }

var errDown = &registry.UnavailableError{Backend: "redis", Addr: "10.9.8.7:6379", Err: errors.New("dial tcp 10.9.8.7:6379: connect: connection refused")}

func (downStore) GetSession(context.Context, string, string) (*registry.Session, error) {
	return nil, errDown
}
func (downStore) AcquireLease(context.Context, string, string, time.Duration) (string, bool, error) {
	return "", false, errDown
}
func (downStore) Version(context.Context, string, registry.Collection) (uint64, error) {
	return 0, errDown
}

// TestStoreOutageIs503WithoutInternals: an unreachable store answers 503
// with Retry-After, and no response names its address; the log is not
// flooded.
func TestStoreOutageIs503WithoutInternals(t *testing.T) {
	srv, _ := travelServer(t, downStore{registrytest.Bolt(t)}, 0)
	var logged strings.Builder
	var mu sync.Mutex
	srv.Logger = slogTo(&logged, &mu)
	c := serveTest(t, srv)
	for i := 0; i < 20; i++ {
		code, raw, h := c.doHeader("POST", "/v1/sessions/s1/messages", `{"text": "hello"}`)
		if code != http.StatusServiceUnavailable || h.Get("Retry-After") == "" || strings.Contains(string(raw), "10.9.8.7") || !json.Valid(raw) {
			t.Fatalf("%d %s (Retry-After %q)", code, raw, h.Get("Retry-After"))
		}
	}
	code, raw, _ := c.doHeader("GET", "/healthz", "")
	if code != http.StatusServiceUnavailable || strings.Contains(string(raw), "10.9.8.7") {
		t.Fatalf("healthz: %d %s", code, raw)
	}
	mu.Lock()
	lines := strings.Count(logged.String(), "store unavailable")
	mu.Unlock()
	if lines == 0 || lines > 3 {
		t.Errorf("%d log lines for 21 failures, want a few", lines)
	}
}

// TestModelErrorsDoNotReachTheClient: a failing model is reported without
// its provider, name or address.
func TestModelErrorsDoNotReachTheClient(t *testing.T) {
	ctx := context.Background()
	model := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"error": "model secret-model-7 overloaded"}`, http.StatusBadRequest)
	}))
	defer model.Close()
	ms, err := llm.Open(ctx, llm.Config{
		MakerModel: "openai-compatible:secret-model-7@" + model.URL + "/v1",
		UserModel:  "openai-compatible:secret-model-7@" + model.URL + "/v1",
		Retries:    -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	store := registrytest.Bolt(t)
	srv := &Server{Store: store, DefaultNamespace: "m", NewAgent: func(ctx context.Context, ns string) (*agent.Agent, error) {
		return agent.New(ctx, agent.Options{Store: store, Models: ms, Namespace: ns, APIs: []registry.API{{
			Name: "X.Op", Inputs: []registry.Input{{Name: "x", Required: true}}, Outputs: []registry.Output{{Name: "y"}},
			Binding: &registry.Binding{Kind: registry.BindFixed, Response: map[string]any{"y": 1}},
		}}})
	}}
	c := serveTest(t, srv)
	code, raw := c.do("POST", "/v1/sessions/m1/messages", `{"text": "do it"}`)
	if code != http.StatusOK || strings.Contains(string(raw), "secret-model-7") || strings.Contains(string(raw), model.URL) {
		t.Fatalf("%d %s", code, raw)
	}
}

// TestMetricsNeedATokenOrTheirOwnListener: with tokens, /metrics is not
// open; a metrics token opens it; a separate listener serves it alone.
func TestMetricsNeedATokenOrTheirOwnListener(t *testing.T) {
	store := registrytest.Bolt(t)
	srv, _ := travelServer(t, store, 0)
	srv.Tokens = map[string]string{"tok": "travel"}
	c := serveTest(t, srv)
	if code, _ := c.do("GET", "/metrics", ""); code != http.StatusUnauthorized {
		t.Fatalf("open /metrics with tokens: %d", code)
	}

	srv2, _ := travelServer(t, store, 0)
	srv2.Tokens, srv2.MetricsToken = map[string]string{"tok": "travel"}, "scrape"
	c2 := serveTest(t, srv2)
	if code, _ := (client{t: t, base: c2.base, token: "tok"}).do("GET", "/metrics", ""); code != http.StatusUnauthorized {
		t.Fatalf("an API token opened /metrics: %d", code)
	}
	if code, raw := (client{t: t, base: c2.base, token: "scrape"}).do("GET", "/metrics", ""); code != 200 || !strings.Contains(string(raw), "go_goroutines") {
		t.Fatalf("metrics token: %d %.100s", code, raw)
	}

	srv3, _ := travelServer(t, store, 0)
	srv3.Tokens, srv3.MetricsSeparate = map[string]string{"tok": "travel"}, true
	c3 := serveTest(t, srv3)
	if code, _ := (client{t: t, base: c3.base, token: "tok"}).do("GET", "/metrics", ""); code != http.StatusNotFound {
		t.Fatalf("/metrics on the main listener: %d", code)
	}
	ms := httptest.NewServer(srv3.MetricsHandler())
	defer ms.Close()
	if code, _ := (client{t: t, base: ms.URL}).do("GET", "/metrics", ""); code != 200 {
		t.Fatalf("/metrics on its own listener: %d", code)
	}
}

// TestBearerSchemeIsCaseInsensitive: "bearer", "BEARER" and extra spaces
// are accepted; another scheme is not.
func TestBearerSchemeIsCaseInsensitive(t *testing.T) {
	srv, _ := travelServer(t, registrytest.Bolt(t), 0)
	srv.Tokens = map[string]string{"tok-a": "travel", "tok-b": "other"}
	c := serveTest(t, srv)
	for _, h := range []string{"Bearer tok-a", "bearer tok-a", "BEARER  tok-a ", "bEaReR tok-a"} {
		if code, raw := c.do("GET", "/v1/apis", "", "Authorization", h); code != 200 || !strings.Contains(string(raw), "RentalCars") {
			t.Errorf("%q: %d", h, code)
		}
	}
	for _, h := range []string{"Basic tok-a", "tok-a", "Bearer", "Bearer tok-c", "Bearer tok-a2"} {
		if code, _ := c.do("GET", "/v1/apis", "", "Authorization", h); code != http.StatusUnauthorized {
			t.Errorf("%q: %d", h, code)
		}
	}
}

// TestSlowBodiesAndIdleConnectionsAreCut: a client trickling its body, or
// holding a connection idle, is disconnected after the timeouts.
func TestSlowBodiesAndIdleConnectionsAreCut(t *testing.T) {
	srv, _ := travelServer(t, registrytest.Bolt(t), 0)
	srv.ReadTimeout, srv.IdleTimeout = 300*time.Millisecond, 300*time.Millisecond
	hs := srv.HTTPServer()
	if hs.ReadTimeout == 0 || hs.IdleTimeout == 0 || hs.WriteTimeout == 0 || hs.MaxHeaderBytes == 0 || hs.ReadHeaderTimeout == 0 {
		t.Fatalf("timeouts unset: %+v", hs)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go hs.Serve(ln)
	defer hs.Close()

	closedWithin := func(conn net.Conn, d time.Duration) bool {
		conn.SetReadDeadline(time.Now().Add(d))
		_, err := io.Copy(io.Discard, conn)
		var ne net.Error
		return !(errors.As(err, &ne) && ne.Timeout())
	}
	slow, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	fmt.Fprintf(slow, "POST /v1/sessions/s/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"te")
	go func() {
		for i := 0; i < 20; i++ {
			time.Sleep(100 * time.Millisecond)
			if _, err := slow.Write([]byte(" ")); err != nil {
				return
			}
		}
	}()
	if !closedWithin(slow, 3*time.Second) {
		t.Error("a slow body held the connection")
	}

	idle, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	fmt.Fprintf(idle, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(idle), nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v", err)
	}
	resp.Body.Close()
	if !closedWithin(idle, 3*time.Second) {
		t.Error("an idle connection was kept")
	}
}

// TestBusySessionIs409WithItsState: a message to a session whose turn runs
// elsewhere answers 409 with the state, and is not run.
func TestBusySessionIs409WithItsState(t *testing.T) {
	srv, _ := travelServer(t, registrytest.Bolt(t), 800*time.Millisecond)
	c := serveTest(t, srv)
	c.say("b1", "Book me a rental car in San Diego from Oct 5 for 3 days")
	c.say("b1", "10:30")
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if r := c.say("b1", "yes"); r.Status != agent.StatusAnswered {
			t.Errorf("first yes: %+v", r)
		}
	}()
	time.Sleep(200 * time.Millisecond)
	code, raw, h := c.doHeader("POST", "/v1/sessions/b1/messages", `{"text": "yes"}`)
	wg.Wait()
	var body struct {
		Error string
		State *agent.State
	}
	json.Unmarshal(raw, &body)
	if code != http.StatusConflict || body.State == nil || h.Get("Retry-After") == "" {
		t.Fatalf("%d %s", code, raw)
	}
}

// TestNamespaceLimits: the request rate, concurrent turns and the daily
// budget of API calls answer 429 with Retry-After and the reset time.
func TestNamespaceLimits(t *testing.T) {
	store := registrytest.Bolt(t)
	t.Run("rate", func(t *testing.T) {
		srv, _ := travelServer(t, store, 0)
		srv.Limits = Limits{Rate: 1, Burst: 2}
		c := serveTest(t, srv)
		c.do("GET", "/v1/apis", "")
		c.do("GET", "/v1/apis", "")
		code, raw, h := c.doHeader("GET", "/v1/apis", "")
		if code != http.StatusTooManyRequests || h.Get("Retry-After") == "" || !strings.Contains(string(raw), `"limit":"rate"`) || !strings.Contains(string(raw), `"reset"`) {
			t.Fatalf("%d %s", code, raw)
		}
	})
	t.Run("concurrency", func(t *testing.T) {
		srv, _ := travelServer(t, store, 800*time.Millisecond)
		srv.Limits = Limits{ConcurrentTurns: 1}
		c := serveTest(t, srv)
		c.say("c1", "Book me a rental car in San Diego from Oct 5 for 3 days")
		c.say("c1", "10:30")
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); c.say("c1", "yes") }()
		time.Sleep(200 * time.Millisecond)
		code, raw := c.do("POST", "/v1/sessions/c2/messages", `{"text": "Book me a rental car in San Diego from Oct 5 for 3 days"}`)
		wg.Wait()
		if code != http.StatusTooManyRequests || !strings.Contains(string(raw), `"limit":"concurrency"`) {
			t.Fatalf("%d %s", code, raw)
		}
		c.say("c2", "Book me a rental car in San Diego from Oct 5 for 3 days") // the slot is free again
	})
	t.Run("daily cost", func(t *testing.T) {
		srv, _ := travelServer(t, store, 0)
		srv.DefaultNamespace = "travel-cost"
		if err := store.PutAPIs(context.Background(), "travel-cost", mustAPIs(t, store)); err != nil {
			t.Fatal(err)
		}
		srv.Limits = Limits{DailyCost: 0.0001} // one turn of the scripted model costs more
		c := serveTest(t, srv)
		c.say("dc1", "Book me a rental car in San Diego from Oct 5 for 3 days")
		code, raw := c.do("POST", "/v1/sessions/dc1/messages", `{"text": "10:30"}`)
		if code != http.StatusTooManyRequests || !strings.Contains(string(raw), `"limit":"daily_cost"`) {
			t.Fatalf("%d %s", code, raw)
		}
	})
	t.Run("daily API calls", func(t *testing.T) {
		srv, _ := travelServer(t, store, 0)
		srv.Limits = Limits{DailyAPICalls: 1}
		c := serveTest(t, srv)
		c.say("d1", "Book me a rental car in San Diego from Oct 5 for 3 days")
		c.say("d1", "10:30") // one call: the budget is reached
		code, raw, h := c.doHeader("POST", "/v1/sessions/d1/messages", `{"text": "yes"}`)
		var body struct{ Limit, Reset string }
		json.Unmarshal(raw, &body)
		reset, err := time.Parse(time.RFC3339, body.Reset)
		if code != http.StatusTooManyRequests || body.Limit != "daily_api_calls" || err != nil || reset.Hour() != 0 || h.Get("Retry-After") == "" {
			t.Fatalf("%d %s", code, raw)
		}
	})
}

// TestHistoryPages: GET /v1/sessions/{id}/history pages the whole history
// with a cursor.
func TestHistoryPages(t *testing.T) {
	srv, _ := travelServer(t, registrytest.Bolt(t), 0)
	c := serveTest(t, srv)
	for _, m := range []string{"Book me a rental car in San Diego from Oct 5 for 3 days", "10:30", "yes"} {
		c.say("h1", m)
	}
	var kinds []string
	cursor := ""
	for pages := 0; ; pages++ {
		code, raw := c.do("GET", "/v1/sessions/h1/history?limit=4&cursor="+cursor, "")
		if code != 200 {
			t.Fatalf("%d %s", code, raw)
		}
		var page struct {
			Events     []agent.Event
			NextCursor *string `json:"next_cursor"`
		}
		if err := json.Unmarshal(raw, &page); err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Events {
			kinds = append(kinds, e.Kind)
		}
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
		if pages > 20 {
			t.Fatal("no end")
		}
	}
	got := strings.Join(kinds, ",")
	if !strings.HasPrefix(got, "message,plan,questions,reply,message,answers,plan,call,reply,message,confirm") || !strings.HasSuffix(got, "reply") {
		t.Fatalf("history %s", got)
	}
	if code, _ := c.do("GET", "/v1/sessions/h1/history?cursor=-1", ""); code != http.StatusBadRequest {
		t.Errorf("negative cursor: %d", code)
	}
	if code, _ := c.do("GET", "/v1/sessions/nope/history", ""); code != http.StatusNotFound {
		t.Errorf("unknown session: %d", code)
	}
}

// TestStreamRefusedBeforeItStartsKeepsItsStatus: a streamed turn refused
// before its first event (a busy session) answers with its status code,
// not 200.
func TestStreamRefusedBeforeItStartsKeepsItsStatus(t *testing.T) {
	srv, _ := travelServer(t, registrytest.Bolt(t), 800*time.Millisecond)
	c := serveTest(t, srv)
	c.say("s1", "Book me a rental car in San Diego from Oct 5 for 3 days")
	c.say("s1", "10:30")
	var started atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); started.Store(true); c.say("s1", "yes") }()
	time.Sleep(200 * time.Millisecond)
	code, raw := c.do("POST", "/v1/sessions/s1/messages", `{"text": "yes"}`, "Accept", "text/event-stream")
	wg.Wait()
	if code != http.StatusConflict {
		t.Fatalf("%d %s", code, raw)
	}
}

// doHeader is do that also returns the response headers.
func (c client) doHeader(method, path, body string) (int, []byte, http.Header) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, resp.Header
}

// lockedWriter serialises writes to a builder.
type lockedWriter struct {
	mu *sync.Mutex
	b  *strings.Builder
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func slogTo(b *strings.Builder, mu *sync.Mutex) *slog.Logger {
	return slog.New(slog.NewTextHandler(lockedWriter{mu, b}, nil))
}

// mustAPIs returns the travel namespace's APIs.
func mustAPIs(t *testing.T, store registry.Store) []registry.API {
	t.Helper()
	apis, err := store.ListAPIs(context.Background(), "travel")
	if err != nil {
		t.Fatal(err)
	}
	return apis
}
