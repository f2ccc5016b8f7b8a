package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/toolsmith-dev/toolsmith/agent"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// Paging of GET /v1/sessions/{id}/history.
const (
	DefaultHistoryPage = 100
	MaxHistoryPage     = 1000
)

// sessionID validates a session id from the path, before any work.
func sessionID(r *http.Request) (string, error) {
	id := r.PathValue("id")
	if !registry.ValidSessionID(id) {
		return "", errorf(http.StatusBadRequest, "invalid session id %q: use 1 to 128 letters, digits, '_', '.' and '-'", truncate(id, 140))
	}
	return id, nil
}

// truncate shortens s to at most n bytes for an error message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
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

// getHistory pages a session's whole history: ?cursor= from the previous
// page's next_cursor (empty: the first event), ?limit= events a page.
func (s *Server) getHistory(w http.ResponseWriter, r *http.Request, ns string) error {
	id, err := sessionID(r)
	if err != nil {
		return err
	}
	from, limit := 0, DefaultHistoryPage
	if c := r.URL.Query().Get("cursor"); c != "" {
		if from, err = strconv.Atoi(c); err != nil || from < 0 {
			return errorf(http.StatusBadRequest, "invalid cursor %q: give the next_cursor of the previous page", truncate(c, 40))
		}
	}
	if l := r.URL.Query().Get("limit"); l != "" {
		if limit, err = strconv.Atoi(l); err != nil || limit < 1 || limit > MaxHistoryPage {
			return errorf(http.StatusBadRequest, "invalid limit %q: 1 to %d", truncate(l, 40), MaxHistoryPage)
		}
	}
	a, err := s.agentFor(r.Context(), ns)
	if err != nil {
		return err
	}
	events, next, err := a.History(r.Context(), id, from, limit)
	if err != nil {
		return err
	}
	var cursor any
	if next >= 0 {
		cursor = strconv.Itoa(next)
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": events, "next_cursor": cursor})
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
	// ID makes the message idempotent (as the Idempotency-Key header does).
	ID string `json:"id,omitempty"`
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
	if m.ID == "" {
		m.ID = r.Header.Get("Idempotency-Key")
	}
	if m.ID != "" && !registry.ValidSessionID(m.ID) {
		return errorf(http.StatusBadRequest, "invalid message id %q: use 1 to 128 letters, digits, '_', '.' and '-'", truncate(m.ID, 140))
	}
	release, err := s.admitTurn(r.Context(), ns)
	if err != nil {
		return err
	}
	defer release()
	a, err := s.agentFor(r.Context(), ns)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.TurnTimeout)
	defer cancel()
	start := time.Now()
	msg := agent.Message{Text: m.Text, ID: m.ID}
	// The turn is counted before its reply is written, so a client that
	// reads /metrics after the reply sees it.
	done := func(reply *agent.Reply) {
		s.spend(ns, reply)
		s.observe(ns, reply, time.Since(start))
	}
	if strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
		return s.stream(ctx, w, a, ns, id, msg, done)
	}
	reply, err := a.Send(ctx, id, msg, nil)
	if err != nil {
		s.spendFailed(ns, err)
		return err
	}
	done(reply)
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(s.WriteTimeout))
	writeJSON(w, http.StatusOK, reply)
	return nil
}

// stream runs a turn and sends each event as a server-sent event; the last
// event, "reply", carries the Reply. The status line is written with the
// first event, so a turn refused before it (busy session, store down)
// answers with its own status code. Each event must be written within
// WriteTimeout.
func (s *Server) stream(ctx context.Context, w http.ResponseWriter, a *agent.Agent, ns, id string, m agent.Message, done func(*agent.Reply)) error {
	rc := http.NewResponseController(w)
	started := false
	send := func(kind string, data []byte) {
		if !started {
			started = true
			w.Header().Set("Content-Type", "text/event-stream")
			w.Header().Set("Cache-Control", "no-cache")
			w.WriteHeader(http.StatusOK)
		}
		rc.SetWriteDeadline(time.Now().Add(s.WriteTimeout))
		fmt.Fprintf(w, "event: %s\ndata: %s\n\n", kind, data)
		rc.Flush()
	}
	reply, err := a.Send(ctx, id, m, func(e agent.Event) {
		if e.Kind != agent.EventReply {
			send(e.Kind, e.Data)
		}
	})
	if err != nil {
		s.spendFailed(ns, err)
		if !started {
			return err
		}
		he := s.clientError(ns, err)
		raw, _ := json.Marshal(map[string]any{"error": he.msg, "status": he.code})
		send("error", raw)
		return nil
	}
	done(reply)
	raw, _ := json.Marshal(reply)
	send(agent.EventReply, raw)
	return nil
}

func (s *Server) observe(ns string, reply *agent.Reply, d time.Duration) {
	if reply == nil || reply.Repeated {
		return
	}
	m := s.metrics
	m.turns.WithLabelValues(ns, string(reply.Status)).Inc()
	m.turnTime.WithLabelValues(ns).Observe(d.Seconds())
	for _, c := range reply.Calls {
		outcome := "ok"
		if c.Error != "" {
			outcome = "error"
		}
		m.calls.WithLabelValues(ns, c.API, outcome).Inc()
	}
	m.tokens.WithLabelValues(ns, "input").Add(float64(reply.Cost.InputTokens))
	m.tokens.WithLabelValues(ns, "output").Add(float64(reply.Cost.OutputTokens))
	m.cost.WithLabelValues(ns).Add(reply.Cost.Cost)
}
