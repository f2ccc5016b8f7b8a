package sandbox

import (
	"context"
	"slices"
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

func TestWidenable(t *testing.T) {
	w := Widenable()
	if !slices.IsSorted(w) {
		t.Errorf("Widenable is not sorted: %v", w)
	}
	for _, p := range DefaultAllow() {
		if !slices.Contains(w, p) {
			t.Errorf("default package %q has no symbol table", p)
		}
	}
	for _, p := range w {
		if neverAllowed(p) {
			t.Errorf("widenable package %q can never be allowed", p)
		}
		table, err := symbolTable([]string{p})
		if err != nil {
			t.Errorf("widening to %q: %v", p, err)
			continue
		}
		// slices, maps and cmp are generic: yaegi interprets them from source.
		if len(table[symbolKey(p)]) == 0 && p != "slices" && p != "maps" && p != "cmp" {
			t.Errorf("package %q has an empty symbol table", p)
		}
	}
	for _, p := range []string{"net/smtp", "archive/zip", "os/user", "testing"} {
		_, err := NewInProcess(Options{Allow: append(DefaultAllow(), p)})
		if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "Widenable") {
			t.Errorf("widening to %q outside Widenable: %v", p, err)
		}
	}
}

func TestWidenedPackagesRun(t *testing.T) {
	for _, tc := range []struct {
		pkg, src, args, want string
	}{
		{"net/url", "package tool\nimport \"net/url\"\n// Q escapes.\nfunc Q(s string) string { return url.QueryEscape(s) }\n", `["a b"]`, `"a+b"`},
		{"path", "package tool\nimport \"path\"\n// B is the base.\nfunc B(s string) string { return path.Base(s) }\n", `["/x/y.go"]`, `"y.go"`},
		{"html", "package tool\nimport \"html\"\n// E escapes.\nfunc E(s string) string { return html.EscapeString(s) }\n", `["<a>"]`, `"\u0026lt;a\u0026gt;"`},
		{"crypto/sha1", "package tool\nimport (\"crypto/sha1\"; \"encoding/hex\")\n// H hashes.\nfunc H(s string) string { h := sha1.Sum([]byte(s)); return hex.EncodeToString(h[:]) }\n", `["abc"]`, `"a9993e364706816aba3e25717850c26c9cd0d89d"`},
		{"bufio", "package tool\nimport (\"bufio\"; \"strings\")\n// N counts lines.\nfunc N(s string) int { sc := bufio.NewScanner(strings.NewReader(s)); n := 0; for sc.Scan() { n++ }; return n }\n", `["a\nb\nc"]`, `3`},
	} {
		t.Run(tc.pkg, func(t *testing.T) {
			r, err := NewInProcess(Options{Allow: append(DefaultAllow(), tc.pkg)})
			if err != nil {
				t.Fatal(err)
			}
			res, err := r.Run(context.Background(), Call{Source: tc.src, Args: []byte(tc.args)})
			if err != nil {
				t.Fatal(err)
			}
			if !res.OK || string(res.Result) != tc.want {
				t.Fatalf("got %+v, want %s", res, tc.want)
			}
		})
	}
}

// TestGenericPackages pins what yaegi interprets of slices and cmp from
// source: the generated symbol tables hold none of their generic functions.
func TestGenericPackages(t *testing.T) {
	r, err := NewInProcess(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ src, want string }{
		{"package tool\nimport \"slices\"\n// F f.\nfunc F(a []int) int { return slices.Index(a, 3) }\n", "1"},
		{"package tool\nimport \"slices\"\n// F f.\nfunc F(a []int) bool { return slices.Contains(a, 1) }\n", "true"},
		{"package tool\nimport \"cmp\"\n// F f.\nfunc F(a []int) int { return cmp.Compare(a[0], a[1]) }\n", "1"},
	} {
		res, err := r.Run(context.Background(), Call{Source: tc.src, Args: []byte(`[[5,3,1]]`)})
		if err != nil {
			t.Fatal(err)
		}
		if !res.OK || string(res.Result) != tc.want {
			t.Errorf("%s: got %+v, want %s", tc.src, res, tc.want)
		}
	}
}
