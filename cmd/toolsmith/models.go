package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/toolsmith-dev/toolsmith/llm"
)

// modelConfig resolves the model configuration: the environment through
// getenv, with --scripted over $TOOLSMITH_SCRIPTED.
func (a *app) modelConfig(getenv func(string) string) llm.Config {
	cfg := llm.ConfigFromEnv(getenv)
	if a.scriptedFlag != "" {
		cfg.Scripted = a.scriptedFlag
	}
	return cfg
}

// modelSettings lists the effective model settings with secrets masked, for
// `toolsmith config`; a scripted file given with --scripted is noted so.
func (a *app) modelSettings() []llm.Setting {
	settings := a.modelConfig(os.Getenv).Describe()
	if a.scriptedFlag != "" {
		for i := range settings {
			if settings[i].Name == llm.EnvScripted {
				settings[i].Note = "from --scripted"
			}
		}
	}
	return settings
}

// openModels opens the four role models from the environment and
// --scripted. A configuration error (a wrong model string, a missing key or
// scripted file, no model at all) is a usage error: exit 2 with a one-line
// reason naming the setting.
func (a *app) openModels(ctx context.Context) (*llm.Models, error) {
	return a.openModelsEnv(ctx, os.Getenv)
}

func (a *app) openModelsEnv(ctx context.Context, getenv func(string) string) (*llm.Models, error) {
	cfg := a.modelConfig(getenv)
	ms, err := llm.Open(ctx, cfg)
	if err != nil {
		if a.scriptedFlag != "" && cfg.Script == nil && !isSettingError(err) {
			return nil, usageErr("--scripted: %v", err)
		}
		return nil, usageErr("%v", err)
	}
	return ms, nil
}

// isSettingError reports whether err already names the setting at fault.
func isSettingError(err error) bool {
	var se *llm.SpecError
	var mk *llm.MissingKeyError
	return errors.As(err, &se) || errors.As(err, &mk) || errors.Is(err, llm.ErrNoModel)
}

// scriptedNotice returns the line commands print when the scripted model is
// in use ("using the scripted model from FILE: no model is called"), or ""
// when real models are called.
func scriptedNotice(ms *llm.Models) string {
	if ms == nil {
		return ""
	}
	return ms.Notice()
}

// noteScripted prints scriptedNotice to stderr, if there is one, so that
// stdout stays machine-readable.
func (a *app) noteScripted(ms *llm.Models) {
	if n := scriptedNotice(ms); n != "" {
		fmt.Fprintln(a.stderr, "toolsmith: "+n)
	}
}
