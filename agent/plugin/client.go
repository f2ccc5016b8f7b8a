package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/rpc"
	"os/exec"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/toolsmith-dev/toolsmith/agent"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// rpcClient is the host side of the RPC protocol.
type rpcClient struct {
	c *rpc.Client
}

func (c *rpcClient) describe() ([]registry.API, error) {
	var raw []byte
	if err := c.c.Call("Plugin.Describe", struct{}{}, &raw); err != nil {
		return nil, err
	}
	var apis []registry.API
	if err := json.Unmarshal(raw, &apis); err != nil {
		return nil, fmt.Errorf("plugin described its APIs in bad JSON: %w", err)
	}
	return apis, nil
}

func (c *rpcClient) call(name string, args map[string]any) (map[string]any, error) {
	in, err := json.Marshal(args)
	if err != nil {
		return nil, err
	}
	var raw []byte
	if err := c.c.Call("Plugin.Call", CallArgs{Name: name, Args: in}, &raw); err != nil {
		return nil, err
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("plugin answered %s in bad JSON: %w", name, err)
	}
	return out, nil
}

// Client runs one plugin program. It starts the program on first use and
// again after it died. It is safe for concurrent use.
type Client struct {
	// Path is the plugin program.
	Path string
	// StartTimeout bounds the plugin's start-up (default 10s).
	StartTimeout time.Duration

	mu     sync.Mutex
	client *goplugin.Client
	rpc    *rpcClient
}

// connect starts the program unless it is running.
func (c *Client) connect() (*rpcClient, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.client != nil && !c.client.Exited() && c.rpc != nil {
		return c.rpc, nil
	}
	if c.client != nil {
		c.client.Kill()
	}
	timeout := c.StartTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	c.client = goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  handshake(),
		Plugins:          map[string]goplugin.Plugin{pluginName: &rpcPlugin{}},
		Cmd:              exec.Command(c.Path),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolNetRPC},
		StartTimeout:     timeout,
		Logger:           hclog.NewNullLogger(),
	})
	proto, err := c.client.Client()
	if err != nil {
		c.client.Kill()
		c.client = nil
		return nil, fmt.Errorf("start plugin %s: %w", c.Path, err)
	}
	raw, err := proto.Dispense(pluginName)
	if err != nil {
		c.client.Kill()
		c.client = nil
		return nil, fmt.Errorf("plugin %s: %w", c.Path, err)
	}
	c.rpc = raw.(*rpcClient)
	return c.rpc, nil
}

// Describe starts the plugin if needed and returns its APIs, each bound to
// this plugin.
func (c *Client) Describe(ctx context.Context) ([]registry.API, error) {
	r, err := c.connect()
	if err != nil {
		return nil, err
	}
	apis, err := r.describe()
	if err != nil {
		return nil, fmt.Errorf("plugin %s: %w", c.Path, err)
	}
	for i := range apis {
		apis[i].Binding = &registry.Binding{Kind: registry.BindPlugin, Plugin: c.Path}
	}
	return apis, nil
}

// Call invokes one of the plugin's APIs. If the plugin dies during the call,
// the call fails and the next one starts the program again. A cancelled
// context kills the plugin (net/rpc calls cannot be abandoned otherwise).
func (c *Client) Call(ctx context.Context, name string, args map[string]any) (map[string]any, error) {
	r, err := c.connect()
	if err != nil {
		return nil, err
	}
	type result struct {
		out map[string]any
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := r.call(name, args)
		done <- result{out, err}
	}()
	select {
	case res := <-done:
		var app rpc.ServerError
		if res.err != nil && !errors.As(res.err, &app) {
			// Not the plugin's own error: the connection broke, so the
			// program died. Drop it; the next call starts a new one.
			c.Close()
			return nil, fmt.Errorf("plugin %s crashed during %s: %w", c.Path, name, res.err)
		}
		return res.out, res.err
	case <-ctx.Done():
		c.Close()
		return nil, ctx.Err()
	}
}

// Close stops the plugin program.
func (c *Client) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.client != nil {
		c.client.Kill()
		c.client = nil
		c.rpc = nil
	}
}

// Invoker serves APIs bound to plugins (binding kind "plugin"), one Client
// per plugin program, started on first use.
type Invoker struct {
	mu      sync.Mutex
	clients map[string]*Client
}

// Invoke calls the API's plugin.
func (in *Invoker) Invoke(ctx context.Context, inv agent.Invocation) (map[string]any, error) {
	b := inv.API.Binding
	if b == nil || b.Plugin == "" {
		return nil, fmt.Errorf("API %s has no plugin binding", inv.API.Name)
	}
	in.mu.Lock()
	if in.clients == nil {
		in.clients = map[string]*Client{}
	}
	c := in.clients[b.Plugin]
	if c == nil {
		c = &Client{Path: b.Plugin}
		in.clients[b.Plugin] = c
	}
	in.mu.Unlock()
	return c.Call(ctx, inv.API.Name, inv.Args)
}

// Close stops every plugin started.
func (in *Invoker) Close() {
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, c := range in.clients {
		c.Close()
	}
}
