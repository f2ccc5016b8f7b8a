package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDemoRunsEveryScene(t *testing.T) {
	code, out, errOut := runCLI(t, "", "demo", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errOut, out)
	}
	var doc struct {
		Scripted bool `json:"scripted"`
		Scenes   []struct {
			Name       string `json:"name"`
			OK         bool   `json:"ok"`
			Transcript []struct{ Who, Text string }
		} `json:"scenes"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if !doc.Scripted || len(doc.Scenes) != 3 {
		t.Fatalf("scripted=%v scenes=%d", doc.Scripted, len(doc.Scenes))
	}
	want := map[string][]string{
		"travel": {"[q1] slot pickup_time", "RentalCars.ReserveCar", "R-77031"},
		"policy": {"ask passport_number"},
		"tools":  {"compile", "registered", `"> ) ] }"`, "path parse, 0 model calls"},
	}
	for _, s := range doc.Scenes {
		if !s.OK {
			t.Errorf("scene %s failed: %+v", s.Name, s.Transcript)
		}
		var text strings.Builder
		for _, l := range s.Transcript {
			text.WriteString(l.Who + "> " + l.Text + "\n")
		}
		for _, w := range want[s.Name] {
			if !strings.Contains(text.String(), w) {
				t.Errorf("scene %s lacks %q:\n%s", s.Name, w, text.String())
			}
		}
	}
}

func TestDemoBadScene(t *testing.T) {
	if code, _, errOut := runCLI(t, "", "demo", "--scene", "nope"); code != 2 || !strings.Contains(errOut, "--scene") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}
