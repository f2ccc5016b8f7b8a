package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tmc/langchaingo/llms"
)

// openAIRequest is the part of a chat-completions request the tests check.
type openAIRequest struct {
	Model    string `json:"model"`
	Messages []struct {
		Role    string `json:"role"`
		Content any    `json:"content"`
	} `json:"messages"`
	Tools []struct {
		Type     string `json:"type"`
		Function struct {
			Name       string         `json:"name"`
			Parameters map[string]any `json:"parameters"`
		} `json:"function"`
	} `json:"tools"`
	ResponseFormat *struct {
		Type string `json:"type"`
	} `json:"response_format"`
	Stream    bool `json:"stream"`
	MaxTokens int  `json:"max_tokens"`
}

const openAIToolReply = `{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4.1",
"choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
 {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
 "finish_reason":"tool_calls"}],
"usage":{"prompt_tokens":42,"completion_tokens":7,"total_tokens":49}}`

func openAITextReply(text string) string {
	b, _ := json.Marshal(text)
	return `{"id":"chatcmpl-2","object":"chat.completion","created":1,"model":"gpt-4.1",
"choices":[{"index":0,"message":{"role":"assistant","content":` + string(b) + `},"finish_reason":"stop"}],
"usage":{"prompt_tokens":11,"completion_tokens":3,"total_tokens":14}}`
}

// openAIServer serves /v1/chat/completions with handle and records the
// decoded requests.
func openAIServer(t *testing.T, handle func(n int, req openAIRequest, w http.ResponseWriter)) (*httptest.Server, *recorder[openAIRequest]) {
	t.Helper()
	return providerServer(t, "/v1/chat/completions", func(r *http.Request) {
		if got := r.Header.Get("Authorization"); got != "Bearer sk-test-key" {
			t.Errorf("Authorization = %q", got)
		}
	}, handle)
}

func openAIConfig(srv *httptest.Server) Config {
	c := testConfig()
	c.MakerModel = "openai:gpt-4.1"
	c.UserModel = "openai:gpt-4.1-mini"
	c.OpenAIKey = "sk-test-key"
	c.OpenAIBaseURL = srv.URL + "/v1"
	return c
}

func TestOpenAIToolCall(t *testing.T) {
	srv, reqs := openAIServer(t, func(_ int, _ openAIRequest, w http.ResponseWriter) {
		io.WriteString(w, openAIToolReply)
	})
	ms := mustOpen(t, openAIConfig(srv))
	ctx := WithSession(WithRequest(context.Background(), "r1"), "s1")
	weather := FunctionTool("get_weather", "Weather in a city", map[string]any{
		"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}},
		"required": []string{"city"},
	})
	r, err := CallTools(ctx, ms.Maker, "You plan trips.", "Weather in Paris?", []llms.Tool{weather})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.ToolCalls) != 1 || r.ToolCalls[0].FunctionCall.Name != "get_weather" ||
		r.ToolCalls[0].FunctionCall.Arguments != `{"city":"Paris"}` || r.ToolCalls[0].ID != "call_1" {
		t.Fatalf("tool calls = %+v", r.ToolCalls)
	}
	if reqs.len() != 1 {
		t.Fatalf("%d requests, want 1", reqs.len())
	}
	req := reqs.get(0)
	if req.Model != "gpt-4.1" {
		t.Errorf("model = %q, want gpt-4.1", req.Model)
	}
	if len(req.Messages) != 2 || req.Messages[0].Role != "system" || req.Messages[1].Role != "user" {
		t.Errorf("messages = %+v", req.Messages)
	}
	if !strings.Contains(fmt.Sprint(req.Messages[1].Content), "Weather in Paris?") {
		t.Errorf("user message = %v", req.Messages[1].Content)
	}
	if len(req.Tools) != 1 || req.Tools[0].Type != "function" || req.Tools[0].Function.Name != "get_weather" ||
		req.Tools[0].Function.Parameters["type"] != "object" {
		t.Errorf("tools = %+v", req.Tools)
	}

	calls := ms.Meter.Calls()
	if len(calls) != 1 {
		t.Fatalf("meter has %d calls, want 1", len(calls))
	}
	c := calls[0]
	want := Call{Role: Maker, Model: "openai:gpt-4.1", Request: "r1", Session: "s1", InputTokens: 42, OutputTokens: 7, Attempts: 1}
	if c.Role != want.Role || c.Model != want.Model || c.Request != want.Request || c.Session != want.Session ||
		c.InputTokens != want.InputTokens || c.OutputTokens != want.OutputTokens || c.Estimated || c.Attempts != 1 {
		t.Errorf("call = %+v, want %+v", c, want)
	}
	// gpt-4.1 lists at $2 / $8 per million tokens.
	if wantCost := (42*2.0 + 7*8.0) / 1e6; !near(c.Cost, wantCost) {
		t.Errorf("cost = %g, want %g", c.Cost, wantCost)
	}
	if got := ms.Meter.Request("", "r1").ByRole[Maker].Calls; got != 1 {
		t.Errorf("request r1 maker calls = %d, want 1", got)
	}
	if got := ms.Meter.Session("", "s1").InputTokens; got != 42 {
		t.Errorf("session s1 input tokens = %d, want 42", got)
	}
}

