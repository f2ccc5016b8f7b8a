package main

import (
	"context"
	"os"

	"github.com/spf13/cobra"

	"github.com/toolsmith-dev/toolsmith/agent"
	"github.com/toolsmith-dev/toolsmith/mcp"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// mcpImportFlags are api add's flags that register MCP servers' tools.
type mcpImportFlags struct {
	urls, commands []string
	prefix         string
	tokenEnv       string
}

func (f *mcpImportFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.urls, "mcp", nil, "register the tools of the MCP server at this Streamable HTTP URL (repeatable)")
	fl.StringArrayVar(&f.commands, "mcp-command", nil, "register the tools of the MCP server this command starts (repeatable)")
	fl.StringVar(&f.prefix, "mcp-prefix", "", "name the MCP tools' APIs PREFIX.TOOL (default: the server's own name)")
	fl.StringVar(&f.tokenEnv, "mcp-token-env", "", "environment variable holding the bearer token of the MCP servers given by URL (its name is stored, never the token)")
}

func (f *mcpImportFlags) empty() bool { return len(f.urls) == 0 && len(f.commands) == 0 }

// each connects to every server given and passes its tools as APIs to fn.
func (f *mcpImportFlags) each(ctx context.Context, fn func(mcp.Target, []registry.API)) error {
	var targets []mcp.Target
	for _, u := range f.urls {
		t := mcp.Target{URL: u, TokenEnv: f.tokenEnv}
		if f.tokenEnv != "" && os.Getenv(f.tokenEnv) == "" {
			return usageErr("api add: --mcp-token-env: $%s is empty", f.tokenEnv)
		}
		targets = append(targets, t)
	}
	for _, c := range f.commands {
		words, err := mcp.ParseCommand(c)
		if err != nil {
			return usageErr("api add: --mcp-command: %v", err)
		}
		targets = append(targets, mcp.Target{Command: words})
	}
	for _, t := range targets {
		// Announce elicitation (the agent puts a tool's requests for input
		// to the user), so that servers list the tools that ask.
		cs, err := mcp.Connect(ctx, t, mcp.ClientOptions{Version: version, Elicit: func(context.Context, string, []agent.Question) (agent.ElicitResult, error) {
			return agent.ElicitResult{Action: agent.ElicitCancel}, nil
		}})
		if err != nil {
			return usageErr("api add: %v", err)
		}
		prefix := f.prefix
		if prefix == "" {
			prefix = mcp.ServerPrefix(cs)
		}
		apis, err := mcp.ImportTools(ctx, cs, t, prefix)
		cs.Close()
		if err != nil {
			return usageErr("api add: %v", err)
		}
		fn(t, apis)
	}
	return nil
}
