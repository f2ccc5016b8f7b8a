package llm

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/tmc/langchaingo/llms"
)

func scriptedModels(t *testing.T) *Models {
	t.Helper()
	cfg := testConfig()
	cfg.Scripted = "testdata/script.yaml"
	return mustOpen(t, cfg)
}

func TestScriptedMatching(t *testing.T) {
	ms := scriptedModels(t)
	ctx := context.Background()
	if !ms.Scripted || ms.ScriptFile != "testdata/script.yaml" {
		t.Fatalf("Scripted = %v, file %q", ms.Scripted, ms.ScriptFile)
	}
	if got := ms.Notice(); got != "using the scripted model from testdata/script.yaml: no model is called" {
		t.Errorf("notice = %q", got)
	}

	got, err := Complete(ctx, ms.Maker, "You write Go.", "Please sort these words: b a")
	if err != nil || !strings.HasPrefix(got, "func Solve(") {
		t.Errorf("maker reply %q, %v", got, err)
	}

	r, err := CallTools(ctx, ms.Dispatcher, "", "What's the WEATHER like?", []llms.Tool{FunctionTool("get_weather", "", nil)})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.ToolCalls) != 1 || r.ToolCalls[0].FunctionCall.Name != "get_weather" ||
		r.ToolCalls[0].FunctionCall.Arguments != `{"city":"Paris","days":[1,2]}` || r.ToolCalls[0].ID == "" {
		t.Errorf("tool calls = %+v", r.ToolCalls)
	}

	// The maker rule is for the maker only: the user's catch-all answers.
	got, err = Complete(ctx, ms.User, "", "sort these words")
	if err != nil || got != "catch-all for the user" {
		t.Errorf("user reply %q, %v", got, err)
	}
}

