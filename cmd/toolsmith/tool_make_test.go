package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const wordSortingExamples = "../../examples/bigbench/word_sorting.jsonl"

// TestToolMakeAndSolve makes the word-sorting tool from the example's
// JSON lines with the scripted Maker (its first reply fails verification),
// then answers requests with it.
func TestToolMakeAndSolve(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	base := []string{"--store", db, "--scripted", bbhScriptFile}
	code, out, stderr := runCLI(t, "", append(base, "tool", "make", "--family", "word_sorting", "--examples", wordSortingExamples)...)
	if code != 0 || !strings.Contains(out, "made word_sorting version 1: verified on 3 examples, 2 maker replies") ||
		!strings.Contains(stderr, "verify") {
		t.Fatalf("make: exit %d, %q, %q", code, out, stderr)
	}
	code, out, stderr = runCLI(t, "", append(base, "tool", "solve", "--family", "word_sorting", "Sort the following words alphabetically: List: pear apple fig")...)
	if code != 0 || out != "apple fig pear\n" || !strings.Contains(stderr, "via parse; 0 model calls") {
		t.Fatalf("solve: exit %d, %q, %q", code, out, stderr)
	}
	// With no model configured at all the Parse path still answers.
	for _, v := range []string{"TOOLSMITH_SCRIPTED", "TOOLSMITH_MAKER_MODEL", "TOOLSMITH_USER_MODEL", "TOOLSMITH_DISPATCHER_MODEL"} {
		t.Setenv(v, "")
	}
	code, out, stderr = runCLI(t, "", "--store", db, "tool", "solve", "--family", "word_sorting", "Sort the following words alphabetically: List: y x")
	if code != 0 || out != "x y\n" {
		t.Fatalf("solve without models: exit %d, %q, %q", code, out, stderr)
	}
	code, _, stderr = runCLI(t, "", "--store", db, "tool", "solve", "Sort the following words alphabetically: List: y x")
	if code != 2 || !strings.Contains(stderr, "no dispatcher model") {
		t.Fatalf("dispatch without models: exit %d, %q", code, stderr)
	}
	// Dispatched (the scripted Dispatcher routes it), read from stdin, JSON.
	code, out, stderr = runCLI(t, "Sort the following words alphabetically: List: b c a", append(base, "tool", "solve", "--json", "-")...)
	var ans struct {
		Answer string `json:"answer"`
		Path   string `json:"path"`
		Tool   string `json:"tool"`
		Usage  struct {
			Calls int `json:"calls"`
		} `json:"usage"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &ans) != nil || ans.Answer != "a b c" || ans.Path != "parse" || ans.Tool != "word_sorting" || ans.Usage.Calls != 1 {
		t.Fatalf("solve --json: exit %d, %q, %q", code, out, stderr)
	}
	// Remaking gives version 2; the tool shows in the registry commands.
	code, out, _ = runCLI(t, "", append(base, "tool", "make", "--family", "word_sorting", "--examples", wordSortingExamples, "--json")...)
	if code != 0 || !strings.Contains(out, `"version": 2`) {
		t.Fatalf("remake: exit %d, %q", code, out)
	}
	code, out, _ = runCLI(t, "", append(base, "tool", "show", "word_sorting")...)
	if code != 0 || !strings.Contains(out, "word_sorting") {
		t.Errorf("show: exit %d, %q", code, out)
	}
}

func TestToolMakeHostile(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "s.yaml")
	err := os.WriteFile(script, []byte("rules:\n  - role: maker\n    reply: |\n      ```go\n      package tool\n      import \"os/exec\"\n      func Solve(s string) string { out, _ := exec.Command(\"id\").Output(); return string(out) }\n      ```\n"), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "t.db")
	code, out, stderr := runCLI(t, "", "--store", db, "--scripted", script, "tool", "make", "--family", "word_sorting", "--examples", wordSortingExamples, "--propose-rounds", "2")
	if code != 1 || out != "" || strings.Count(stderr, "forbidden") < 2 || !strings.Contains(stderr, "marked failed") {
		t.Fatalf("exit %d, %q, %q; want 1 with two forbidden replies", code, out, stderr)
	}
	code, out, _ = runCLI(t, "", "--store", db, "tool", "ls")
	if code != 0 || strings.Contains(out, "word_sorting") {
		t.Errorf("a rejected tool was registered: %q", out)
	}
}

func TestToolMakeSolveBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte("{\"input\": \"x\"}\n"), 0o644)
	one := filepath.Join(dir, "one.jsonl")
	os.WriteFile(one, []byte("{\"input\": \"x\", \"target\": \"y\"}\n"), 0o644)
	db := filepath.Join(dir, "t.db")
	tests := []struct {
		args   []string
		reason string
	}{
		{[]string{"tool", "make"}, "--family is required"},
		{[]string{"tool", "make", "--family", "a b"}, "not a valid name"},
		{[]string{"tool", "make", "--family", "f", "--examples", bad}, "needs an input and a target"},
		{[]string{"tool", "make", "--family", "f", "--examples", one}, "at least one to verify"},
		{[]string{"tool", "make", "--family", "f", "--examples", filepath.Join(dir, "none.jsonl")}, "no such file"},
		{[]string{"tool", "make", "--family", "nofamily"}, "not found"},
		{[]string{"tool", "solve", " "}, "empty"},
		{[]string{"tool", "solve", "--family", "a/b", "x"}, "not a valid name"},
		{[]string{"tool", "solve"}, "accepts 1 arg"},
	}
	for _, tc := range tests {
		code, _, stderr := runCLI(t, "", append([]string{"--store", db, "--scripted", bbhScriptFile}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.reason) {
			t.Errorf("%v: exit %d, %q; want 2 with %q", tc.args, code, stderr, tc.reason)
		}
	}
}

// TestToolMakeAndSolveInANamespace: --namespace keeps a tenant's tools
// apart; another namespace has none to solve with.
func TestToolMakeAndSolveInANamespace(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	base := []string{"--store", db, "--scripted", bbhScriptFile}
	code, out, stderr := runCLI(t, "", append(base, "tool", "make", "--namespace", "team-a", "--family", "word_sorting", "--examples", wordSortingExamples)...)
	if code != 0 || !strings.Contains(out, "made word_sorting version 1") {
		t.Fatalf("make: exit %d, %q, %q", code, out, stderr)
	}
	input := "Sort the following words alphabetically: List: pear apple fig"
	code, out, _ = runCLI(t, "", append(base, "tool", "solve", "--namespace", "team-a", "--family", "word_sorting", input)...)
	if code != 0 || out != "apple fig pear\n" {
		t.Fatalf("solve in team-a: exit %d, %q", code, out)
	}
	code, out, _ = runCLI(t, "", append(base, "tool", "ls", "--namespace", "team-b")...)
	if code != 0 || strings.Contains(out, "word_sorting") {
		t.Fatalf("team-b lists team-a's tool: %q", out)
	}
	if code, _, stderr = runCLI(t, "", append(base, "tool", "solve", "--namespace", "a:b", input)...); code != 2 || !strings.Contains(stderr, "--namespace") {
		t.Fatalf("bad namespace: exit %d, %q", code, stderr)
	}
}
