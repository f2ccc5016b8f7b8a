package llm

import (
	"strings"
	"testing"
)

func TestPriceFor(t *testing.T) {
	over := map[string]Price{
		"gpt-4.1":                 {Input: 1, Output: 1},
		"ollama:qwen2.5-coder:7b": {Input: 0.5, Output: 0.5},
	}
	tests := []struct {
		spec   string
		in     float64
		source string
	}{
		{"openai:gpt-4.1-mini", 0.4, "default"},
		{"openai:gpt-4.1-mini-2025-04-14", 0.4, "default"},
		{"openai:gpt-4.1-2025-04-14", 1, "config"},
		{"openai:gpt-4o", 2.5, "default"},
		{"openai:gpt-4", 30, "default"},
		{"openai:gpt-4-0613", 30, "default"},
		{"anthropic:claude-sonnet-4-5-20250929", 3, "default"},
		{"anthropic:claude-3-5-haiku-latest", 0.8, "default"},
		{"googleai:gemini-2.5-flash-lite", 0.1, "default"},
		{"mistral:mistral-large-latest", 2, "default"},
		{"ollama:qwen2.5-coder:7b", 0.5, "config"},
		{"ollama:llama3", 0, "local"},
		{"openai-compatible:x@http://h/v1", 0, "local"},
		{"openai:gpt-99", 0, "unknown"},
	}
	for _, tt := range tests {
		spec, err := ParseSpec(tt.spec)
		if err != nil {
			t.Fatal(err)
		}
		p := PriceFor(spec, over)
		if p.Input != tt.in || p.Source != tt.source {
			t.Errorf("%s: %+v, want input %g from %s", tt.spec, p, tt.in, tt.source)
		}
	}
}

func TestPriceCost(t *testing.T) {
	p := Price{Input: 2, Output: 8}
	if got := p.Cost(1_000_000, 500_000); got != 6 {
		t.Errorf("cost = %g, want 6", got)
	}
}

func TestParsePrices(t *testing.T) {
	got, err := ParsePrices(" gpt-4.1=2/8 ,my-model=0.5/1.5,")
	if err != nil || len(got) != 2 || got["my-model"].Output != 1.5 || got["gpt-4.1"].Input != 2 {
		t.Fatalf("got %+v, %v", got, err)
	}
	for _, bad := range []string{"x", "x=1", "x=a/b", "=1/2", "x=-1/2", "x=1/Inf", "x=NaN/1"} {
		if _, err := ParsePrices(bad); err == nil || !strings.Contains(err.Error(), "expected model=input/output") {
			t.Errorf("ParsePrices(%q) err = %v", bad, err)
		}
	}
}

func FuzzParsePrices(f *testing.F) {
	f.Add("gpt-4.1=2/8,claude=3/15")
	f.Add("a=b/c")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePrices(s)
		if err != nil {
			return
		}
		for k, v := range p {
			if k == "" || !finite(v.Input) || !finite(v.Output) {
				t.Fatalf("%q gave %q=%+v", s, k, v)
			}
		}
	})
}
