package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const runTestTool = `package tool

import (
	"errors"
	"fmt"
	"strings"
)

// Shout upper-cases words and says how many there were.
func Shout(words []string, sep string) (string, error) {
	if len(words) == 0 {
		return "", errors.New("no words")
	}
	fmt.Println("shouting", len(words))
	return strings.ToUpper(strings.Join(words, sep)), nil
}
`

func TestToolRun(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tool := write("shout.go", runTestTool)
	loop := write("loop.go", "package main\nfunc main() { for {} }\n")
	evil := write("evil.go", "package main\nimport \"os\"\nfunc main() { os.Remove(\"x\") }\n")
	peek := write("peek.go", "package main\nimport (\"fmt\"; \"os\")\nfunc main() { _, err := os.ReadFile(\""+tool+"\"); fmt.Println(err) }\n")
	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		kind     string // with --json: the error kind
		contains string // in stdout (or stderr for exit 2)
	}{
		{"object args", []string{"--file", tool, "--args", `{"words": ["a", "b"], "sep": "-"}`}, 0, "", `result: "A-B"`},
		{"array args json", []string{"--file", tool, "--func", "Shout", "--args", `[["x"], ""]`, "--json"}, 0, "", `"result":"X"`},
		{"tool output", []string{"--file", tool, "--args", `[["x"], ""]`}, 0, "", "shouting 1"},
		{"tool error", []string{"--file", tool, "--args", `[[], ""]`, "--json"}, 1, "error", "no words"},
		{"bad args", []string{"--file", tool, "--args", `{"words": "a", "sep": ""}`, "--json"}, 1, "bad_args", `\"words\"`},
		{"timeout", []string{"--file", loop, "--timeout", "300ms", "--json"}, 1, "timeout", ""},
		{"forbidden", []string{"--file", evil, "--json"}, 1, "forbidden", `\"os\"`},
		{"readable failure", []string{"--file", evil}, 1, "", "error (forbidden)"},
		{"missing file", []string{"--file", filepath.Join(dir, "none.go")}, 2, "", "no such file"},
		{"no file", []string{}, 2, "", "--file is required"},
		{"args not json", []string{"--file", tool, "--args", `{words}`}, 2, "", "--args"},
		{"args scalar", []string{"--file", tool, "--args", `3`}, 2, "", "--args"},
		{"bad memory", []string{"--file", tool, "--memory", "lots"}, 2, "", "--memory"},
		{"memory below the minimum", []string{"--file", tool, "--memory", "16MiB"}, 2, "", "minimum"},
		{"confinement reported", []string{"--file", tool, "--args", `[["x"], ""]`, "--json", "--require-confinement"}, 0, "", `"confinement":{"layers":[{"layer":"user_namespace","active":true`},
		{"without the allow-list os is reachable", []string{"--file", evil, "--unsafe-no-allowlist", "--json"}, 0, "", `"ok":true`},
		{"without the allow-list the host is not", []string{"--file", peek, "--unsafe-no-allowlist"}, 0, "", "no such file or directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", append([]string{"tool", "run"}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout, stderr)
			}
			out := stdout
			if code == 2 {
				out = stderr
			}
			if !strings.Contains(out, tc.contains) {
				t.Errorf("output lacks %q:\n%s", tc.contains, out)
			}
			if tc.kind != "" {
				var res struct {
					OK    bool                  `json:"ok"`
					Error struct{ Kind string } `json:"error"`
				}
				if err := json.Unmarshal([]byte(stdout), &res); err != nil || res.OK || res.Error.Kind != tc.kind {
					t.Errorf("result %s (%v), want kind %s", stdout, err, tc.kind)
				}
			}
		})
	}
}

// The allow-list comes off loudly.
func TestToolRunUnsafeWarns(t *testing.T) {
	p := filepath.Join(t.TempDir(), "hi.go")
	if err := os.WriteFile(p, []byte("package main\nimport \"fmt\"\nfunc main() { fmt.Println(\"hi\") }\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "", "tool", "run", "--file", p, "--unsafe-no-allowlist")
	if code != 0 || !strings.Contains(stdout, "hi") || !strings.Contains(stderr, "warning: --unsafe-no-allowlist") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
}
