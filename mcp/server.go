package mcp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/toolsmith-dev/toolsmith/agent"
	"github.com/toolsmith-dev/toolsmith/planner"
	"github.com/toolsmith-dev/toolsmith/registry"
	"github.com/toolsmith-dev/toolsmith/sandbox"
)

// DefaultTurnTimeout bounds one call of the run tool, elicitations
// included.
const DefaultTurnTimeout = 10 * time.Minute

// Store is what a Server reads from the registry: the APIs it offers as
// resources and the tools it offers as resources and MCP tools. Every
// registry.Store is one.
type Store interface {
	ListAPIs(ctx context.Context, ns string) ([]registry.API, error)
	ListTools(ctx context.Context, ns string, f registry.ToolFilter) ([]*registry.Tool, error)
}

// Server serves toolsmith over MCP: per namespace, the tools plan and run,
// the namespace's made tools, resources for its APIs and tools, and a
// prompt. Set its fields, then use Handler (Streamable HTTP) or
// ServeStdio; call Refresh when a namespace's APIs, policies or tools
// change.
type Server struct {
	// Store holds the namespaces' APIs and tools. Required. (Sessions are
	// the agents' business: NewAgent gives them their store.)
	Store Store
	// NewAgent builds the agent of a namespace. Required.
	NewAgent func(ctx context.Context, namespace string) (*agent.Agent, error)
	// Sandbox returns the runner of made tools, started on first use; nil
	// serves no made tools.
	Sandbox func(ctx context.Context) (sandbox.Runner, error)
	// Tokens maps bearer tokens to namespaces (HTTP). When empty, no token
	// is needed and every request uses DefaultNamespace.
	Tokens map[string]string
	// DefaultNamespace is the namespace served without tokens (and over
	// stdio).
	DefaultNamespace string
	// Version is the server version announced to clients.
	Version string
	// TurnTimeout bounds one call of run (default DefaultTurnTimeout).
	TurnTimeout time.Duration
	Logger      *slog.Logger

	mu      sync.Mutex
	servers map[string]*nsServer
}

// nsServer is the MCP server of one namespace.
type nsServer struct {
	srv *sdk.Server

	mu      sync.Mutex
	agent   *agent.Agent
	gen     uint64   // bumped by Refresh: an agent built before is not kept
	tools   []string // made tools offered
	uris    []string // resources offered
	synced  bool
	syncErr error
}

func (s *Server) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return s.Logger
}

// sdkLogger is the logger given to the SDK: its warnings and errors only
// (it logs every session's connection at info).
func (s *Server) sdkLogger() *slog.Logger {
	return slog.New(minLevel{s.logger().Handler(), slog.LevelWarn})
}

// minLevel drops records below min.
type minLevel struct {
	slog.Handler
	min slog.Level
}

func (h minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h minLevel) WithAttrs(as []slog.Attr) slog.Handler {
	return minLevel{h.Handler.WithAttrs(as), h.min}
}

func (h minLevel) WithGroup(name string) slog.Handler {
	return minLevel{h.Handler.WithGroup(name), h.min}
}

// namespace returns the MCP server of namespace ns, building it on first
// use.
func (s *Server) namespace(ctx context.Context, ns string) *nsServer {
	s.mu.Lock()
	if s.servers == nil {
		s.servers = map[string]*nsServer{}
	}
	n, ok := s.servers[ns]
	if !ok {
		n = &nsServer{}
		n.srv = s.build(ns, n)
		s.servers[ns] = n
	}
	s.mu.Unlock()
	if err := s.sync(ctx, ns, n); err != nil {
		s.logger().Warn("mcp: the namespace's tools and resources could not be read", "namespace", ns, "err", err)
	}
	return n
}

// Refresh makes the next request of namespace ns use a new agent and the
// namespace's current made tools and resources (connected clients are
// notified of the changed lists).
func (s *Server) Refresh(ctx context.Context, ns string) error {
	s.mu.Lock()
	n, ok := s.servers[ns]
	s.mu.Unlock()
	if !ok {
		return nil
	}
	n.mu.Lock()
	n.agent = nil
	n.gen++
	n.synced = false
	n.mu.Unlock()
	return s.sync(ctx, ns, n)
}

// agentFor returns the namespace's agent, building it on first use.
func (s *Server) agentFor(ctx context.Context, ns string, n *nsServer) (*agent.Agent, error) {
	n.mu.Lock()
	a, gen := n.agent, n.gen
	n.mu.Unlock()
	if a != nil {
		return a, nil
	}
	a, err := s.NewAgent(ctx, ns)
	if err != nil {
		return nil, err
	}
	n.mu.Lock()
	if n.gen == gen && n.agent == nil {
		n.agent = a
	}
	n.mu.Unlock()
	return a, nil
}

