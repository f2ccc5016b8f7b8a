package main

import (
	"context"
	"log/slog"
	"sync"

	"github.com/toolsmith-dev/toolsmith/agent"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// namespaceAgents builds the agent of each namespace a server serves: the
// namespace's APIs from the store, the --rules files and its stored
// policies, and one tool router (and sandbox pool) per namespace, kept when
// the namespace's agent is rebuilt after a change.
type namespaceAgents struct {
	opts   agent.Options  // the flags' options, with store and models
	store  registry.Store // opts.Store, all of it
	rules  int            // how many of opts.Planner's rules come from --rules
	logger *slog.Logger
	// requireConfinement makes the sandbox pools refuse workers that lack
	// a confinement layer (serve --require-confinement).
	requireConfinement bool

	mu      sync.Mutex
	routers map[string]*toolRouter
}

func newNamespaceAgents(opts agent.Options, store registry.Store, rules int, logger *slog.Logger) *namespaceAgents {
	return &namespaceAgents{opts: opts, store: store, rules: rules, logger: logger, routers: map[string]*toolRouter{}}
}

// build returns a new agent of namespace ns.
func (n *namespaceAgents) build(ctx context.Context, ns string) (*agent.Agent, error) {
	o := n.opts
	o.APIs = nil // each namespace plans over its own APIs in the store
	o.Namespace, o.Logger = ns, n.logger
	planOpts, err := withNamespace(ctx, n.store, ns, flagRules(n.opts.Planner, n.rules))
	if err != nil {
		return nil, err
	}
	o.Planner = planOpts
	n.mu.Lock()
	tools := n.routers[ns]
	if tools == nil {
		tools = &toolRouter{store: n.store, models: o.Models, namespace: ns, requireConfinement: n.requireConfinement,
			logger: n.logger}
		n.routers[ns] = tools
	}
	n.mu.Unlock()
	o.Tools = tools
	return agent.New(ctx, o)
}

// Close stops the tool routers' sandbox pools.
func (n *namespaceAgents) Close() {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, r := range n.routers {
		r.Close()
	}
}

// servedNamespaces is def and every namespace a token names.
func servedNamespaces(def string, tokens map[string]string) []string {
	seen := map[string]bool{def: true}
	out := []string{def}
	for _, ns := range tokens {
		if !seen[ns] {
			seen[ns] = true
			out = append(out, ns)
		}
	}
	return out
}

// subscriber announces a namespace's writes (registry.Store.Subscribe).
type subscriber interface {
	Subscribe(ctx context.Context, ns string) (<-chan registry.Change, error)
}

// watchNamespaces calls changed(ns) after each write to a namespace's APIs,
// policies, settings or tools (in this process or another sharing the store), until
// ctx ends.
func watchNamespaces(ctx context.Context, store subscriber, namespaces []string, changed func(ns string, c registry.Collection)) error {
	for _, ns := range namespaces {
		changes, err := store.Subscribe(ctx, ns)
		if err != nil {
			return err
		}
		go func(ns string) {
			for c := range changes {
				switch c.Collection {
				case registry.CollAPIs, registry.CollPolicies, registry.CollSettings, registry.CollTools:
					changed(ns, c.Collection)
				}
			}
		}(ns)
	}
	return nil
}
