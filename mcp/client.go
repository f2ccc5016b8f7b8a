package mcp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"
	"unicode"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/toolsmith-dev/toolsmith/agent"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// Target names an MCP server: a Streamable HTTP endpoint, or a program
// that serves MCP over its standard input and output.
type Target struct {
	URL     string
	Command []string
	// Token, when set, is sent as "Authorization: Bearer TOKEN" (HTTP);
	// TokenEnv names an environment variable holding it instead, read at
	// each connection.
	Token    string
	TokenEnv string
}

// TargetOf returns the server an API bound with kind "mcp" is served by;
// a bearer Auth names the variable holding its token.
func TargetOf(b *registry.Binding) Target {
	t := Target{URL: b.URL, Command: b.Command}
	if b.Auth != nil && b.Auth.Scheme == "bearer" {
		t.TokenEnv = b.Auth.Secret
	}
	return t
}

// binding is the registry binding of the target's tools.
func (t Target) binding() registry.Binding {
	b := registry.Binding{Kind: registry.BindMCP, URL: t.URL, Command: t.Command}
	if t.TokenEnv != "" {
		b.Auth = &registry.Auth{Scheme: "bearer", Secret: t.TokenEnv}
	}
	return b
}

// String names the server: its URL or its command line.
func (t Target) String() string {
	if t.URL != "" {
		return t.URL
	}
	return strings.Join(t.Command, " ")
}

// key identifies the server for a connection pool.
func (t Target) key() string {
	raw, _ := json.Marshal(t)
	return string(raw)
}

