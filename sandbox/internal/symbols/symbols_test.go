package symbols

import (
	"slices"
	"testing"
)

func TestLookup(t *testing.T) {
	for _, tc := range []struct {
		path, name string
		ok         bool
	}{
		{"fmt", "Sprintf", true},
		{"fmt", "_Stringer", true}, // interface wrapper for interpreted Stringers
		{"strings", "ToUpper", true},
		{"time", "Now", true},
		{"math/rand", "Intn", true},
		{"os", "", false},
		{"reflect", "", false},
		{"unsafe", "", false},
		{"net/smtp", "", false},
	} {
		syms, ok := Lookup(tc.path)
		if ok != tc.ok {
			t.Errorf("Lookup(%q) ok = %v, want %v", tc.path, ok, tc.ok)
			continue
		}
		if ok {
			if v, found := syms[tc.name]; !found || !v.IsValid() {
				t.Errorf("Lookup(%q) lacks %s", tc.path, tc.name)
			}
		}
	}
}

func TestLookupReturnsFreshMaps(t *testing.T) {
	a, _ := Lookup("strings")
	delete(a, "ToUpper")
	b, _ := Lookup("strings")
	if _, ok := b["ToUpper"]; !ok {
		t.Error("a caller's change to a symbol map leaked into the next lookup")
	}
}

func TestPaths(t *testing.T) {
	p := Paths()
	if !slices.IsSorted(p) || len(slices.Compact(slices.Clone(p))) != len(p) {
		t.Errorf("Paths not sorted and unique: %v", p)
	}
	for _, path := range p {
		if _, ok := Lookup(path); !ok {
			t.Errorf("listed path %q has no table", path)
		}
	}
}

func TestLookupAny(t *testing.T) {
	for _, p := range []string{"os", "os/exec", "syscall", "net", "reflect", "runtime/debug", "strings"} {
		if syms, ok := LookupAny(p); !ok || len(syms) == 0 {
			t.Errorf("LookupAny(%q) has no table", p)
		}
	}
	for _, p := range []string{"testing", "net/http/pprof", "expvar", "github.com/traefik/yaegi/interp"} {
		if _, ok := LookupAny(p); ok {
			t.Errorf("LookupAny(%q) has a table", p)
		}
	}
	all := AllPaths()
	for _, p := range Paths() {
		if !slices.Contains(all, p) {
			t.Errorf("widenable %q is not in AllPaths", p)
		}
	}
}
