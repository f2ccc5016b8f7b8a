package llm

import "context"

type ctxKey int

const (
	requestKey ctxKey = iota
	sessionKey
	attemptKey
)

// WithRequest returns a context whose model calls the meter counts towards
// the request id.
func WithRequest(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestKey, id)
}

// WithSession returns a context whose model calls the meter counts towards
// the session id.
func WithSession(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, sessionKey, id)
}

// RequestID returns the request id carried by ctx, or "".
func RequestID(ctx context.Context) string {
	s, _ := ctx.Value(requestKey).(string)
	return s
}

// SessionID returns the session id carried by ctx, or "".
func SessionID(ctx context.Context) string {
	s, _ := ctx.Value(sessionKey).(string)
	return s
}
