package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/toolsmith-dev/toolsmith/internal/testenv"
	"github.com/toolsmith-dev/toolsmith/planner"
	"github.com/toolsmith-dev/toolsmith/registry"
	"github.com/toolsmith-dev/toolsmith/registry/registrytest"
)

var policiesDir = filepath.Join("..", "..", "examples", "policies")

// TestPolicyChangesStorePlans is issue 7's "per-namespace rules in the
// registry": a stored policy changes the plans made over the store's APIs
// of its namespace, and only those.
func TestPolicyChangesStorePlans(t *testing.T) {
	t.Setenv("TOOLSMITH_STORE", "")
	t.Setenv("REDIS_URL", "")
	home := t.TempDir()
	cli := func(args ...string) (int, string, string) {
		t.Helper()
		return runCLI(t, "", append([]string{"--home", home}, args...)...)
	}
	req := filepath.Join(policiesDir, "request-international.json")
	for _, ns := range []string{"default", "team-b"} {
		if code, _, errOut := cli("api", "add", "--namespace", ns, filepath.Join(policiesDir, "apis.json")); code != 0 {
			t.Fatalf("api add: %d %s", code, errOut)
		}
	}
	plan := func(ns string) *planner.Plan {
		t.Helper()
		code, out, errOut := cli("plan", "--namespace", ns, "--request", req, "--json")
		if code != 0 {
			t.Fatalf("plan in %s: exit %d %s", ns, code, errOut)
		}
		var p planner.Plan
		if err := json.Unmarshal([]byte(out), &p); err != nil {
			t.Fatalf("plan JSON: %v\n%s", err, out)
		}
		return &p
	}
	// The values asked for (the flight is a choice among the search's
	// results in every plan).
	asks := func(p *planner.Plan) []string {
		var slots []string
		for _, s := range p.Steps {
			if s.API == planner.GetInfo && s.Options == nil {
				slots = append(slots, s.Slot)
			}
		}
		return slots
	}
	if p := plan("default"); p.Status != planner.StatusNeedsInfo || len(asks(p)) != 0 {
		t.Fatalf("without the policy: %s asks %v", p.Status, asks(p))
	}

	code, out, errOut := cli("policy", "add", filepath.Join(policiesDir, "international.lp"))
	if code != 0 || !strings.Contains(out, "stored policy international in namespace default") {
		t.Fatalf("policy add: exit %d %q %s", code, out, errOut)
	}
	if p := plan("default"); p.Status != planner.StatusNeedsInfo || !reflect.DeepEqual(asks(p), []string{"passport_number"}) {
		t.Fatalf("with the policy: %s asks %v, want passport_number", p.Status, asks(p))
	}
	if p := plan("team-b"); len(asks(p)) != 0 {
		t.Fatalf("team-b has no policy but its plan asks %v", asks(p))
	}
	// --apis plans over files, not the namespace: stored policies stay out.
	if code, out, _ := cli("plan", "--apis", filepath.Join(policiesDir, "apis.json"), "--request", req); code != 0 || strings.Contains(out, "passport") {
		t.Fatalf("plan --apis applied a stored policy: exit %d\n%s", code, out)
	}

	if code, out, _ := cli("policy", "ls"); code != 0 || !strings.Contains(out, "international") || !strings.Contains(out, "International flights need a passport number.") {
		t.Fatalf("policy ls: exit %d\n%s", code, out)
	}
	src, _ := os.ReadFile(filepath.Join(policiesDir, "international.lp"))
	if code, out, _ := cli("policy", "show", "international"); code != 0 || out != string(src) {
		t.Fatalf("policy show: exit %d\n%s", code, out)
	}
	if code, _, errOut := cli("policy", "show", "nope"); code != 1 || !strings.Contains(errOut, `policy "nope" not found`) {
		t.Fatalf("policy show nope: exit %d %s", code, errOut)
	}
	code, out, errOut = cli("policy", "rm", "international", "nope", "--json")
	if code != 1 || !strings.Contains(out, `"removed":["international"]`) || !strings.Contains(errOut, `"nope" not found`) {
		t.Fatalf("policy rm: exit %d %q %s", code, out, errOut)
	}
	if p := plan("default"); len(asks(p)) != 0 {
		t.Fatalf("after rm the plan still asks %v", asks(p))
	}
}

