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
	"net/url"
	"strings"
	"time"
)

// HTTPInvoker calls APIs bound to HTTP operations (binding kind "http", as
// imported from OpenAPI documents): inputs go to the path ({name}
// placeholders), the query, headers or a JSON body as Binding.In says; a
// JSON object response gives the outputs (another JSON value is returned as
// output "result"). Idempotent methods are retried on transport errors and
// 5xx/429 responses, unless the invocation is Once; every request carries
// the call's Idempotency-Key. Errors raised before the request was sent
// match ErrNotSent; a 4xx answer is a *StatusError (the API refused).
type HTTPInvoker struct {
	// Client sends the requests (default: a client with Timeout).
	Client *http.Client
	// Timeout bounds one attempt (default 30s).
	Timeout time.Duration
	// Retries is how many times an idempotent request is retried (default 2).
	Retries int
	// MaxResponse bounds the response body read (default 4 MiB).
	MaxResponse int64
}

// StatusError is an HTTP response with an error status.
type StatusError struct {
	Code int
	Body string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP %d: %s", e.Code, e.Body)
}

// Invoke calls the API's HTTP operation.
func (h *HTTPInvoker) Invoke(ctx context.Context, inv Invocation) (map[string]any, error) {
	b := inv.API.Binding
	if b == nil || b.URL == "" {
		return nil, NotSent(errors.New("http binding without a URL"))
	}
	method := strings.ToUpper(b.Method)
	if method == "" {
		method = http.MethodGet
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
		out, err, retry := h.once(ctx, method, inv)
		if err == nil {
			return out, nil
		}
		lastErr = err
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

func (h *HTTPInvoker) once(ctx context.Context, method string, inv Invocation) (map[string]any, error, bool) {
	req, err := buildRequest(ctx, method, inv)
	if err != nil {
		return nil, NotSent(err), false
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

// buildRequest places the arguments as the binding says.
func buildRequest(ctx context.Context, method string, inv Invocation) (*http.Request, error) {
	b := inv.API.Binding
	target := b.URL
	query := url.Values{}
	header := http.Header{}
	body := map[string]any{}
	for name, v := range inv.Args {
		where := b.In[name]
		if where == "" {
			if strings.Contains(target, "{"+name+"}") {
				where = "path"
			} else if method == http.MethodGet || method == http.MethodDelete || method == http.MethodHead {
				where = "query"
			} else {
				where = "body"
			}
		}
		switch where {
		case "path":
			target = strings.ReplaceAll(target, "{"+name+"}", url.PathEscape(fmt.Sprint(v)))
		case "query":
			query.Set(name, fmt.Sprint(v))
		case "header":
			header.Set(name, fmt.Sprint(v))
		default:
			body[name] = v
		}
	}
	if i := strings.Index(target, "{"); i >= 0 && strings.Contains(target[i:], "}") {
		return nil, fmt.Errorf("URL %s has a path parameter no argument fills", target)
	}
	if len(query) > 0 {
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		target += sep + query.Encode()
	}
	var rd io.Reader
	if len(body) > 0 {
		raw, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return nil, err
	}
	for k, v := range b.Headers {
		req.Header.Set(k, v)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if inv.IdempotencyKey != "" {
		req.Header.Set("Idempotency-Key", inv.IdempotencyKey)
	}
	return req, nil
}

// compile-time check.
var _ Invoker = (*HTTPInvoker)(nil)
