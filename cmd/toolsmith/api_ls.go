package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/registry"
)

func newAPILsCmd(a *app) *cobra.Command {
	var ns, query string
	var limit int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "ls [--namespace NS] [--query TEXT [--limit N]] [--json]",
		Short: "List registered APIs, or those most relevant to a query",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			s, err := a.openStore(ctx)
			if err != nil {
				return storeErr("api ls", err)
			}
			defer s.Close()
			var apis []registry.API
			var scores, coverage []float64
			if query != "" {
				hits, err := registry.NewSearcher(s, registry.SearchOptions{}).APIs(ctx, ns, query, limit)
				if err != nil {
					return storeErr("api ls", err)
				}
				for _, h := range hits {
					apis = append(apis, h.API)
					scores = append(scores, h.Score)
					coverage = append(coverage, h.Coverage)
				}
			} else if apis, err = s.ListAPIs(ctx, ns); err != nil {
				return storeErr("api ls", err)
			}
			for i := range apis {
				apis[i].Effect = registry.EffectOf(&apis[i]) // the default made explicit
			}
			if asJSON {
				if apis == nil {
					apis = []registry.API{}
				}
				return json.NewEncoder(a.stdout).Encode(apis)
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			head := "NAME\tEFFECT\tINPUTS\tOUTPUTS\tBINDING\tDESCRIPTION"
			if query != "" {
				head = "SCORE\tCOVER\t" + head
			}
			fmt.Fprintln(tw, head)
			for i, api := range apis {
				binding := "-"
				if api.Binding != nil {
					binding = string(api.Binding.Kind)
				}
				if query != "" {
					fmt.Fprintf(tw, "%.2f\t%.2f\t", scores[i], coverage[i])
				}
				fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\n", api.Name, api.Effect, len(api.Inputs), len(api.Outputs), binding, oneLine(api.Description, 60))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&ns, "namespace", registry.DefaultNamespace, "namespace to list")
	cmd.Flags().StringVar(&query, "query", "", "rank APIs by relevance to this text (BM25 over names, descriptions, parameters)")
	cmd.Flags().IntVar(&limit, "limit", 10, "with --query: at most this many APIs")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the APIs as a JSON list")
	return cmd
}

// oneLine shortens text to one line of at most n runes.
func oneLine(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if r := []rune(text); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return text
}
