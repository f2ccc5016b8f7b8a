package llm

import (
	"strings"

	"github.com/tmc/langchaingo/llms"
)

// promptText renders messages as the scripted model sees them: one block per
// message, "role: text", joined by newlines. Tool calls render as
// "tool_call NAME ARGUMENTS" and tool results as their content.
func promptText(msgs []llms.MessageContent) string {
	var b strings.Builder
	for i, m := range msgs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(string(m.Role))
		b.WriteString(": ")
		for j, p := range m.Parts {
			if j > 0 {
				b.WriteByte('\n')
			}
			switch p := p.(type) {
			case llms.TextContent:
				b.WriteString(p.Text)
			case llms.ToolCall:
				if p.FunctionCall != nil {
					b.WriteString("tool_call ")
					b.WriteString(p.FunctionCall.Name)
					b.WriteByte(' ')
					b.WriteString(p.FunctionCall.Arguments)
				}
			case llms.ToolCallResponse:
				b.WriteString(p.Content)
			case llms.ImageURLContent:
				b.WriteString(p.URL)
			case llms.BinaryContent:
				b.WriteString("[" + p.MIMEType + "]")
			}
		}
	}
	return b.String()
}
