package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigCommand(t *testing.T) {
	home := t.TempDir()
	t.Setenv("TOOLSMITH_STORE", "")
	t.Setenv("REDIS_URL", "")
	t.Setenv("TOOLSMITH_SCRIPTED", "")
	t.Setenv("TOOLSMITH_MAKER_MODEL", "")
	t.Setenv("TOOLSMITH_USER_MODEL", "")
	t.Setenv("OPENAI_API_KEY", "sk-secret-value-1234567890")

	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		code   int
		stdout []string // substrings of stdout
		notOut []string // must not appear anywhere
		stderr string   // substring of stderr
	}{
		{
			name:   "defaults",
			args:   []string{"config", "--home", home},
			stdout: []string{filepath.Join(home, "toolsmith.db"), "embedded bbolt", "TOOLSMITH_MAKER_MODEL"},
			notOut: []string{"sk-secret-value-1234567890"},
		},
		{
			name:   "check opens the models and the default store",
			args:   []string{"config", "--home", home, "--check", "--scripted", filepath.Join("..", "..", "examples", "scripted", "hello.yaml")},
			stdout: []string{"ok: models configured, store reachable", "sandbox confinement on this machine", "seccomp"},
		},
		{
			name:   "check without any model says so",
			args:   []string{"config", "--home", home, "--check"},
			code:   2,
			stderr: "model",
		},
		{
			name:   "check names a missing provider key",
			env:    map[string]string{"TOOLSMITH_MAKER_MODEL": "anthropic:claude-sonnet-4-5", "ANTHROPIC_API_KEY": ""},
			args:   []string{"config", "--home", home, "--check"},
			code:   2,
			stderr: "ANTHROPIC_API_KEY",
		},
		{
			name:   "wrong model string names the setting",
			env:    map[string]string{"TOOLSMITH_MAKER_MODEL": "gpt-4"},
			args:   []string{"config", "--home", home, "--check"},
			code:   2,
			stderr: "TOOLSMITH_MAKER_MODEL",
		},
		{
			name:   "unreachable store names the setting",
			env:    map[string]string{"TOOLSMITH_STORE": "redis://127.0.0.1:1/0"},
			args:   []string{"config", "--check", "--scripted", filepath.Join("..", "..", "examples", "scripted", "hello.yaml")},
			code:   2,
			stderr: "store redis://127.0.0.1:1/0 (TOOLSMITH_STORE)",
		},
		{
			name:   "store flag wins",
			env:    map[string]string{"TOOLSMITH_STORE": "redis://127.0.0.1:1/0"},
			args:   []string{"config", "--store", filepath.Join(home, "other.db")},
			stdout: []string{"other.db", "from --store"},
		},
		{
			name:   "password in a redis URL is masked",
			env:    map[string]string{"TOOLSMITH_STORE": "redis://:hunter2@127.0.0.1:6379/0"},
			args:   []string{"config"},
			stdout: []string{"127.0.0.1:6379"},
			notOut: []string{"hunter2"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			code, out, errOut := runCLI(t, "", tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.code, errOut)
			}
			for _, s := range tc.stdout {
				if !strings.Contains(out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tc.notOut {
				if strings.Contains(out+errOut, s) {
					t.Errorf("output shows %q", s)
				}
			}
			if tc.stderr != "" && !strings.Contains(errOut, tc.stderr) {
				t.Errorf("stderr %q lacks %q", errOut, tc.stderr)
			}
		})
	}
}

func TestConfigJSON(t *testing.T) {
	t.Setenv("TOOLSMITH_STORE", "")
	t.Setenv("REDIS_URL", "")
	code, out, errOut := runCLI(t, "", "config", "--json", "--home", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var settings []setting
	if err := json.Unmarshal([]byte(out), &settings); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	names := map[string]bool{}
	for _, s := range settings {
		names[s.Name] = true
	}
	for _, want := range []string{"TOOLSMITH_STORE", "TOOLSMITH_HOME", "TOOLSMITH_MAKER_MODEL", "TOOLSMITH_USER_MODEL", "TOOLSMITH_SCRIPTED"} {
		if !names[want] {
			t.Errorf("no %s in %v", want, names)
		}
	}
}
