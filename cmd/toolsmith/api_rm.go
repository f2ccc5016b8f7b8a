package main

import (
	"context"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/registry"
)

func newAPIRmCmd(a *app) *cobra.Command {
	return newRemoveCmd(a, "api rm", "APIs", func(ctx context.Context, s registry.Store, ns, name string) error {
		return s.DeleteAPI(ctx, ns, name)
	})
}
