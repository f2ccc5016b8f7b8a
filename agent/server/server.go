// Package server serves the agent over HTTP: REST endpoints for sessions,
// messages, plans, tools and APIs, server-sent-event streaming of a turn's
// progress, /healthz, Prometheus /metrics and an OpenAPI document of its own.
// Requests carry a bearer token that selects the tenant's namespace, so one
// tenant never sees or uses another's tools, APIs or sessions; a server bound
// to loopback may run without tokens.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
)

// NewAgent builds the agent serving one namespace.
type NewAgent func(ctx context.Context, namespace string) (*agent.Agent, error)

// Server is the HTTP front of the agent. Set its fields, then use Handler.
type Server struct {
	// Store holds sessions, tools and APIs.
	Store registry.Store
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
	Logger      *slog.Logger

	once    sync.Once
	mu      sync.Mutex
	agents  map[string]*agent.Agent
	gens    map[string]uint64 // per namespace, bumped by Forget
	metrics *metrics
	handler http.Handler
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler {
	s.once.Do(s.init)
	return s.handler
}

func (s *Server) init() {
	if s.MaxBody <= 0 {
		s.MaxBody = DefaultMaxBody
	}
	if s.TurnTimeout <= 0 {
		s.TurnTimeout = DefaultTurnTimeout
	}
	if s.Logger == nil {
		s.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s.agents = map[string]*agent.Agent{}
	s.gens = map[string]uint64{}
	s.metrics = newMetrics()
	mux := http.NewServeMux()
	route := func(pattern string, h func(w http.ResponseWriter, r *http.Request, ns string) error) {
		name := pattern
		mux.Handle(pattern, s.wrap(name, h))
	}
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /metrics", s.metrics)
	mux.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, openAPIDocument)
	})
	route("POST /v1/sessions", s.createSession)
	route("GET /v1/sessions/{id}", s.getSession)
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

// httpError is an error with an HTTP status.
type httpError struct {
	code int
	msg  string
}

func (e *httpError) Error() string { return e.msg }

func errorf(code int, format string, args ...any) error {
	return &httpError{code: code, msg: fmt.Sprintf(format, args...)}
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

// wrap authenticates, limits the body, runs h and writes its error as JSON.
func (s *Server) wrap(route string, h func(w http.ResponseWriter, r *http.Request, ns string) error) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w := &statusWriter{ResponseWriter: rw, code: http.StatusOK}
		defer func() {
			s.metrics.requests.add(1, route, fmt.Sprint(w.code))
		}()
		ns, err := s.authenticate(r)
		if err == nil {
			r.Body = http.MaxBytesReader(w, r.Body, s.MaxBody)
			err = h(w, r, ns)
		}
		if err != nil {
			s.writeError(w, err)
		}
	})
}

func (s *Server) authenticate(r *http.Request) (string, error) {
	if len(s.Tokens) == 0 {
		return s.DefaultNamespace, nil
	}
	auth := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || token == "" {
		return "", errorf(http.StatusUnauthorized, "a bearer token is required (Authorization: Bearer TOKEN)")
	}
	ns, ok := s.Tokens[token]
	if !ok {
		return "", errorf(http.StatusUnauthorized, "unknown token")
	}
	return ns, nil
}

