package llm

import "context"

type ctxKey int

const (
	requestKey ctxKey = iota
	sessionKey
	attemptKey
	namespaceKey
)

// WithNamespace returns a context whose model calls the meter counts towards
// namespace ns; request and session ids are scoped by it.
func WithNamespace(ctx context.Context, ns string) context.Context {
	return context.WithValue(ctx, namespaceKey, ns)
}

// NamespaceOf returns the namespace carried by ctx, or "".
func NamespaceOf(ctx context.Context) string {
	s, _ := ctx.Value(namespaceKey).(string)
	return s
}

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
