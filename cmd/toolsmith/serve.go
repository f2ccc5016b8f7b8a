package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/toolsmith-dev/toolsmith/agent"
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
	var metricsAddr, metricsToken string
	var limits server.Limits
	var leaseTTL time.Duration
	var requireConfinement bool
	cmd := &cobra.Command{
		Use:   "serve [--addr HOST:PORT] [--token TOKEN=NAMESPACE]... [--apis FILE]...",
		Short: "Serve the agent over HTTP (REST, server-sent events, /healthz, /metrics)",
		Long: `Serve the agent over HTTP. Endpoints: POST /v1/sessions, GET and DELETE
/v1/sessions/{id}, POST /v1/sessions/{id}/messages {"text": ...} (JSON reply, or
server-sent events with Accept: text/event-stream), POST /v1/plan, GET /v1/apis,
GET /v1/sessions/{id}/history?cursor=, GET /v1/tools, /healthz, /metrics
(Prometheus) and /openapi.json.

Every /v1 request needs "Authorization: Bearer TOKEN" (/healthz and
/openapi.json do not); a token maps to the namespace whose APIs, tools
and sessions it may use (--token TOKEN=NAMESPACE, repeatable, or
TOOLSMITH_TOKENS="tok1=ns1,tok2=ns2"). Without tokens the server only binds
to loopback and serves --namespace. With tokens, /metrics needs
--metrics-token (or TOOLSMITH_METRICS_TOKEN), or is served on a listener of
its own with --metrics-addr. State lives in the store, so several replicas
can share one Redis: a session's turns never run on two replicas at once,
and a call with side effects is made at most once per confirmed step.
--rate, --max-turns, --daily-cost and --daily-api-calls limit each namespace
(429 when exceeded). --apis imports API files at start into --namespace and
into every namespace a token names.`,
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
			if metricsToken == "" {
				metricsToken = os.Getenv("TOOLSMITH_METRICS_TOKEN")
			}
			if limits.Rate < 0 || limits.Burst < 0 || limits.ConcurrentTurns < 0 || limits.DailyCost < 0 || limits.DailyAPICalls < 0 {
				return usageErr("serve: limits cannot be negative")
			}
			failpoint, err := parseFailpoint(os.Getenv("TOOLSMITH_FAILPOINT"))
			if err != nil {
				return usageErr("serve: TOOLSMITH_FAILPOINT: %v", err)
			}
			if requireConfinement {
				if err := checkConfinement(ctx); err != nil {
					return exitWith(1, "serve: --require-confinement: %v", err)
				}
			}
			opts, store, err := a.agentOptions(ctx, "serve", &f)
			if err != nil {
				return err
			}
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
			opts.LeaseTTL, opts.Failpoint = leaseTTL, failpoint
			agents := newNamespaceAgents(opts, store, len(f.rules), logger)
			agents.requireConfinement = requireConfinement
			defer agents.Close()
			srv := &server.Server{
				Store:            store,
				Tokens:           tokenMap,
				DefaultNamespace: f.namespace,
				MaxBody:          maxBody,
				TurnTimeout:      turnTimeout,
				MetricsToken:     metricsToken,
				MetricsSeparate:  metricsAddr != "",
				Limits:           limits,
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
			hs := srv.HTTPServer()
			fmt.Fprintf(a.stderr, "toolsmith: serving on http://%s\n", ln.Addr())
			errc := make(chan error, 2)
			go func() { errc <- hs.Serve(ln) }()
			if metricsAddr != "" {
				mln, err := net.Listen("tcp", metricsAddr)
				if err != nil {
					hs.Close()
					return usageErr("serve: --metrics-addr: %v", err)
				}
				metricsSrv := &http.Server{Handler: srv.MetricsHandler(), ReadHeaderTimeout: server.DefaultReadHeaderTimeout,
					ReadTimeout: server.DefaultReadTimeout, WriteTimeout: server.DefaultWriteTimeout, IdleTimeout: server.DefaultIdleTimeout}
				defer metricsSrv.Close()
				fmt.Fprintf(a.stderr, "toolsmith: metrics on http://%s/metrics\n", mln.Addr())
				go func() { errc <- metricsSrv.Serve(mln) }()
			}
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
	fl.StringVar(&metricsAddr, "metrics-addr", "", "serve /metrics on this address instead (a listener of its own, no token)")
	fl.StringVar(&metricsToken, "metrics-token", "", "bearer token /metrics requires (default $TOOLSMITH_METRICS_TOKEN)")
	fl.Float64Var(&limits.Rate, "rate", 0, "requests a second each namespace may send (0: no limit; shared by replicas)")
	fl.IntVar(&limits.Burst, "burst", 0, "bursts of requests allowed above --rate (default: the rate)")
	fl.IntVar(&limits.ConcurrentTurns, "max-turns", 0, "turns each namespace may run at once (0: no limit)")
	fl.Float64Var(&limits.DailyCost, "daily-cost", 0, "model spend in USD each namespace may use per UTC day (0: no limit)")
	fl.Int64Var(&limits.DailyAPICalls, "daily-api-calls", 0, "API calls each namespace may make per UTC day (0: no limit)")
	fl.DurationVar(&leaseTTL, "lease-ttl", agent.DefaultLeaseTTL, "how long a session stays locked to a replica that stopped answering")
	fl.BoolVar(&requireConfinement, "require-confinement", false, "refuse to start, and to run tools, when a sandbox confinement layer is missing on this machine (see config --check)")
	return cmd
}

// parseFailpoint reads TOOLSMITH_FAILPOINT, "STEP" or "STEP:N": the
// process kills itself (SIGKILL, as a crash) the Nth time (default first)
// a turn reaches STEP ("loaded", "intent-saved", "invoked",
// "result-saved", "saved"). The chaos suite uses it.
func parseFailpoint(spec string) (func(string), error) {
	if spec == "" {
		return nil, nil
	}
	step, nth, _ := strings.Cut(spec, ":")
	n := 1
	if nth != "" {
		var err error
		if n, err = strconv.Atoi(nth); err != nil || n < 1 {
			return nil, fmt.Errorf("%q: the count after ':' is a positive number", spec)
		}
	}
	switch step {
	case "loaded", "intent-saved", "invoked", "result-saved", "saved":
	default:
		return nil, fmt.Errorf("%q: the step is one of loaded, intent-saved, invoked, result-saved, saved", spec)
	}
	var seen atomic.Int64
	return func(at string) {
		if at == step && seen.Add(1) == int64(n) {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal is on its way
		}
	}, nil
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