func TestScriptedOrderAndTimes(t *testing.T) {
	ms := scriptedModels(t)
	ctx := context.Background()
	var got []string
	for range 3 {
		s, err := Complete(ctx, ms.Translator, "", "answer once please")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	if strings.Join(got, ",") != "first,second,second" {
		t.Errorf("replies = %v, want first,second,second", got)
	}
}

func TestScriptedNoMatch(t *testing.T) {
	ms := scriptedModels(t)
	long := strings.Repeat("x", 500)
	_, err := Complete(context.Background(), ms.Maker, "You write Go.", "nothing matches "+long)
	var nm *NoMatchError
	if !errors.As(err, &nm) {
		t.Fatalf("err = %v, want *NoMatchError", err)
	}
	if nm.Role != Maker || !strings.HasPrefix(nm.Prompt, "system: You write Go.\nhuman: nothing matches") {
		t.Errorf("NoMatchError = %+v", nm)
	}
	if n := len([]rune(nm.Prompt)); n != 201 || !strings.HasSuffix(nm.Prompt, "…") {
		t.Errorf("quoted prompt has %d characters, want 200 and an ellipsis", n)
	}
	if msg := err.Error(); !strings.Contains(msg, "maker") || !strings.Contains(msg, "nothing matches") {
		t.Errorf("message %q does not name the role and quote the prompt", msg)
	}
	// A failed call is metered as an error, not as tokens.
	if tot := ms.Meter.Total(); tot.Errors != 1 || tot.InputTokens != 0 {
		t.Errorf("totals = %+v", tot)
	}
}

func TestScriptedUsedUpNamed(t *testing.T) {
	s, err := ParseScript([]byte("rules:\n  - when: x\n    reply: y\n    times: 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Answer(User, "x"); err != nil {
		t.Fatal(err)
	}
	_, err = s.Answer(User, "x")
	var nm *NoMatchError
	if !errors.As(err, &nm) || nm.UsedUp != 1 || !strings.Contains(err.Error(), "used up") {
		t.Errorf("err = %v", err)
	}
}

func TestScriptedMetersEstimatesAtConfiguredPrices(t *testing.T) {
	ms := scriptedModels(t)
	if ms.Maker.Name != "scripted(openai:gpt-4.1)" || ms.Maker.Price.Input != 2 {
		t.Errorf("maker = %s at %+v", ms.Maker.Name, ms.Maker.Price)
	}
	// The dispatcher takes the user model's name and price.
	if ms.Dispatcher.Name != "scripted(openai:gpt-4.1-mini)" {
		t.Errorf("dispatcher = %s", ms.Dispatcher.Name)
	}
	prompt := strings.Repeat("sort these words ", 10) // 170 characters
	if _, err := Complete(context.Background(), ms.Maker, "", prompt); err != nil {
		t.Fatal(err)
	}
	c := ms.Meter.Calls()[0]
	// "human: " + 170 characters = 177 characters: 45 tokens.
	if !c.Estimated || c.InputTokens != 45 || c.OutputTokens == 0 {
		t.Errorf("call = %+v", c)
	}
	if want := ms.Maker.Price.Cost(c.InputTokens, c.OutputTokens); c.Cost != want || c.Cost == 0 {
		t.Errorf("cost = %g, want %g", c.Cost, want)
	}
}

func TestScriptedEnvModelWinsOverScriptModels(t *testing.T) {
	cfg := testConfig()
	cfg.Scripted = "testdata/script.yaml"
	cfg.MakerModel = "anthropic:claude-opus-4-1"
	ms := mustOpen(t, cfg)
	if ms.Maker.Name != "scripted(anthropic:claude-opus-4-1)" || ms.Maker.Price.Output != 75 {
		t.Errorf("maker = %s at %+v", ms.Maker.Name, ms.Maker.Price)
	}
}

func TestScriptedStreaming(t *testing.T) {
	ms := scriptedModels(t)
	var chunks []string
	got, err := Complete(context.Background(), ms.User, "", "anything", llms.WithStreamingFunc(func(_ context.Context, b []byte) error {
		chunks = append(chunks, string(b))
		return nil
	}))
	if err != nil || got != "catch-all for the user" || len(chunks) != 1 || chunks[0] != got {
		t.Errorf("reply %q, chunks %q, err %v", got, chunks, err)
	}
}

func TestScriptedConcurrent(t *testing.T) {
	s, err := ParseScript([]byte("rules:\n  - when: go\n    reply: a\n    times: 50\n  - reply: b\n"))
	if err != nil {
		t.Fatal(err)
	}
	ms := mustOpen(t, Config{Script: s, Logger: quiet()})
	var wg sync.WaitGroup
	var mu sync.Mutex
	count := map[string]int{}
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := WithSession(context.Background(), []string{"s1", "s2"}[i%2])
			got, err := Complete(ctx, ms.ByRole(Roles()[i%4]), "", "go")
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			count[got]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if count["a"] != 50 || count["b"] != 150 {
		t.Errorf("answers = %v, want 50 a and 150 b", count)
	}
	if u := s.Uses(); u[0] != 50 || u[1] != 150 {
		t.Errorf("uses = %v", u)
	}
	tot := ms.Meter.Total()
	if tot.Calls != 200 || tot.ByRole[Maker].Calls != 50 || ms.Meter.Session("", "s1").Calls != 100 {
		t.Errorf("totals = %+v", tot)
	}
}

func TestParseScriptErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown role", "rules:\n  - reply: a\n  - role: boss\n    reply: b\n", `rule 2 (line 3): unknown role "boss"`},
		{"bad regexp", "rules:\n  - when: '(['\n    reply: a\n", "rule 1 (line 2): when: error parsing regexp"},
		{"no reply", "rules:\n  - when: a\n", "rule 1 (line 2): needs a reply or tool_calls"},
		{"negative times", "rules:\n  - reply: a\n    times: -1\n", "rule 1 (line 2): times: -1 is negative"},
		{"tool without name", "rules:\n  - tool_calls: [{arguments: {a: 1}}]\n", "rule 1 (line 2): tool call 1: no name"},
		{"arguments not a mapping", "rules:\n  - tool_calls: [{name: f, arguments: [1]}]\n", "tool call 1 (f): arguments: expected a mapping"},
		{"non-string key", "rules:\n  - tool_calls: [{name: f, arguments: {a: {1: x}}}]\n", "is not a string"},
		{"unknown field", "rules:\n  - repy: a\n", "field repy not found"},
		{"no rules", "models: {}\n", "no rules"},
		{"empty file", "", "no rules"},
		{"bad models role", "models: {boss: openai:gpt-4.1}\nrules: [{reply: a}]\n", `models: unknown role "boss"`},
		{"bad models spec", "models: {maker: gpt-4.1}\nrules: [{reply: a}]\n", `models: maker: "gpt-4.1": no provider`},
		{"not yaml", "rules: [", "yaml:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseScript([]byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestLoadScriptErrorNamesFile(t *testing.T) {
	_, err := LoadScript("testdata/missing.yaml")
	if err == nil || !strings.Contains(err.Error(), "testdata/missing.yaml") {
		t.Errorf("err = %v", err)
	}
	cfg := testConfig()
	cfg.Scripted = "testdata/missing.yaml"
	if _, err := Open(context.Background(), cfg); err == nil {
		t.Error("Open with a missing script succeeded")
	}
}

func TestPromptText(t *testing.T) {
	msgs := []llms.MessageContent{
		llms.TextParts(llms.ChatMessageTypeSystem, "sys"),
		llms.TextParts(llms.ChatMessageTypeHuman, "q1", "q2"),
		{Role: llms.ChatMessageTypeAI, Parts: []llms.ContentPart{llms.ToolCall{ID: "1", FunctionCall: &llms.FunctionCall{Name: "f", Arguments: `{"a":1}`}}}},
		{Role: llms.ChatMessageTypeTool, Parts: []llms.ContentPart{llms.ToolCallResponse{ToolCallID: "1", Content: "42"}}},
	}
	want := "system: sys\nhuman: q1\nq2\nai: tool_call f {\"a\":1}\ntool: 42"
	if got := promptText(msgs); got != want {
		t.Errorf("promptText = %q, want %q", got, want)
	}
}

func FuzzParseScript(f *testing.F) {
	for _, s := range []string{
		"rules:\n  - role: maker\n    when: 'a+'\n    reply: x\n    times: 2\n",
		"rules: [{tool_calls: [{name: f, arguments: {a: [1, {b: c}], n: null}}]}]\n",
		"models: {user: ollama:qwen2.5-coder:7b}\nrules: [{reply: ''}]\n",
		"rules: [{when: '(?i)x', reply: y}]",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseScript(data)
		if err != nil {
			return
		}
		if len(s.Rules) == 0 {
			t.Fatal("a script without rules parsed")
		}
		for _, r := range s.Rules {
			for _, tc := range r.ToolCalls {
				if !jsonValid(tc.Arguments) {
					t.Fatalf("tool call arguments %q are not JSON", tc.Arguments)
				}
			}
		}
		// Answering never panics; it either answers or names the role.
		if _, err := s.Answer(Maker, string(data)); err != nil {
			var nm *NoMatchError
			if !errors.As(err, &nm) || nm.Role != Maker {
				t.Fatalf("Answer: %v", err)
			}
		}
	})
}
