package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/spf13/cobra"

	"github.com/toolsmith-dev/toolsmith/agent"
	"github.com/toolsmith-dev/toolsmith/mcp"
)

// mcpTarget reads the server of an mcp client command: a URL argument or
// --command.
func mcpTarget(cmd string, args []string, command, token string) (mcp.Target, error) {
	switch {
	case len(args) == 1 && command == "":
		if !strings.HasPrefix(args[0], "http://") && !strings.HasPrefix(args[0], "https://") {
			return mcp.Target{}, usageErr("%s: %q is not an http(s) URL", cmd, args[0])
		}
		return mcp.Target{URL: args[0], Token: token}, nil
	case len(args) == 0 && command != "":
		words, err := mcp.ParseCommand(command)
		if err != nil {
			return mcp.Target{}, usageErr("%s: --command: %v", cmd, err)
		}
		return mcp.Target{Command: words}, nil
	}
	return mcp.Target{}, usageErr("%s: give the server's URL or --command \"CMD ARGS\" (one of them)", cmd)
}

func newMCPToolsCmd(a *app) *cobra.Command {
	var command, token string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   `tools [--json] URL | --command "CMD ARGS"`,
		Short: "List the tools of an MCP server",
		Long: `Connect to an MCP server — Streamable HTTP at URL, or a program started with
--command that speaks MCP on its standard input and output — and list its
tools: name, effect (from the annotations: read-only, destructive, otherwise
write), and description. --json prints the tools/list result. Exit 3 when
the server cannot be reached or fails.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := mcpTarget("mcp tools", args, command, token)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			cs, err := mcp.Connect(ctx, t, mcp.ClientOptions{Version: version, Stderr: a.stderr})
			if err != nil {
				return exitWith(3, "mcp tools: %v", err)
			}
			defer cs.Close()
			tools, err := mcp.ListTools(ctx, cs)
			if err != nil {
				return exitWith(3, "mcp tools: %v", err)
			}
			if asJSON {
				if tools == nil {
					tools = []*sdk.Tool{}
				}
				return writeJSON(a.stdout, map[string]any{"tools": tools})
			}
			for _, tool := range tools {
				fmt.Fprintf(a.stdout, "%s\t%s\t%s\n", tool.Name, toolEffect(tool), firstLine(tool.Description))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&command, "command", "", "start this program and speak MCP on its standard input and output")
	cmd.Flags().StringVar(&token, "token", "", "bearer token for an HTTP server")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the tools/list result as JSON")
	return cmd
}

func toolEffect(t *sdk.Tool) string {
	switch a := t.Annotations; {
	case a != nil && a.ReadOnlyHint:
		return "read"
	case a != nil && a.DestructiveHint != nil && *a.DestructiveHint:
		return "destructive"
	}
	return "write"
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

func newMCPCallCmd(a *app) *cobra.Command {
	var command, token, tool, argsJSON string
	var acceptDefaults, asJSON bool
	cmd := &cobra.Command{
		Use:   `call --tool NAME [--args JSON] [--accept-defaults] [--json] URL | --command "CMD ARGS"`,
		Short: "Call a tool of an MCP server",
		Long: `Call one tool of an MCP server (Streamable HTTP at URL, given last, or a program
started with --command) with --args, a JSON object, and print the result's text
(--json: the whole result). When the server asks for input during the call
(elicitation), each field is asked on the terminal — an empty line takes the
field's default, "/decline" or "/cancel" answers the whole request so — or,
with --accept-defaults, the request is accepted with the schema's defaults.
Progress and log messages from the server go to standard error.

Exit 1 when the tool reports an error, 2 on bad input, 3 when the server
cannot be reached or fails.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := mcpTarget("mcp call", args, command, token)
			if err != nil {
				return err
			}
			if tool == "" {
				return usageErr("mcp call: --tool is required")
			}
			var arguments map[string]any
			if argsJSON != "" {
				if err := json.Unmarshal([]byte(argsJSON), &arguments); err != nil {
					return usageErr("mcp call: --args is not a JSON object: %v", err)
				}
			}
			ctx := cmd.Context()
			in := bufio.NewReader(cmd.InOrStdin())
			opts := mcp.ClientOptions{
				Version: version,
				Stderr:  a.stderr,
				Elicit: func(ctx context.Context, message string, fields []agent.Question) (agent.ElicitResult, error) {
					if acceptDefaults {
						fmt.Fprintf(a.stderr, "toolsmith: %s (accepted with the defaults)\n", message)
						return agent.ElicitResult{Action: agent.ElicitAccept, Values: defaultAnswers(fields)}, nil
					}
					return askFields(in, a.stderr, message, fields)
				},
				Log: func(level, logger string, data any) {
					raw, _ := json.Marshal(data)
					fmt.Fprintf(a.stderr, "[%s] %s %s\n", level, logger, raw)
				},
				Progress: func(progress, total float64, message string) {
					fmt.Fprintf(a.stderr, "progress %g: %s\n", progress, message)
				},
			}
			cs, err := mcp.Connect(ctx, t, opts)
			if err != nil {
				return exitWith(3, "mcp call: %v", err)
			}
			defer cs.Close()
			if arguments == nil {
				arguments = map[string]any{}
			}
			params := &sdk.CallToolParams{Name: tool, Arguments: arguments}
			params.SetProgressToken("toolsmith-call")
			res, err := cs.CallTool(ctx, params)
			if err != nil {
				return exitWith(3, "mcp call: %v", err)
			}
			if asJSON {
				if err := writeJSON(a.stdout, res); err != nil {
					return err
				}
			} else {
				fmt.Fprintln(a.stdout, mcp.ResultText(res))
			}
			if res.IsError {
				return exitWith(1, "")
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&tool, "tool", "", "the tool to call")
	fl.StringVar(&argsJSON, "args", "", "the tool's arguments, a JSON object")
	fl.BoolVar(&acceptDefaults, "accept-defaults", false, "answer the server's requests for input with their defaults instead of asking")
	fl.StringVar(&command, "command", "", "start this program and speak MCP on its standard input and output")
	fl.StringVar(&token, "token", "", "bearer token for an HTTP server")
	fl.BoolVar(&asJSON, "json", false, "print the whole result as JSON")
	return cmd
}

