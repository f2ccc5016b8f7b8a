package mcp

import (
	"context"
	"fmt"
	"io"
	"sync"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/toolsmith-dev/toolsmith/agent"
)

// Invoker calls the APIs bound to MCP servers (binding kind "mcp"). It
// keeps open sessions per server and gives each call a session of its own
// while it runs, so that a request for input the server makes during the
// call is put to the user of that call (through agent.Invocation.Elicit).
// It is safe for concurrent use; Close ends the sessions.
type Invoker struct {
	// Version is the client version announced to servers.
	Version string
	// Stderr receives the standard error of server programs.
	Stderr io.Writer
	// MaxIdle bounds the idle sessions kept per server (default 2).
	MaxIdle int

	mu     sync.Mutex
	idle   map[string][]*conn
	closed bool
}

// conn is one session and the Elicitor of the call using it.
type conn struct {
	cs *sdk.ClientSession

	mu     sync.Mutex
	elicit agent.Elicitor
}

// Invoke calls the API's tool on its server. The outputs are the result's
// structured content and its text (registry.MCPTextOutput); a result
// flagged as an error is an error.
func (in *Invoker) Invoke(ctx context.Context, inv agent.Invocation) (map[string]any, error) {
	b := inv.API.Binding
	if b == nil || b.Tool == "" || (b.URL == "" && len(b.Command) == 0) {
		return nil, fmt.Errorf("API %s has no mcp binding", inv.API.Name)
	}
	t := TargetOf(b)
	c, err := in.take(ctx, t)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.elicit = inv.Elicit
	c.mu.Unlock()
	args := inv.Args
	if args == nil {
		args = map[string]any{}
	}
	res, err := c.cs.CallTool(ctx, &sdk.CallToolParams{Name: b.Tool, Arguments: args})
	c.mu.Lock()
	c.elicit = nil
	c.mu.Unlock()
	if err != nil {
		// The session may be broken: do not reuse it.
		c.cs.Close()
		return nil, fmt.Errorf("mcp %s: %w", t, err)
	}
	in.put(t, c)
	return ToolResult(res)
}

// take returns an idle session with the server, or opens one.
func (in *Invoker) take(ctx context.Context, t Target) (*conn, error) {
	in.mu.Lock()
	if in.closed {
		in.mu.Unlock()
		return nil, fmt.Errorf("mcp: invoker closed")
	}
	k := t.key()
	if n := len(in.idle[k]); n > 0 {
		c := in.idle[k][n-1]
		in.idle[k] = in.idle[k][:n-1]
		in.mu.Unlock()
		return c, nil
	}
	in.mu.Unlock()
	c := &conn{}
	cs, err := Connect(ctx, t, ClientOptions{
		Version: in.Version,
		Stderr:  in.Stderr,
		Elicit: func(ctx context.Context, message string, fields []agent.Question) (agent.ElicitResult, error) {
			c.mu.Lock()
			f := c.elicit
			c.mu.Unlock()
			if f == nil {
				return agent.ElicitResult{Action: agent.ElicitCancel}, nil
			}
			return f(ctx, agent.Elicitation{Message: message, Fields: fields})
		},
	})
	if err != nil {
		return nil, err
	}
	c.cs = cs
	return c, nil
}

// put keeps a session for the next call, or closes it.
func (in *Invoker) put(t Target, c *conn) {
	max := in.MaxIdle
	if max <= 0 {
		max = 2
	}
	in.mu.Lock()
	k := t.key()
	if in.closed || len(in.idle[k]) >= max {
		in.mu.Unlock()
		c.cs.Close()
		return
	}
	if in.idle == nil {
		in.idle = map[string][]*conn{}
	}
	in.idle[k] = append(in.idle[k], c)
	in.mu.Unlock()
}

// Close ends every idle session (stopping server programs); sessions in
// use end when their calls return.
func (in *Invoker) Close() error {
	in.mu.Lock()
	in.closed = true
	idle := in.idle
	in.idle = nil
	in.mu.Unlock()
	for _, cs := range idle {
		for _, c := range cs {
			c.cs.Close()
		}
	}
	return nil
}
