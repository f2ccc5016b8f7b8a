package llm

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tmc/langchaingo/llms"
	"github.com/tmc/langchaingo/llms/openai"
)

// The benchmarks measure what the model layer adds to a call: the wrapper
// (timeout, retry bookkeeping, usage extraction or estimation, metering)
// against the bare model it wraps, on the scripted model (no I/O, so the
// overhead is all there is) and on an OpenAI client talking to a local
// server.

var benchPrompt = llms.TextParts(llms.ChatMessageTypeHuman, strings.Repeat("sort these words: pear apple fig ", 30))

func benchScript(b *testing.B) *Script {
	s, err := ParseScript([]byte("rules:\n  - role: maker\n    when: nothing\n    reply: no\n  - when: 'sort these (\\w+)'\n    reply: 'apple fig pear'\n"))
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkScriptedBare(b *testing.B) {
	m := scriptedModel{script: benchScript(b), role: User}
	ctx := context.Background()
	for b.Loop() {
		if _, err := m.GenerateContent(ctx, []llms.MessageContent{benchPrompt}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScriptedMetered(b *testing.B) {
	ms, err := Open(context.Background(), Config{Script: benchScript(b), Logger: quiet()})
	if err != nil {
		b.Fatal(err)
	}
	ctx := WithRequest(context.Background(), "bench")
	for b.Loop() {
		if _, err := ms.User.GenerateContent(ctx, []llms.MessageContent{benchPrompt}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMeterRecordParallel(b *testing.B) {
	var m Meter
	c := Call{Role: User, Model: "openai:gpt-4.1-mini", Request: "r", Session: "s", InputTokens: 100, OutputTokens: 10, Cost: 1e-5}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.Record(c)
		}
	})
}

func benchOpenAIServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		io.WriteString(w, openAITextReply("apple fig pear"))
	}))
	b.Cleanup(srv.Close)
	return srv
}

func BenchmarkOpenAIBare(b *testing.B) {
	srv := benchOpenAIServer(b)
	m, err := openai.New(openai.WithToken("k"), openai.WithModel("gpt-4.1-mini"), openai.WithBaseURL(srv.URL+"/v1"))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		if _, err := m.GenerateContent(ctx, []llms.MessageContent{benchPrompt}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpenAIMetered(b *testing.B) {
	srv := benchOpenAIServer(b)
	ms, err := Open(context.Background(), Config{UserModel: "openai:gpt-4.1-mini", OpenAIKey: "k", OpenAIBaseURL: srv.URL + "/v1", Logger: quiet()})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		if _, err := ms.User.GenerateContent(ctx, []llms.MessageContent{benchPrompt}); err != nil {
			b.Fatal(err)
		}
	}
}
