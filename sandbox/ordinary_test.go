package sandbox

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// ordinaryCases are tools that must keep working inside the sandbox.
var ordinaryCases = []struct {
	name, file, fn, args string
	want                 string // result JSON
	kind                 Kind   // for expected tool errors
}{
	{"sort words", "sort_words.go", "SortWords", `{"sentence": "pear apple fig banana"}`, `"apple banana fig pear"`, ""},
	{"sort words array args", "sort_words.go", "", `["b a"]`, `"a b"`, ""},
	{"factorial", "bigint.go", "Factorial", `{"n": 30}`, `"265252859812191058636308480000000"`, ""},
	{"factorial error", "bigint.go", "Factorial", `{"n": -1}`, "", KindError},
	{"chinese remainder", "bigint.go", "CRT", `{"r": [2, 3, 2], "m": [3, 5, 7]}`, `"23"`, ""},
	{"regexp and json", "extract.go", "Extract", `{"text": "tea costs $2.50, cake costs $4"}`, `["[{\"name\":\"tea\",\"price\":2.5},{\"name\":\"cake\",\"price\":4}]",6.5]`, ""},
	{"bracket matcher", "dyck.go", "Complete", `{"prefix": "( [ { < > }"}`, `"] )"`, ""},
	{"bracket mismatch", "dyck.go", "Complete", `{"prefix": "( ]"}`, "", KindError},
	{"date arithmetic", "dates.go", "AddDays", `{"req": {"start": "2024-02-27", "days": 3}}`, `{"date":"2024-03-01","weekday":"Friday"}`, ""},
	{"date bad field", "dates.go", "AddDays", `{"req": {"begin": "2024-02-27"}}`, "", KindBadArgs},
	{"missing parameter", "bigint.go", "Factorial", `{}`, "", KindBadArgs},
	{"unknown function", "bigint.go", "Fib", `{}`, "", KindBadArgs},
	{"ambiguous function", "bigint.go", "", `{}`, "", KindBadArgs},
	{"arguments to a program", "program.go", "", `[1]`, "", KindBadArgs},
	{"program", "program.go", "", ``, `null`, ""},
}

func readTool(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "tools", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func testOrdinary(t *testing.T, r Runner) {
	for _, tc := range ordinaryCases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := r.Run(context.Background(), Call{Source: readTool(t, tc.file), Func: tc.fn, Args: json.RawMessage(tc.args)})
			if err != nil {
				t.Fatal(err)
			}
			if tc.kind != "" {
				if res.OK || res.Error.Kind != tc.kind {
					t.Fatalf("got %+v (%v), want kind %s", res, res.Error, tc.kind)
				}
				return
			}
			if !res.OK {
				t.Fatalf("failed: %v", res.Error)
			}
			if string(res.Result) != tc.want {
				t.Errorf("result %s, want %s", res.Result, tc.want)
			}
		})
	}
}

func TestOrdinaryToolsInPool(t *testing.T) {
	p, err := sharedPool()
	if err != nil {
		t.Fatal(err)
	}
	testOrdinary(t, p)
}

func TestOrdinaryToolsInProcess(t *testing.T) {
	r, err := NewInProcess(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	testOrdinary(t, r)
}

// Ordinary tools work the same with the whole standard library, and a tool
// may use its private temporary directory.
func TestOrdinaryToolsWithoutAllowList(t *testing.T) {
	p := newTestPool(t, Options{Workers: 2, UnsafeNoAllowList: true, MemoryBytes: 64 << 20})
	testOrdinary(t, p)
	scratch := `package tool
import ("os"; "path/filepath")
// Scratch writes s to a file in the temporary directory and reads it back.
func Scratch(s string) (string, error) {
	p := filepath.Join(os.TempDir(), "scratch")
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil { return "", err }
	b, err := os.ReadFile(p)
	return string(b), err
}`
	res, err := p.Run(context.Background(), Call{Source: scratch, Args: json.RawMessage(`["kept"]`)})
	if err != nil || !res.OK || string(res.Result) != `"kept"` {
		t.Fatalf("%+v %v", res, err)
	}
}
