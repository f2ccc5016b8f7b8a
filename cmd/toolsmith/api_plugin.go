package main

import (
	"context"
	"path/filepath"

	"github.com/toolsmith-dev/toolsmith/agent/plugin"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// describePlugin starts the plugin program at path, reads its APIs (bound to
// the program's absolute path) and stops it.
func describePlugin(ctx context.Context, path string) ([]registry.API, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	c := &plugin.Client{Path: abs}
	defer c.Close()
	return c.Describe(ctx)
}
