package mcp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/toolsmith-dev/toolsmith/registry"
	"github.com/toolsmith-dev/toolsmith/sandbox"
)

// The namespace's made tools become MCP tools and its APIs and tools become
// resources: sync brings a namespace's server in line with the store.

// sync offers the namespace's current made tools and resources, unless
// they are already in line.
func (s *Server) sync(ctx context.Context, ns string, n *nsServer) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.synced {
		return n.syncErr
	}
	apis, err := s.Store.ListAPIs(ctx, ns)
	if err != nil {
		return err
	}
	tools, err := s.Store.ListTools(ctx, ns, registry.ToolFilter{})
	if err != nil {
		return err
	}
	var uris []string
	for _, api := range apis {
		uri := "toolsmith://apis/" + url.PathEscape(api.Name)
		uris = append(uris, uri)
		n.srv.AddResource(&sdk.Resource{URI: uri, Name: api.Name, Title: "API " + api.Name, Description: orDefault(api.Description, "an API of namespace "+ns), MIMEType: "application/json"},
			jsonResource(api))
	}
	var names []string
	for _, t := range tools {
		uri := "toolsmith://tools/" + url.PathEscape(t.Name)
		uris = append(uris, uri)
		n.srv.AddResource(&sdk.Resource{URI: uri, Name: t.Name, Title: "made tool " + t.Name, Description: orDefault(t.Description, "a made tool of namespace "+ns), MIMEType: "application/json"},
			jsonResource(t))
		if s.Sandbox == nil {
			continue
		}
		name := t.Name
		if name == planTool.Name || name == runTool.Name {
			name = "tool." + name
		}
		names = append(names, name)
		n.srv.AddTool(madeTool(name, t), s.callMade(t))
	}
	if gone := minus(n.uris, uris); len(gone) > 0 {
		n.srv.RemoveResources(gone...)
	}
	if gone := minus(n.tools, names); len(gone) > 0 {
		n.srv.RemoveTools(gone...)
	}
	n.uris, n.tools, n.synced, n.syncErr = uris, names, true, nil
	return nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// minus returns the elements of a not in b.
func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// jsonResource serves v as JSON.
func jsonResource(v any) sdk.ResourceHandler {
	return func(_ context.Context, req *sdk.ReadResourceRequest) (*sdk.ReadResourceResult, error) {
		raw, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return nil, err
		}
		return &sdk.ReadResourceResult{Contents: []*sdk.ResourceContents{{URI: req.Params.URI, MIMEType: "application/json", Text: string(raw)}}}, nil
	}
}

// madeTool describes a made tool: its entry function's schema is the input
// schema (an object of any arguments when it has none).
func madeTool(name string, t *registry.Tool) *sdk.Tool {
	var schema any = map[string]any{"type": "object"}
	if raw, ok := t.Schemas[t.Entry]; ok && len(raw) > 0 {
		schema = inputSchema(raw)
	}
	desc := t.Description
	if desc == "" {
		desc = "Made tool " + t.Name
	}
	if t.Family != "" {
		desc += " (family " + t.Family + ")"
	}
	return &sdk.Tool{
		Name:        name,
		Description: desc,
		InputSchema: schema,
		Annotations: &sdk.ToolAnnotations{Title: t.Name, ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: new(false)},
	}
}

// inputSchema is a function schema as an MCP input schema: the function
// calling form {name, description, parameters} gives its parameters.
func inputSchema(raw json.RawMessage) any {
	var fn struct {
		Parameters json.RawMessage `json:"parameters"`
	}
	if json.Unmarshal(raw, &fn) == nil && len(fn.Parameters) > 0 {
		raw = fn.Parameters
	}
	var s map[string]any
	if json.Unmarshal(raw, &s) != nil || s["type"] != "object" {
		return map[string]any{"type": "object"}
	}
	return s
}

// callMade runs a made tool's entry function in the sandbox on the call's
// arguments (an object keyed by parameter name).
func (s *Server) callMade(t *registry.Tool) sdk.ToolHandler {
	return func(ctx context.Context, req *sdk.CallToolRequest) (*sdk.CallToolResult, error) {
		runner, err := s.Sandbox(ctx)
		if err != nil {
			return nil, fmt.Errorf("the sandbox did not start: %w", err)
		}
		args := req.Params.Arguments
		if len(args) == 0 || string(args) == "null" {
			args = json.RawMessage("{}")
		}
		res, err := runner.Run(ctx, sandbox.Call{Source: t.Source, Func: t.Entry, Args: args})
		if err != nil {
			return nil, err
		}
		if !res.OK {
			if res.Error == nil {
				return toolError(errors.New("the tool failed")), nil
			}
			return toolError(fmt.Errorf("%s: %s", res.Error.Kind, res.Error.Message)), nil
		}
		out := map[string]any{"result": json.RawMessage(res.Result)}
		if res.Stdout != "" {
			out["stdout"] = res.Stdout
		}
		return structured(out, "")
	}
}