func (s *Server) writeError(w http.ResponseWriter, err error) {
	code := http.StatusInternalServerError
	var he *httpError
	var mbe *http.MaxBytesError
	var nf *registry.NotFoundError
	switch {
	case errors.As(err, &he):
		code = he.code
	case errors.As(err, &mbe):
		code = http.StatusRequestEntityTooLarge
		err = fmt.Errorf("request body larger than %d bytes", mbe.Limit)
	case errors.As(err, &nf):
		code = http.StatusNotFound
	case errors.Is(err, context.DeadlineExceeded):
		code = http.StatusGatewayTimeout
		err = fmt.Errorf("the turn did not finish in time: %w", err)
	}
	if code == http.StatusInternalServerError {
		s.Logger.Error("request failed", "err", err)
	}
	writeJSON(w, code, map[string]string{"error": err.Error()})
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
	if _, err := s.Store.ListAPIs(ctx, s.DefaultNamespace); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// sessionID validates a session id from the path.
func sessionID(r *http.Request) (string, error) {
	id := r.PathValue("id")
	if id == "" || len(id) > 128 || strings.ContainsAny(id, " /\\\x00") {
		return "", errorf(http.StatusBadRequest, "invalid session id %q", id)
	}
	return id, nil
}

func (s *Server) createSession(w http.ResponseWriter, r *http.Request, ns string) error {
	id := newID()
	sess := &registry.Session{ID: id, Namespace: ns, State: json.RawMessage(`{}`)}
	if err := s.Store.PutSession(r.Context(), sess, 0); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"id": id})
	return nil
}

func (s *Server) getSession(w http.ResponseWriter, r *http.Request, ns string) error {
	id, err := sessionID(r)
	if err != nil {
		return err
	}
	a, err := s.agentFor(r.Context(), ns)
	if err != nil {
		return err
	}
	st, err := a.State(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "state": st})
	return nil
}

func (s *Server) deleteSession(w http.ResponseWriter, r *http.Request, ns string) error {
	id, err := sessionID(r)
	if err != nil {
		return err
	}
	if err := s.Store.DeleteSession(r.Context(), ns, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// message is the body of POST /v1/sessions/{id}/messages.
type message struct {
	Text string `json:"text"`
}

func (s *Server) postMessage(w http.ResponseWriter, r *http.Request, ns string) error {
	id, err := sessionID(r)
	if err != nil {
		return err
	}
	var m message
	if err := decode(r, &m); err != nil {
		return err
	}
	if strings.TrimSpace(m.Text) == "" {
		return errorf(http.StatusBadRequest, "text is empty")
	}
	a, err := s.agentFor(r.Context(), ns)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.TurnTimeout)
	defer cancel()
	start := time.Now()
	var reply *agent.Reply
	if strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
		reply, err = s.stream(ctx, w, a, id, m.Text)
	} else {
		reply, err = a.Turn(ctx, id, m.Text)
		if err == nil {
			writeJSON(w, http.StatusOK, reply)
		}
	}
	if err != nil {
		return err
	}
	s.observe(reply, time.Since(start))
	return nil
}

// stream runs a turn and sends each event as a server-sent event; the last
// event, "reply", carries the Reply.
func (s *Server) stream(ctx context.Context, w http.ResponseWriter, a *agent.Agent, id, text string) (*agent.Reply, error) {
	flusher, _ := w.(http.Flusher)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	send := func(kind string, data []byte) {
		fmt.Fprintf(w, "event: %s\ndata: %s\n\n", kind, data)
		if flusher != nil {
			flusher.Flush()
		}
	}
	reply, err := a.TurnStream(ctx, id, text, func(e agent.Event) {
		if e.Kind != agent.EventReply {
			send(e.Kind, e.Data)
		}
	})
	if err != nil {
		raw, _ := json.Marshal(map[string]string{"error": err.Error()})
		send("error", raw)
		return nil, nil
	}
	raw, _ := json.Marshal(reply)
	send(agent.EventReply, raw)
	return reply, nil
}

func (s *Server) observe(reply *agent.Reply, d time.Duration) {
	if reply == nil {
		return
	}
	s.metrics.turns.add(1, string(reply.Status))
	s.metrics.turnTime.observe(d.Seconds())
	for _, c := range reply.Calls {
		outcome := "ok"
		if c.Error != "" {
			outcome = "error"
		}
		s.metrics.calls.add(1, c.API, outcome)
	}
	s.metrics.tokens.add(float64(reply.Cost.InputTokens), "input")
	s.metrics.tokens.add(float64(reply.Cost.OutputTokens), "output")
	s.metrics.cost.add(reply.Cost.Cost)
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
