package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/toolsmith-dev/toolsmith/mcp"
	"github.com/toolsmith-dev/toolsmith/registry"
	"github.com/toolsmith-dev/toolsmith/sandbox"
)

func newMCPServeCmd(a *app) *cobra.Command {
	var f agentFlags
	var addr string
	var stdio bool
	var tokens []string
	var turnTimeout time.Duration
	cmd := &cobra.Command{
		Use:   "serve [--addr HOST:PORT | --stdio] [--apis FILE]... [--token TOKEN=NAMESPACE]... [--namespace NS]",
		Short: "Serve planning, the agent and the made tools over MCP (Streamable HTTP at /mcp, or stdio)",
		Long: `Serve toolsmith to MCP hosts. Tools: plan (a plan request -> the plan, read
only), run (an agent turn: missing values and confirmations of calls with side
effects are asked by elicitation; a client without elicitation gets the
questions back with the session id and answers them in its next call), and
each made tool of the namespace. Resources: the namespace's APIs
(toolsmith://apis/NAME) and made tools (toolsmith://tools/NAME). Prompt:
request. Turns send log messages and, when asked, progress notifications.

--addr serves Streamable HTTP at http://HOST:PORT/mcp (default
127.0.0.1:8090); --stdio serves one client over standard input and output
(the way MCP hosts launch local servers; logs go to standard error).

Over HTTP, a token maps to a namespace (--token TOKEN=NAMESPACE, repeatable,
or TOOLSMITH_TOKENS="tok1=ns1,tok2=ns2"), as for toolsmith serve; without
tokens the server only binds to loopback, serves --namespace, and refuses
requests whose Host or Origin is not loopback (DNS rebinding). Agent
sessions live in the store, so several replicas can share one Redis.
--apis imports API files at start into the served namespaces.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			tokenMap, err := parseTokens(tokens, os.Getenv("TOOLSMITH_TOKENS"), f.namespace)
			if err != nil {
				return usageErr("mcp serve: %v", err)
			}
			if stdio && (cmd.Flags().Changed("addr") || len(tokens) > 0) {
				return usageErr("mcp serve: --stdio serves one local client: it takes no --addr or --token")
			}
			if !stdio && len(tokenMap) == 0 && !isLoopback(addr) {
				return usageErr("mcp serve: %s is not a loopback address: give --token TOKEN=NAMESPACE (or TOOLSMITH_TOKENS) so requests are authenticated", addr)
			}
			if stdio {
				tokenMap = nil
			}
			opts, store, err := a.agentOptions(ctx, "mcp serve", &f)
			if err != nil {
				return err
			}
			defer store.Close()
			ns := f.namespace
			if ns == "" {
				ns = registry.DefaultNamespace
			}
			namespaces := servedNamespaces(ns, tokenMap)
			if opts.APIs != nil {
				for _, ns := range namespaces {
					if err := store.PutAPIs(ctx, ns, opts.APIs); err != nil {
						return usageErr("mcp serve: --apis: %v", err)
					}
				}
			}
			logger := slog.New(slog.NewTextHandler(a.stderr, nil))
			agents := newNamespaceAgents(opts, store, len(f.rules), logger)
			defer agents.Close()
			tools := &lazySandbox{logger: logger}
			defer tools.Close()
			srv := &mcp.Server{
				Store:            store,
				NewAgent:         agents.build,
				Sandbox:          tools.get,
				Tokens:           tokenMap,
				DefaultNamespace: ns,
				Version:          version,
				TurnTimeout:      turnTimeout,
				Logger:           logger,
			}
			err = watchNamespaces(ctx, store, namespaces, func(ns string, _ registry.Collection) {
				if err := srv.Refresh(context.WithoutCancel(ctx), ns); err != nil {
					logger.Warn("mcp serve: refresh after a change failed", "namespace", ns, "err", err)
				}
			})
			if err != nil {
				return storeErr("mcp serve", err)
			}
			if stdio {
				return srv.ServeStdio(ctx, nil)
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return usageErr("mcp serve: %v", err)
			}
			mux := http.NewServeMux()
			mux.Handle("/mcp", srv.Handler())
			hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
			fmt.Fprintf(a.stderr, "toolsmith: serving MCP on http://%s/mcp\n", ln.Addr())
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
	fl.StringVar(&addr, "addr", "127.0.0.1:8090", "address to serve Streamable HTTP on (at /mcp)")
	fl.BoolVar(&stdio, "stdio", false, "serve one client over standard input and output instead of HTTP")
	fl.StringArrayVar(&tokens, "token", nil, "bearer token, as TOKEN or TOKEN=NAMESPACE (repeatable)")
	fl.DurationVar(&turnTimeout, "turn-timeout", mcp.DefaultTurnTimeout, "longest time one run call may take, questions included")
	return cmd
}

// lazySandbox starts a sandbox pool for made tools on first use.
type lazySandbox struct {
	// logger receives the pool's lifecycle events and, once when it
	// starts, the confinement layers its workers lack (nil: discarded).
	logger *slog.Logger

	mu   sync.Mutex
	pool *sandbox.Pool
}

func (l *lazySandbox) get(ctx context.Context) (sandbox.Runner, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.pool == nil {
		p, err := sandbox.NewPool(ctx, sandbox.Options{Workers: 1, Logger: l.logger})
		if err != nil {
			return nil, err
		}
		l.pool = p
	}
	return l.pool, nil
}

func (l *lazySandbox) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.pool != nil {
		l.pool.Close()
	}
}
