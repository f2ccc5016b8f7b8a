// Package server serves the agent over HTTP: REST endpoints for sessions,
// messages, history, plans, tools and APIs, server-sent-event streaming of a
// turn's progress, /healthz, Prometheus /metrics and an OpenAPI document of
// its own. Requests carry a bearer token that selects the tenant's
// namespace, so one tenant never sees or uses another's tools, APIs or
// sessions; a server bound to loopback may run without tokens. Each
// namespace may be limited in request rate, concurrent turns and daily
// spending (Limits), shared by every replica through the store.
package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/toolsmith-dev/toolsmith/agent"
	"github.com/toolsmith-dev/toolsmith/planner"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// Defaults.
const (
	DefaultMaxBody     = 1 << 20
	DefaultTurnTimeout = 2 * time.Minute
	// DefaultReadHeaderTimeout bounds reading a request's headers.
	DefaultReadHeaderTimeout = 10 * time.Second
	// DefaultReadTimeout bounds reading a whole request, body included.
	DefaultReadTimeout = 30 * time.Second
	// DefaultWriteTimeout bounds writing a reply, or one event of a stream.
	DefaultWriteTimeout = 30 * time.Second
	// DefaultIdleTimeout bounds how long a kept-alive connection may idle.
	DefaultIdleTimeout = 2 * time.Minute
	// DefaultMaxHeaderBytes bounds a request's headers.
	DefaultMaxHeaderBytes = 64 << 10
)

// NewAgent builds the agent serving one namespace.
type NewAgent func(ctx context.Context, namespace string) (*agent.Agent, error)

// Store is what a Server keeps in the registry besides what its agents
// keep: the sessions it creates and deletes, the tools it lists, the
// version it reads to check the store is up, and each namespace's request
// rate, concurrent turns and daily spending, which replicas share. Every
// registry.Store is one.
type Store interface {
	Version(ctx context.Context, ns string, c registry.Collection) (uint64, error)
	ListTools(ctx context.Context, ns string, f registry.ToolFilter) ([]*registry.Tool, error)
	PutSession(ctx context.Context, s *registry.Session, ttl time.Duration) error
	DeleteSession(ctx context.Context, ns, id string) error
	TakeToken(ctx context.Context, ns, name string, rate float64, burst int) (wait time.Duration, err error)
	AcquireSlot(ctx context.Context, ns, name string, limit int, ttl time.Duration) (token string, ok bool, err error)
	ReleaseSlot(ctx context.Context, ns, name, token string) error
	AddSpend(ctx context.Context, ns, day string, cost float64, calls int64) (registry.Spend, error)
}

// Server is the HTTP front of the agent. Set its fields, then use Handler
// (and HTTPServer for a server with its timeouts set).
type Server struct {
	// Store holds sessions, tools and the namespaces' limits.
	Store Store
	// NewAgent builds a namespace's agent on its first request; agents are
	// kept until Forget.
	NewAgent NewAgent
	// Tokens maps bearer tokens to namespaces. When empty, no token is
	// needed and every request uses DefaultNamespace — only safe on
	// loopback, which the serve command enforces.
	Tokens map[string]string
	// DefaultNamespace is the namespace of requests without tokens.
	DefaultNamespace string
	// MaxBody bounds request bodies (default DefaultMaxBody).
	MaxBody int64
	// TurnTimeout bounds one turn (default DefaultTurnTimeout).
	TurnTimeout time.Duration
	// ReadTimeout bounds reading a request, body included (default
	// DefaultReadTimeout); WriteTimeout writing a reply or one streamed
	// event (default DefaultWriteTimeout); IdleTimeout a kept-alive
	// connection's idling (default DefaultIdleTimeout). They apply to
	// HTTPServer.
	ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// MetricsToken, when set, is the bearer token /metrics requires.
	// MetricsSeparate moves /metrics off Handler onto MetricsHandler (its
	// own listener). With neither, /metrics answers without a token only
	// when Tokens is empty (a loopback server).
	MetricsToken    string
	MetricsSeparate bool
	// Limits bound each namespace's use (zero fields: no limit).
	Limits Limits
	Logger *slog.Logger

	once    sync.Once
	mu      sync.Mutex
	agents  map[string]*agent.Agent
	gens    map[string]uint64 // per namespace, bumped by Forget
	metrics *metrics
	errLog  *rateLog
	tokens  []tokenEntry
	handler http.Handler
}

