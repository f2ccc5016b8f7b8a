package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestSignatures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "tools", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no tools: %v", err)
	}
	got := map[string][]FuncSig{}
	for _, f := range files {
		sigs, err := Signatures(readTool(t, filepath.Base(f)))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		got[filepath.Base(f)] = sigs
	}
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "signatures.golden.json")
	if *update {
		if err := os.WriteFile(golden, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(bytes.TrimSpace(want), bytes.TrimSpace(b)) {
		t.Errorf("signatures differ from %s (run with -update to inspect):\n%s", golden, b)
	}
}

func TestSignaturesSchema(t *testing.T) {
	sigs, err := Signatures(`package tool
type Point struct {
	X, Y float64
	Label string ` + "`json:\"label,omitempty\"`" + `
	hidden int
}
// Far reports the points farther than d.
func Far(pts []Point, d float64, opts map[string]bool, tags ...string) ([]Point, int, error) { return nil, 0, nil }
func unexported() {}
`)
	if err != nil {
		t.Fatal(err)
	}
	if len(sigs) != 1 || sigs[0].Name != "Far" || !sigs[0].ReturnsError {
		t.Fatalf("got %+v", sigs)
	}
	var schema struct {
		Properties map[string]map[string]any `json:"properties"`
		Required   []string                  `json:"required"`
	}
	if err := json.Unmarshal(sigs[0].Schema, &schema); err != nil {
		t.Fatal(err)
	}
	pts := schema.Properties["pts"]
	items := pts["items"].(map[string]any)
	props := items["properties"].(map[string]any)
	for _, k := range []string{"X", "Y", "label"} {
		if _, ok := props[k]; !ok {
			t.Errorf("Point schema lacks %q: %v", k, props)
		}
	}
	if _, ok := props["hidden"]; ok {
		t.Errorf("Point schema has the unexported field")
	}
	if schema.Properties["tags"]["type"] != "array" || len(schema.Required) != 3 {
		t.Errorf("variadic parameter: %v, required %v", schema.Properties["tags"], schema.Required)
	}
	if string(sigs[0].ResultSchema) == "" || sigs[0].Doc != "Far reports the points farther than d." {
		t.Errorf("result schema %s, doc %q", sigs[0].ResultSchema, sigs[0].Doc)
	}
}

func TestSignaturesRefuseForbidden(t *testing.T) {
	_, err := Signatures("package tool\nimport \"os\"\nfunc F() { os.Exit(1) }\n")
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindForbidden {
		t.Fatalf("got %v, want a forbidden error", err)
	}
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		kind      Kind
	}{
		{"ok", readTool(t, "dates.go"), ""},
		{"program", "package main\nfunc main() { for {} }\n", ""},
		{"type error", "package tool\nfunc F() int { return \"x\" }\n", KindCompile},
		{"syntax error", "package tool\nfunc F( {\n", KindCompile},
		{"forbidden", "package tool\nimport \"net\"\nfunc F() { net.Dial(\"tcp\", \"x\") }\n", KindForbidden},
		{"undefined", "package tool\nfunc F() int { return g() }\n", KindCompile},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(tc.src)
			if tc.kind == "" {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Kind != tc.kind {
				t.Fatalf("got %v, want kind %s", err, tc.kind)
			}
		})
	}
}

func FuzzSignatures(f *testing.F) {
	for _, name := range []string{"sort_words.go", "bigint.go", "extract.go", "dyck.go", "dates.go"} {
		f.Add(readTool(f, name))
	}
	f.Add("package main\nimport \"C\"\n")
	f.Add("package tool\nfunc F(a, b int, c ...[]map[string]struct{X *int}) (int, error)\n")
	f.Fuzz(func(t *testing.T, src string) {
		sigs, err := Signatures(src)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || (e.Kind != KindCompile && e.Kind != KindForbidden) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		for _, s := range sigs {
			if !json.Valid(s.Schema) || !json.Valid(s.ResultSchema) {
				t.Fatalf("invalid schema for %s", s.Name)
			}
		}
	})
}

func TestRunnerCheck(t *testing.T) {
	pool, err := sharedPool()
	if err != nil {
		t.Fatal(err)
	}
	inproc, err := NewInProcess(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer inproc.Close()
	for _, r := range []struct {
		name string
		r    Runner
	}{{"pool", pool}, {"in process", inproc}} {
		for _, tc := range []struct {
			name, src string
			kind      Kind
		}{
			{"ok", readTool(t, "extract.go"), ""},
			// Checking compiles only: an endless init is not run.
			{"endless init not run", "package tool\nfunc init() { for {} }\n// F is f.\nfunc F() {}\n", ""},
			{"type error", "package tool\nfunc F() int { return \"x\" }\n", KindCompile},
			{"forbidden", "package tool\nimport \"os/exec\"\nfunc F() { exec.Command(\"sh\").Run() }\n", KindForbidden},
		} {
			t.Run(r.name+"/"+tc.name, func(t *testing.T) {
				err := r.r.Check(context.Background(), tc.src)
				if tc.kind == "" {
					if err != nil {
						t.Fatal(err)
					}
					return
				}
				var e *Error
				if !errors.As(err, &e) || e.Kind != tc.kind {
					t.Fatalf("got %v, want kind %s", err, tc.kind)
				}
			})
		}
	}
}
