package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/redis/go-redis/v9"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// toolsmithHome resolves the home directory: --home, $TOOLSMITH_HOME, else
// ~/.toolsmith.
func (a *app) toolsmithHome() (string, error) {
	if a.homeFlag != "" {
		return a.homeFlag, nil
	}
	if h := os.Getenv("TOOLSMITH_HOME"); h != "" {
		return h, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no home directory for the default store (set --home or TOOLSMITH_HOME): %w", err)
	}
	return filepath.Join(home, ".toolsmith"), nil
}

// storeTarget resolves the store: --store, $TOOLSMITH_STORE, $REDIS_URL,
// else the bbolt file $TOOLSMITH_HOME/toolsmith.db. source says which.
func (a *app) storeTarget() (target, source string, err error) {
	switch {
	case a.storeFlag != "":
		return a.storeFlag, "--store", nil
	case os.Getenv("TOOLSMITH_STORE") != "":
		return os.Getenv("TOOLSMITH_STORE"), "TOOLSMITH_STORE", nil
	case os.Getenv("REDIS_URL") != "":
		return os.Getenv("REDIS_URL"), "REDIS_URL", nil
	}
	home, err := a.toolsmithHome()
	if err != nil {
		return "", "", err
	}
	return filepath.Join(home, "toolsmith.db"), "default", nil
}

// storeSetting returns the effective store setting, with any password in a
// Redis URL masked, and where it came from ("--store", "TOOLSMITH_STORE",
// "REDIS_URL" or "default"), for `toolsmith config`.
func (a *app) storeSetting() (setting, source string, err error) {
	target, source, err := a.storeTarget()
	if err != nil {
		return "", "", err
	}
	return registry.Redact(target), source, nil
}

// openStore opens the effective store, creating the home directory for the
// default bbolt file. The caller closes the store.
func (a *app) openStore(ctx context.Context) (registry.Store, error) {
	target, source, err := a.storeTarget()
	if err != nil {
		return nil, err
	}
	if registry.IsRedisURL(target) {
		// go-redis logs dial failures itself; the error we return says it.
		redis.SetLogger(quietRedisLogger{})
	} else if source == "default" {
		if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
			return nil, fmt.Errorf("create toolsmith home: %w", err)
		}
	}
	return registry.Open(ctx, target, registry.Options{})
}

// quietRedisLogger sends go-redis's own log lines to slog at debug level.
type quietRedisLogger struct{}

// Printf implements go-redis's logger interface.
func (quietRedisLogger) Printf(ctx context.Context, format string, v ...any) {
	slog.DebugContext(ctx, "redis: "+fmt.Sprintf(format, v...))
}

// storeErr maps registry errors to exit codes: invalid records are bad input
// (2), missing records 1, an unreachable store 3.
func storeErr(cmd string, err error) error {
	var ve *registry.ValidationError
	var ue *registry.UnavailableError
	switch {
	case errors.As(err, &ve):
		return usageErr("%s: %v", cmd, err)
	case errors.As(err, &ue):
		return exitWith(3, "%s: %v", cmd, err)
	}
	return exitWith(1, "%s: %v", cmd, err)
}
