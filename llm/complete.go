package llm

import (
	"context"
	"errors"
	"strings"

	"github.com/tmc/langchaingo/llms"
)

// Reply is a model's answer: its text and the tools it asked to call.
type Reply struct {
	Text      string
	ToolCalls []llms.ToolCall
}

// ErrEmptyReply is returned when a model answers with neither text nor a
// tool call.
var ErrEmptyReply = errors.New("model returned an empty reply")

// Messages builds a conversation of an optional system message and one
// human message.
func Messages(system, prompt string) []llms.MessageContent {
	var msgs []llms.MessageContent
	if system != "" {
		msgs = append(msgs, llms.TextParts(llms.ChatMessageTypeSystem, system))
	}
	return append(msgs, llms.TextParts(llms.ChatMessageTypeHuman, prompt))
}

// Generate sends msgs and gathers the reply: the text of every choice
// (providers such as Anthropic return one choice per content block) and
// every tool call.
func Generate(ctx context.Context, m llms.Model, msgs []llms.MessageContent, opts ...llms.CallOption) (Reply, error) {
	resp, err := m.GenerateContent(ctx, msgs, opts...)
	if err != nil {
		return Reply{}, err
	}
	var r Reply
	var texts []string
	for _, c := range resp.Choices {
		if c == nil {
			continue
		}
		if c.Content != "" {
			texts = append(texts, c.Content)
		}
		r.ToolCalls = append(r.ToolCalls, c.ToolCalls...)
		if len(c.ToolCalls) == 0 && c.FuncCall != nil {
			r.ToolCalls = append(r.ToolCalls, llms.ToolCall{Type: "function", FunctionCall: c.FuncCall})
		}
	}
	r.Text = strings.Join(texts, "\n")
	if r.Text == "" && len(r.ToolCalls) == 0 {
		return r, ErrEmptyReply
	}
	return r, nil
}

// Complete sends a system and a user message and returns the reply text.
func Complete(ctx context.Context, m llms.Model, system, prompt string, opts ...llms.CallOption) (string, error) {
	r, err := Generate(ctx, m, Messages(system, prompt), opts...)
	if err != nil {
		return "", err
	}
	if r.Text == "" {
		return "", ErrEmptyReply
	}
	return r.Text, nil
}

// CompleteJSON is Complete in JSON mode: the reply is one JSON value.
func CompleteJSON(ctx context.Context, m llms.Model, system, prompt string, opts ...llms.CallOption) (string, error) {
	return Complete(ctx, m, system, prompt, append(opts, llms.WithJSONMode())...)
}

// CallTools sends a system and a user message offering tools and returns
// the reply, whose ToolCalls hold the calls the model chose.
func CallTools(ctx context.Context, m llms.Model, system, prompt string, tools []llms.Tool, opts ...llms.CallOption) (Reply, error) {
	return Generate(ctx, m, Messages(system, prompt), append(opts, llms.WithTools(tools))...)
}

// FunctionTool describes a function the model may call; parameters is a
// JSON Schema object (a map or a struct that marshals to one).
func FunctionTool(name, description string, parameters any) llms.Tool {
	return llms.Tool{Type: "function", Function: &llms.FunctionDefinition{
		Name: name, Description: description, Parameters: parameters,
	}}
}
