package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
)

func ipcTestFile(parts ...string) string {
	return filepath.Join(append([]string{"..", "..", "planner", "search", "testdata", "ipc"}, parts...)...)
}

// validatePlanText checks an IPC plan text against the domain and problem
// with pddl.Validate and returns its cost.
func validatePlanText(t *testing.T, domain, problem, plan string) int64 {
	t.Helper()
	task, err := loadTask(domain, problem)
	if err != nil {
		t.Fatal(err)
	}
	steps, err := pddl.ParsePlan([]byte(plan))
	if err != nil {
		t.Fatalf("plan does not parse: %v\n%s", err, plan)
	}
	cost, err := pddl.Validate(task, steps)
	if err != nil {
		t.Fatalf("invalid plan: %v\n%s", err, plan)
	}
	return cost
}

func TestPDDLPlanCommand(t *testing.T) {
	domain, problem := ipcTestFile("gripper", "domain.pddl"), ipcTestFile("gripper", "prob01.pddl")
	for _, args := range [][]string{
		nil,
		{"--search", "astar"},
		{"--search", "astar", "--heuristic", "max"},
		{"--search", "gbfs", "--heuristic", "add"},
		{"--search", "wastar", "--weight", "2"},
	} {
		code, out, stderr := runCLI(t, "", append([]string{"pddl", "plan", domain, problem}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		if !strings.Contains(stderr, "expanded") {
			t.Errorf("%v: no statistics on stderr: %q", args, stderr)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		last := lines[len(lines)-1]
		if !strings.HasPrefix(last, "; cost = ") || !strings.HasSuffix(last, "(unit cost)") {
			t.Errorf("%v: last line %q", args, last)
		}
		cost := validatePlanText(t, domain, problem, out)
		if want := "; cost = " + strconv.FormatInt(cost, 10) + " (unit cost)"; last != want {
			t.Errorf("%v: %q, validated cost line %q", args, last, want)
		}
		if len(args) > 0 && args[1] == "astar" && cost != 11 {
			t.Errorf("%v: cost %d, optimal 11", args, cost)
		}
	}
}

func TestPDDLPlanFileAndCosts(t *testing.T) {
	domain, problem := ipcTestFile("elevators-sat08-strips", "domain.pddl"), ipcTestFile("elevators-sat08-strips", "p01.pddl")
	planFile := filepath.Join(t.TempDir(), "plan")
	code, out, stderr := runCLI(t, "", "pddl", "plan", domain, problem, "--plan-file", planFile)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if out != "" {
		t.Errorf("stdout not empty with --plan-file: %q", out)
	}
	b, err := os.ReadFile(planFile)
	if err != nil {
		t.Fatal(err)
	}
	cost := validatePlanText(t, domain, problem, string(b))
	if !strings.HasSuffix(strings.TrimSpace(string(b)), "; cost = "+strconv.FormatInt(cost, 10)+" (general cost)") {
		t.Errorf("cost line does not match the validated cost %d:\n%s", cost, b)
	}
}

func TestPDDLPlanExitCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	domain := write("d.pddl", `(define (domain oneway)
  (:requirements :strips :negative-preconditions)
  (:predicates (at ?x) (road ?x ?y))
  (:action go :parameters (?x ?y) :precondition (and (at ?x) (road ?x ?y)) :effect (and (at ?y) (not (at ?x)))))`)
	unsolvable := write("u.pddl", `(define (problem p) (:domain oneway)
  (:objects a b c) (:init (at a) (road a b) (road b a)) (:goal (at c)))`)
	trap := write("t.pddl", `(define (problem p) (:domain oneway)
  (:objects a b c) (:init (at a) (road a b) (road a c) (road c a)) (:goal (and (at a) (not (at c)) (at b))))`)
	bad := write("bad.pddl", `(define (problem p) (:domain oneway) (:objects a) (:init (at a)) (:goal (at a)`)
	gripper, prob := ipcTestFile("gripper", "domain.pddl"), ipcTestFile("gripper", "prob01.pddl")
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{domain, unsolvable}, 10},
		{[]string{domain, trap, "--search", "astar"}, 10},
		{[]string{gripper, prob, "--search", "astar", "--heuristic", "blind", "--max-expansions", "3"}, 11},
		{[]string{domain, bad}, 2},
		{[]string{domain, filepath.Join(dir, "missing.pddl")}, 2},
		{[]string{gripper, prob, "--search", "dfs"}, 2},
		{[]string{gripper, prob, "--heuristic", "hm", "--search", "gbfs"}, 2},
		{[]string{gripper}, 2},
	} {
		code, _, stderr := runCLI(t, "", append([]string{"pddl", "plan"}, tc.args...)...)
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d (%s)", tc.args, code, tc.code, stderr)
		}
	}
}