// ParseCommand splits a command line into words: spaces separate words,
// single and double quotes group them, a backslash escapes the next
// character (outside single quotes).
func ParseCommand(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	escaped := false
	for _, r := range s {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case r == '\\' && quote != '\'':
			escaped, inWord = true, true
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case unicode.IsSpace(r):
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 || escaped {
		return nil, fmt.Errorf("unterminated quote or escape in %q", s)
	}
	if inWord {
		words = append(words, cur.String())
	}
	if len(words) == 0 {
		return nil, errors.New("empty command")
	}
	return words, nil
}

// ClientOptions configure a connection to a server.
type ClientOptions struct {
	// Version is the client version announced to servers.
	Version string
	// Elicit answers the server's requests for input; when nil, the client
	// does not announce elicitation, and servers do not ask.
	Elicit func(ctx context.Context, message string, fields []agent.Question) (agent.ElicitResult, error)
	// Log receives the server's log messages, when set.
	Log func(level string, logger string, data any)
	// Progress receives the server's progress notifications, when set.
	Progress func(progress, total float64, message string)
	// Stderr receives a server program's standard error (default: discarded).
	Stderr io.Writer
}

// Connect opens a session with the server: over HTTP, or with the program
// started. Close the session to end it (and stop the program).
func Connect(ctx context.Context, t Target, opts ClientOptions) (*sdk.ClientSession, error) {
	version := opts.Version
	if version == "" {
		version = "dev"
	}
	co := &sdk.ClientOptions{}
	if opts.Elicit != nil {
		co.ElicitationHandler = func(ctx context.Context, req *sdk.ElicitRequest) (*sdk.ElicitResult, error) {
			if req.Params.Mode == "url" {
				// A URL elicitation sends the user elsewhere; toolsmith
				// has no browser to open, so it says no.
				return &sdk.ElicitResult{Action: agent.ElicitDecline}, nil
			}
			fields, err := formFields(req.Params.RequestedSchema)
			if err != nil {
				return nil, err
			}
			r, err := opts.Elicit(ctx, req.Params.Message, fields)
			if err != nil {
				return nil, err
			}
			res := &sdk.ElicitResult{Action: r.Action}
			if r.Action == agent.ElicitAccept {
				res.Content = formValues(req.Params.RequestedSchema, r.Values)
			}
			return res, nil
		}
		co.Capabilities = &sdk.ClientCapabilities{Elicitation: &sdk.ElicitationCapabilities{Form: &sdk.FormElicitationCapabilities{}}}
	}
	if opts.Log != nil {
		//lint:ignore SA1019 MCP logging is deprecated from protocol 2026-07-28 but still served to the clients that use it (the conformance suite's logging-set-level)
		co.LoggingMessageHandler = func(_ context.Context, req *sdk.LoggingMessageRequest) {
			opts.Log(string(req.Params.Level), req.Params.Logger, req.Params.Data)
		}
	}
	if opts.Progress != nil {
		co.ProgressNotificationHandler = func(_ context.Context, req *sdk.ProgressNotificationClientRequest) {
			opts.Progress(req.Params.Progress, req.Params.Total, req.Params.Message)
		}
	}
	client := sdk.NewClient(&sdk.Implementation{Name: "toolsmith", Version: version}, co)
	var transport sdk.Transport
	switch {
	case t.URL != "":
		hc := &http.Client{}
		token := t.Token
		if t.TokenEnv != "" {
			token = os.Getenv(t.TokenEnv)
		}
		if token != "" {
			hc.Transport = bearer{token: token, next: http.DefaultTransport}
		}
		transport = &sdk.StreamableClientTransport{Endpoint: t.URL, HTTPClient: hc}
	case len(t.Command) > 0:
		cmd := exec.Command(t.Command[0], t.Command[1:]...)
		cmd.Stderr = opts.Stderr
		transport = &sdk.CommandTransport{Command: cmd, TerminateDuration: 2 * time.Second}
	default:
		return nil, errors.New("mcp: no server URL or command")
	}
	cs, err := client.Connect(ctx, transport, nil)
	if err != nil {
		return nil, fmt.Errorf("mcp: connect to %s: %w", t, err)
	}
	return cs, nil
}

// bearer adds an Authorization header to each request.
type bearer struct {
	token string
	next  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

// ListTools returns every tool the server lists (following pages), as the
// JSON of one tools/list result, which registry.ParseMCPTools reads.
func ListTools(ctx context.Context, cs *sdk.ClientSession) ([]*sdk.Tool, error) {
	var tools []*sdk.Tool
	for t, err := range cs.Tools(ctx, nil) {
		if err != nil {
			return nil, fmt.Errorf("mcp: tools/list: %w", err)
		}
		tools = append(tools, t)
	}
	return tools, nil
}

// ImportTools lists a server's tools as registry APIs bound to it (see
// registry.ParseMCPTools); prefix names them prefix.tool.
func ImportTools(ctx context.Context, cs *sdk.ClientSession, t Target, prefix string) ([]registry.API, error) {
	tools, err := ListTools(ctx, cs)
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(map[string]any{"tools": tools})
	if err != nil {
		return nil, err
	}
	return registry.ParseMCPTools(t.String(), raw, prefix, t.binding())
}

// ServerPrefix derives an API name prefix from the name a server gives
// itself: its last path segment, in the characters an API name may hold.
func ServerPrefix(cs *sdk.ClientSession) string {
	res := cs.InitializeResult()
	if res == nil || res.ServerInfo == nil {
		return ""
	}
	name := res.ServerInfo.Name
	if i := strings.LastIndexAny(name, "/:"); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	for _, r := range name {
		if r == '_' || r == '-' || unicode.IsLetter(r) && r < unicode.MaxASCII || unicode.IsDigit(r) && r < unicode.MaxASCII {
			b.WriteRune(r)
		} else if b.Len() > 0 {
			b.WriteByte('_')
		}
	}
	return strings.Trim(b.String(), "_-")
}

// ToolResult is a tool call's outcome in the agent's terms: the structured
// content's fields, and the text content under registry.MCPTextOutput.
func ToolResult(res *sdk.CallToolResult) (map[string]any, error) {
	text := ResultText(res)
	if res.IsError {
		if text == "" {
			text = "the tool reported an error"
		}
		return nil, errors.New(text)
	}
	out := map[string]any{}
	if res.StructuredContent != nil {
		raw, err := json.Marshal(res.StructuredContent)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(raw, &out); err != nil {
			out["result"] = res.StructuredContent
		}
	}
	if _, ok := out[registry.MCPTextOutput]; !ok {
		out[registry.MCPTextOutput] = text
	}
	return out, nil
}

// ResultText joins the text of a result's content; other kinds of content
// are described by their type.
func ResultText(res *sdk.CallToolResult) string {
	var parts []string
	for _, c := range res.Content {
		switch x := c.(type) {
		case *sdk.TextContent:
			parts = append(parts, x.Text)
		case *sdk.ImageContent:
			parts = append(parts, fmt.Sprintf("[image %s, %d bytes]", x.MIMEType, len(x.Data)))
		case *sdk.AudioContent:
			parts = append(parts, fmt.Sprintf("[audio %s, %d bytes]", x.MIMEType, len(x.Data)))
		case *sdk.ResourceLink:
			parts = append(parts, "[resource "+x.URI+"]")
		case *sdk.EmbeddedResource:
			if x.Resource != nil {
				if x.Resource.Text != "" {
					parts = append(parts, x.Resource.Text)
				} else {
					parts = append(parts, "[resource "+x.Resource.URI+"]")
				}
			}
		}
	}
	return strings.Join(parts, "\n")
}
