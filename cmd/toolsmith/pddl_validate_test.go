package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runValidate runs "toolsmith pddl validate args..." and returns its exit
// code, stdout and the one-line reason of a failure.
func runValidate(t *testing.T, args ...string) (code int, stdout, reason string) {
	t.Helper()
	return runCLI(t, "", append([]string{"pddl", "validate"}, args...)...)
}

func TestPDDLValidateCommand(t *testing.T) {
	td := filepath.Join("..", "..", "planner", "pddl", "testdata")
	domain := filepath.Join(td, "adl", "domain.pddl")
	problem := filepath.Join(td, "adl", "tidy.pddl")
	plan := filepath.Join(td, "adl", "tidy.plan")
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	short := write("short.plan", "(move r1 hall kitchen)\n(move r1 hall study)\n")
	badPlan := write("bad.plan", "(move r1 hall kitchen)\n(move ?x)\n")
	badDomain := write("bad-domain.pddl", "(define (domain toolbox)\n  (:predicates (p))\n  (:action a :parameters () :effect (q)))")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		reason string // prefix of the one-line reason
	}{
		{"valid", []string{domain, problem, plan}, 0, "plan valid, cost 24\n", ""},
		{"invalid step", []string{domain, problem, short}, 1,
			"plan invalid: step 2 (move r1 hall study) at line 2: precondition (at r1 hall) is false\n", ""},
		{"plan syntax", []string{domain, problem, badPlan}, 2, "", badPlan + ":2:7: expected an action or object name"},
		{"domain error", []string{badDomain, problem, plan}, 2, "", badDomain + ":3:37: unknown predicate q"},
		{"missing file", []string{domain, problem, filepath.Join(dir, "none.plan")}, 2, "", "open "},
		{"argument count", []string{domain, problem}, 2, "", "pddl validate takes DOMAIN PROBLEM PLAN, got 2 arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, reason := runValidate(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d (reason %q)", code, tt.code, reason)
			}
			if stdout != tt.stdout {
				t.Errorf("stdout %q, want %q", stdout, tt.stdout)
			}
			want := tt.reason
			if want != "" {
				want = "toolsmith: " + want // as stderr shows it
			}
			if !strings.HasPrefix(reason, want) || (want == "" && reason != "") {
				t.Errorf("reason %q, want prefix %q", reason, want)
			}
		})
	}
}
