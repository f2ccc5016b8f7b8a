package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// This file holds the registry commands of "toolsmith tool": ls, show, rm
// and rollback.

func newToolLsCmd(a *app) *cobra.Command {
	var ns, family, query string
	var all, asJSON bool
	var limit int
	cmd := &cobra.Command{
		Use:   "ls [--family F] [--all] [--query TEXT [--limit N]] [--namespace NS] [--json]",
		Short: "List the registry's tools (current versions), or those most relevant to a query",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			s, err := a.openStore(ctx)
			if err != nil {
				return storeErr("tool ls", err)
			}
			defer s.Close()
			var tools []*registry.Tool
			var scores, coverage []float64
			if query != "" {
				hits, err := registry.NewSearcher(s, registry.SearchOptions{}).Tools(ctx, ns, query, registry.ToolQuery{Family: family, Limit: limit})
				if err != nil {
					return storeErr("tool ls", err)
				}
				for _, h := range hits {
					tools = append(tools, h.Tool)
					scores = append(scores, h.Score)
					coverage = append(coverage, h.Coverage)
				}
			} else if tools, err = s.ListTools(ctx, ns, registry.ToolFilter{Family: family, IncludeRemoved: all}); err != nil {
				return storeErr("tool ls", err)
			}
			if asJSON {
				if tools == nil {
					tools = []*registry.Tool{}
				}
				return json.NewEncoder(a.stdout).Encode(tools)
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			head := "NAME\tVERSION\tFAMILY\tVERIFIED\tDESCRIPTION"
			if query != "" {
				head = "SCORE\tCOVER\t" + head
			}
			fmt.Fprintln(tw, head)
			for i, t := range tools {
				if query != "" {
					fmt.Fprintf(tw, "%.2f\t%.2f\t", scores[i], coverage[i])
				}
				name := t.Name
				if t.Removed {
					name += " (removed)"
				}
				fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", name, t.Version, dash(t.Family), dash(string(t.Verification.Status)), oneLine(t.Description, 60))
			}
			return tw.Flush()
		},
	}
	f := cmd.Flags()
	f.StringVar(&ns, "namespace", registry.DefaultNamespace, "namespace to list")
	f.StringVar(&family, "family", "", "only tools of this task family")
	f.BoolVar(&all, "all", false, "also list removed tools")
	f.StringVar(&query, "query", "", "rank tools by relevance to this text (BM25 over names, descriptions, demos)")
	f.IntVar(&limit, "limit", 10, "with --query: at most this many tools")
	f.BoolVar(&asJSON, "json", false, "print the tools as a JSON list")
	return cmd
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func newToolShowCmd(a *app) *cobra.Command {
	var ns string
	var version int
	var source, asJSON bool
	cmd := &cobra.Command{
		Use:   "show NAME [--version N] [--source] [--namespace NS] [--json]",
		Short: "Show a tool: record, versions and call statistics; exit 1 when unknown",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := a.openStore(ctx)
			if err != nil {
				return storeErr("tool show", err)
			}
			defer s.Close()
			var t *registry.Tool
			if version > 0 {
				t, err = s.GetToolVersion(ctx, ns, args[0], version)
			} else {
				t, err = s.GetTool(ctx, ns, args[0])
			}
			if err != nil {
				return storeErr("tool show", err)
			}
			if source {
				fmt.Fprint(a.stdout, t.Source)
				if !strings.HasSuffix(t.Source, "\n") {
					fmt.Fprintln(a.stdout)
				}
				return nil
			}
			versions, err := s.ToolVersions(ctx, ns, t.Name)
			if err != nil {
				return storeErr("tool show", err)
			}
			stats, err := s.ToolStats(ctx, ns, t.Name)
			if err != nil {
				return storeErr("tool show", err)
			}
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]any{"tool": t, "versions": versions, "stats": stats})
			}
			printTool(a, t, versions, stats)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&ns, "namespace", registry.DefaultNamespace, "namespace of the tool")
	f.IntVar(&version, "version", 0, "show this version instead of the current one")
	f.BoolVar(&source, "source", false, "print only the Go source")
	f.BoolVar(&asJSON, "json", false, "print tool, versions and stats as JSON")
	return cmd
}

