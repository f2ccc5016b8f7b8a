package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/internal/testenv"
)

// runASPSolve runs "toolsmith asp solve args..." with stdin and returns its
// exit code, stdout and stderr.
func runASPSolve(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCLI(t, stdin, append([]string{"asp", "solve"}, args...)...)
}

var timeLines = regexp.MustCompile(`(?m)^(Time|CPU Time) .*\n`)

func TestASPSolveText(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	single := write("single.lp", "p(1..2). q(X) :- p(X), X > 1.\n")
	unsat := write("unsat.lp", "a. :- a.\n")
	opt := write("opt.lp", "{ a; b }. :- not a, not b. #minimize{ 1 : a; 2 : b }.\n")
	consts := write("const.lp", "#const n = 2. p(1..n).\n")
	tests := []struct {
		name  string
		args  []string
		stdin string
		code  int
		out   string
	}{
		{"single model exhausted", []string{single}, "", 30,
			"Reading from " + single + "\nSolving...\nAnswer: 1\np(1) p(2) q(2)\nSATISFIABLE\n\nModels       : 1\nCalls        : 1\n"},
		{"unsatisfiable", []string{unsat}, "", 20,
			"Reading from " + unsat + "\nSolving...\nUNSATISFIABLE\n\nModels       : 0\nCalls        : 1\n"},
		{"optimum", []string{opt}, "", 30,
			"Reading from " + opt + "\nSolving...\nAnswer: 1\na\nOptimization: 1\nOPTIMUM FOUND\n\nModels       : 1\n  Optimum    : yes\nOptimization : 1\nCalls        : 1\n"},
		{"optimisation stopped after one model", []string{"-n", "1", opt}, "", 10, ""},
		{"const override", []string{"-c", "n=3", consts}, "", 30,
			"Reading from " + consts + "\nSolving...\nAnswer: 1\np(1) p(2) p(3)\nSATISFIABLE\n\nModels       : 1\nCalls        : 1\n"},
		{"stdin", nil, "a. b :- a.", 30,
			"Reading from stdin\nSolving...\nAnswer: 1\na b\nSATISFIABLE\n\nModels       : 1\nCalls        : 1\n"},
		{"dash and positional model count", []string{"-", "0"}, "{ a }.", 30, ""},
		{"more models than asked", []string{"-n", "1", "-"}, "{ a }.", 10, ""},
		{"projection", []string{"--project", "-n", "0", "-"}, "{ a; b }. #show a/0.", 30, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runASPSolve(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Fatalf("exit code %d, want %d; stderr %q", code, tt.code, errOut)
			}
			first, rest, _ := strings.Cut(out, "\n")
			if !strings.HasPrefix(first, "toolsmith asp") {
				t.Errorf("first line %q", first)
			}
			rest = timeLines.ReplaceAllString(rest, "")
			if tt.name == "projection" && (strings.Count(rest, "Answer:") != 2 || !strings.Contains(rest, "Models       : 2\n")) {
				t.Errorf("projection: want 2 answers:\n%s", rest)
			}
			if tt.out != "" && rest != tt.out {
				t.Errorf("output:\n%s\nwant:\n%s", rest, tt.out)
			}
		})
	}
}

func TestASPSolveErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.lp")
	if err := os.WriteFile(bad, []byte("a :- b, .\n&diff{ x } <= 2.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	unsafe := filepath.Join(dir, "unsafe.lp")
	if err := os.WriteFile(unsafe, []byte("p(X) :- q.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	none := filepath.Join(dir, "none.lp")
	tests := []struct {
		name   string
		stdin  string
		args   []string
		stderr string
	}{
		{"syntax", "", []string{bad}, bad + ":1:9: syntax error, unexpected .\n" + bad + ":2:1: theory atom is not supported\n"},
		{"syntax on stdin", "a :- b, .\n", nil, "<stdin>:1:9: syntax error, unexpected .\n"},
		{"syntax on stdin as -", "a :- b, .\n", []string{"-"}, "<stdin>:1:9: syntax error, unexpected .\n"},
		{"unsafe", "", []string{unsafe}, unsafe + ":1:1: unsafe variables in rule: X\n"},
		{"missing file", "", []string{none}, none + ":1:1: open " + none + ": no such file or directory\n"},
		{"bad opt mode", "", []string{"--opt-mode", "fast", bad}, "toolsmith: --opt-mode must be opt, optN or ignore"},
		{"bad const", "", []string{"-c", "n", bad}, "toolsmith: -c n: "},
		{"bad output format", "", []string{"--outf=1", bad}, "toolsmith: --outf must be 0 (text) or 2 (JSON), not 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runASPSolve(t, tt.stdin, tt.args...)
			if code != 2 {
				t.Fatalf("exit code %d, want 2", code)
			}
			if !strings.HasPrefix(errOut, tt.stderr) {
				t.Errorf("stderr %q, want prefix %q", errOut, tt.stderr)
			}
		})
	}
}

// TestASPSolveOutf: clingo's --outf=2 is --json, --outf=0 the text.
func TestASPSolveOutf(t *testing.T) {
	for _, tt := range []struct{ a, b string }{{"--outf=2", "--json"}, {"--outf=0", "-n1"}} {
		_, x, _ := runASPSolve(t, "{a}.", tt.a)
		_, y, _ := runASPSolve(t, "{a}.", tt.b)
		if normaliseTime(x) != normaliseTime(y) {
			t.Errorf("%s printed\n%s\n%s printed\n%s", tt.a, x, tt.b, y)
		}
	}
}

// normaliseTime cuts an output before its times, which come last.
func normaliseTime(s string) string {
	before, _, _ := strings.Cut(s, "Time")
	return before
}

// TestASPSolveJSONMatchesClingo compares --json with clingo --outf=2 on
// the same programs: the same keys, result, counts and (as sets) witnesses.
func TestASPSolveJSONMatchesClingo(t *testing.T) {
	bin := testenv.Clingo(t)
	programs := []struct {
		src  string
		args []string
	}{
		{"{ a; b }.", []string{"-n", "0"}},
		{"{ a; b }.", []string{"-n", "2"}},
		{"a. :- a.", nil},
		{`s("x\"y"). t((1,a),f("z")).`, nil},
		{"{ a; b; c }. :- not a, not b. #minimize{ 1 : a; 2 : b; 1@2 : c }.", nil},
		{"{ a; b; c }. :- not a, not b. #minimize{ 1 : a; 1 : b; 1@2 : c }.", []string{"--opt-mode=optN"}},
		{"{ a; b }. #maximize{ 1 : a; 1 : b }.", []string{"-n", "1"}},
		{"a | b. -c :- a. c :- b.", []string{"-n", "0"}},
		{"p(1..3). -p(X) :- not p(X), X = 0..4.", nil},
	}
	for _, p := range programs {
		t.Run(p.src+strings.Join(p.args, " "), func(t *testing.T) {
			cmd := exec.Command(bin, append([]string{"--outf=2", "-"}, p.args...)...)
			cmd.Stdin = strings.NewReader(p.src)
			want, _ := cmd.Output()
			code, got, errOut := runASPSolve(t, p.src, append([]string{"--json", "-"}, p.args...)...)
			if cmd.ProcessState.ExitCode() != code {
				t.Errorf("exit code %d, clingo %d (%s)", code, cmd.ProcessState.ExitCode(), errOut)
			}
			w, g := normaliseClingoJSON(t, want), normaliseClingoJSON(t, []byte(got))
			if w != g {
				t.Errorf("JSON differs\n--- clingo\n%s\n--- toolsmith\n%s", w, g)
			}
		})
	}
}

// normaliseClingoJSON drops what depends on the search order: times, the
// solver name, witnesses found before the optimum (and their number) and,
// when not every model was enumerated, which models were found. The
// remaining witnesses are sorted.
func normaliseClingoJSON(t *testing.T, doc []byte) string {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatalf("%v\n%s", err, doc)
	}
	delete(v, "Time")
	delete(v, "Solver")
	delete(v, "Input")
	models, _ := v["Models"].(map[string]any)
	optimal, optimising := models["Optimal"].(float64)
	calls, _ := v["Call"].([]any)
	if len(calls) > 0 {
		if c, ok := calls[0].(map[string]any); ok {
			if ws, ok := c["Witnesses"].([]any); ok {
				switch {
				case optimising:
					ws = ws[len(ws)-int(optimal):]
					delete(models, "Number")
				case models["More"] == "yes":
					ws = nil
				}
				sort.Slice(ws, func(i, j int) bool {
					a, _ := json.Marshal(ws[i])
					b, _ := json.Marshal(ws[j])
					return string(a) < string(b)
				})
				c["Witnesses"] = ws
			}
		}
	}
	out, _ := json.MarshalIndent(v, "", " ")
	return string(out)
}

func TestASPSolveInterrupted(t *testing.T) {
	var out, errOut bytes.Buffer
	a := &app{stdout: &out, stderr: &errOut}
	root := a.rootCommand()
	root.SetIn(strings.NewReader("p(1..100000000)."))
	root.SetArgs([]string{"asp", "solve"})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := root.ExecuteContext(ctx)
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != exitASPInterrupted {
		t.Fatalf("error %v, want exit code %d", err, exitASPInterrupted)
	}
}
