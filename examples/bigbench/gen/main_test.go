package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/llm"
)

// TestScriptedUpToDate fails when a tool changed and scripted.yaml was not
// regenerated.
func TestScriptedUpToDate(t *testing.T) {
	want, err := generate("..")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../scripted.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("examples/bigbench/scripted.yaml is out of date: run go run ./examples/bigbench/gen")
	}
}

// TestScriptedParses checks the generated file loads as a script and holds
// the deliberately broken first replies.
func TestScriptedParses(t *testing.T) {
	s, err := llm.LoadScript("../scripted.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.Rules); n != 2*len(tasks)+len(flaws) {
		t.Errorf("%d rules, want %d", n, 2*len(tasks)+len(flaws))
	}
	for _, fl := range flaws {
		found := false
		for _, r := range s.Rules {
			if r.Role == llm.Maker && strings.Contains(r.When, "Write the tool") && strings.Contains(r.When, fl.tool) {
				found = true
				if fl.new != "" && !strings.Contains(r.Reply, fl.new) {
					t.Errorf("first reply of %s lacks its flaw", fl.tool)
				}
			}
		}
		if !found {
			t.Errorf("no first reply for %s", fl.tool)
		}
	}
}
