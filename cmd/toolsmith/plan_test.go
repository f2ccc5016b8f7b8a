package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const policyExamples = "../../examples/policies"

func TestPlanCommand(t *testing.T) {
	apis := filepath.Join(policyExamples, "apis.json")
	req := func(name string) string { return filepath.Join(policyExamples, name) }
	tests := []struct {
		name     string
		stdin    string
		args     []string
		code     int
		contains []string
	}{
		{"readable plan", "", []string{"--request", req("request-international.json")}, 0,
			[]string{"status: needs_info", "choose flight_id among s2.flight_id", "Flights.Book(country=\"NO\", date=\"2024-12-01\", flight_id=s3.flight_id"}},
		{"policy asks for a passport", "", []string{"--request", req("request-international.json"), "--rules", req("international.lp"), "--json"}, 0,
			[]string{`"status":"needs_info"`, `"slot":"passport_number"`}},
		{"blocked date is infeasible", "", []string{"--request", req("request-blocked.json"), "--rules", req("blocked.lp"), "--json"}, 1,
			[]string{`"kind":"forbidden"`}},
		{"payment confirmation", "", []string{"--request", req("request-payment.json"), "--rules", req("payments.lp")}, 0,
			[]string{"Payments.Pay(", "[confirm first]"}},
		{"JSON lines, one plan per line", `{"goals":["Cars.Rent"],"known":{"city":"a","pickup_time":"9"}}` + "\n" + `{"goals":["Nope"]}` + "\n",
			[]string{"--request", "-", "--json"}, 1, []string{`"status":"ok"`, `"kind":"unknown_api"`}},
		{"malformed request", `{"goals":["Cars.Rent"],"known":[1]}`, []string{"--request", "-", "--json"}, 2,
			[]string{`"status":"invalid"`}},
		{"broken policy", "", []string{"--request", req("request-payment.json"), "--rules", filepath.Join(t.TempDir(), "missing.lp")}, 2, nil},
		{"no request", "", []string{}, 2, []string{"--request is required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"plan", "--apis", apis}, tt.args...)
			code, out, errOut := runCLI(t, tt.stdin, args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
			for _, c := range tt.contains {
				if !strings.Contains(out+errOut, c) {
					t.Errorf("output lacks %q:\n%s%s", c, out, errOut)
				}
			}
		})
	}
}

func TestPlanJSONLinesCount(t *testing.T) {
	in := `{"goals":["Cars.Rent"]}` + "\n" + `{"goals":["Hotels.Search"],"known":{"city":"x"}}` + "\n"
	code, out, errOut := runCLI(t, in, "plan", "--apis", filepath.Join(policyExamples, "apis.json"), "--request", "-", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2:\n%s", len(lines), out)
	}
	for _, l := range lines {
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil || v["status"] != "needs_info" {
			t.Errorf("line %s: %v", l, err)
		}
	}
}

func TestPlanEmitPDDL(t *testing.T) {
	dir := t.TempDir()
	code, _, errOut := runCLI(t, "", "plan", "--apis", filepath.Join(policyExamples, "apis.json"),
		"--request", filepath.Join(policyExamples, "request-payment.json"), "--rules", filepath.Join(policyExamples, "payments.lp"), "--emit-pddl", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	domain := filepath.Join(dir, "domain.pddl")
	problem := filepath.Join(dir, "problem.pddl")
	for _, f := range []string{domain, problem} {
		if _, err := os.Stat(f); err != nil {
			t.Fatal(err)
		}
	}
	// The exported task is solvable by the PDDL planner command.
	code, out, errOut := runCLI(t, "", "pddl", "plan", domain, problem, "--search", "astar")
	if code != 0 || !strings.Contains(out, "call_payments_pay") {
		t.Fatalf("pddl plan: exit %d\n%s%s", code, out, errOut)
	}
}

func TestPlanBadSpec(t *testing.T) {
	spec := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(spec, []byte(`[{"name":"A","cost":-3}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCLI(t, `{"goals":["A"]}`, "plan", "--apis", spec, "--request", "-", "--json")
	if code != 2 || !strings.Contains(out, `"status":"invalid"`) {
		t.Fatalf("exit %d, out %s; want 2 with an invalid plan", code, out)
	}
}
