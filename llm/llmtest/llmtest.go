// Package llmtest gives tests of packages built on llm models that answer
// from scripted rules (see llm.Script), never from a network.
package llmtest

import (
	"context"
	"testing"

	"github.com/toolsmith-dev/toolsmith/llm"
)

// Models returns models whose every role answers from the scripted-model
// YAML text script.
func Models(tb testing.TB, script string) *llm.Models {
	tb.Helper()
	s, err := llm.ParseScript([]byte(script))
	if err != nil {
		tb.Fatalf("llmtest: %v", err)
	}
	return open(tb, s)
}

// File returns models answering from the scripted-model file path. The
// rules of first (YAML list items, as written under "rules:"; empty for
// none) are tried before the file's own, so a test can change a few
// answers of a shared script.
func File(tb testing.TB, path, first string) *llm.Models {
	tb.Helper()
	s, err := llm.LoadScript(path)
	if err != nil {
		tb.Fatalf("llmtest: %v", err)
	}
	if first != "" {
		extra, err := llm.ParseScript([]byte("rules:\n" + first))
		if err != nil {
			tb.Fatalf("llmtest: rules before %s: %v", path, err)
		}
		s = &llm.Script{Path: s.Path, Models: s.Models, Rules: append(extra.Rules, s.Rules...)}
	}
	return open(tb, s)
}

func open(tb testing.TB, s *llm.Script) *llm.Models {
	tb.Helper()
	ms, err := llm.Open(context.Background(), llm.Config{Script: s})
	if err != nil {
		tb.Fatalf("llmtest: %v", err)
	}
	return ms
}
