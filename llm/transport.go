package llm

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// attempt is what the transport saw of one attempt's HTTP exchange; the
// retry loop reads it to decide whether an error is worth retrying, since
// langchaingo's clients report HTTP failures as plain strings.
type attempt struct {
	mu         sync.Mutex
	status     int           // last HTTP status, 0 if no response
	retryAfter time.Duration // from a Retry-After header
	netErr     error         // last transport error
}

func (a *attempt) seen() (status int, retryAfter time.Duration, netErr error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.status, a.retryAfter, a.netErr
}

func withAttempt(ctx context.Context, a *attempt) context.Context {
	return context.WithValue(ctx, attemptKey, a)
}

// observingTransport records status codes and transport errors into the
// attempt carried by the request's context.
type observingTransport struct {
	base http.RoundTripper
}

func (t observingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	a, _ := req.Context().Value(attemptKey).(*attempt)
	if a == nil {
		return resp, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if err != nil {
		a.netErr = err
		return resp, err
	}
	a.status = resp.StatusCode
	a.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	return resp, err
}

// parseRetryAfter reads a Retry-After header: seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// newHTTPClient returns the client provider requests use: base's transport
// (or http.DefaultTransport) behind an observingTransport. It has no overall
// timeout: each attempt's context bounds it, streaming included.
func newHTTPClient(base *http.Client) *http.Client {
	rt := http.DefaultTransport
	c := &http.Client{}
	if base != nil {
		*c = *base
		if base.Transport != nil {
			rt = base.Transport
		}
	}
	c.Transport = observingTransport{base: rt}
	c.Timeout = 0
	return c
}
