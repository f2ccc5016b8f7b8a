package mcp

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/auth"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// Handler serves MCP over Streamable HTTP (mount it at /mcp). A request
// needs "Authorization: Bearer TOKEN" when Tokens are set; the token selects
// the namespace, and a session stays with the namespace that opened it. On
// a loopback address, a request whose Host or Origin names another host is
// refused (403), against DNS rebinding.
func (s *Server) Handler() http.Handler {
	h := sdk.NewStreamableHTTPHandler(func(r *http.Request) *sdk.Server {
		return s.namespace(r.Context(), namespaceOf(r.Context(), s.DefaultNamespace)).srv
	}, &sdk.StreamableHTTPOptions{Logger: s.sdkLogger()})
	var inner http.Handler = h
	if len(s.Tokens) > 0 {
		inner = auth.RequireBearerToken(s.verify, &auth.RequireBearerTokenOptions{AllowMissingExpiration: true})(h)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := checkLocalOrigin(r); err != nil {
			http.Error(w, "Forbidden: "+err.Error(), http.StatusForbidden)
			return
		}
		inner.ServeHTTP(w, r)
	})
}

// verify maps a bearer token to its namespace, carried as the token's
// user: the SDK keeps a session to the user that opened it.
func (s *Server) verify(_ context.Context, token string, _ *http.Request) (*auth.TokenInfo, error) {
	ns, ok := s.Tokens[token]
	if !ok {
		return nil, fmt.Errorf("unknown token: %w", auth.ErrInvalidToken)
	}
	return &auth.TokenInfo{UserID: "namespace:" + ns, Extra: map[string]any{"namespace": ns}}, nil
}

// namespaceOf is the namespace of the request's token, or def.
func namespaceOf(ctx context.Context, def string) string {
	if ti := auth.TokenInfoFromContext(ctx); ti != nil {
		if ns, ok := ti.Extra["namespace"].(string); ok {
			return ns
		}
	}
	return def
}

// checkLocalOrigin refuses, on a loopback listener, a Host or an Origin
// that names a host other than loopback: a web page whose name an attacker
// made resolve to 127.0.0.1 must not reach the server.
func checkLocalOrigin(r *http.Request) error {
	local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok || local == nil || !loopbackHost(hostOnly(local.String())) {
		return nil
	}
	if !loopbackHost(hostOnly(r.Host)) {
		return fmt.Errorf("invalid Host %q", r.Host)
	}
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		u, err := url.Parse(o)
		if err != nil || !loopbackHost(u.Hostname()) {
			return fmt.Errorf("invalid Origin %q", o)
		}
	}
	return nil
}

func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return strings.Trim(hostport, "[]")
}

func loopbackHost(h string) bool {
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// ServeStdio serves DefaultNamespace over standard input and output (or
// the given transport) until the client disconnects or ctx ends.
func (s *Server) ServeStdio(ctx context.Context, t sdk.Transport) error {
	if t == nil {
		t = &sdk.StdioTransport{}
	}
	return s.namespace(ctx, s.DefaultNamespace).srv.Run(ctx, t)
}
