package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestPlanOverTheStoresAPIs(t *testing.T) {
	t.Setenv("TOOLSMITH_STORE", "")
	t.Setenv("REDIS_URL", "")
	home := t.TempDir()
	ex := filepath.Join("..", "..", "examples", "policies")
	req := filepath.Join(ex, "request-international.json")
	if code, _, errOut := runCLI(t, "", "--home", home, "plan", "--request", req); code != 2 || !strings.Contains(errOut, "no --apis") {
		t.Fatalf("empty store: exit %d %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, "", "--home", home, "api", "add", filepath.Join(ex, "apis.json")); code != 0 {
		t.Fatalf("api add: %d %s", code, errOut)
	}
	code, out, errOut := runCLI(t, "", "--home", home, "plan", "--request", req)
	if code != 0 || !strings.Contains(out, "Flights.Book(") {
		t.Fatalf("plan over the store: exit %d %s %s", code, out, errOut)
	}
}
