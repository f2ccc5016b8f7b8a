//go:build unix

package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseDocBlocks(t *testing.T) {
	cases := []struct {
		name string
		doc  string
		want []docBlock
		err  string
	}{
		{
			name: "sh block: every line, continuations joined, comments left out",
			doc:  "text\n```sh\n# a comment\nls \\\n  -l\nprintf 'a\\n' |\n  wc -l\n```\n",
			want: []docBlock{{Line: 2, Commands: []docCommand{
				{Line: 4, Text: "ls \\\n  -l"},
				{Line: 6, Text: "printf 'a\\n' |\n  wc -l"},
			}}},
		},
		{
			name: "transcript: prompts are commands, the rest their output; echo $? shows the status",
			doc:  "```\n$ false\n$ echo $?\n1\n$ cat f; echo $?\nx\n0\n```\n",
			want: []docBlock{{Line: 1, Commands: []docCommand{
				{Line: 2, Text: "false", ShowsStatus: true},
				{Line: 3, Text: "echo $?", Output: []string{"1"}, ShowsStatus: true},
				{Line: 5, Text: "cat f; echo $?", Output: []string{"x", "0"}, ShowsStatus: true},
			}}},
		},
		{
			name: "other blocks hold no commands",
			doc:  "```\ncmd/  the binary\n```\n```go\nfmt.Println()\n```\n````yaml\n```go\n$ not a command\n```\n````\n",
		},
		{
			name: "skip directive with its reason",
			doc:  "<!-- doc-test: skip needs a server -->\n```sh\nserve\n```\n",
			want: []docBlock{{Line: 2, Skip: "needs a server", Commands: []docCommand{{Line: 3, Text: "serve"}}}},
		},
		{name: "skip without a reason", doc: "<!-- doc-test: skip -->\n```sh\nserve\n```\n", err: "without a reason"},
		{name: "unknown directive", doc: "<!-- doc-test: only linux -->\n```sh\nls\n```\n", err: "unknown doc-test directive"},
		{name: "directive not before a block", doc: "<!-- doc-test: skip x -->\nprose\n```sh\nls\n```\n", err: "not followed by a fenced block"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := parseDocBlocks("d.md", []byte(c.doc))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want one containing %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestCheckCommand(t *testing.T) {
	cases := []struct {
		cmd  docCommand
		rc   int
		out  string
		fail bool
	}{
		{docCommand{Text: "ls"}, 0, "", false},
		{docCommand{Text: "ls"}, 1, "", true},
		{docCommand{Text: "toolsmith asp solve a.lp"}, 30, "", false},
		{docCommand{Text: "toolsmith plan --apis a.json"}, 30, "", true},
		{docCommand{Text: "false", ShowsStatus: true}, 1, "", false},
		{docCommand{Text: "x; echo $?", Output: []string{"err", "2"}, ShowsStatus: true}, 0, "err\n2\n", false},
		{docCommand{Text: "x; echo $?", Output: []string{"err", "1"}, ShowsStatus: true}, 0, "err\n2\n", true},
	}
	for _, c := range cases {
		if msg := checkCommand(c.cmd, c.rc, c.out); (msg != "") != c.fail {
			t.Errorf("checkCommand(%q, %d, %q) = %q, want failure %v", c.cmd.Text, c.rc, c.out, msg, c.fail)
		}
	}
}

func TestDocPrograms(t *testing.T) {
	doc := "```go\n// Example.\npackage main\n\nfunc main() {}\n```\n```go\ntype T interface{}\n```\n```go\npackage tool\n```\n"
	got := docPrograms("d.md", []byte(doc))
	want := []docProgram{{File: "d.md", Line: 2, Src: "// Example.\npackage main\n\nfunc main() {}\n"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