func printTool(a *app, t *registry.Tool, versions []registry.ToolVersion, st registry.ToolStats) {
	w := a.stdout
	state := ""
	if t.Removed {
		state = " (removed)"
	}
	fmt.Fprintf(w, "%s version %d%s\n", t.Name, t.Version, state)
	fmt.Fprintf(w, "  family:       %s\n", dash(t.Family))
	fmt.Fprintf(w, "  description:  %s\n", oneLine(t.Description, 100))
	funcs := t.Entry
	if t.Parse != "" {
		funcs += ", parse " + t.Parse
	}
	if t.Format != "" {
		funcs += ", format " + t.Format
	}
	fmt.Fprintf(w, "  entry:        %s\n", funcs)
	fmt.Fprintf(w, "  hash:         %s\n", t.Hash)
	v := t.Verification
	fmt.Fprintf(w, "  verification: %s (%d passed, %d failed)\n", dash(string(v.Status)), v.Passed, v.Failed)
	p := t.Provenance
	fmt.Fprintf(w, "  made by:      %s, %d+%d tokens, $%.4f, %s\n", dash(p.MakerModel), p.PromptTokens, p.CompletionTokens, p.CostUSD, p.Duration.Round(time.Millisecond))
	fmt.Fprintf(w, "  calls:        %d (%d failed), p50 %s, p95 %s", st.Calls, st.Failures, st.LatencyP50, st.LatencyP95)
	if !st.LastUsed.IsZero() {
		fmt.Fprintf(w, ", last %s", st.LastUsed.Format(time.RFC3339))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  source:       %d lines, %d demos, %d tests\n", strings.Count(t.Source, "\n"), len(t.Demos), len(t.Tests))
	fmt.Fprintln(w, "versions:")
	for _, ver := range versions {
		mark := " "
		if ver.Current {
			mark = "*"
		}
		fmt.Fprintf(w, " %s %d  %s  %s  %s\n", mark, ver.Version, ver.CreatedAt.Format(time.RFC3339), dash(string(ver.Status)), shortHash(ver.Hash))
	}
}

func shortHash(h string) string {
	h = strings.TrimPrefix(h, "sha256:")
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func newToolRmCmd(a *app) *cobra.Command {
	var ns string
	var restore, asJSON bool
	cmd := &cobra.Command{
		Use:   "rm NAME [--restore] [--namespace NS] [--json]",
		Short: "Remove a tool (soft: versions stay, --restore undoes it); exit 1 when unknown",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.openStore(cmd.Context())
			if err != nil {
				return storeErr("tool rm", err)
			}
			defer s.Close()
			verb := "removed"
			if restore {
				verb = "restored"
				err = s.RestoreTool(cmd.Context(), ns, args[0])
			} else {
				err = s.RemoveTool(cmd.Context(), ns, args[0])
			}
			if err != nil {
				return storeErr("tool rm", err)
			}
			if asJSON {
				return json.NewEncoder(a.stdout).Encode(map[string]any{"name": args[0], "namespace": ns, verb: true})
			}
			fmt.Fprintf(a.stdout, "%s %s\n", verb, args[0])
			return nil
		},
	}
	cmd.Flags().StringVar(&ns, "namespace", registry.DefaultNamespace, "namespace of the tool")
	cmd.Flags().BoolVar(&restore, "restore", false, "undo an earlier rm")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}

func newToolRollbackCmd(a *app) *cobra.Command {
	var ns string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "rollback NAME [VERSION] [--namespace NS] [--json]",
		Short: "Make an older version of a tool current (default: the one before the current)",
		Args:  cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			target := 0
			if len(args) == 2 {
				v, err := strconv.Atoi(args[1])
				if err != nil || v < 1 {
					return usageErr("tool rollback: version %q is not a positive integer", args[1])
				}
				target = v
			}
			s, err := a.openStore(ctx)
			if err != nil {
				return storeErr("tool rollback", err)
			}
			defer s.Close()
			versions, err := s.ToolVersions(ctx, ns, args[0])
			if err != nil {
				return storeErr("tool rollback", err)
			}
			from := 0
			for _, v := range versions {
				if v.Current {
					from = v.Version
				}
			}
			if target == 0 {
				if from <= 1 {
					return exitWith(1, "tool rollback: %s has no version before %d", args[0], from)
				}
				target = from - 1
			}
			if err := s.RollbackTool(ctx, ns, args[0], target); err != nil {
				return storeErr("tool rollback", err)
			}
			if asJSON {
				return json.NewEncoder(a.stdout).Encode(map[string]any{"name": args[0], "namespace": ns, "from": from, "current": target})
			}
			fmt.Fprintf(a.stdout, "%s: version %d is current (was %d)\n", args[0], target, from)
			return nil
		},
	}
	cmd.Flags().StringVar(&ns, "namespace", registry.DefaultNamespace, "namespace of the tool")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}
