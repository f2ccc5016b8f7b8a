package llm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/tmc/langchaingo/llms"
)

// Model is one role's model: an llms.Model that meters every call, bounds
// each attempt with a timeout and retries transient failures (HTTP 429 and
// 5xx, transport errors, attempt timeouts) with exponential backoff and
// jitter, honouring Retry-After. A call that has already streamed output is
// not retried. Cancelling the context stops a call and its backoff at once.
//
// JSON mode (llms.WithJSONMode) is passed to providers that support it; for
// the others (Anthropic) an instruction to reply with JSON only is added to
// the system prompt. Tools, tool choice and streaming pass through.
type Model struct {
	Role  Role
	Name  string // the spec, e.g. "openai:gpt-4.1"; "scripted(...)" for the scripted model
	Price Price

	inner      llms.Model
	meter      *Meter
	nativeJSON bool
	extra      []llms.CallOption // provider-specific options applied before the caller's
	timeout    time.Duration
	retries    int
	delay      time.Duration
	logger     *slog.Logger
}

var _ llms.Model = (*Model)(nil)

// CallError reports a model call that failed, after any retries.
type CallError struct {
	Role     Role
	Model    string
	Attempts int
	// Status is the last HTTP status seen, or 0.
	Status int
	Err    error
}

func (e *CallError) Error() string {
	s := fmt.Sprintf("%s model %s", e.Role, e.Model)
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (%d attempts)", e.Attempts)
	}
	return s + ": " + e.Err.Error()
}

func (e *CallError) Unwrap() error { return e.Err }

// Call implements llms.Model: it sends prompt as one human message.
func (m *Model) Call(ctx context.Context, prompt string, options ...llms.CallOption) (string, error) {
	return llms.GenerateFromSinglePrompt(ctx, m, prompt, options...)
}

// GenerateContent implements llms.Model.
func (m *Model) GenerateContent(ctx context.Context, msgs []llms.MessageContent, options ...llms.CallOption) (*llms.ContentResponse, error) {
	start := time.Now()
	opts := llms.CallOptions{}
	for _, o := range options {
		o(&opts)
	}
	if opts.JSONMode && !m.nativeJSON {
		msgs = withJSONInstruction(msgs)
	}
	var streamed atomic.Bool
	call := append(append([]llms.CallOption(nil), m.extra...), options...)
	if f := opts.StreamingFunc; f != nil {
		call = append(call, llms.WithStreamingFunc(func(ctx context.Context, chunk []byte) error {
			streamed.Store(true)
			return f(ctx, chunk)
		}))
	}
	if f := opts.StreamingReasoningFunc; f != nil {
		call = append(call, llms.WithStreamingReasoningFunc(func(ctx context.Context, r, chunk []byte) error {
			streamed.Store(true)
			return f(ctx, r, chunk)
		}))
	}

	var (
		resp     *llms.ContentResponse
		err      error
		attempts int
		status   int
	)
	for {
		attempts++
		var retryAfter time.Duration
		resp, status, retryAfter, err = m.attempt(ctx, msgs, call)
		if err == nil || ctx.Err() != nil || streamed.Load() || attempts > m.retries || !retryable(err, status) {
			break
		}
		d := backoff(m.delay, attempts, retryAfter)
		m.logger.WarnContext(ctx, "model call failed; retrying", "role", m.Role, "model", m.Name,
			"attempt", attempts, "status", status, "delay", d, "err", err)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
		if ctx.Err() != nil {
			break
		}
	}
	if err != nil && ctx.Err() != nil {
		err = context.Cause(ctx)
	}

	rec := Call{
		Time: start, Role: m.Role, Model: m.Name,
		Request: RequestID(ctx), Session: SessionID(ctx), Namespace: NamespaceOf(ctx),
		Latency: time.Since(start), Attempts: attempts,
	}
	if err != nil {
		err = &CallError{Role: m.Role, Model: m.Name, Attempts: attempts, Status: status, Err: err}
		rec.Err = err.Error()
	} else {
		in, out, ok := reportedUsage(resp)
		if !ok {
			in = estimateTokens(promptChars(msgs, opts))
			out = estimateTokens(replyChars(resp))
			rec.Estimated = true
		}
		rec.InputTokens, rec.OutputTokens = in, out
		rec.Cost = m.Price.Cost(in, out)
	}
	if m.meter != nil {
		m.meter.Record(rec)
	}
	return resp, err
}

// errTimeout marks an attempt that ran out of time while its caller's
// context was still live.
var errTimeout = errors.New("attempt timed out")

// attempt makes one call under the attempt timeout and reports the HTTP
// status and Retry-After the transport saw.
func (m *Model) attempt(ctx context.Context, msgs []llms.MessageContent, call []llms.CallOption) (*llms.ContentResponse, int, time.Duration, error) {
	actx, cancel := ctx, context.CancelFunc(func() {})
	if m.timeout > 0 {
		actx, cancel = context.WithTimeoutCause(ctx, m.timeout, errTimeout)
	}
	defer cancel()
	a := &attempt{}
	resp, err := m.inner.GenerateContent(withAttempt(actx, a), msgs, call...)
	status, retryAfter, netErr := a.seen()
	if err == nil && actx.Err() != nil {
		// langchaingo's OpenAI client ends a stream cut by its context as if
		// it had finished: the reply may be truncated, so it is a failure.
		err = errors.New("reply cut short when the attempt ended")
	}
	if err == nil {
		return resp, status, 0, nil
	}
	if ctx.Err() == nil && errors.Is(context.Cause(actx), errTimeout) {
		err = fmt.Errorf("%w after %s: %w", errTimeout, m.timeout, err)
	} else if netErr != nil && status == 0 {
		err = &transportError{err}
	}
	return nil, status, retryAfter, err
}

// transportError marks a failure to exchange a request with the server.
type transportError struct{ err error }

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// retryable reports whether a failed attempt may succeed if repeated.
func retryable(err error, status int) bool {
	var te *transportError
	switch {
	case errors.Is(err, errTimeout), errors.As(err, &te):
		return true
	case status == 429 || status == 408 || status >= 500:
		return true
	}
	return false
}

// backoff returns the delay before retry n (1-based): base doubled per
// retry with full jitter over its upper half, at least retryAfter, at most
// maxRetryDelay.
func backoff(base time.Duration, n int, retryAfter time.Duration) time.Duration {
	d := base << min(n-1, 20)
	if d <= 0 || d > maxRetryDelay {
		d = maxRetryDelay
	}
	d = d/2 + rand.N(d/2+1)
	return min(max(d, retryAfter), maxRetryDelay)
}

// jsonInstruction is added to the system prompt of providers without a
// native JSON mode.
const jsonInstruction = "Reply with a single JSON value and nothing else: no prose, no code fences."

func withJSONInstruction(msgs []llms.MessageContent) []llms.MessageContent {
	out := make([]llms.MessageContent, 0, len(msgs)+1)
	if len(msgs) > 0 && msgs[0].Role == llms.ChatMessageTypeSystem {
		// A second system message: Anthropic joins system messages but reads
		// only the first part of each.
		out = append(out, msgs[0], llms.TextParts(llms.ChatMessageTypeSystem, "\n\n"+jsonInstruction))
		return append(out, msgs[1:]...)
	}
	out = append(out, llms.TextParts(llms.ChatMessageTypeSystem, jsonInstruction))
	return append(out, msgs...)
}
