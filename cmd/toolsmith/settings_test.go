package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// TestSettingsCLI sets, shows and unsets a namespace's settings: values
// round-trip, other namespaces are untouched, secret values never print,
// and bad keys or values exit 2 without writing.
func TestSettingsCLI(t *testing.T) {
	t.Setenv("TOOLSMITH_STORE", "")
	t.Setenv("REDIS_URL", "")
	home := t.TempDir()
	cli := func(args ...string) (int, string, string) {
		t.Helper()
		return runCLI(t, "", append([]string{"--home", home}, args...)...)
	}
	code, out, errOut := cli("settings", "set", "--namespace", "pay",
		"base_url=https://api.example.com/v1", "cost.ask=7", "cost.write=3",
		"input.AccountSid=AC123", `input.Calls.Fetch.Limit=20`,
		"secret.stripe=env:STRIPE_KEY", "secret.legacy=value:hunter2")
	if code != 0 {
		t.Fatalf("set: exit %d %s", code, errOut)
	}
	if strings.Contains(out, "hunter2") {
		t.Fatalf("set printed a secret value:\n%s", out)
	}
	for _, want := range []string{"base_url=https://api.example.com/v1", "cost.ask=7", "cost.write=3", `input.AccountSid="AC123"`,
		"input.Calls.Fetch.Limit=20", "secret.stripe=env:STRIPE_KEY", "secret.legacy=value:****"} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("set output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = cli("settings", "show", "--namespace", "pay", "--json")
	if code != 0 || strings.Contains(out, "hunter2") {
		t.Fatalf("show --json: exit %d\n%s", code, out)
	}
	var st registry.Settings
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	if st.Costs.Ask != 7 || st.Inputs["Calls.Fetch.Limit"] != float64(20) || st.Secrets["stripe"].Env != "STRIPE_KEY" {
		t.Fatalf("show --json: %+v", st)
	}
	if code, out, _ := cli("settings", "show"); code != 0 || strings.Contains(out, "base_url") {
		t.Fatalf("default namespace: exit %d\n%s", code, out)
	}
	if code, _, errOut := cli("settings", "unset", "--namespace", "pay", "secret.legacy", "cost.ask"); code != 0 {
		t.Fatalf("unset: %d %s", code, errOut)
	}
	_, out, _ = cli("settings", "show", "--namespace", "pay")
	if strings.Contains(out, "legacy") || strings.Contains(out, "cost.ask") || !strings.Contains(out, "cost.write=3") {
		t.Fatalf("after unset:\n%s", out)
	}
	for _, bad := range [][]string{
		{"settings", "set", "--namespace", "pay", "colour=blue"},
		{"settings", "set", "--namespace", "pay", "secret.x=hunter2"},
		{"settings", "set", "--namespace", "pay", "cost.read=-1"},
		{"settings", "set", "--namespace", "pay", "base_url=ftp//nope", "cost.read=2"},
		{"settings", "set", "--namespace", "pay", "noequals"},
	} {
		if code, _, errOut := cli(bad...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d (%s), want 2 with a reason", bad, code, errOut)
		}
	}
	if _, out, _ := cli("settings", "show", "--namespace", "pay"); strings.Contains(out, "cost.read") {
		t.Fatalf("a rejected set wrote:\n%s", out)
	}
}