func TestPolicyAddInput(t *testing.T) {
	t.Setenv("TOOLSMITH_STORE", "")
	t.Setenv("REDIS_URL", "")
	home := t.TempDir()
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("bad.lp", "% broken\nneed(A) :- api(A)\nx.\n")
	good := write("weekend rule.lp", "%% Weekends are blocked.\nblocked(\"2024-12-28\").\n")
	tests := []struct {
		name     string
		args     []string
		code     int
		out, err string
	}{
		{"syntax error", []string{"policy", "add", bad}, 2, "", bad + ":3:1: syntax error"},
		{"missing file", []string{"policy", "add", filepath.Join(dir, "none.lp")}, 2, "", "no such file"},
		{"no file", []string{"policy", "add"}, 2, "", "accepts 1 arg"},
		{"name from a file name that is no valid name", []string{"policy", "add", good}, 2, "", `name: "weekend rule"`},
		{"bad namespace", []string{"policy", "add", good, "--name", "w", "--namespace", "a b"}, 2, "", "namespace"},
		{"named", []string{"policy", "add", good, "--name", "weekend", "--namespace", "team", "--json"}, 0,
			`"name":"weekend","namespace":"team","source":"%% Weekends are blocked.\nblocked(\"2024-12-28\").\n","description":"Weekends are blocked."`, ""},
		{"described", []string{"policy", "add", good, "--name", "weekend", "--namespace", "team", "--description", "no weekend trips"}, 0, "stored policy weekend in namespace team", ""},
		{"listed", []string{"policy", "ls", "--namespace", "team", "--json"}, 0, `"description":"no weekend trips"`, ""},
		{"empty namespace", []string{"policy", "ls", "--json"}, 0, "[]", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", append([]string{"--home", home}, tc.args...)...)
			if code != tc.code || !strings.Contains(out, tc.out) || !strings.Contains(errOut, tc.err) {
				t.Fatalf("exit %d, want %d\nstdout %s\nstderr %s\nwant stdout with %s and stderr with %s", code, tc.code, out, errOut, tc.out, tc.err)
			}
		})
	}
}

