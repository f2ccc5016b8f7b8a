package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/toolsmith-dev/toolsmith/agent/server"
	"github.com/toolsmith-dev/toolsmith/registry"
)

func newServeCmd(a *app) *cobra.Command {
	var f agentFlags
	var addr string
	var tokens []string
	var maxBody int64
	var turnTimeout time.Duration
	var traceOut string
	var requireConfinement bool
	cmd := &cobra.Command{
		Use:   "serve [--addr HOST:PORT] [--token TOKEN=NAMESPACE]... [--apis FILE]...",
		Short: "Serve the agent over HTTP (REST, server-sent events, /healthz, /metrics)",
		Long: `Serve the agent over HTTP. Endpoints: POST /v1/sessions, GET and DELETE
/v1/sessions/{id}, POST /v1/sessions/{id}/messages {"text": ...} (JSON reply, or
server-sent events with Accept: text/event-stream), POST /v1/plan, GET /v1/apis,
GET /v1/tools, /healthz, /metrics (Prometheus) and /openapi.json.

Every /v1 request needs "Authorization: Bearer TOKEN" (/healthz, /metrics
and /openapi.json do not); a token maps to the namespace whose APIs, tools
and sessions it may use (--token TOKEN=NAMESPACE, repeatable, or
TOOLSMITH_TOKENS="tok1=ns1,tok2=ns2"). Without tokens the server only binds
to loopback and serves --namespace. State lives in the store, so several
replicas can share one Redis. --apis imports API files at start into
--namespace and into every namespace a token names.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			tokenMap, err := parseTokens(tokens, os.Getenv("TOOLSMITH_TOKENS"), f.namespace)
			if err != nil {
				return usageErr("serve: %v", err)
			}
			if len(tokenMap) == 0 && !isLoopback(addr) {
				return usageErr("serve: %s is not a loopback address: give --token TOKEN=NAMESPACE (or TOOLSMITH_TOKENS) so requests are authenticated", addr)
			}
			if requireConfinement {
				if err := checkConfinement(ctx); err != nil {
					return exitWith(1, "serve: --require-confinement: %v", err)
				}
			}
			opts, err := a.agentOptions(ctx, "serve", &f)
			if err != nil {
				return err
			}
			store := opts.Store
			defer store.Close()
			namespaces := servedNamespaces(f.namespace, tokenMap)
			if opts.APIs != nil {
				for _, ns := range namespaces {
					if err := store.PutAPIs(ctx, ns, opts.APIs); err != nil {
						return usageErr("serve: --apis: %v", err)
					}
				}
			}
			logger := slog.New(slog.NewTextHandler(a.stderr, nil))
			switch traceOut {
			case "":
			case "stderr":
				exp, err := stdouttrace.New(stdouttrace.WithWriter(a.stderr))
				if err != nil {
					return err
				}
				tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp))
				defer tp.Shutdown(context.Background())
				opts.Tracer = tp.Tracer("toolsmith")
			default:
				return usageErr("serve: --trace is stderr or empty, not %q", traceOut)
			}
			agents := newNamespaceAgents(opts, len(f.rules), logger)
			agents.requireConfinement = requireConfinement
			defer agents.Close()
			srv := &server.Server{
				Store:            store,
				Tokens:           tokenMap,
				DefaultNamespace: f.namespace,
				MaxBody:          maxBody,
				TurnTimeout:      turnTimeout,
				Logger:           logger,
				NewAgent:         agents.build,
			}
			// A namespace's agent is rebuilt when its APIs, policies or
			// settings change (in this replica or another one sharing the store).
			err = watchNamespaces(ctx, store, namespaces, func(ns string, c registry.Collection) {
				if c != registry.CollTools {
					srv.Forget(ns)
				}
			})
			if err != nil {
				return storeErr("serve", err)
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return usageErr("serve: %v", err)
			}
			hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
			fmt.Fprintf(a.stderr, "toolsmith: serving on http://%s\n", ln.Addr())
			errc := make(chan error, 1)
			go func() { errc <- hs.Serve(ln) }()
			select {
			case err := <-errc:
				return err
			case <-ctx.Done():
				shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				if err := hs.Shutdown(shut); err != nil && !errors.Is(err, http.ErrServerClosed) {
					return err
				}
				return nil
			}
		},
	}
	f.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	fl.StringArrayVar(&tokens, "token", nil, "bearer token, as TOKEN or TOKEN=NAMESPACE (repeatable)")
	fl.Int64Var(&maxBody, "max-body", server.DefaultMaxBody, "largest request body in bytes")
	fl.DurationVar(&turnTimeout, "turn-timeout", server.DefaultTurnTimeout, "longest time one turn may take")
	fl.StringVar(&traceOut, "trace", "", "write OpenTelemetry spans (turn, model call, plan, API call) as JSON to: stderr")
	fl.BoolVar(&requireConfinement, "require-confinement", false, "refuse to start, and to run tools, when a sandbox confinement layer is missing on this machine (see config --check)")
	return cmd
}

// parseTokens reads TOKEN or TOKEN=NAMESPACE entries from flags and from a
// comma-separated environment value.
func parseTokens(flags []string, env, defaultNS string) (map[string]string, error) {
	entries := append([]string(nil), flags...)
	for _, e := range strings.Split(env, ",") {
		if e = strings.TrimSpace(e); e != "" {
			entries = append(entries, e)
		}
	}
	out := map[string]string{}
	for _, e := range entries {
		tok, ns, _ := strings.Cut(e, "=")
		if tok == "" {
			return nil, fmt.Errorf("empty token in %q", e)
		}
		if ns == "" {
			ns = defaultNS
		}
		out[tok] = ns
	}
	return out, nil
}

// isLoopback reports whether addr listens on loopback only.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
