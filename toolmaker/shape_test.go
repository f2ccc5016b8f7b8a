package toolmaker

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/sandbox"
)

// TestGlueShapes runs the glue code over the signatures the contract allows.
func TestGlueShapes(t *testing.T) {
	tests := []struct {
		name, src, input, args string
		want                   string // answer of the Parse path, then of the args path
		wantArgs               string
	}{
		{"single values",
			"package p\nimport \"strconv\"\nfunc Parse(s string) int { n, _ := strconv.Atoi(s); return n }\nfunc Solve(n int) int { return n * 2 }\n",
			"21", `{"n": 5}`, "42", "10"},
		{"several values and errors",
			"package p\nimport (\"errors\"; \"fmt\")\nfunc Parse(s string) (a, b int, err error) { _, err = fmt.Sscanf(s, \"%d %d\", &a, &b); return }\nfunc Solve(a, b int) (int, int, error) { if b == 0 { return 0, 0, errors.New(\"division by zero\") }; return a / b, a % b, nil }\nfunc Format(q, r int) (string, error) { return fmt.Sprintf(\"%d r %d\", q, r), nil }\n",
			"7 2", `[9, 4]`, "3 r 1", "2 r 1"},
		{"variadic, no Format, several results",
			"package p\nimport \"strings\"\nfunc Parse(s string) []string { return strings.Fields(s) }\nfunc Solve(words ...string) (int, string) { return len(words), strings.Join(words, \"+\") }\n",
			"a b c", `{"words": ["x"]}`, `[3,"a+b+c"]`, `[1,"x"]`},
		{"strings answer as list",
			"package p\nfunc Solve(xs []string) []string { return xs }\n",
			"", `{"xs": ["b", "a"]}`, "", "b a"},
	}
	r, err := sandbox.NewInProcess(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tm := New(nil, r, nil, Options{})
	ctx := context.Background()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := prepare(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if err := sandbox.Check(p.src); err != nil {
				t.Fatalf("glued source does not compile: %v\n%s", err, p.src)
			}
			if p.shape.parse != nil {
				o, err := tm.runParsed(ctx, p, tc.input)
				if err != nil || o.Stage != "" || o.Answer != tc.want {
					t.Errorf("parse path: %+v, %v; want %q", o, err, tc.want)
				}
			}
			o, err := tm.runArgs(ctx, p, json.RawMessage(tc.args))
			if err != nil || o.Stage != "" || o.Answer != tc.wantArgs {
				t.Errorf("args path: %+v, %v; want %q", o, err, tc.wantArgs)
			}
		})
	}
	// Stages are reported.
	p, err := prepare(tests[1].src)
	if err != nil {
		t.Fatal(err)
	}
	for input, stage := range map[string]string{"x": stageParse, "1 0": stageSolve} {
		o, err := tm.runParsed(ctx, p, input)
		if err != nil || o.Stage != stage {
			t.Errorf("%q: %+v, %v; want stage %s", input, o, err, stage)
		}
	}
}

func TestShapeRejects(t *testing.T) {
	tests := []struct{ src, want string }{
		{"package p\nfunc Sort() int { return 1 }\n", "no exported function Solve"},
		{"package p\nfunc Solve() {}\n", "returns no value"},
		{"package p\nfunc Solve() error { return nil }\n", "returns no value"},
		{"package p\nfunc Parse(a, b string) int { return 0 }\nfunc Solve(n int) int { return n }\n", "exactly one string"},
		{"package p\nfunc Parse(s string) int { return 0 }\nfunc Solve(a, b int) int { return a }\n", "Parse returns 1 values but Solve takes 2"},
		{"package p\nfunc Solve(a int) (int, int) { return a, a }\nfunc Format(a int) string { return \"\" }\n", "Format takes 1 parameters but Solve returns 2"},
		{"package p\nfunc Solve(a int) int { return a }\nfunc Format(a int) int { return a }\n", "Format must return a string"},
		{"package p\nfunc Solve(_ int) int { return 1 }\n", "need names"},
		{"package p\nimport \"net/http\"\nfunc Solve() int { http.Get(\"x\"); return 1 }\n", "forbidden"},
	}
	for _, tc := range tests {
		_, err := inspectShape(tc.src)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.src, err, tc.want)
		}
	}
}

func TestExtractCode(t *testing.T) {
	tests := []struct{ reply, want string }{
		{"```go\npackage x\nfunc Solve() int { return 1 }\n```", "package x\nfunc Solve() int { return 1 }\n"},
		{"Here:\n```\nfunc Solve() int { return 1 }\n```\nand a test:\n```go\nfunc TestX() {}\n```", "package tool\n\nfunc Solve() int { return 1 }\n"},
		{"```python\nprint(1)\n```\n```go\npackage y\nfunc Helper() {}\n```", "package y\nfunc Helper() {}\n"},
		{"package z\n\nfunc Solve() int { return 2 }", "package z\n\nfunc Solve() int { return 2 }\n"},
		{"no code here", ""},
		{"```python\ndef solve(): pass\n```", ""},
	}
	for _, tc := range tests {
		got, err := extractCode(tc.reply)
		if tc.want == "" {
			if err == nil {
				t.Errorf("%q: got %q, want no code", tc.reply, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: got %q, %v; want %q", tc.reply, got, err, tc.want)
		}
	}
}

func FuzzExtractCode(f *testing.F) {
	f.Add("```go\npackage x\nfunc Solve() int { return 1 }\n```")
	f.Add("package z\nfunc Solve() {}")
	f.Add("```\n```go\nfunc")
	f.Fuzz(func(t *testing.T, reply string) {
		code, err := extractCode(reply)
		if err != nil {
			return
		}
		if !strings.Contains(code, "func ") || indexLineStart(code, "package ") < 0 {
			t.Fatalf("extracted %q without a func or a package clause", code)
		}
		// Whatever the reply, inspecting it must not panic.
		_, _ = inspectShape(code)
	})
}

func TestDecodeGlueAndRender(t *testing.T) {
	g, err := decodeGlue(json.RawMessage(`["x", "", ""]`))
	if err != nil || renderAnswer(g.Answer) != "x" {
		t.Errorf("%+v, %v", g, err)
	}
	for _, bad := range []string{`"x"`, `[1, 2]`, `[1, 2, 3]`, `null`} {
		if _, err := decodeGlue(json.RawMessage(bad)); err == nil {
			t.Errorf("decodeGlue(%s) accepted", bad)
		}
	}
	for raw, want := range map[string]string{`"a b"`: "a b", `["a","b"]`: "a b", `42`: "42", `[1,"x"]`: `[1,"x"]`, `true`: "true"} {
		if got := renderAnswer(json.RawMessage(raw)); got != want {
			t.Errorf("renderAnswer(%s) = %q, want %q", raw, got, want)
		}
	}
	if !SameAnswer(" a  b\n", "a b") || SameAnswer("a,b", "a b") {
		t.Error("SameAnswer")
	}
}

func FuzzDecodeGlue(f *testing.F) {
	f.Add(`["x", "", ""]`)
	f.Add(`[null, "parse", "bad"]`)
	f.Add(`[[1,2], "", ""]`)
	f.Fuzz(func(t *testing.T, raw string) {
		g, err := decodeGlue(json.RawMessage(raw))
		if err != nil {
			return
		}
		_ = renderAnswer(g.Answer)
	})
}
