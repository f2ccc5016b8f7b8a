package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/asp"
	"github.com/toolsmith-dev/toolsmith/planner"
	"github.com/toolsmith-dev/toolsmith/registry"
)

func newPolicyCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Store a namespace's ASP policies, applied to every plan over its APIs",
		Long: `Store team policies (ASP programs, see examples/policies) in the registry.
Every plan made over a namespace's registered APIs — toolsmith plan without
--apis, chat and serve — adds the namespace's policies to the built-in rules,
each named "policy NAME" in error messages. A running serve reads a
namespace's policies when it first serves the namespace.`,
	}
	for _, newSub := range []func(*app) *cobra.Command{
		newPolicyAddCmd,
		newPolicyLsCmd,
		newPolicyShowCmd,
		newPolicyRmCmd,
	} {
		cmd.AddCommand(newSub(a))
	}
	return cmd
}

func newPolicyAddCmd(a *app) *cobra.Command {
	var name, ns, desc string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "add FILE.lp [--name NAME] [--namespace NS] [--description TEXT] [--json]",
		Short: "Store an ASP policy (replacing one of the same name)",
		Long: `Store the ASP program in FILE.lp as a policy of the namespace. The name is
--name, else the file's base name without its extension; the description is
--description, else the file's first comment line. The program must parse:
a syntax error exits 2 with its file:line:col.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			file := args[0]
			src, err := os.ReadFile(file)
			if err != nil {
				return usageErr("policy add: %v", err)
			}
			if _, err := asp.Parse(file, src); err != nil {
				return usageErr("policy add: %v", err)
			}
			if name == "" {
				name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
			}
			if desc == "" {
				desc = firstComment(string(src))
			}
			s, err := a.openStore(cmd.Context())
			if err != nil {
				return storeErr("policy add", err)
			}
			defer s.Close()
			p := &registry.Policy{Name: name, Namespace: ns, Source: string(src), Description: desc}
			if err := s.PutPolicy(cmd.Context(), p); err != nil {
				return storeErr("policy add", err)
			}
			if asJSON {
				return json.NewEncoder(a.stdout).Encode(p)
			}
			fmt.Fprintf(a.stdout, "stored policy %s in namespace %s (%d bytes)\n", p.Name, p.Namespace, len(p.Source))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&name, "name", "", "policy name (default: the file name without extension)")
	fl.StringVar(&ns, "namespace", registry.DefaultNamespace, "namespace whose plans the policy applies to")
	fl.StringVar(&desc, "description", "", "description (default: the file's first comment line)")
	fl.BoolVar(&asJSON, "json", false, "print the stored policy as JSON")
	return cmd
}

// firstComment returns the text of the first line of src that is an ASP
// comment ("% ..."), or "".
func firstComment(src string) string {
	for line := range strings.Lines(src) {
		line = strings.TrimSpace(line)
		if text, ok := strings.CutPrefix(line, "%"); ok {
			if text = strings.TrimSpace(strings.TrimLeft(text, "%*")); text != "" {
				return text
			}
		}
	}
	return ""
}

func newPolicyLsCmd(a *app) *cobra.Command {
	var ns string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "ls [--namespace NS] [--json]",
		Short: "List a namespace's policies",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := a.openStore(cmd.Context())
			if err != nil {
				return storeErr("policy ls", err)
			}
			defer s.Close()
			ps, err := s.ListPolicies(cmd.Context(), ns)
			if err != nil {
				return storeErr("policy ls", err)
			}
			if asJSON {
				if ps == nil {
					ps = []*registry.Policy{}
				}
				return json.NewEncoder(a.stdout).Encode(ps)
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tBYTES\tUPDATED\tDESCRIPTION")
			for _, p := range ps {
				fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", p.Name, len(p.Source), p.UpdatedAt.Format("2006-01-02 15:04:05Z"), oneLine(p.Description, 60))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&ns, "namespace", registry.DefaultNamespace, "namespace to list")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the policies as a JSON list")
	return cmd
}

func newPolicyShowCmd(a *app) *cobra.Command {
	var ns string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show NAME [--namespace NS] [--json]",
		Short: "Print a policy's ASP program (the record with --json); exit 1 when unknown",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.openStore(cmd.Context())
			if err != nil {
				return storeErr("policy show", err)
			}
			defer s.Close()
			p, err := s.GetPolicy(cmd.Context(), ns, args[0])
			if err != nil {
				return storeErr("policy show", err)
			}
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(p)
			}
			_, err = fmt.Fprint(a.stdout, p.Source)
			return err
		},
	}
	cmd.Flags().StringVar(&ns, "namespace", registry.DefaultNamespace, "namespace of the policy")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the policy record as JSON")
	return cmd
}

func newPolicyRmCmd(a *app) *cobra.Command {
	return newRemoveCmd(a, "policy rm", "policies", func(ctx context.Context, s registry.Store, ns, name string) error {
		return s.DeletePolicy(ctx, ns, name)
	})
}

// namespaceConfig is what withNamespace reads of a namespace: its
// settings and its policies.
type namespaceConfig interface {
	GetSettings(ctx context.Context, ns string) (*registry.Settings, error)
	ListPolicies(ctx context.Context, ns string) ([]*registry.Policy, error)
}

// withNamespace returns po with namespace ns's stored settings applied
// (costs, fixed account inputs: planner.Options.WithSettings) and its
// stored policies added after po's rules, each named "policy NAME" in
// error messages. po's slices and maps are copied, never changed in place,
// so one Options value may be the base of several namespaces' planners.
func withNamespace(ctx context.Context, store namespaceConfig, ns string, po planner.Options) (planner.Options, error) {
	st, err := store.GetSettings(ctx, ns)
	if err != nil {
		return po, fmt.Errorf("read the settings of namespace %s: %w", ns, err)
	}
	po = po.WithSettings(st)
	ps, err := store.ListPolicies(ctx, ns)
	if err != nil {
		return po, fmt.Errorf("read the policies of namespace %s: %w", ns, err)
	}
	if len(ps) == 0 {
		return po, nil
	}
	rules := make([]string, len(po.Rules), len(po.Rules)+len(ps))
	copy(rules, po.Rules)
	names := make([]string, len(po.Rules), len(po.Rules)+len(ps))
	copy(names, po.RuleNames) // names beyond po.Rules are dropped, missing ones stay ""
	for _, p := range ps {
		rules = append(rules, p.Source)
		names = append(names, "policy "+p.Name)
	}
	po.Rules, po.RuleNames = rules, names
	return po, nil
}

// flagRules returns po keeping only its first n rules: the --rules files,
// which agentOptions puts before any namespace's policies.
func flagRules(po planner.Options, n int) planner.Options {
	n = min(n, len(po.Rules))
	po.Rules = po.Rules[:n:n]
	po.RuleNames = po.RuleNames[:min(n, len(po.RuleNames)):min(n, len(po.RuleNames))]
	return po
}
