package main

import "github.com/spf13/cobra"

func newMCPCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "mcp",
		Short: "Serve toolsmith over the Model Context Protocol, and list or call the tools of MCP servers",
	}
	for _, newSub := range []func(*app) *cobra.Command{
		newMCPServeCmd,
		newMCPToolsCmd,
		newMCPCallCmd,
	} {
		cmd.AddCommand(newSub(a))
	}
	return cmd
}