func near(a, b float64) bool { return a-b < 1e-12 && b-a < 1e-12 }

func TestOpenAIUserModelAndJSONMode(t *testing.T) {
	srv, reqs := openAIServer(t, func(_ int, _ openAIRequest, w http.ResponseWriter) {
		io.WriteString(w, openAITextReply(`{"ok":true}`))
	})
	ms := mustOpen(t, openAIConfig(srv))
	got, err := CompleteJSON(context.Background(), ms.Dispatcher, "Route.", "which tool?")
	if err != nil {
		t.Fatal(err)
	}
	if got != `{"ok":true}` {
		t.Errorf("reply = %q", got)
	}
	req := reqs.get(0)
	if req.Model != "gpt-4.1-mini" {
		t.Errorf("dispatcher model = %q, want the user model gpt-4.1-mini", req.Model)
	}
	if req.ResponseFormat == nil || req.ResponseFormat.Type != "json_object" {
		t.Errorf("response_format = %+v, want json_object", req.ResponseFormat)
	}
	if c := ms.Meter.Calls()[0]; c.Role != Dispatcher || c.InputTokens != 11 || c.OutputTokens != 3 {
		t.Errorf("call = %+v", c)
	}
}

func TestOpenAIRetries(t *testing.T) {
	tests := []struct {
		name       string
		statuses   []int // before success
		retries    int
		wantErr    bool
		wantStatus int
		attempts   int
	}{
		{"429 then 500 then ok", []int{429, 500}, 3, false, 0, 3},
		{"503 retried up to the limit", []int{503, 503, 503}, 2, true, 503, 3},
		{"400 not retried", []int{400}, 3, true, 400, 1},
		{"401 not retried", []int{401}, 3, true, 401, 1},
		{"no retries", []int{500}, -1, true, 500, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, reqs := openAIServer(t, func(n int, _ openAIRequest, w http.ResponseWriter) {
				if n <= len(tt.statuses) {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(tt.statuses[n-1])
					fmt.Fprintf(w, `{"error":{"message":"status %d","type":"x"}}`, tt.statuses[n-1])
					return
				}
				io.WriteString(w, openAITextReply("fine"))
			})
			cfg := openAIConfig(srv)
			cfg.Retries = tt.retries
			ms := mustOpen(t, cfg)
			got, err := Complete(context.Background(), ms.User, "", "hello")
			if reqs.len() != tt.attempts {
				t.Errorf("%d requests, want %d", reqs.len(), tt.attempts)
			}
			c := ms.Meter.Calls()[0]
			if c.Attempts != tt.attempts {
				t.Errorf("metered attempts = %d, want %d", c.Attempts, tt.attempts)
			}
			if !tt.wantErr {
				if err != nil || got != "fine" {
					t.Fatalf("got %q, %v", got, err)
				}
				if c.InputTokens != 11 || c.Err != "" {
					t.Errorf("call = %+v", c)
				}
				return
			}
			var ce *CallError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *CallError", err)
			}
			if ce.Status != tt.wantStatus || ce.Role != User || ce.Attempts != tt.attempts {
				t.Errorf("CallError = %+v", ce)
			}
			if c.Err == "" || ms.Meter.Total().Errors != 1 {
				t.Errorf("failed call not metered as an error: %+v", c)
			}
		})
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	var first time.Time
	srv, _ := openAIServer(t, func(n int, _ openAIRequest, w http.ResponseWriter) {
		if n == 1 {
			first = time.Now()
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(429)
			return
		}
		if d := time.Since(first); d < 900*time.Millisecond {
			t.Errorf("retried after %v, before Retry-After: 1", d)
		}
		io.WriteString(w, openAITextReply("ok"))
	})
	ms := mustOpen(t, openAIConfig(srv))
	if _, err := Complete(context.Background(), ms.User, "", "hi"); err != nil {
		t.Fatal(err)
	}
}