// TestPDDLPlanAnytime: --anytime prints every better plan, each valid at
// the cost it states, each cheaper than the one before; with --plan-file
// the file holds the last (best) one.
func TestPDDLPlanAnytime(t *testing.T) {
	domain, problem := ipcTestFile("elevators-sat08-strips", "domain.pddl"), ipcTestFile("elevators-sat08-strips", "p01.pddl")
	// An expansion limit, not a time limit, ends the search, so that the
	// test does not depend on the machine's speed.
	code, out, stderr := runCLI(t, "", "pddl", "plan", domain, problem, "--anytime", "--max-expansions", "30000")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var plans []string
	for _, block := range strings.SplitAfter(out, "(general cost)\n") {
		if strings.TrimSpace(block) != "" {
			plans = append(plans, block)
		}
	}
	if len(plans) < 2 {
		t.Fatalf("%d plans printed, want an improvement on the first:\n%s", len(plans), out)
	}
	last := int64(-1)
	for i, p := range plans {
		cost := validatePlanText(t, domain, problem, p)
		if !strings.HasSuffix(p, "; cost = "+strconv.FormatInt(cost, 10)+" (general cost)\n") {
			t.Errorf("plan %d states another cost than its validated %d", i+1, cost)
		}
		if last >= 0 && cost >= last {
			t.Errorf("plan %d costs %d, not less than %d before it", i+1, cost, last)
		}
		last = cost
	}
	if !strings.Contains(stderr, "; best plan:") {
		t.Errorf("no summary of the best plan on stderr: %s", stderr)
	}
	planFile := filepath.Join(t.TempDir(), "plan")
	if code, _, stderr := runCLI(t, "", "pddl", "plan", domain, problem, "--anytime", "--max-expansions", "5000", "--plan-file", planFile); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(planFile)
	if err != nil {
		t.Fatal(err)
	}
	validatePlanText(t, domain, problem, string(b))
}

// TestPDDLPlanGeneral: every hand-written problem of
// planner/search/testdata/general (between them every construct Fast
// Downward's translator accepts) goes through pddl plan and pddl validate
// as a user would run them: exit 0 and a valid plan, or exit 10 for the
// problems whose leading comment says they are unsolvable.
func TestPDDLPlanGeneral(t *testing.T) {
	dir := filepath.Join("..", "..", "planner", "search", "testdata", "general")
	problems, err := filepath.Glob(filepath.Join(dir, "*-p*.pddl"))
	if err != nil || len(problems) == 0 {
		t.Fatalf("no problems in %s: %v", dir, err)
	}
	for _, problem := range problems {
		name := strings.TrimSuffix(filepath.Base(problem), ".pddl")
		t.Run(name, func(t *testing.T) {
			domain := filepath.Join(dir, name[:strings.LastIndex(name, "-p")]+".pddl")
			src, err := os.ReadFile(problem)
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			if strings.HasPrefix(string(src), "; Unsolvable") {
				want = exitPlanUnsolvable
			}
			planFile := filepath.Join(t.TempDir(), "plan")
			code, _, stderr := runCLI(t, "", "pddl", "plan", domain, problem, "--plan-file", planFile)
			if code != want {
				t.Fatalf("pddl plan: exit %d, want %d: %s", code, want, stderr)
			}
			if want != 0 {
				return
			}
			if code, out, stderr := runCLI(t, "", "pddl", "validate", domain, problem, planFile); code != 0 {
				t.Errorf("pddl validate: exit %d: %s%s", code, out, stderr)
			}
		})
	}
}
