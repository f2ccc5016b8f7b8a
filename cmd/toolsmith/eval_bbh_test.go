package main

import (
	"encoding/json"
	"strings"
	"testing"
)

const (
	bbhTestData   = "../../toolmaker/testdata/bbh"
	bbhScriptFile = "../../examples/bigbench/scripted.yaml"
)

func TestEvalBBHJSON(t *testing.T) {
	code, out, stderr := runCLI(t, "", "--scripted", bbhScriptFile, "eval", "bbh", bbhTestData, "--json", "--limit", "4", "--workers", "1", "--seed", "7")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Tasks []struct {
			Task       string  `json:"task"`
			N          int     `json:"n"`
			Accuracy   float64 `json:"accuracy"`
			ToolMade   bool    `json:"tool_made"`
			MakerCalls int     `json:"maker_calls"`
			UserCalls  int     `json:"user_calls"`
			CostUSD    float64 `json:"cost_usd"`
		} `json:"tasks"`
		Instances int    `json:"instances"`
		Scripted  string `json:"scripted"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(rep.Tasks) != 6 || rep.Instances != 24 || rep.Scripted == "" {
		t.Fatalf("report %+v", rep)
	}
	for _, r := range rep.Tasks {
		if r.N != 4 || r.Accuracy != 1 || !r.ToolMade || r.MakerCalls < 1 || r.UserCalls != 0 || r.CostUSD <= 0 {
			t.Errorf("task %+v", r)
		}
	}
	if !strings.Contains(stderr, "scripted model") || !strings.Contains(stderr, "solving 24/24") {
		t.Errorf("stderr lacks the scripted notice or progress: %s", stderr)
	}
}

func TestEvalBBHTable(t *testing.T) {
	code, out, stderr := runCLI(t, "", "--scripted", bbhScriptFile, "eval", "bbh", bbhTestData, "--limit", "2", "--workers", "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"dyck_languages", "yes (2)", "total", "100%", "instances/s", "dispatcher"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestEvalBBHBadInput(t *testing.T) {
	tests := []struct {
		args   []string
		reason string
	}{
		{[]string{"eval", "bbh", t.TempDir()}, "no task files"},
		{[]string{"eval", "bbh", "no/such/dir"}, "eval bbh: data directory no/such/dir does not exist"},
		{[]string{"eval", "bbh"}, "eval bbh takes DIR, the benchmark's data directory: bbh/ in the shared data set"},
		{[]string{"eval", "bbh", bbhTestData, "--limit", "-1"}, "--limit"},
	}
	for _, tc := range tests {
		code, _, stderr := runCLI(t, "", append([]string{"--scripted", bbhScriptFile}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.reason) {
			t.Errorf("%v: exit %d, %q; want 2 with %q", tc.args, code, stderr, tc.reason)
		}
	}
}

func TestEvalBBHParseDispatch(t *testing.T) {
	code, out, stderr := runCLI(t, "", "--scripted", bbhScriptFile, "eval", "bbh", bbhTestData, "--json", "--limit", "3", "--workers", "1", "--parse-dispatch")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Total struct {
			Accuracy        float64 `json:"accuracy"`
			DispatcherCalls int     `json:"dispatcher_calls"`
			UseCost         float64 `json:"use_cost_per_instance_usd"`
		} `json:"total"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Total.Accuracy != 1 || rep.Total.DispatcherCalls != 0 || rep.Total.UseCost != 0 {
		t.Fatalf("%+v, %v: %s", rep, err, out)
	}
}