func TestTransportErrorRetried(t *testing.T) {
	// A server that closes the first connection without answering.
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		io.WriteString(w, openAITextReply("after a reset"))
	}))
	t.Cleanup(srv.Close)
	ms := mustOpen(t, openAIConfig(srv))
	got, err := Complete(context.Background(), ms.Maker, "", "hi")
	if err != nil || got != "after a reset" {
		t.Fatalf("got %q, %v", got, err)
	}
	if a := ms.Meter.Calls()[0].Attempts; a != 2 {
		t.Errorf("attempts = %d, want 2", a)
	}
}

func TestCancellationStopsPromptly(t *testing.T) {
	release := make(chan struct{})
	srv, _ := openAIServer(t, func(_ int, _ openAIRequest, w http.ResponseWriter) {
		<-release
	})
	t.Cleanup(func() { close(release) }) // before the server's Close, which waits for handlers
	ms := mustOpen(t, openAIConfig(srv))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := Complete(ctx, ms.Maker, "", "hang")
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("returned after %v", d)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestCancellationDuringBackoff(t *testing.T) {
	srv, reqs := openAIServer(t, func(_ int, _ openAIRequest, w http.ResponseWriter) {
		w.WriteHeader(503)
	})
	cfg := openAIConfig(srv)
	cfg.RetryDelay = 10 * time.Second
	ms := mustOpen(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := Complete(ctx, ms.Maker, "", "x")
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("backoff ignored cancellation: returned after %v", d)
	}
	if !errors.Is(err, context.DeadlineExceeded) || reqs.len() != 1 {
		t.Errorf("err = %v after %d requests", err, reqs.len())
	}
}

func TestAttemptTimeoutRetried(t *testing.T) {
	srv, _ := openAIServer(t, func(n int, _ openAIRequest, w http.ResponseWriter) {
		if n == 1 {
			time.Sleep(300 * time.Millisecond)
		}
		io.WriteString(w, openAITextReply("second try"))
	})
	cfg := openAIConfig(srv)
	cfg.Timeout = 50 * time.Millisecond
	ms := mustOpen(t, cfg)
	got, err := Complete(context.Background(), ms.Maker, "", "slow")
	if err != nil || got != "second try" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestOpenAIStreaming(t *testing.T) {
	srv, reqs := openAIServer(t, func(_ int, _ openAIRequest, w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/event-stream")
		for _, chunk := range []string{
			`{"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}]}`,
			`{"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}`,
			`{"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4.1","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}`,
			`[DONE]`,
		} {
			fmt.Fprintf(w, "data: %s\n\n", chunk)
		}
	})
	ms := mustOpen(t, openAIConfig(srv))
	var streamed strings.Builder
	got, err := Complete(context.Background(), ms.Maker, "", "greet",
		llms.WithStreamingFunc(func(_ context.Context, b []byte) error {
			streamed.Write(b)
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	if got != "Hello" || streamed.String() != "Hello" {
		t.Errorf("reply %q, streamed %q, want Hello", got, streamed.String())
	}
	if !reqs.get(0).Stream {
		t.Error("request did not ask for a stream")
	}
	c := ms.Meter.Calls()[0]
	if c.InputTokens != 5 || c.OutputTokens != 2 || c.Estimated {
		t.Errorf("streamed usage = %+v, want 5 in, 2 out, reported", c)
	}
}

func TestOpenAIMissingUsageEstimated(t *testing.T) {
	srv, _ := openAIServer(t, func(_ int, _ openAIRequest, w http.ResponseWriter) {
		io.WriteString(w, `{"id":"x","object":"chat.completion","created":1,"model":"m",
"choices":[{"index":0,"message":{"role":"assistant","content":"12345678"},"finish_reason":"stop"}]}`)
	})
	cfg := openAIConfig(srv)
	ms := mustOpen(t, cfg)
	if _, err := Complete(context.Background(), ms.Maker, "", "abcdefghijkl"); err != nil {
		t.Fatal(err)
	}
	c := ms.Meter.Calls()[0]
	// "human: abcdefghijkl" is 19 characters: 5 tokens; "12345678" is 2.
	if !c.Estimated || c.InputTokens != 5 || c.OutputTokens != 2 {
		t.Errorf("call = %+v, want estimated 5 in, 2 out", c)
	}
}

func TestOpenAICompatibleProviders(t *testing.T) {
	srv, reqs := openAIServer(t, func(_ int, _ openAIRequest, w http.ResponseWriter) {
		io.WriteString(w, openAITextReply("local"))
	})
	cfg := testConfig()
	cfg.MakerModel = "openai-compatible:qwen2.5-coder@" + srv.URL + "/v1"
	cfg.OpenAICompatibleKey = "sk-test-key"
	ms := mustOpen(t, cfg)
	if _, err := Complete(context.Background(), ms.Maker, "", "hi", llms.WithMaxTokens(64)); err != nil {
		t.Fatal(err)
	}
	req := reqs.get(0)
	if req.Model != "qwen2.5-coder" || req.MaxTokens != 64 {
		t.Errorf("model %q, max_tokens %d: want qwen2.5-coder and the legacy max_tokens field", req.Model, req.MaxTokens)
	}
	if p := ms.Maker.Price; p.Source != "local" || p.Input != 0 {
		t.Errorf("local model price = %+v", p)
	}
}

func TestStreamedCallNotRetried(t *testing.T) {
	release := make(chan struct{})
	srv, reqs := openAIServer(t, func(_ int, _ openAIRequest, w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprintf(w, "data: %s\n\n", `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"partial"},"finish_reason":null}]}`)
		w.(http.Flusher).Flush()
		<-release // then stall past the attempt timeout
	})
	t.Cleanup(func() { close(release) })
	cfg := openAIConfig(srv)
	cfg.Timeout = 200 * time.Millisecond
	ms := mustOpen(t, cfg)
	var streamed strings.Builder
	_, err := Complete(context.Background(), ms.Maker, "", "stream",
		llms.WithStreamingFunc(func(_ context.Context, b []byte) error {
			streamed.Write(b)
			return nil
		}))
	if err == nil {
		t.Fatal("stalled stream succeeded")
	}
	if reqs.len() != 1 || streamed.String() != "partial" {
		t.Errorf("%d requests, streamed %q: a call that streamed output must not be retried", reqs.len(), streamed.String())
	}
}

func TestOllamaUsesItsOpenAIAPI(t *testing.T) {
	var path, auth string
	var body openAIRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path, auth = r.URL.Path, r.Header.Get("Authorization")
		json.NewDecoder(r.Body).Decode(&body)
		io.WriteString(w, openAITextReply("from ollama"))
	}))
	t.Cleanup(srv.Close)
	cfg := testConfig()
	cfg.UserModel = "ollama:qwen2.5-coder:7b"
	cfg.OllamaHost = strings.TrimPrefix(srv.URL, "http://")
	cfg.OpenAIKey = "sk-test-key" // must not be sent to another host
	ms := mustOpen(t, cfg)
	got, err := Complete(context.Background(), ms.User, "", "hi")
	if err != nil || got != "from ollama" {
		t.Fatalf("got %q, %v", got, err)
	}
	if path != "/v1/chat/completions" || body.Model != "qwen2.5-coder:7b" || auth == "Bearer sk-test-key" {
		t.Errorf("path %q, model %q, auth %q", path, body.Model, auth)
	}
	if c := ms.Meter.Calls()[0]; c.InputTokens != 11 || c.Model != "ollama:qwen2.5-coder:7b" || c.Cost != 0 {
		t.Errorf("call = %+v", c)
	}
}