// defaultAnswers is every field's default.
func defaultAnswers(fields []agent.Question) map[string]any {
	out := map[string]any{}
	for _, f := range fields {
		if f.Default != nil {
			out[f.Slot] = f.Default
		}
	}
	return out
}

// askFields asks a request's fields one by one on w, reading the answers
// from in: an empty line takes the default (or leaves an optional field
// out); "/decline" and "/cancel" answer the whole request. A rejected value
// is asked again; the end of the input cancels.
func askFields(in *bufio.Reader, w io.Writer, message string, fields []agent.Question) (agent.ElicitResult, error) {
	fmt.Fprintf(w, "%s\n", message)
	values := map[string]any{}
	for _, f := range fields {
		for {
			hint := f.DataType
			if len(f.Allowed) > 0 {
				hint += fmt.Sprintf(", one of %v", f.Allowed)
			}
			if f.Default != nil {
				hint += fmt.Sprintf(", default %v", f.Default)
			} else if f.Optional {
				hint += ", optional"
			}
			fmt.Fprintf(w, "  %s — %s (%s): ", f.Slot, f.Text, hint)
			line, err := in.ReadString('\n')
			if err != nil && line == "" {
				fmt.Fprintln(w)
				return agent.ElicitResult{Action: agent.ElicitCancel}, nil
			}
			line = strings.TrimSpace(line)
			switch line {
			case "/decline":
				return agent.ElicitResult{Action: agent.ElicitDecline}, nil
			case "/cancel":
				return agent.ElicitResult{Action: agent.ElicitCancel}, nil
			case "":
				if f.Default == nil && !f.Optional {
					fmt.Fprintln(w, "  an answer is required")
					continue
				}
				delete(values, f.Slot)
			default:
				values[f.Slot] = line
			}
			if _, err := agent.CoerceAnswers([]agent.Question{f}, pick(values, f.Slot)); err != nil {
				fmt.Fprintf(w, "  %v\n", err)
				continue
			}
			break
		}
	}
	checked, err := agent.CoerceAnswers(fields, values)
	if err != nil {
		return agent.ElicitResult{}, err
	}
	return agent.ElicitResult{Action: agent.ElicitAccept, Values: checked}, nil
}

// pick is the entry of key in m, alone.
func pick(m map[string]any, key string) map[string]any {
	if v, ok := m[key]; ok {
		return map[string]any{key: v}
	}
	return map[string]any{}
}
