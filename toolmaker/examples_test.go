package toolmaker

import (
	"strings"
	"testing"
)

func TestReadExamples(t *testing.T) {
	tests := []struct {
		name, data string
		n          int    // examples read
		err        string // error substring; "" for none
	}{
		{"two with a blank line", "{\"input\": \"a\", \"target\": \"b\"}\n\n  {\"input\": \"c\", \"target\": \"d\"}\n", 2, ""},
		{"no final newline", `{"input": "a", "target": "b"}`, 1, ""},
		{"empty", "\n\n", 0, "ex.jsonl: no examples"},
		{"no target", `{"input": "a"}`, 0, "ex.jsonl:1: an example needs an input and a target"},
		{"blank input", "{\"input\": \"a\", \"target\": \"b\"}\n{\"input\": \" \", \"target\": \"b\"}", 0, "ex.jsonl:2: an example needs"},
		{"unknown field", `{"input": "a", "target": "b", "answer": "c"}`, 0, `ex.jsonl:1: json: unknown field "answer"`},
		{"not an object", `[1]`, 0, "ex.jsonl:1: json: cannot unmarshal array"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			exs, err := ReadExamples("ex.jsonl", strings.NewReader(tc.data))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || len(exs) != tc.n {
				t.Fatalf("%d examples, %v; want %d", len(exs), err, tc.n)
			}
		})
	}
}

func FuzzReadExamples(f *testing.F) {
	f.Add("{\"input\": \"a\", \"target\": \"b\"}\n\n{\"input\": \"c\", \"target\": \"d\"}\n")
	f.Add("{\"input\": \"a\"}")
	f.Add("[1]")
	f.Fuzz(func(t *testing.T, data string) {
		exs, err := ReadExamples("ex.jsonl", strings.NewReader(data))
		if err != nil {
			return
		}
		if len(exs) == 0 {
			t.Fatal("no examples and no error")
		}
		for _, ex := range exs {
			if strings.TrimSpace(ex.Input) == "" || strings.TrimSpace(ex.Target) == "" {
				t.Fatalf("accepted an example without input or target: %+v", ex)
			}
		}
	})
}