// tokenEntry is a configured token, hashed so that comparing takes the same
// time whatever its length.
type tokenEntry struct {
	sum [sha256.Size]byte
	ns  string
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler {
	s.once.Do(s.init)
	return s.handler
}

// MetricsHandler returns the handler of /metrics alone, for a listener of
// its own (with MetricsSeparate); it requires MetricsToken when set.
func (s *Server) MetricsHandler() http.Handler {
	s.once.Do(s.init)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", s.serveMetrics)
	return mux
}

// HTTPServer returns an http.Server for Handler with the timeouts and
// header limit set: slow headers, slow bodies and idle connections are cut
// off; a reply (or each event of a stream) must be written within
// WriteTimeout.
func (s *Server) HTTPServer() *http.Server {
	h := s.Handler()
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: min(DefaultReadHeaderTimeout, s.ReadTimeout),
		ReadTimeout:       s.ReadTimeout,
		// A backstop: replies set their own write deadlines (per event
		// when streaming), after the turn.
		WriteTimeout:   s.ReadTimeout + s.TurnTimeout + s.WriteTimeout,
		IdleTimeout:    s.IdleTimeout,
		MaxHeaderBytes: DefaultMaxHeaderBytes,
		ErrorLog:       slog.NewLogLogger(s.Logger.Handler(), slog.LevelWarn),
	}
}

func (s *Server) init() {
	if s.MaxBody <= 0 {
		s.MaxBody = DefaultMaxBody
	}
	if s.TurnTimeout <= 0 {
		s.TurnTimeout = DefaultTurnTimeout
	}
	if s.ReadTimeout <= 0 {
		s.ReadTimeout = DefaultReadTimeout
	}
	if s.WriteTimeout <= 0 {
		s.WriteTimeout = DefaultWriteTimeout
	}
	if s.IdleTimeout <= 0 {
		s.IdleTimeout = DefaultIdleTimeout
	}
	if s.Logger == nil {
		s.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s.errLog = &rateLog{logger: s.Logger, every: time.Second}
	for tok, ns := range s.Tokens {
		s.tokens = append(s.tokens, tokenEntry{sum: sha256.Sum256([]byte(tok)), ns: ns})
	}
	s.agents = map[string]*agent.Agent{}
	s.gens = map[string]uint64{}
	s.metrics = newMetrics()
	mux := http.NewServeMux()
	route := func(pattern string, h func(w http.ResponseWriter, r *http.Request, ns string) error) {
		mux.Handle(pattern, s.wrap(pattern, h))
	}
	mux.HandleFunc("GET /healthz", s.healthz)
	if !s.MetricsSeparate {
		mux.HandleFunc("GET /metrics", s.serveMetrics)
	}
	mux.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, openAPIDocument)
	})
	route("POST /v1/sessions", s.createSession)
	route("GET /v1/sessions/{id}", s.getSession)
	route("GET /v1/sessions/{id}/history", s.getHistory)
	route("DELETE /v1/sessions/{id}", s.deleteSession)
	route("POST /v1/sessions/{id}/messages", s.postMessage)
	route("POST /v1/plan", s.plan)
	route("GET /v1/apis", s.listAPIs)
	route("GET /v1/tools", s.listTools)
	s.handler = mux
}

// Forget drops the cached agent of a namespace (after its APIs changed).
func (s *Server) Forget(namespace string) {
	s.mu.Lock()
	delete(s.agents, namespace)
	if s.gens != nil {
		s.gens[namespace]++
	}
	s.mu.Unlock()
}

