package sandbox

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"
)

// What a tool prints is captured into the result and never reaches the
// process's own stdout or stderr, even in process.
func TestOutputNeverReachesHostStdio(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, stderr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = w, w
	defer func() { os.Stdout, os.Stderr = stdout, stderr }()

	run, err := NewInProcess(Options{})
	if err != nil {
		t.Fatal(err)
	}
	src := `package main
import "fmt"
func main() { fmt.Println("via fmt"); fmt.Printf("%s\n", "via printf"); print("via print\n"); println("via println") }`
	res, err := run.Run(context.Background(), Call{Source: src})
	os.Stdout, os.Stderr = stdout, stderr
	w.Close()
	leaked, _ := io.ReadAll(r)
	if err != nil || !res.OK {
		t.Fatalf("%+v %v", res, err)
	}
	if len(leaked) != 0 {
		t.Errorf("the tool wrote to the host's stdio: %q", leaked)
	}
	for _, want := range []string{"via fmt", "via printf", "via print\n", "via println"} {
		if !strings.Contains(res.Stdout, want) {
			t.Errorf("stdout %q lacks %q", res.Stdout, want)
		}
	}
}

func FuzzDecodeArgs(f *testing.F) {
	for _, s := range []string{`{"n": 1, "s": "x", "xs": [1], "m": {"a": true}}`, `[1, "x", [], {}]`, `null`, ``, `{"n": "1"}`, `[[[[`, `{"xs": [1e400]}`} {
		f.Add(s)
	}
	ft := func(n int, s string, xs []float64, m map[string]bool) {}
	f.Fuzz(func(t *testing.T, args string) {
		vals, err := decodeArgs(reflectTypeOf(ft), []string{"n", "s", "xs", "m"}, json.RawMessage(args))
		if err != nil {
			if err.Kind != KindBadArgs {
				t.Fatalf("kind %s", err.Kind)
			}
			return
		}
		if len(vals) != 4 {
			t.Fatalf("%d values", len(vals))
		}
	})
}
