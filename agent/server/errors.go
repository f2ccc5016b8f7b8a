package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/toolsmith-dev/toolsmith/agent"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// httpError is an error with an HTTP status and a message for the client.
type httpError struct {
	code int
	msg  string
	// header is set on the response (Retry-After, say).
	header map[string]string
	// extra fields of the JSON body.
	extra map[string]any
}

func (e *httpError) Error() string { return e.msg }

func errorf(code int, format string, args ...any) error {
	return &httpError{code: code, msg: fmt.Sprintf(format, args...)}
}

// storeRetryAfter is the Retry-After, in seconds, of a 503 for an
// unavailable store.
const storeRetryAfter = 2

// clientError turns an error into what the client is told: a status, a
// message without internals (store addresses, model names, stack), headers
// and extra fields. Internal errors are logged (rate-limited) with a
// reference the client gets.
func (s *Server) clientError(ns string, err error) *httpError {
	var (
		he  *httpError
		mbe *http.MaxBytesError
		nf  *registry.NotFoundError
		ue  *registry.UnavailableError
		ve  *registry.ValidationError
		be  *agent.BusyError
		ie  *agent.InputError
	)
	switch {
	case errors.As(err, &he):
		return he
	case errors.As(err, &mbe):
		return &httpError{code: http.StatusRequestEntityTooLarge, msg: fmt.Sprintf("request body larger than %d bytes", mbe.Limit)}
	case errors.As(err, &nf):
		return &httpError{code: http.StatusNotFound, msg: nf.Error()}
	case errors.As(err, &be):
		out := &httpError{code: http.StatusConflict, msg: be.Error(), header: map[string]string{"Retry-After": "1"}}
		if be.State != nil {
			out.extra = map[string]any{"state": be.State}
		}
		return out
	case errors.As(err, &ie):
		return &httpError{code: http.StatusBadRequest, msg: ie.Msg}
	case errors.As(err, &ve):
		return &httpError{code: http.StatusBadRequest, msg: ve.Error()}
	case errors.As(err, &ue), errors.Is(err, registry.ErrConflict):
		s.metrics.storeErrors.WithLabelValues(ns).Inc()
		s.errLog.log("store unavailable", "store unavailable", "namespace", ns, "err", err)
		return &httpError{code: http.StatusServiceUnavailable, msg: "the store is unavailable; try again shortly",
			header: map[string]string{"Retry-After": strconv.Itoa(storeRetryAfter)}}
	case errors.Is(err, context.DeadlineExceeded):
		return &httpError{code: http.StatusGatewayTimeout, msg: "the turn did not finish in time; what it did is saved"}
	}
	ref := newID()[:12]
	s.errLog.log("internal", "request failed", "namespace", ns, "ref", ref, "err", err)
	return &httpError{code: http.StatusInternalServerError, msg: "internal error (reference " + ref + " in the server's log)"}
}

// writeError writes err as JSON: {"error": message, ...}.
func (s *Server) writeError(w http.ResponseWriter, ns string, err error) {
	he := s.clientError(ns, err)
	body := map[string]any{"error": he.msg}
	for k, v := range he.extra {
		body[k] = v
	}
	for k, v := range he.header {
		w.Header().Set(k, v)
	}
	writeJSON(w, he.code, body)
}

// rateLog logs errors at most once per every for each key, saying how many
// were left out in between, so an outage does not flood the log.
type rateLog struct {
	logger *slog.Logger
	every  time.Duration

	mu    sync.Mutex
	last  map[string]time.Time
	quiet map[string]int
}

func (l *rateLog) log(key, msg string, args ...any) {
	l.mu.Lock()
	now := time.Now()
	if l.last == nil {
		l.last, l.quiet = map[string]time.Time{}, map[string]int{}
	}
	if now.Sub(l.last[key]) < l.every {
		l.quiet[key]++
		l.mu.Unlock()
		return
	}
	l.last[key] = now
	skipped := l.quiet[key]
	l.quiet[key] = 0
	l.mu.Unlock()
	if skipped > 0 {
		args = append(args, "suppressed", skipped)
	}
	l.logger.Error(msg, args...)
}

func itoa(n int) string { return strconv.Itoa(n) }

// newID returns a random session id.
func newID() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
