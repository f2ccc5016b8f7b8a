package llmtest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/llm"
)

func TestModelsAndFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "script.yaml")
	script := "models:\n  maker: openai:gpt-4.1\nrules:\n  - role: maker\n    reply: from the file\n"
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	ask := func(ms *llm.Models) string {
		t.Helper()
		reply, err := llm.Complete(context.Background(), ms.Maker, "", "hello")
		if err != nil {
			t.Fatal(err)
		}
		return reply
	}
	tests := []struct {
		name string
		ms   *llm.Models
		want string
	}{
		{"text", Models(t, script), "from the file"},
		{"file", File(t, path, ""), "from the file"},
		{"file after first rules", File(t, path, "  - when: hello\n    reply: first\n"), "first"},
		{"first rules that do not match", File(t, path, "  - when: goodbye\n    reply: first\n"), "from the file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.ms.Scripted {
				t.Error("models not marked scripted")
			}
			if got := ask(tc.ms); got != tc.want {
				t.Errorf("reply %q, want %q", got, tc.want)
			}
		})
	}
	if ms := File(t, path, "  - reply: x\n"); ms.ScriptFile != path || !strings.Contains(ms.Maker.Name, "gpt-4.1") {
		t.Errorf("the file's name and models are lost: %q, %q", ms.ScriptFile, ms.Maker.Name)
	}
}