// TestStoredPolicyErrorNamesThePolicy: a stored policy that does not parse
// (written by another client) fails the plan with exit 2 naming it.
func TestStoredPolicyErrorNamesThePolicy(t *testing.T) {
	t.Setenv("TOOLSMITH_STORE", "")
	t.Setenv("REDIS_URL", "")
	home := t.TempDir()
	if code, _, errOut := runCLI(t, "", "--home", home, "api", "add", filepath.Join(policiesDir, "apis.json")); code != 0 {
		t.Fatal(errOut)
	}
	ctx := context.Background()
	s, err := registry.Open(ctx, filepath.Join(home, "toolsmith.db"), registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutPolicy(ctx, &registry.Policy{Name: "broken", Source: "a :- b\nc.\n"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	code, _, errOut := runCLI(t, "", "--home", home, "plan", "--request", filepath.Join(policiesDir, "request-international.json"))
	if code != 2 || !strings.Contains(errOut, "policy broken:2:1") {
		t.Fatalf("exit %d %s", code, errOut)
	}
}

func TestWithPolicies(t *testing.T) {
	ctx := context.Background()
	s := registrytest.Bolt(t)
	for _, p := range []*registry.Policy{{Name: "z", Namespace: "ns", Source: "z."}, {Name: "a", Namespace: "ns", Source: "a."}} {
		if err := s.PutPolicy(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	base := planner.Options{Rules: make([]string, 2, 8), RuleNames: []string{"flags.lp"}, AskCost: 7}
	base.Rules[0], base.Rules[1] = "f.", "g."
	got, err := withNamespace(ctx, s, "ns", base)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"f.", "g.", "a.", "z."}; !reflect.DeepEqual(got.Rules, want) {
		t.Fatalf("rules = %q, want %q", got.Rules, want)
	}
	if want := []string{"flags.lp", "", "policy a", "policy z"}; !reflect.DeepEqual(got.RuleNames, want) {
		t.Fatalf("names = %q, want %q", got.RuleNames, want)
	}
	if got.AskCost != 7 || len(base.Rules) != 2 || base.Rules[:3][2] != "" {
		t.Fatal("withNamespace changed or wrote through its argument")
	}
	if other, err := withNamespace(ctx, s, "other", base); err != nil || len(other.Rules) != 2 {
		t.Fatalf("other namespace: %q, %v", other.Rules, err)
	}
	// flagRules undoes it, and appending afterwards does not write into got.
	back := flagRules(got, 2)
	if !reflect.DeepEqual(back.Rules, []string{"f.", "g."}) || !reflect.DeepEqual(back.RuleNames, []string{"flags.lp", ""}) {
		t.Fatalf("flagRules = %q %q", back.Rules, back.RuleNames)
	}
	_ = append(back.Rules, "x.")
	if got.Rules[2] != "a." {
		t.Fatal("flagRules result aliases the longer slice")
	}
}

// TestChatAppliesNamespacePolicies: the agent options of chat carry the
// --rules files and then the namespace's stored policies.
func TestChatAppliesNamespacePolicies(t *testing.T) {
	t.Setenv("TOOLSMITH_STORE", "")
	t.Setenv("REDIS_URL", "")
	home := t.TempDir()
	if code, _, errOut := runCLI(t, "", "--home", home, "policy", "add", "--namespace", "team", filepath.Join(policiesDir, "international.lp")); code != 0 {
		t.Fatal(errOut)
	}
	scripted := filepath.Join("..", "..", "examples", "travel", "scripted.yaml")
	a := &app{stdout: io.Discard, stderr: io.Discard, homeFlag: home, scriptedFlag: scripted}
	blocked := filepath.Join(policiesDir, "blocked.lp")
	for _, tc := range []struct {
		ns    string
		apis  []string
		names []string
	}{
		{"team", nil, []string{blocked, "policy international"}},
		{"", nil, []string{blocked}},
		{"team", []string{filepath.Join(policiesDir, "apis.json")}, []string{blocked}}, // API files: no stored policies
	} {
		f := agentFlags{namespace: tc.ns, rules: []string{blocked}, apis: tc.apis}
		opts, store, err := a.agentOptions(context.Background(), "chat", &f)
		if err != nil {
			t.Fatal(err)
		}
		store.Close()
		if !reflect.DeepEqual(opts.Planner.RuleNames, tc.names) || len(opts.Planner.Rules) != len(tc.names) {
			t.Errorf("namespace %q apis %v: rules %q", tc.ns, tc.apis, opts.Planner.RuleNames)
		}
	}
}

// TestServeAppliesEachNamespacesPolicies: one server, two tokens; only the
// namespace holding the policy gets plans that ask for the passport.
func TestServeAppliesEachNamespacesPolicies(t *testing.T) {
	store := testenv.RedisURL(t)
	stamp := time.Now().UnixNano()
	nsA, nsB := fmt.Sprintf("serve-pol-a-%d", stamp), fmt.Sprintf("serve-pol-b-%d", stamp)
	global := []string{"--store", store, "--home", t.TempDir(), "--scripted", filepath.Join("..", "..", "examples", "travel", "scripted.yaml")}
	cli := func(args ...string) {
		t.Helper()
		if code, _, errOut := runCLI(t, "", append(append([]string(nil), global...), args...)...); code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, errOut)
		}
	}
	cli("policy", "add", "--namespace", nsA, filepath.Join(policiesDir, "international.lp"))
	for _, ns := range []string{nsA, nsB} {
		cli("api", "add", "--namespace", ns, filepath.Join(policiesDir, "apis.json"))
	}
	t.Cleanup(func() {
		ctx := context.Background()
		s, err := registry.Open(ctx, store, registry.Options{})
		if err != nil {
			return
		}
		defer s.Close()
		s.DeletePolicy(ctx, nsA, "international")
		for _, ns := range []string{nsA, nsB} {
			apis, _ := s.ListAPIs(ctx, ns)
			for _, api := range apis {
				s.DeleteAPI(ctx, ns, api.Name)
			}
		}
	})
	addr := freeAddr(t)
	// The server's own namespace has the policy: its agent options carry it,
	// and nsB's agent must not inherit it.
	startServer(t, addr, global, []string{"--namespace", nsA,
		"--token", "tok-a=" + nsA, "--token", "tok-b=" + nsB, "--rules", filepath.Join(policiesDir, "blocked.lp")})
	req, err := os.ReadFile(filepath.Join(policiesDir, "request-international.json"))
	if err != nil {
		t.Fatal(err)
	}
	plan := func(token string) string {
		t.Helper()
		r, _ := http.NewRequest("POST", "http://"+addr+"/v1/plan", bytes.NewReader(req))
		r.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", token, resp.StatusCode, body)
		}
		return string(body)
	}
	if got := plan("tok-a"); !strings.Contains(got, `"slot":"passport_number"`) {
		t.Errorf("namespace with the policy: %s", got)
	}
	if got := plan("tok-b"); strings.Contains(got, "passport_number") || !strings.Contains(got, `"api":"Flights.Book"`) {
		t.Errorf("namespace without the policy: %s", got)
	}
}
