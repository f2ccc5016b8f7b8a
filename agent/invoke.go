package agent

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// Invocation is one call of an API.
type Invocation struct {
	API  registry.API
	Args map[string]any
	// IdempotencyKey is the same for every attempt of the same step with the
	// same arguments in the same session; invokers pass it on (HTTP sends it
	// as the Idempotency-Key header) so that a retried call is not repeated.
	IdempotencyKey string
	// Once says the call must reach the API at most once: the invoker does
	// not send it again on its own (after a timeout or a server error, say),
	// because the call has side effects and whether to repeat it is the
	// agent's decision.
	Once bool
	// Elicit asks the user for input the API requests during the call (an
	// MCP server's elicitation). It is never nil when the agent makes the
	// call.
	Elicit Elicitor
}

// ErrNotSent marks an invocation error raised before anything reached the
// API (a request that could not be built, a connection refused): such a
// call certainly did not take effect. Invokers wrap such errors with
// NotSent.
var ErrNotSent = errors.New("the call was not sent")

// ErrRejected marks an error with which the API refused a call, so that it
// certainly did not take effect (as an HTTP 4xx answer says). Invokers and
// Funcs wrap such errors with Rejected.
var ErrRejected = errors.New("the API refused the call")

// ErrNotDone is what a status-check API answers (an HTTP 404 does the same)
// when the call it is asked about did not take effect.
var ErrNotDone = errors.New("the call did not take effect")

// NotSent marks err as raised before the call was sent.
func NotSent(err error) error { return &markedError{err, ErrNotSent} }

// Rejected marks err as the API's refusal of the call.
func Rejected(err error) error { return &markedError{err, ErrRejected} }

// markedError is an error that also matches a mark with errors.Is.
type markedError struct{ err, mark error }

func (e *markedError) Error() string        { return e.err.Error() }
func (e *markedError) Unwrap() []error      { return []error{e.err, e.mark} }
func (e *markedError) Is(target error) bool { return target == e.mark }

// certainFailure reports whether a failed call certainly did not take
// effect: it was never sent, or the API refused it (HTTP 4xx).
func certainFailure(err error) bool {
	var se *StatusError
	var ce *ConfigError
	return errors.Is(err, ErrNotSent) || errors.Is(err, ErrRejected) || errors.As(err, &ce) ||
		errors.As(err, &se) && se.Code >= 400 && se.Code < 500
}

// notDone reports whether a status check's error says the call did not take
// effect.
func notDone(err error) bool {
	var se *StatusError
	return errors.Is(err, ErrNotDone) || errors.As(err, &se) && se.Code == http.StatusNotFound
}

// Invoker calls APIs of one binding kind. Outputs are keyed by output name.
type Invoker interface {
	Invoke(ctx context.Context, inv Invocation) (map[string]any, error)
}

// InvokerFunc adapts a function to Invoker.
type InvokerFunc func(ctx context.Context, inv Invocation) (map[string]any, error)

// Invoke calls f.
func (f InvokerFunc) Invoke(ctx context.Context, inv Invocation) (map[string]any, error) {
	return f(ctx, inv)
}

// ConfigError reports a call that cannot be made as its API is set up: no
// base URL for a bare path, a credential neither in the settings nor in
// the environment, a malformed binding. Nothing was sent, and trying again
// cannot help until the setup changes, so the agent does not retry it.
type ConfigError struct {
	API string
	Err error
}

func (e *ConfigError) Error() string { return "not called: " + e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// Func is a Go function an embedding program registers as an API
// implementation (binding kind "func", Binding.Func naming it). Its context
// carries the call's idempotency key (IdempotencyKeyFrom); a Func with side
// effects that honours it declares `idempotency: key` in its binding.
type Func func(ctx context.Context, args map[string]any) (map[string]any, error)

type keyCtx struct{}

// IdempotencyKeyFrom returns the idempotency key of the call a Func serves,
// or "".
func IdempotencyKeyFrom(ctx context.Context) string {
	k, _ := ctx.Value(keyCtx{}).(string)
	return k
}

// APIError reports a failed API call.
type APIError struct {
	API string
	Err error
}

func (e *APIError) Error() string { return fmt.Sprintf("API %s: %v", e.API, e.Err) }
func (e *APIError) Unwrap() error { return e.Err }

// fixedInvoker answers with the binding's fixed response: for examples and
// tests. String values may name arguments as "{arg}" to echo them.
type fixedInvoker struct{}

func (fixedInvoker) Invoke(_ context.Context, inv Invocation) (map[string]any, error) {
	if inv.API.Binding == nil {
		return nil, NotSent(fmt.Errorf("no binding"))
	}
	out := make(map[string]any, len(inv.API.Binding.Response))
	for k, v := range inv.API.Binding.Response {
		out[k] = expand(v, inv.Args)
	}
	return out, nil
}

// expand replaces "{name}" in string values by the argument's value.
func expand(v any, args map[string]any) any {
	switch x := v.(type) {
	case string:
		if len(x) > 2 && x[0] == '{' && x[len(x)-1] == '}' {
			if a, ok := args[x[1:len(x)-1]]; ok {
				return a
			}
		}
		return x
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = expand(e, args)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = expand(e, args)
		}
		return out
	}
	return v
}

// funcInvoker calls Go functions registered by name.
type funcInvoker map[string]Func

func (m funcInvoker) Invoke(ctx context.Context, inv Invocation) (map[string]any, error) {
	name := inv.API.Name
	if inv.API.Binding != nil && inv.API.Binding.Func != "" {
		name = inv.API.Binding.Func
	}
	f, ok := m[name]
	if !ok {
		return nil, NotSent(fmt.Errorf("no Go function registered as %q", name))
	}
	return f(context.WithValue(ctx, keyCtx{}, inv.IdempotencyKey), inv.Args)
}
