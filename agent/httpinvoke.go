package agent

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// HTTPInvoker calls APIs bound to HTTP operations (binding kind "http", as
// imported from OpenAPI documents): inputs go to the path ({name}
// placeholders), the query, headers, cookies or the body as Binding.In
// says, the body as JSON or, with Binding.Encoding "form", as a form; a
// JSON object response gives the outputs (another JSON value is returned as
// output "result"). Idempotent methods are retried on transport errors and
// 5xx/429 responses, unless the invocation is Once; every request carries
// the call's Idempotency-Key. Errors raised before the request was sent
// match ErrNotSent (a *ConfigError when the binding cannot be laid out); a
// 4xx answer is a *StatusError (the API refused).
//
// The namespace's settings complete a binding at call time: a URL that is
// a bare path is joined to the base URL setting, and Binding.Auth's
// credential is read from the secret settings or the environment. The
// credential is never part of the call's arguments, and it is masked in
// every error the invoker returns.
type HTTPInvoker struct {
	// Client sends the requests (default: a client with Timeout).
	Client *http.Client
	// Timeout bounds one attempt (default 30s).
	Timeout time.Duration
	// Retries is how many times an idempotent request is retried (default 2).
	Retries int
	// MaxResponse bounds the response body read (default 4 MiB).
	MaxResponse int64
	// Settings returns the settings of the namespace whose APIs are
	// called (default: none, so URLs must be absolute and credentials come
	// from environment variables named by Auth.Secret).
	Settings func(ctx context.Context) (*registry.Settings, error)
	// Getenv reads environment variables (default os.Getenv).
	Getenv func(string) string
}

// StatusError is an HTTP response with an error status.
type StatusError struct {
	Code int
	Body string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP %d: %s", e.Code, e.Body)
}

// Invoke calls the API's HTTP operation. A call that cannot be laid out —
// no base URL for a bare path (*registry.BaseURLError), a missing
// credential (*registry.SecretError), a malformed binding — is a
// *ConfigError, returned before anything is sent.
func (h *HTTPInvoker) Invoke(ctx context.Context, inv Invocation) (map[string]any, error) {
	b := inv.API.Binding
	if b == nil || b.URL == "" {
		return nil, &ConfigError{API: inv.API.Name, Err: errors.New("http binding without a URL")}
	}
	method := strings.ToUpper(b.Method)
	if method == "" {
		method = http.MethodGet
	}
	call, err := h.prepare(ctx, method, inv)
	if err != nil {
		return nil, &ConfigError{API: inv.API.Name, Err: err}
	}
	retries := h.Retries
	if retries == 0 {
		retries = 2
	}
	if !idempotent(method) || inv.Once {
		retries = 0
	}
	var lastErr error
	for attempt := 0; attempt <= retries; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(time.Duration(attempt) * 200 * time.Millisecond):
			}
		}
		out, err, retry := h.once(ctx, call, inv.Once)
		if err == nil {
			return out, nil
		}
		lastErr = call.redact(err)
		if !retry {
			break
		}
	}
	return nil, lastErr
}

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// prepare resolves the call's URL and credential from the namespace's
// settings and lays out its arguments.
func (h *HTTPInvoker) prepare(ctx context.Context, method string, inv Invocation) (*httpCall, error) {
	st := &registry.Settings{}
	if h.Settings != nil {
		s, err := h.Settings(ctx)
		if err != nil {
			return nil, fmt.Errorf("reading the namespace's settings: %w", err)
		}
		if s != nil {
			st = s
		}
	}
	target, err := st.ResolveURL(&inv.API)
	if err != nil {
		return nil, err
	}
	call, err := newHTTPCall(method, target, inv)
	if err != nil {
		return nil, err
	}
	if a := inv.API.Binding.Auth; a != nil {
		getenv := h.Getenv
		if getenv == nil {
			getenv = os.Getenv
		}
		if a.Secret == "" {
			return nil, fmt.Errorf("the binding's %s auth names no secret", a.Scheme)
		}
		secret, err := st.Secret(a.Secret, getenv)
		if err != nil {
			return nil, err
		}
		if err := call.authenticate(a, secret); err != nil {
			return nil, err
		}
	}
	return call, nil
}

func (h *HTTPInvoker) once(ctx context.Context, call *httpCall, single bool) (map[string]any, error, bool) {
	req, err := call.request(ctx)
	if err != nil {
		return nil, NotSent(err), false
	}
	if single {
		noReplay(req)
	}
	client := h.Client
	if client == nil {
		client = http.DefaultClient
	}
	timeout := h.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	resp, err := client.Do(req.WithContext(ctx))
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) && op.Op == "dial" {
			err = NotSent(err) // no connection: nothing was sent
		}
		return nil, err, true
	}
	defer resp.Body.Close()
	limit := h.MaxResponse
	if limit <= 0 {
		limit = 4 << 20
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	if err != nil {
		return nil, err, true
	}
	if resp.StatusCode >= 300 {
		snippet := strings.TrimSpace(string(body))
		if len(snippet) > 200 {
			snippet = snippet[:200] + "..."
		}
		retry := resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests
		return nil, &StatusError{Code: resp.StatusCode, Body: snippet}, retry
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return map[string]any{}, nil, false
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return map[string]any{"result": string(body)}, nil, false
	}
	if m, ok := v.(map[string]any); ok {
		return m, nil, false
	}
	return map[string]any{"result": v}, nil, false
}

// noReplay keeps net/http from sending req a second time on its own. The
// transport replays a request that carries an Idempotency-Key header when a
// reused connection fails before the answer — after the server may have
// acted on it. A body it cannot rewind (no GetBody) is never replayed, so
// req gets one, empty when it had none.
func noReplay(req *http.Request) {
	req.GetBody = nil
	if req.Body == nil || req.Body == http.NoBody {
		req.Body = io.NopCloser(strings.NewReader(""))
		req.ContentLength = 0
	}
}

// compile-time check.
var _ Invoker = (*HTTPInvoker)(nil)
