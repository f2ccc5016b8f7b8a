package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

const nestfulTestdata = "../../eval/testdata/nestful"

// TestEvalNestful runs the command on the test copy of NESTFUL; the scores
// themselves are package eval's tests.
func TestEvalNestful(t *testing.T) {
	code, out, errOut := runCLI(t, "", "eval", "nestful", nestfulTestdata, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Sets []struct {
			Set     string
			Samples int
			Rows    []struct {
				Variant, Group string
				Right, Total   int
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Sets) != 2 || rep.Sets[0].Set != "executable" || rep.Sets[1].Samples != 10 || len(rep.Sets[1].Rows) != 7 {
		t.Fatalf("report %+v", rep)
	}
	code, out, errOut = runCLI(t, "", "eval", "nestful", nestfulTestdata, "--set", "glaive", "--failures", "0")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"## glaive: 10 samples", "| complete ", "| 100.0% |", "failures: asks for a value it was given (4)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "executable") || strings.Contains(out, "  glaive#") {
		t.Errorf("another set, or failing samples listed with --failures 0:\n%s", out)
	}
}

func TestEvalNestfulSample(t *testing.T) {
	code, out, errOut := runCLI(t, "", "eval", "nestful", nestfulTestdata, "--sample", "glaive#6")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"## glaive#6", "- category: names differ", "- request: {", "status: ok", `verdict: ""`, "## without "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestEvalNestfulBadInput(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nestful")
	for _, tt := range []struct {
		args   []string
		reason string
	}{
		{[]string{missing}, "eval nestful: data directory " + missing + " does not exist"},
		{[]string{nestfulTestdata, "--set", "rapid"}, `unknown set "rapid"`},
		{[]string{nestfulTestdata, "--sample", "glaive#99"}, "no sample glaive#99"},
		{nil, "eval nestful takes DIR, the benchmark's data directory: nestful/ in the shared data set"},
	} {
		code, _, errOut := runCLI(t, "", append([]string{"eval", "nestful"}, tt.args...)...)
		if code != 2 || !strings.Contains(errOut, tt.reason) {
			t.Errorf("%v: exit %d, %q; want 2 with %q", tt.args, code, errOut, tt.reason)
		}
	}
}
