package llmp

import (
	"strings"
	"testing"
)

func TestExtractProblem(t *testing.T) {
	const file = "(define (problem p) (:domain d) (:objects a) (:init (q a)) (:goal (q a)))"
	tests := []struct {
		name, reply, want string
		fails             bool
	}{
		{"bare", file, file, false},
		{"prose around", "Sure! Here it is:\n" + file + "\nHope this helps (really).", file, false},
		{"fenced", "Here:\n```pddl\n" + file + "\n```\nDone (ok).", file, false},
		{"fenced after another block", "```\n(not it)\n```\ntext\n```lisp\n" + file + "\n```", file, false},
		{"comments with parentheses", "(define (problem p) ; a comment ) with (parens\n (:domain d))", "(define (problem p) ; a comment ) with (parens\n (:domain d))", false},
		{"case and spaces", "( DEFINE (problem p))", "( DEFINE (problem p))", false},
		{"unbalanced runs to the end", "x (define (problem p) (:domain d)", "(define (problem p) (:domain d)", false},
		{"no file", "I cannot do that.", "", true},
		{"empty fence", "```\n```", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := ExtractProblem(tt.reply)
			if tt.fails {
				if errs == nil || got != "" {
					t.Fatalf("got %q, %v; want an error", got, errs)
				}
				if !strings.Contains(errs[0], "(define (problem NAME)") {
					t.Errorf("error %q does not say what is expected", errs[0])
				}
				return
			}
			if errs != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q", got, errs, tt.want)
			}
		})
	}
}

// FuzzExtractProblem: whatever the reply, the result is a piece of it that
// starts with "(", or an error.
func FuzzExtractProblem(f *testing.F) {
	for _, s := range []string{"(define (problem p))", "```pddl\n(define x)\n```", "( define ;)\n)", "```", "(((", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, reply string) {
		got, errs := ExtractProblem(reply)
		if errs != nil {
			if got != "" {
				t.Fatalf("%q with errors %v", got, errs)
			}
			return
		}
		if !strings.HasPrefix(got, "(") || !strings.Contains(reply, got) {
			t.Fatalf("ExtractProblem(%q) = %q", reply, got)
		}
	})
}
