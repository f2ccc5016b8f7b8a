package llm

import (
	"errors"
	"strings"
	"testing"
)

func TestParseSpec(t *testing.T) {
	tests := []struct {
		in   string
		want Spec
		err  string
	}{
		{in: "openai:gpt-4.1", want: Spec{OpenAI, "gpt-4.1", ""}},
		{in: "anthropic:claude-sonnet-4-5", want: Spec{Anthropic, "claude-sonnet-4-5", ""}},
		{in: "ollama:qwen2.5-coder:7b", want: Spec{Ollama, "qwen2.5-coder:7b", ""}},
		{in: "googleai:gemini-2.5-flash", want: Spec{GoogleAI, "gemini-2.5-flash", ""}},
		{in: "mistral:mistral-large-latest", want: Spec{Mistral, "mistral-large-latest", ""}},
		{in: "openai-compatible:llama3@http://127.0.0.1:8080/v1", want: Spec{OpenAICompatible, "llama3", "http://127.0.0.1:8080/v1"}},
		{in: "openai-compatible:org/m@v2@https://u:p@host/v1", want: Spec{OpenAICompatible, "org/m@v2", "https://u:p@host/v1"}},
		{in: "", err: "empty"},
		{in: "gpt-4.1", err: "no provider"},
		{in: "openai:", err: "no model name"},
		{in: "azure:gpt-4", err: `unknown provider "azure"`},
		{in: "OpenAI:gpt-4", err: `unknown provider "OpenAI"`},
		{in: "openai:gpt 4", err: "white space"},
		{in: "openai-compatible:llama3", err: "MODEL@BASE_URL"},
		{in: "openai-compatible:@http://h/v1", err: "no model name"},
		{in: "openai-compatible:m@http://", err: "bad base URL"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSpec(tt.in)
			if tt.err != "" {
				var se *SpecError
				if !errors.As(err, &se) || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want a *SpecError containing %q", err, tt.err)
				}
				if !strings.Contains(err.Error(), "expected provider:model") {
					t.Errorf("err = %v does not say what was expected", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseSpec(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			}
			if got.String() != tt.in {
				t.Errorf("String() = %q, want %q", got.String(), tt.in)
			}
		})
	}
}

func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{"openai:gpt-4.1", "ollama:a:b", "openai-compatible:m@http://h:1/v1", "x", ":", "openai-compatible:m@https://"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		spec, err := ParseSpec(s)
		if err != nil {
			if !strings.Contains(err.Error(), "expected provider:model") {
				t.Fatalf("error %q does not say what was expected", err)
			}
			return
		}
		if spec.Model == "" {
			t.Fatalf("%q parsed without a model", s)
		}
		again, err := ParseSpec(spec.String())
		if err != nil || again != spec {
			t.Fatalf("%q: round trip %q gave %+v, %v", s, spec.String(), again, err)
		}
	})
}