// build makes the namespace's MCP server with its fixed tools and prompt.
func (s *Server) build(ns string, n *nsServer) *sdk.Server {
	version := s.Version
	if version == "" {
		version = "dev"
	}
	srv := sdk.NewServer(&sdk.Implementation{Name: "toolsmith", Title: "toolsmith", Version: version}, &sdk.ServerOptions{
		Instructions: "toolsmith plans and runs API calls for requests. Call plan to see the cheapest orchestration of APIs for a request " +
			"(goals and known values), or run to have the agent carry a request out: it asks for missing values and for confirmation of " +
			"calls with side effects, by elicitation when the client supports it; otherwise the questions come back with a session id " +
			"and the next run call (with session and answers or a message) answers them. Resources describe the namespace's APIs and tools.",
		Logger: s.sdkLogger(),
		//lint:ignore SA1019 MCP logging is deprecated from protocol 2026-07-28 but still served to the clients that use it (the conformance suite's logging-set-level)
		Capabilities: &sdk.ServerCapabilities{Logging: &sdk.LoggingCapabilities{}, Tools: &sdk.ToolCapabilities{ListChanged: true}, Resources: &sdk.ResourceCapabilities{ListChanged: true}, Prompts: &sdk.PromptCapabilities{}},
	})
	srv.AddTool(planTool, func(ctx context.Context, req *sdk.CallToolRequest) (*sdk.CallToolResult, error) {
		return s.plan(ctx, ns, n, req)
	})
	srv.AddTool(runTool, func(ctx context.Context, req *sdk.CallToolRequest) (*sdk.CallToolResult, error) {
		return s.run(ctx, ns, n, req)
	})
	srv.AddPrompt(requestPrompt, func(_ context.Context, req *sdk.GetPromptRequest) (*sdk.GetPromptResult, error) {
		return requestPromptResult(req.Params.Arguments["request"])
	})
	return srv
}

var planTool = &sdk.Tool{
	Name:  "plan",
	Title: "Plan API calls",
	Description: "Plan the cheapest orchestration of the namespace's APIs for a request, without calling anything. " +
		"goals: the APIs whose results are wanted; known: values given, keyed by slot (an input's semantic type) or Api.input. " +
		"The plan's status is ok, needs_info (get_info steps ask for missing values), infeasible or invalid; each step binds its " +
		"arguments to literals or to earlier steps' outputs.",
	InputSchema: map[string]any{
		"type": "object",
		"properties": map[string]any{
			"query": map[string]any{"type": "string", "description": "the request in words (optional)"},
			"goals": map[string]any{"type": "array", "items": map[string]any{"type": "string"}, "description": "API names whose results are wanted"},
			"known": map[string]any{"type": "object", "description": "known values by slot or Api.input"},
		},
		"required": []string{"goals"},
	},
	Annotations: &sdk.ToolAnnotations{Title: "Plan API calls", ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: new(false)},
}

var runTool = &sdk.Tool{
	Name:  "run",
	Title: "Run a request",
	Description: "Carry out a request with the agent: it plans the API calls, asks for missing values and for confirmation of calls " +
		"with side effects, calls the APIs and answers. Start with message (and no session); the result gives the session id. " +
		"Questions are asked by elicitation when the client supports it; otherwise (or when a question is declined) the result " +
		"lists them, and the next call with session answers them: answers (values keyed by the questions' slots) or message " +
		"(words, or yes/no for a confirmation).",
	InputSchema: map[string]any{
		"type": "object",
		"properties": map[string]any{
			"message": map[string]any{"type": "string", "description": "what the user says: a request, answers in words, or yes/no"},
			"session": map[string]any{"type": "string", "description": "the session to continue (from an earlier result)"},
			"answers": map[string]any{"type": "object", "description": "answers to the pending questions, keyed by slot"},
		},
	},
	Annotations: &sdk.ToolAnnotations{Title: "Run a request", OpenWorldHint: new(true)},
}

// plan answers the plan tool.
func (s *Server) plan(ctx context.Context, ns string, n *nsServer, req *sdk.CallToolRequest) (*sdk.CallToolResult, error) {
	preq, err := planner.ParseRequest(req.Params.Arguments)
	if err != nil {
		return toolError(fmt.Errorf("bad plan request: %w", err)), nil
	}
	a, err := s.agentFor(ctx, ns, n)
	if err != nil {
		return nil, err
	}
	plan, err := a.Plan(ctx, preq)
	if err != nil {
		return toolError(err), nil
	}
	return structured(plan, plan.Text())
}

// structured is a result whose structured content is v and whose text is
// text followed by v's JSON.
func structured(v any, text string) (*sdk.CallToolResult, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if text != "" {
		text += "\n"
	}
	return &sdk.CallToolResult{
		Content:           []sdk.Content{&sdk.TextContent{Text: text + string(raw)}},
		StructuredContent: json.RawMessage(raw),
	}, nil
}

// toolError is a result flagged as an error, so the model sees why.
func toolError(err error) *sdk.CallToolResult {
	return &sdk.CallToolResult{IsError: true, Content: []sdk.Content{&sdk.TextContent{Text: err.Error()}}}
}

var requestPrompt = &sdk.Prompt{
	Name:        "request",
	Title:       "Ask toolsmith",
	Description: "Have toolsmith carry out a request with its run tool, answering its questions as they come.",
	Arguments:   []*sdk.PromptArgument{{Name: "request", Description: "what you want done, in words", Required: true}},
}

func requestPromptResult(request string) (*sdk.GetPromptResult, error) {
	if request == "" {
		return nil, errors.New("the request argument is required")
	}
	return &sdk.GetPromptResult{
		Description: "Carry out a request with toolsmith",
		Messages: []*sdk.PromptMessage{{Role: "user", Content: &sdk.TextContent{Text: "Use toolsmith's run tool to carry out this request: " + request +
			"\nIf the result has pending questions, ask me, then call run again with the session id and my answers."}}},
	}, nil
}
