package llm

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/tmc/langchaingo/llms"
)

func TestReportedUsage(t *testing.T) {
	choice := func(info map[string]any) *llms.ContentChoice { return &llms.ContentChoice{GenerationInfo: info} }
	tests := []struct {
		name    string
		choices []*llms.ContentChoice
		in, out int
		ok      bool
	}{
		{"openai", []*llms.ContentChoice{choice(map[string]any{"PromptTokens": 10, "CompletionTokens": 2})}, 10, 2, true},
		{"anthropic blocks repeat usage", []*llms.ContentChoice{
			choice(map[string]any{"InputTokens": 30, "OutputTokens": 12}),
			choice(map[string]any{"InputTokens": 30, "OutputTokens": 12}),
		}, 30, 12, true},
		{"int64 and float64", []*llms.ContentChoice{choice(map[string]any{"input_tokens": int64(7), "output_tokens": 3.0})}, 7, 3, true},
		{"int32 and json.Number", []*llms.ContentChoice{choice(map[string]any{"prompt_tokens": int32(5), "completion_tokens": json.Number("4")})}, 5, 4, true},
		{"native ollama", []*llms.ContentChoice{choice(map[string]any{"PromptEvalCount": 8, "EvalCount": 1})}, 8, 1, true},
		{"zeros are no report", []*llms.ContentChoice{choice(map[string]any{"PromptTokens": 0, "CompletionTokens": 0})}, 0, 0, false},
		{"nil choice", []*llms.ContentChoice{nil}, 0, 0, false},
		{"strings ignored", []*llms.ContentChoice{choice(map[string]any{"PromptTokens": "10"})}, 0, 0, false},
	}
	for _, tt := range tests {
		in, out, ok := reportedUsage(&llms.ContentResponse{Choices: tt.choices})
		if in != tt.in || out != tt.out || ok != tt.ok {
			t.Errorf("%s: %d, %d, %v; want %d, %d, %v", tt.name, in, out, ok, tt.in, tt.out, tt.ok)
		}
	}
	if _, _, ok := reportedUsage(nil); ok {
		t.Error("nil response reported usage")
	}
}

func TestModelCall(t *testing.T) {
	s, err := ParseScript([]byte("rules:\n  - when: '^human: ping$'\n    reply: pong\n"))
	if err != nil {
		t.Fatal(err)
	}
	ms := mustOpen(t, Config{Script: s, Logger: quiet()})
	for _, m := range ms.All() {
		if got, err := m.Call(context.Background(), "ping"); err != nil || got != "pong" {
			t.Errorf("%s: Call = %q, %v", m.Role, got, err)
		}
	}
	if got := ms.Meter.Total().Calls; got != 4 {
		t.Errorf("metered %d calls, want 4", got)
	}
}