// statusWriter records the status code written.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// wrap authenticates, checks the namespace's request rate, limits the
// body, runs h and writes its error as JSON.
func (s *Server) wrap(route string, h func(w http.ResponseWriter, r *http.Request, ns string) error) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w := &statusWriter{ResponseWriter: rw, code: http.StatusOK}
		ns := ""
		defer func() {
			s.metrics.requests.WithLabelValues(ns, route, itoa(w.code)).Inc()
		}()
		ns, err := s.authenticate(r.Header.Get("Authorization"))
		if err == nil {
			err = s.limitRate(r.Context(), ns)
		}
		if err == nil {
			r.Body = http.MaxBytesReader(w, r.Body, s.MaxBody)
			err = h(w, r, ns)
		}
		if err != nil {
			s.writeError(w, ns, err)
		}
	})
}

// bearer reads the token of an Authorization header; the scheme is case
// insensitive.
func bearer(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	token = strings.TrimSpace(token)
	return token, ok && strings.EqualFold(scheme, "Bearer") && token != ""
}

// authenticate returns the namespace of a request's token. Every
// configured token is compared, in constant time, whatever matches.
func (s *Server) authenticate(header string) (string, error) {
	if len(s.Tokens) == 0 {
		return s.DefaultNamespace, nil
	}
	token, ok := bearer(header)
	if !ok {
		return "", errorf(http.StatusUnauthorized, "a bearer token is required (Authorization: Bearer TOKEN)")
	}
	sum := sha256.Sum256([]byte(token))
	ns, found := "", 0
	for _, e := range s.tokens {
		if subtle.ConstantTimeCompare(sum[:], e.sum[:]) == 1 {
			ns, found = e.ns, 1
		}
	}
	if found == 0 {
		return "", errorf(http.StatusUnauthorized, "unknown token")
	}
	return ns, nil
}

// serveMetrics writes the metrics, after checking the metrics token.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	switch {
	case s.MetricsToken != "":
		tok, ok := bearer(r.Header.Get("Authorization"))
		a, b := sha256.Sum256([]byte(tok)), sha256.Sum256([]byte(s.MetricsToken))
		if !ok || subtle.ConstantTimeCompare(a[:], b[:]) != 1 {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "/metrics needs the metrics token (Authorization: Bearer TOKEN)"})
			return
		}
	case len(s.Tokens) > 0 && !s.MetricsSeparate:
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "/metrics is served with a metrics token or on a listener of its own"})
		return
	}
	s.metrics.ServeHTTP(w, r)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// decode reads a JSON body into v, strictly.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return errorf(http.StatusBadRequest, "malformed JSON body: %v", err)
	}
	return nil
}

// agentFor returns the namespace's agent, building it on first use. The
// build (which reads the store) runs without the lock, so one namespace's
// first request never holds up another's; an agent built before a Forget is
// used for its request but not kept.
func (s *Server) agentFor(ctx context.Context, ns string) (*agent.Agent, error) {
	s.mu.Lock()
	a, ok := s.agents[ns]
	gen := s.gens[ns]
	s.mu.Unlock()
	if ok {
		return a, nil
	}
	a, err := s.NewAgent(ctx, ns)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if kept, ok := s.agents[ns]; ok {
		return kept, nil // another request built it first
	}
	if s.gens[ns] == gen {
		s.agents[ns] = a
	}
	return a, nil
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := s.Store.Version(ctx, s.DefaultNamespace, registry.CollAPIs); err != nil {
		s.errLog.log("store unavailable", "healthz: store unavailable", "err", err)
		w.Header().Set("Retry-After", "2")
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": "the store is unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) plan(w http.ResponseWriter, r *http.Request, ns string) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	req, err := planner.ParseRequest(body)
	if err != nil {
		return errorf(http.StatusBadRequest, "%v", err)
	}
	a, err := s.agentFor(r.Context(), ns)
	if err != nil {
		return err
	}
	plan, err := a.Plan(r.Context(), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, plan)
	return nil
}

func (s *Server) listAPIs(w http.ResponseWriter, r *http.Request, ns string) error {
	a, err := s.agentFor(r.Context(), ns)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"apis": a.APIs()})
	return nil
}

func (s *Server) listTools(w http.ResponseWriter, r *http.Request, ns string) error {
	tools, err := s.Store.ListTools(r.Context(), ns, registry.ToolFilter{})
	if err != nil {
		return err
	}
	if tools == nil {
		tools = []*registry.Tool{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"tools": tools})
	return nil
}
