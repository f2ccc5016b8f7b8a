package sandbox

import (
	"context"
	"strings"
	"testing"
)

func TestReadableCompileMessage(t *testing.T) {
	for in, want := range map[string]string{
		`3:25: cannot use "x" (type stringT) as type intT in return argument`: `tool.go:3:25: cannot use "x" (type string) as type int in return argument`,
		`undefined: errors`:                      `undefined: errors`,
		`12:15: undefined: float64Tx`:            `tool.go:12:15: undefined: float64Tx`,
		`1:2: mismatched types uint8T and runeT`: `tool.go:1:2: mismatched types uint8 and rune`,
	} {
		if got := readableCompileMessage(in); got != want {
			t.Errorf("readableCompileMessage(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCompileErrorNamesGoTypes(t *testing.T) {
	r, err := NewInProcess(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	res, err := r.Run(context.Background(), Call{Source: "package tool\n\nfunc F() int { return \"x\" }\n", Func: "F"})
	if err != nil {
		t.Fatal(err)
	}
	if res.OK || res.Error == nil || res.Error.Kind != KindCompile {
		t.Fatalf("want a compile error, got %+v", res)
	}
	if msg := res.Error.Message; !strings.HasPrefix(msg, "tool.go:3:") || strings.Contains(msg, "stringT") || strings.Contains(msg, "intT") {
		t.Errorf("message %q", msg)
	}
}
