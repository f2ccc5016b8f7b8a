package agent

import (
	"context"
	"fmt"

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
	// Elicit asks the user for input the API requests during the call (an
	// MCP server's elicitation). It is never nil when the agent makes the
	// call.
	Elicit Elicitor
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
// implementation (binding kind "func", Binding.Func naming it).
type Func func(ctx context.Context, args map[string]any) (map[string]any, error)

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
		return nil, fmt.Errorf("no binding")
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
		return nil, fmt.Errorf("no Go function registered as %q", name)
	}
	return f(ctx, inv.Args)
}
