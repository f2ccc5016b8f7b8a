package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/toolsmith-dev/toolsmith/registry"
)

func TestToolRegistryCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	ctx := context.Background()
	s, err := registry.Open(ctx, db, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, body := range []string{"return words", "sort.Strings(words); return words"} {
		_, err := s.PutTool(ctx, &registry.Tool{Name: "word_sort", Family: "word_sorting",
			Description: "Sort words alphabetically", Entry: "Sort",
			Source:       "package main\n\nimport \"sort\"\n\nfunc Sort(words []string) []string { " + body + " }\n",
			Demos:        []registry.Demo{{Input: "Sort the following words alphabetically: List: pear apple"}},
			Verification: registry.Verification{Status: registry.VerifyPassed, Passed: 3 + i}})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.PutTool(ctx, &registry.Tool{Name: "dyck", Family: "dyck_languages", Entry: "Complete",
		Description: "Close the open parentheses of a sequence", Source: "package main\nfunc Complete(s string) string { return s }\n"}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		s.RecordCall(ctx, "", "word_sort", registry.Call{Latency: time.Millisecond, Failed: i == 0})
	}
	s.Close()

	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		reason string
	}{
		{"ls", []string{"tool", "ls"}, 0, "word_sort  2        word_sorting    passed", ""},
		{"ls family", []string{"tool", "ls", "--family", "dyck_languages"}, 0, "dyck", ""},
		{"ls query", []string{"tool", "ls", "--query", "close these parentheses: ( [", "--limit", "1"}, 0, "dyck", ""},
		{"show", []string{"tool", "show", "word_sort"}, 0, "calls:        3 (1 failed)", ""},
		{"show versions", []string{"tool", "show", "word_sort"}, 0, " * 2  ", ""},
		{"show source v1", []string{"tool", "show", "word_sort", "--version", "1", "--source"}, 0, "{ return words }", ""},
		{"show unknown", []string{"tool", "show", "nope"}, 1, "", `tool "nope" not found`},
		{"rollback", []string{"tool", "rollback", "word_sort"}, 0, "word_sort: version 1 is current (was 2)\n", ""},
		{"rollback none before", []string{"tool", "rollback", "word_sort"}, 1, "", "no version before 1"},
		{"rollback to 2", []string{"tool", "rollback", "word_sort", "2"}, 0, "version 2 is current (was 1)", ""},
		{"rollback missing", []string{"tool", "rollback", "word_sort", "9"}, 1, "", "version 9 not found"},
		{"rollback bad", []string{"tool", "rollback", "word_sort", "x"}, 2, "", "not a positive integer"},
		{"rm", []string{"tool", "rm", "dyck"}, 0, "removed dyck\n", ""},
		{"show removed", []string{"tool", "show", "dyck"}, 1, "", "not found"},
		{"ls all", []string{"tool", "ls", "--all"}, 0, "dyck (removed)", ""},
		{"rm again", []string{"tool", "rm", "dyck"}, 1, "", "not found"},
		{"restore", []string{"tool", "rm", "--restore", "dyck"}, 0, "restored dyck\n", ""},
	}
	for _, tc := range tests {
		code, out, reason := runStoreCmd(t, db, tc.args...)
		if code != tc.code || !strings.Contains(out, tc.stdout) || !strings.Contains(reason, tc.reason) {
			t.Errorf("%s: exit %d, stdout %q, reason %q; want exit %d, stdout with %q, reason with %q",
				tc.name, code, out, reason, tc.code, tc.stdout, tc.reason)
		}
	}
	_, out, _ := runStoreCmd(t, db, "tool", "show", "--json", "word_sort")
	var shown struct {
		Tool     registry.Tool          `json:"tool"`
		Versions []registry.ToolVersion `json:"versions"`
		Stats    registry.ToolStats     `json:"stats"`
	}
	if err := json.Unmarshal([]byte(out), &shown); err != nil || shown.Tool.Version != 2 || len(shown.Versions) != 2 || shown.Stats.Calls != 3 {
		t.Fatalf("tool show --json = %q, %v", out, err)
	}
	_, out, _ = runStoreCmd(t, db, "tool", "ls", "--json")
	var tools []registry.Tool
	if err := json.Unmarshal([]byte(out), &tools); err != nil || len(tools) != 2 {
		t.Fatalf("tool ls --json = %q, %v", out, err)
	}
	_, out, _ = runStoreCmd(t, db, "tool", "rollback", "--json", "word_sort", "1")
	if !strings.Contains(out, `"current":1`) || !strings.Contains(out, `"from":2`) {
		t.Fatalf("tool rollback --json = %q", out)
	}
}
