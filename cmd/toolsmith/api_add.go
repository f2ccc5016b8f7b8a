package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/mcp"
	"github.com/toolsmith-dev/toolsmith/registry"
)

func newAPIAddCmd(a *app) *cobra.Command {
	var ns string
	var asJSON bool
	var plugins []string
	var mcpFlags mcpImportFlags
	cmd := &cobra.Command{
		Use:   "add [FILE]... [--plugin PATH]... [--mcp URL]... [--mcp-command \"CMD ARGS\"]... [--namespace NS] [--json]",
		Short: "Register the APIs of native, NESTFUL or OpenAPI 3 files",
		Long: `Register the APIs described by each FILE: the native registry format (YAML
or JSON list of API records, or {apis: [...]}), the NESTFUL specification
format, or an OpenAPI 3 document (each operation becomes an API). The
format is detected from the content. Every file is read and checked before
anything is written; all APIs are then written in one atomic step, an API
of an existing name replacing it. Exit 2 when a file cannot be read or holds
an invalid API (the reason names the file and field).

--plugin PATH starts an API plugin program (see examples/plugin), reads the
APIs it describes and registers them bound to it: the agent then calls the
plugin, restarting it if it crashed.

--mcp URL (Streamable HTTP) and --mcp-command "CMD ARGS" (a program speaking
MCP on its standard input and output) register the tools of an MCP server:
each tool becomes the API PREFIX.TOOL (PREFIX: --mcp-prefix, else the name
the server gives itself), its input schema the inputs, its output schema the
outputs (else one output "text"), its annotations the effect (readOnlyHint:
read; destructiveHint: destructive; otherwise write, and a write or
destructive API asks for confirmation before each call; idempotentHint:
idempotent). The agent calls them over MCP; a request for input a tool makes
during a call is asked of the user.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, files []string) error {
			if len(files) == 0 && len(plugins) == 0 && mcpFlags.empty() {
				return usageErr("api add: give at least one FILE, --plugin PATH, --mcp URL or --mcp-command CMD")
			}
			type fileResult struct {
				File   string          `json:"file"`
				Format registry.Format `json:"format"`
				APIs   []string        `json:"apis"`
			}
			var results []fileResult
			var all []registry.API
			index := map[string]int{}
			// collect adds one source's APIs; a later source wins a name.
			collect := func(file string, format registry.Format, apis []registry.API) {
				r := fileResult{File: file, Format: format, APIs: []string{}}
				for _, api := range apis {
					r.APIs = append(r.APIs, api.Name)
					if i, ok := index[api.Name]; ok {
						all[i] = api
						continue
					}
					index[api.Name] = len(all)
					all = append(all, api)
				}
				results = append(results, r)
			}
			for _, f := range files {
				data, err := os.ReadFile(f)
				if err != nil {
					return usageErr("api add: %v", err)
				}
				apis, format, err := registry.ParseAPIsFormat(f, data)
				if err != nil {
					return usageErr("api add: %v", err)
				}
				collect(f, format, apis)
			}
			for _, p := range plugins {
				apis, err := describePlugin(cmd.Context(), p)
				if err != nil {
					return usageErr("api add: %v", err)
				}
				collect(p, "plugin", apis)
			}
			err := mcpFlags.each(cmd.Context(), func(t mcp.Target, apis []registry.API) {
				collect(t.String(), registry.FormatMCP, apis)
			})
			if err != nil {
				return err
			}
			s, err := a.openStore(cmd.Context())
			if err != nil {
				return storeErr("api add", err)
			}
			defer s.Close()
			if ns == "" {
				ns = registry.DefaultNamespace
			}
			if err := s.PutAPIs(cmd.Context(), ns, all); err != nil {
				return storeErr("api add", err)
			}
			if asJSON {
				return json.NewEncoder(a.stdout).Encode(map[string]any{"namespace": ns, "added": len(all), "files": results})
			}
			for _, r := range results {
				fmt.Fprintf(a.stdout, "%s: %d APIs (%s)\n", r.File, len(r.APIs), r.Format)
			}
			fmt.Fprintf(a.stdout, "registered %d APIs in namespace %s\n", len(all), ns)
			return nil
		},
	}
	cmd.Flags().StringVar(&ns, "namespace", registry.DefaultNamespace, "namespace to register the APIs in")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	cmd.Flags().StringArrayVar(&plugins, "plugin", nil, "API plugin program to register (repeatable)")
	mcpFlags.register(cmd)
	return cmd
}
