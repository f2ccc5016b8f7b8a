package main

import (
	"context"
	"log/slog"
	"sync"

	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/registry"
	"github.com/toolsmith-dev/toolsmith/sandbox"
	"github.com/toolsmith-dev/toolsmith/toolmaker"
)

// toolRouter lets the agent hand requests of a tool family to the
// toolmaker: the Dispatcher picks a registered tool (no model is asked when
// the registry has no candidate) and the tool answers. The sandbox pool
// starts on the first request a tool serves.
type toolRouter struct {
	store     toolmaker.Store
	models    *llm.Models
	namespace string
	// requireConfinement refuses tools a worker lacking a confinement
	// layer (serve --require-confinement).
	requireConfinement bool
	// logger receives the pool's lifecycle events and, once when it starts,
	// the confinement layers its workers lack (nil: discarded), with the
	// namespace.
	logger *slog.Logger

	mu   sync.Mutex
	pool *sandbox.Pool
	tm   *toolmaker.Toolmaker
}

func (r *toolRouter) toolmaker(ctx context.Context) (*toolmaker.Toolmaker, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.tm != nil {
		return r.tm, nil
	}
	var logger *slog.Logger
	if r.logger != nil {
		logger = r.logger.With("namespace", r.namespace)
	}
	pool, err := sandbox.NewPool(ctx, sandbox.Options{Workers: 1, RequireConfinement: r.requireConfinement, Logger: logger})
	if err != nil {
		return nil, err
	}
	r.pool = pool
	r.tm = toolmaker.New(r.store, pool, r.models, toolmaker.Options{Namespace: r.namespace, AutoMake: -1})
	return r.tm, nil
}

// SolveTask answers input with a registered tool when the Dispatcher routes
// it to one; ok is false otherwise.
func (r *toolRouter) SolveTask(ctx context.Context, input string) (string, bool, error) {
	tools, err := r.store.ListTools(ctx, r.namespace, registry.ToolFilter{})
	if err != nil || len(tools) == 0 {
		return "", false, err
	}
	tm, err := r.toolmaker(ctx)
	if err != nil {
		return "", false, err
	}
	d, err := tm.Dispatch(ctx, input)
	if err != nil || d.Tool == nil {
		return "", false, err
	}
	ans, err := tm.Use(ctx, d.Tool, input)
	if err != nil {
		return "", false, err
	}
	return ans.Text, true, nil
}

// Close stops the sandbox pool, if it started.
func (r *toolRouter) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.pool != nil {
		r.pool.Close()
	}
}
