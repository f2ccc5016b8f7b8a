package agent

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/toolsmith-dev/toolsmith/llm"
)

// span starts a span of the agent's tracer (a no-op unless
// Options.Tracer is set).
func (a *Agent) span(ctx context.Context, name string, attrs ...attribute.KeyValue) (context.Context, trace.Span) {
	return a.tracer.Start(ctx, name, trace.WithAttributes(attrs...))
}

// endSpan ends s, recording err.
func endSpan(s trace.Span, err error) {
	if err != nil {
		s.RecordError(err)
		s.SetStatus(codes.Error, err.Error())
	}
	s.End()
}

// modelSpan runs one model call in a span that carries the tokens and cost
// the call added to the turn's meter.
func (t *turn) modelSpan(ctx context.Context, role llm.Role, purpose string, fn func(context.Context) error) error {
	meter := t.a.opts.Models.Meter
	ns, req := llm.NamespaceOf(ctx), llm.RequestID(ctx)
	before := meter.Request(ns, req)
	ctx, s := t.a.span(ctx, "model."+string(role), attribute.String("purpose", purpose))
	err := fn(ctx)
	after := meter.Request(ns, req)
	s.SetAttributes(
		attribute.Int64("tokens.input", after.InputTokens-before.InputTokens),
		attribute.Int64("tokens.output", after.OutputTokens-before.OutputTokens),
		attribute.Float64("cost_usd", after.Cost-before.Cost),
	)
	endSpan(s, err)
	return err
}
