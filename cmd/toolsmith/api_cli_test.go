package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// runStoreCmd runs toolsmith with args against the bbolt store at dbPath and
// returns the exit code, stdout and the one-line reason of a failure.
func runStoreCmd(t *testing.T, dbPath string, args ...string) (code int, stdout, reason string) {
	t.Helper()
	return runCLI(t, "", append([]string{"--store", dbPath}, args...)...)
}

func TestAPICommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	td := filepath.Join("..", "..", "registry", "testdata")
	nestful := filepath.Join(td, "nestful", "executable-spec-sample.json")
	openapi := filepath.Join(td, "import", "petstore.yaml")
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("- name: ok\n- name: 'two words'\n"), 0o644)

	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // substring
		reason string // substring
	}{
		{"add", []string{"api", "add", nestful, openapi}, 0, "registered 13 APIs in namespace default", ""},
		{"add other namespace", []string{"api", "add", "--namespace", "pets", openapi}, 0, "registered 3 APIs in namespace pets", ""},
		{"add invalid", []string{"api", "add", bad}, 2, "", `bad.yaml": apis[1].name: "two words"`},
		{"add missing", []string{"api", "add", "/nonexistent.yaml"}, 2, "", "no such file"},
		{"add no args", []string{"api", "add"}, 2, "", "give at least one FILE"},
		{"ls", []string{"api", "ls"}, 0, "SkyScrapperFlightSearch           read         16      23       http", ""},
		{"ls query", []string{"api", "ls", "--query", "hotels in London", "--limit", "1"}, 0, "TripadvisorSearchHotels", ""},
		{"show", []string{"api", "show", "RentalCars.GetCarsAvailable"}, 0, "url: https://eu.rent.example/v1/cars/{city}", ""},
		{"show unknown", []string{"api", "show", "Nope"}, 1, "", `api "Nope" not found in namespace "default"`},
		{"rm", []string{"api", "rm", "delete_pets_petId"}, 0, "removed delete_pets_petId\n", ""},
		{"rm again", []string{"api", "rm", "delete_pets_petId"}, 1, "", "not found"},
		{"rm other namespace untouched", []string{"api", "show", "--namespace", "pets", "delete_pets_petId"}, 0, "method: DELETE", ""},
	}
	for _, tc := range tests {
		code, out, reason := runStoreCmd(t, db, tc.args...)
		if code != tc.code || !strings.Contains(out, tc.stdout) || !strings.Contains(reason, tc.reason) {
			t.Errorf("%s: exit %d, stdout %q, reason %q; want exit %d, stdout with %q, reason with %q",
				tc.name, code, out, reason, tc.code, tc.stdout, tc.reason)
		}
	}

	// --json output parses and matches the store.
	_, out, _ := runStoreCmd(t, db, "api", "ls", "--json")
	var apis []registry.API
	if err := json.Unmarshal([]byte(out), &apis); err != nil || len(apis) != 12 {
		t.Fatalf("api ls --json: %d APIs, %v", len(apis), err)
	}
	_, out, _ = runStoreCmd(t, db, "api", "show", "--json", "SkyScrapperSearchAirport")
	var one registry.API
	if err := json.Unmarshal([]byte(out), &one); err != nil || one.Name != "SkyScrapperSearchAirport" || one.Binding == nil {
		t.Fatalf("api show --json = %q, %v", out, err)
	}
	_, out, _ = runStoreCmd(t, db, "api", "add", "--json", openapi)
	var added struct {
		Added int `json:"added"`
		Files []struct {
			Format string   `json:"format"`
			APIs   []string `json:"apis"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(out), &added); err != nil || added.Added != 3 || added.Files[0].Format != "openapi" {
		t.Fatalf("api add --json = %q, %v", out, err)
	}
	_, out, _ = runStoreCmd(t, db, "api", "rm", "--json", "RentalCars.Reserve")
	if !strings.Contains(out, `"removed":["RentalCars.Reserve"]`) {
		t.Fatalf("api rm --json = %q", out)
	}
}

func TestStoreSetting(t *testing.T) {
	home := t.TempDir()
	cases := []struct {
		flag, env, redis, want, source string
	}{
		{"", "", "", filepath.Join(home, "toolsmith.db"), "default"},
		{"", "", "redis://:pw@r:6379/0", "redis://:xxxxx@r:6379/0", "REDIS_URL"},
		{"", "redis://u:secret@s:1/2", "redis://x", "redis://u:xxxxx@s:1/2", "TOOLSMITH_STORE"},
		{"/tmp/x.db", "redis://s", "redis://r", "/tmp/x.db", "--store"},
	}
	for _, c := range cases {
		t.Setenv("TOOLSMITH_STORE", c.env)
		t.Setenv("REDIS_URL", c.redis)
		a := &app{storeFlag: c.flag, homeFlag: home}
		got, source, err := a.storeSetting()
		if err != nil || got != c.want || source != c.source {
			t.Errorf("storeSetting(%+v) = %q, %q, %v; want %q, %q", c, got, source, err, c.want, c.source)
		}
	}
	// The default store's directory is created on first use.
	t.Setenv("TOOLSMITH_STORE", "")
	t.Setenv("REDIS_URL", "")
	t.Setenv("TOOLSMITH_HOME", filepath.Join(home, "new", "home"))
	a := &app{}
	s, err := a.openStore(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(filepath.Join(home, "new", "home", "toolsmith.db")); err != nil {
		t.Fatal(err)
	}
}

func TestStoreUnreachable(t *testing.T) {
	code, _, reason := runStoreCmd(t, "redis://127.0.0.1:1/0", "api", "ls")
	if code != 3 || !strings.Contains(reason, "redis store at 127.0.0.1:1 unavailable") {
		t.Fatalf("exit %d, reason %q", code, reason)
	}
}
