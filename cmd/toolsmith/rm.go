package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// newRemoveCmd builds an "rm NAME..." command that deletes records of one
// kind (plural names them in help, e.g. "APIs") with del. Every name is
// tried; the exit code reports the first failure (1 for an unknown name).
func newRemoveCmd(a *app, command, plural string, del func(ctx context.Context, s registry.Store, ns, name string) error) *cobra.Command {
	var ns string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "rm NAME... [--namespace NS] [--json]",
		Short: "Remove " + plural + "; exit 1 when one is unknown (the others are still removed)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, names []string) error {
			s, err := a.openStore(cmd.Context())
			if err != nil {
				return storeErr(command, err)
			}
			defer s.Close()
			removed := []string{}
			var firstErr error
			for _, name := range names {
				if err := del(cmd.Context(), s, ns, name); err != nil {
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
				return storeErr(command, firstErr)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&ns, "namespace", registry.DefaultNamespace, "namespace of the "+plural)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}
