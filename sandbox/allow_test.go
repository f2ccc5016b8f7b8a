package sandbox

import (
	"context"
	"strings"
	"testing"
)

func TestAllowList(t *testing.T) {
	urlTool := "package tool\nimport \"net/url\"\n// Host returns the host of a URL.\nfunc Host(s string) (string, error) { u, err := url.Parse(s); if err != nil { return \"\", err }; return u.Host, nil }\n"
	stringsTool := "package tool\nimport \"strings\"\n// Up upper-cases.\nfunc Up(s string) string { return strings.ToUpper(s) }\n"
	for _, tc := range []struct {
		name  string
		allow []string
		src   string
		kind  Kind // "" for success
	}{
		{"default refuses net/url", nil, urlTool, KindForbidden},
		{"widened allows net/url", append(DefaultAllow(), "net/url"), urlTool, ""},
		{"narrowed refuses strings", []string{"fmt"}, stringsTool, KindForbidden},
		{"default allows strings", nil, stringsTool, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewInProcess(Options{Allow: tc.allow})
			if err != nil {
				t.Fatal(err)
			}
			res, err := r.Run(context.Background(), Call{Source: tc.src, Args: []byte(`["https://example.org/x"]`)})
			if err != nil {
				t.Fatal(err)
			}
			if tc.kind == "" && !res.OK {
				t.Fatalf("failed: %v", res.Error)
			}
			if tc.kind != "" && (res.OK || res.Error.Kind != tc.kind) {
				t.Fatalf("got %+v, want kind %s", res, tc.kind)
			}
		})
	}
}

func TestAllowListNeverOpens(t *testing.T) {
	for _, p := range []string{"os", "os/exec", "unsafe", "reflect", "syscall", "runtime", "github.com/traefik/yaegi/interp"} {
		if _, err := NewInProcess(Options{Allow: []string{"fmt", p}}); err == nil {
			t.Errorf("an allow-list with %q was accepted", p)
		}
		if _, err := NewPool(context.Background(), Options{Allow: []string{"fmt", p}, Command: testCommand(t)}); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("a pool with %q: %v", p, err)
		}
	}
	if _, err := NewInProcess(Options{Allow: []string{"no/such/package"}}); err == nil {
		t.Error("an unknown package was accepted")
	}
}
