package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestEvalLLMP(t *testing.T) {
	code, out, errOut := runCLI(t, "", "--scripted", llmpScript, "eval", "llmp", llmpTestData, "--domain", "blocksworld,tyreworld", "--json", "--jobs", "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Domains []struct {
			Domain                            string
			N, Parsed, Solved, Valid, Repairs int
			OptimumKnown                      int `json:"optimum_known"`
			Problems                          []json.RawMessage
		}
		Scripted string
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Domains) != 2 || rep.Scripted == "" {
		t.Fatalf("report %+v", rep)
	}
	if d := rep.Domains[0]; d.Domain != "blocksworld" || d.N != 3 || d.Valid != 3 || d.Repairs != 1 || d.OptimumKnown != 3 || len(d.Problems) != 3 {
		t.Errorf("blocksworld %+v", d)
	}
	if !strings.Contains(errOut, "scripted model") || !strings.Contains(errOut, "problems 4/4") {
		t.Errorf("stderr lacks the scripted notice or progress: %s", errOut)
	}
	code, out, errOut = runCLI(t, "", "--scripted", llmpScript, "eval", "llmp", llmpTestData, "--domain", "floortile", "--timeout", "100ms", "--optimum-timeout", "0")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"| floortile |", "optimum: not computed", "floortile: example: none: p_example.pddl does not check", "translator  scripted"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestEvalLLMPBadInput(t *testing.T) {
	for _, tt := range []struct {
		args   []string
		reason string
	}{
		{[]string{filepath.Join(t.TempDir(), "llmp")}, "eval llmp: data directory"},
		{[]string{llmpTestData, "--domain", "sokoban"}, `no domain "sokoban"`},
		{[]string{llmpTestData, "--search", "best"}, "best"},
		{[]string{llmpTestData, "--timeout", "0"}, "--timeout must be positive"},
		{[]string{llmpTestData, "--jobs", "-1"}, "must not be negative"},
	} {
		code, _, errOut := runCLI(t, "", append([]string{"--scripted", llmpScript, "eval", "llmp"}, tt.args...)...)
		if code != 2 || !strings.Contains(errOut, tt.reason) {
			t.Errorf("%v: exit %d, %q; want 2 with %q", tt.args, code, errOut, tt.reason)
		}
	}
}
