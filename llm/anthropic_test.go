package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tmc/langchaingo/llms"
)

// anthropicRequest is the part of a messages request the tests check.
type anthropicRequest struct {
	Model     string `json:"model"`
	System    any    `json:"system"`
	MaxTokens int    `json:"max_tokens"`
	Messages  []struct {
		Role    string `json:"role"`
		Content []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"content"`
	} `json:"messages"`
	Tools []struct {
		Name        string         `json:"name"`
		Description string         `json:"description"`
		InputSchema map[string]any `json:"input_schema"`
	} `json:"tools"`
}

const anthropicToolReply = `{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
"content":[{"type":"text","text":"Let me check the weather."},
 {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}],
"stop_reason":"tool_use","usage":{"input_tokens":30,"output_tokens":12}}`

// anthropicServer serves /v1/messages with handle (answering JSON unless
// handle says otherwise) and records the decoded requests.
func anthropicServer(t *testing.T, handle func(n int, req anthropicRequest, w http.ResponseWriter)) (*httptest.Server, *recorder[anthropicRequest]) {
	t.Helper()
	return providerServer(t, "/v1/messages", func(r *http.Request) {
		if got := r.Header.Get("x-api-key"); got != "sk-ant-test" {
			t.Errorf("x-api-key = %q", got)
		}
		if r.Header.Get("anthropic-version") == "" {
			t.Error("no anthropic-version header")
		}
	}, func(n int, req anthropicRequest, w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		handle(n, req, w)
	})
}

func anthropicConfig(srv *httptest.Server) Config {
	c := testConfig()
	c.MakerModel = "anthropic:claude-sonnet-4-5"
	c.UserModel = "anthropic:claude-haiku-4-5"
	c.AnthropicKey = "sk-ant-test"
	c.AnthropicBaseURL = srv.URL + "/v1"
	return c
}

func TestAnthropicToolCall(t *testing.T) {
	srv, reqs := anthropicServer(t, func(_ int, _ anthropicRequest, w http.ResponseWriter) {
		io.WriteString(w, anthropicToolReply)
	})
	ms := mustOpen(t, anthropicConfig(srv))
	weather := FunctionTool("get_weather", "Weather in a city", map[string]any{
		"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}},
	})
	r, err := CallTools(WithRequest(context.Background(), "q"), ms.Maker, "You plan trips.", "Weather in Paris?", []llms.Tool{weather})
	if err != nil {
		t.Fatal(err)
	}
	if r.Text != "Let me check the weather." {
		t.Errorf("text = %q", r.Text)
	}
	if len(r.ToolCalls) != 1 || r.ToolCalls[0].ID != "toolu_1" || r.ToolCalls[0].FunctionCall.Name != "get_weather" {
		t.Fatalf("tool calls = %+v", r.ToolCalls)
	}
	var args map[string]string
	if err := json.Unmarshal([]byte(r.ToolCalls[0].FunctionCall.Arguments), &args); err != nil || args["city"] != "Paris" {
		t.Errorf("arguments = %s (%v)", r.ToolCalls[0].FunctionCall.Arguments, err)
	}

	req := reqs.get(0)
	if req.Model != "claude-sonnet-4-5" {
		t.Errorf("model = %q", req.Model)
	}
	if !strings.Contains(asText(req.System), "You plan trips.") {
		t.Errorf("system = %v", req.System)
	}
	if len(req.Messages) != 1 || req.Messages[0].Role != "user" || req.Messages[0].Content[0].Text != "Weather in Paris?" {
		t.Errorf("messages = %+v", req.Messages)
	}
	if req.MaxTokens <= 0 {
		t.Errorf("max_tokens = %d, Anthropic requires it", req.MaxTokens)
	}
	if len(req.Tools) != 1 || req.Tools[0].Name != "get_weather" || req.Tools[0].InputSchema["type"] != "object" {
		t.Errorf("tools = %+v", req.Tools)
	}

	// Usage is repeated in both content blocks: count it once.
	c := ms.Meter.Calls()[0]
	if c.InputTokens != 30 || c.OutputTokens != 12 || c.Estimated || c.Model != "anthropic:claude-sonnet-4-5" {
		t.Errorf("call = %+v, want 30 in, 12 out", c)
	}
	if want := (30*3.0 + 12*15.0) / 1e6; !near(c.Cost, want) {
		t.Errorf("cost = %g, want %g", c.Cost, want)
	}
	if got := ms.Meter.Request("", "q").Cost; !near(got, c.Cost) {
		t.Errorf("request cost = %g", got)
	}
}

func asText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestAnthropicOverloadedRetried(t *testing.T) {
	srv, reqs := anthropicServer(t, func(n int, _ anthropicRequest, w http.ResponseWriter) {
		if n == 1 {
			w.WriteHeader(529)
			io.WriteString(w, `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`)
			return
		}
		io.WriteString(w, `{"id":"m","type":"message","role":"assistant","model":"claude-haiku-4-5",
"content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","usage":{"input_tokens":9,"output_tokens":1}}`)
	})
	ms := mustOpen(t, anthropicConfig(srv))
	got, err := Complete(context.Background(), ms.User, "", "hi")
	if err != nil || got != "ok" {
		t.Fatalf("got %q, %v", got, err)
	}
	if reqs.len() != 2 || ms.Meter.Calls()[0].Attempts != 2 {
		t.Errorf("%d requests, want 2", reqs.len())
	}
}

func TestAnthropicJSONModeByInstruction(t *testing.T) {
	srv, reqs := anthropicServer(t, func(_ int, _ anthropicRequest, w http.ResponseWriter) {
		io.WriteString(w, `{"id":"m","type":"message","role":"assistant","model":"claude-haiku-4-5",
"content":[{"type":"text","text":"{\"a\":1}"}],"stop_reason":"end_turn","usage":{"input_tokens":9,"output_tokens":3}}`)
	})
	ms := mustOpen(t, anthropicConfig(srv))
	got, err := CompleteJSON(context.Background(), ms.Translator, "Translate to facts.", "book a car")
	if err != nil || got != `{"a":1}` {
		t.Fatalf("got %q, %v", got, err)
	}
	sys := asText(reqs.get(0).System)
	if !strings.Contains(sys, "Translate to facts.") || !strings.Contains(sys, "single JSON value") {
		t.Errorf("system = %s, want the caller's prompt and the JSON instruction", sys)
	}
}

func TestAnthropicStreamingUsage(t *testing.T) {
	srv, _ := anthropicServer(t, func(_ int, _ anthropicRequest, w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/event-stream")
		for _, ev := range []struct{ name, data string }{
			{"message_start", `{"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[],"stop_reason":null,"usage":{"input_tokens":25,"output_tokens":1}}}`},
			{"content_block_start", `{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`},
			{"content_block_delta", `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}`},
			{"content_block_delta", `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}}`},
			{"content_block_stop", `{"type":"content_block_stop","index":0}`},
			{"message_delta", `{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":6}}`},
			{"message_stop", `{"type":"message_stop"}`},
		} {
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.name, ev.data)
		}
	})
	ms := mustOpen(t, anthropicConfig(srv))
	var streamed strings.Builder
	got, err := Complete(context.Background(), ms.User, "", "greet", llms.WithStreamingFunc(func(_ context.Context, b []byte) error {
		streamed.Write(b)
		return nil
	}))
	if err != nil || got != "Hello" || streamed.String() != "Hello" {
		t.Fatalf("reply %q, streamed %q, err %v", got, streamed.String(), err)
	}
	if c := ms.Meter.Calls()[0]; c.InputTokens != 25 || c.OutputTokens != 6 || c.Estimated {
		t.Errorf("streamed usage = %+v, want 25 in, 6 out", c)
	}
}
