package llm_test

import (
	"context"
	"fmt"

	"github.com/tmc/langchaingo/llms"
	"github.com/toolsmith-dev/toolsmith/llm"
)

// Open the four role models from a scripted-model file, ask the maker for a
// tool and the dispatcher for a tool call, then print what it all cost.
func Example() {
	script, err := llm.ParseScript([]byte(`
models: {maker: openai:gpt-4.1, user: openai:gpt-4.1-mini}
rules:
  - role: maker
    when: 'reverse'
    reply: 'func Reverse(s string) string { r := []rune(s); slices.Reverse(r); return string(r) }'
  - role: dispatcher
    tool_calls: [{name: use_tool, arguments: {tool: Reverse}}]
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	// In the CLI: llm.Open(ctx, llm.ConfigFromEnv(os.Getenv)).
	ms, err := llm.Open(context.Background(), llm.Config{Script: script})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := llm.WithRequest(context.Background(), "req-1")

	code, err := llm.Complete(ctx, ms.Maker, "You write Go tools.", "Write a tool to reverse a string.")
	fmt.Println(code, err)

	useTool := llm.FunctionTool("use_tool", "Solve the request with a cached tool", map[string]any{
		"type": "object", "properties": map[string]any{"tool": map[string]any{"type": "string"}},
	})
	reply, err := llm.CallTools(ctx, ms.Dispatcher, "", "reverse 'abc'", []llms.Tool{useTool})
	fmt.Println(reply.ToolCalls[0].FunctionCall.Name, reply.ToolCalls[0].FunctionCall.Arguments, err)

	fmt.Println(ms.Notice())
	fmt.Println(ms.Meter.Request("", "req-1").Calls, "calls for req-1")
	// Meter.WriteTable prints the same as a table, with latencies.
	for _, l := range ms.Meter.Snapshot().Lines {
		fmt.Printf("%s %s: %d in, %d out (estimated: %v), $%.6f\n", l.Role, l.Model, l.InputTokens, l.OutputTokens, l.EstimatedCalls > 0, l.Cost)
	}
	// Output:
	// func Reverse(s string) string { r := []rune(s); slices.Reverse(r); return string(r) } <nil>
	// use_tool {"tool":"Reverse"} <nil>
	// using the scripted model from an in-memory script: no model is called
	// 2 calls for req-1
	// maker scripted(openai:gpt-4.1): 17 in, 22 out (estimated: true), $0.000210
	// dispatcher scripted(openai:gpt-4.1-mini): 49 in, 7 out (estimated: true), $0.000031
}
