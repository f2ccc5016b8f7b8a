package llm

import (
	"context"

	"github.com/tmc/langchaingo/llms"
)

// scriptedModel answers one role's calls from a Script.
type scriptedModel struct {
	script *Script
	role   Role
}

var _ llms.Model = scriptedModel{}

func (m scriptedModel) Call(ctx context.Context, prompt string, options ...llms.CallOption) (string, error) {
	return llms.GenerateFromSinglePrompt(ctx, m, prompt, options...)
}

// GenerateContent answers from the first matching rule. It reports no
// usage, so the Model wrapper estimates tokens. A streaming function
// receives the reply text as one chunk.
func (m scriptedModel) GenerateContent(ctx context.Context, msgs []llms.MessageContent, options ...llms.CallOption) (*llms.ContentResponse, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	opts := llms.CallOptions{}
	for _, o := range options {
		o(&opts)
	}
	rule, err := m.script.Answer(m.role, promptText(msgs))
	if err != nil {
		return nil, err
	}
	choice := &llms.ContentChoice{Content: rule.Reply, StopReason: "stop", GenerationInfo: map[string]any{}}
	for _, tc := range rule.ToolCalls {
		choice.ToolCalls = append(choice.ToolCalls, llms.ToolCall{
			ID:           m.script.newCallID(),
			Type:         "function",
			FunctionCall: &llms.FunctionCall{Name: tc.Name, Arguments: tc.Arguments},
		})
	}
	if len(choice.ToolCalls) > 0 {
		choice.StopReason = "tool_calls"
		choice.FuncCall = choice.ToolCalls[0].FunctionCall
	}
	if opts.StreamingFunc != nil && rule.Reply != "" {
		if err := opts.StreamingFunc(ctx, []byte(rule.Reply)); err != nil {
			return nil, err
		}
	}
	return &llms.ContentResponse{Choices: []*llms.ContentChoice{choice}}, nil
}
