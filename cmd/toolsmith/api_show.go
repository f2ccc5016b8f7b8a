package main

import (
	"encoding/json"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/registry"
	"gopkg.in/yaml.v3"
)

func newAPIShowCmd(a *app) *cobra.Command {
	var ns string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show NAME [--namespace NS] [--json]",
		Short: "Show one API (YAML, or JSON with --json); exit 1 when unknown",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.openStore(cmd.Context())
			if err != nil {
				return storeErr("api show", err)
			}
			defer s.Close()
			api, err := s.GetAPI(cmd.Context(), ns, args[0])
			if err != nil {
				return storeErr("api show", err)
			}
			api.Effect = registry.EffectOf(&api) // the default made explicit
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(api)
			}
			enc := yaml.NewEncoder(a.stdout)
			enc.SetIndent(2)
			if err := enc.Encode(api); err != nil {
				return err
			}
			return enc.Close()
		},
	}
	cmd.Flags().StringVar(&ns, "namespace", registry.DefaultNamespace, "namespace of the API")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the API as JSON")
	return cmd
}
