package agent

import (
	"context"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

func TestSpansForTurnModelPlanAndCall(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	a := newTestAgent(t, travelScript(t), Options{Tracer: tp.Tracer("test")})
	ctx := context.Background()
	for _, msg := range []string{"Book me a rental car in San Diego from Oct 5 for 3 days", "10:30"} {
		if _, err := a.Turn(ctx, "tr", msg); err != nil {
			t.Fatal(err)
		}
	}
	count := map[string]int{}
	var tokens int64
	for _, s := range rec.Ended() {
		count[s.Name()]++
		for _, kv := range s.Attributes() {
			if s.Name() == "model.translator" && kv.Key == "tokens.input" {
				tokens += kv.Value.AsInt64()
			}
		}
	}
	for name, want := range map[string]int{"agent.turn": 2, "agent.plan": 2, "agent.call": 1, "model.translator": 2, "model.user": 1} {
		if count[name] != want {
			t.Errorf("%d %s spans, want %d (all: %v)", count[name], name, want, count)
		}
	}
	if tokens == 0 {
		t.Error("model spans carry no token counts")
	}
}
