package llm

import (
	"encoding/json"
	"unicode/utf8"

	"github.com/tmc/langchaingo/llms"
)

// GenerationInfo keys under which langchaingo's providers report token
// counts: OpenAI and OpenAI-compatible servers (PromptTokens,
// CompletionTokens), Anthropic (InputTokens, OutputTokens), native Ollama
// (PromptTokens/CompletionTokens), and lower-case wire names some wrappers
// pass through.
var (
	inputTokenKeys  = []string{"PromptTokens", "InputTokens", "prompt_tokens", "input_tokens", "PromptEvalCount"}
	outputTokenKeys = []string{"CompletionTokens", "OutputTokens", "completion_tokens", "output_tokens", "EvalCount"}
)

// reportedUsage returns the token counts a response reports. Providers
// repeat the whole call's usage in every choice (Anthropic makes one choice
// per content block), so the counts are the largest seen, not a sum. ok is
// false when no choice reports a positive count.
func reportedUsage(resp *llms.ContentResponse) (in, out int, ok bool) {
	if resp == nil {
		return 0, 0, false
	}
	for _, c := range resp.Choices {
		if c == nil {
			continue
		}
		in = max(in, firstCount(c.GenerationInfo, inputTokenKeys))
		out = max(out, firstCount(c.GenerationInfo, outputTokenKeys))
	}
	return in, out, in > 0 || out > 0
}

func firstCount(info map[string]any, keys []string) int {
	for _, k := range keys {
		switch v := info[k].(type) {
		case int:
			return v
		case int32:
			return int(v)
		case int64:
			return int(v)
		case float64:
			return int(v)
		case json.Number:
			n, _ := v.Int64()
			return int(n)
		}
	}
	return 0
}

// estimateTokens estimates tokens at about four characters each, rounding
// up, so any non-empty text counts at least one token.
func estimateTokens(chars int) int { return (chars + 3) / 4 }

// promptChars counts the characters a call sends: message texts, tool calls
// and results, and tool definitions.
func promptChars(msgs []llms.MessageContent, opts llms.CallOptions) int {
	n := utf8.RuneCountInString(promptText(msgs))
	for _, t := range opts.Tools {
		if b, err := json.Marshal(t); err == nil {
			n += utf8.RuneCount(b)
		}
	}
	for _, f := range opts.Functions {
		if b, err := json.Marshal(f); err == nil {
			n += utf8.RuneCount(b)
		}
	}
	return n
}

// replyChars counts the characters of a response's text and tool calls.
func replyChars(resp *llms.ContentResponse) int {
	n := 0
	if resp == nil {
		return 0
	}
	for _, c := range resp.Choices {
		if c == nil {
			continue
		}
		n += utf8.RuneCountInString(c.Content)
		for _, tc := range c.ToolCalls {
			if tc.FunctionCall != nil {
				n += utf8.RuneCountInString(tc.FunctionCall.Name) + utf8.RuneCountInString(tc.FunctionCall.Arguments)
			}
		}
	}
	return n
}
