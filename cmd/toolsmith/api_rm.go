package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/registry"
)

func newAPIRmCmd(a *app) *cobra.Command {
	var ns string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "rm NAME... [--namespace NS] [--json]",
		Short: "Remove APIs; exit 1 when one is unknown (the others are still removed)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, names []string) error {
			s, err := a.openStore(cmd.Context())
			if err != nil {
				return storeErr("api rm", err)
			}
			defer s.Close()
			removed := []string{}
			var firstErr error
			for _, name := range names {
				if err := s.DeleteAPI(cmd.Context(), ns, name); err != nil {
					if firstErr == nil {
						firstErr = err
					}
					continue
				}
				removed = append(removed, name)
			}
			if asJSON {
				if err := json.NewEncoder(a.stdout).Encode(map[string]any{"namespace": ns, "removed": removed}); err != nil {
					return err
				}
			} else {
				for _, name := range removed {
					fmt.Fprintf(a.stdout, "removed %s\n", name)
				}
			}
			if firstErr != nil {
				return storeErr("api rm", firstErr)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&ns, "namespace", registry.DefaultNamespace, "namespace of the APIs")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}
