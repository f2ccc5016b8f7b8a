package toolmaker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tmc/langchaingo/llms"
	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// Path says how a request was answered.
type Path string

// Answer paths.
const (
	// PathParse: the tool's Parse, Solve and Format ran; no model call.
	PathParse Path = "parse"
	// PathUser: the User model produced Solve's arguments.
	PathUser Path = "user"
	// PathMaker: the Maker model answered directly, because no tool serves
	// the request (the answer becomes a pending example) or because the tool
	// failed (the answer is Flagged).
	PathMaker Path = "maker"
)

// Answer is the outcome of one request.
type Answer struct {
	// Request is the meter's request id of the calls made for it.
	Request string `json:"request"`
	Text    string `json:"answer"`
	Path    Path   `json:"path"`
	// Family is the task family the request was routed to, or the family it
	// was added to as a pending example.
	Family string `json:"family,omitempty"`
	// Tool and Version name the tool used, if any.
	Tool    string `json:"tool,omitempty"`
	Version int    `json:"version,omitempty"`
	// Flagged is set when a tool failed and the Maker answered instead: the
	// answer is not the tool's.
	Flagged bool `json:"flagged,omitempty"`
	// Notes lists what failed on the way (tool errors, model replies without
	// a call).
	Notes []string `json:"notes,omitempty"`
	// Pending is set when the request was kept as a pending example of
	// Family; Made names the tool made for the family as a result, if any.
	Pending bool   `json:"pending,omitempty"`
	Made    string `json:"made,omitempty"`
	// Usage is what the request cost, by role (from the llm meter): every
	// call metered under Request, which is the id ctx carried (see
	// llm.WithRequest) or a fresh one.
	Usage    llm.Totals    `json:"usage"`
	Duration time.Duration `json:"duration_ns"`
}

// Use answers input with tool: Parse → Solve → Format when the tool has
// Parse and it succeeds (no model call); otherwise the User model calls Solve
// through function calling, with one retry after a tool error; otherwise the
// Maker answers directly and the answer is flagged. A non-nil error means
// no answer could be given at all (sandbox unavailable, every model failing,
// ctx ended).
func (t *Toolmaker) Use(ctx context.Context, tool *registry.Tool, input string) (Answer, error) {
	ctx, id := t.newRequest(ctx, "use")
	start := time.Now()
	a, err := t.use(ctx, tool, input)
	a.Request, a.Duration = id, time.Since(start)
	a.Usage = t.usage(id)
	return a, err
}

// use is Use without the accounting.
func (t *Toolmaker) use(ctx context.Context, tool *registry.Tool, input string) (Answer, error) {
	a := Answer{Family: tool.Family, Tool: tool.Name, Version: tool.Version}
	start := time.Now()
	p, err := t.prepared.get(tool.Source)
	if err != nil {
		a.Notes = append(a.Notes, "tool unusable: "+err.Error())
		return t.fallback(ctx, a, tool, input, start)
	}
	if p.shape.parse != nil {
		o, err := t.runParsed(ctx, p, input)
		if err != nil {
			return a, err
		}
		if o.Stage == "" {
			a.Text, a.Path = o.Answer, PathParse
			t.record(ctx, tool, start, false)
			return a, nil
		}
		a.Notes = append(a.Notes, "parse path: "+o.failure())
	}
	o, notes, err := t.useModel(ctx, p, tool, input)
	a.Notes = append(a.Notes, notes...)
	if err != nil {
		return a, err
	}
	if o.Stage == "" {
		a.Text, a.Path = o.Answer, PathUser
		t.record(ctx, tool, start, false)
		return a, nil
	}
	return t.fallback(ctx, a, tool, input, start)
}

// fallback has the Maker answer directly after the tool failed.
func (t *Toolmaker) fallback(ctx context.Context, a Answer, tool *registry.Tool, input string, start time.Time) (Answer, error) {
	t.record(ctx, tool, start, true)
	text, err := t.direct(ctx, tool.Family, input)
	if err != nil {
		return a, err
	}
	a.Text, a.Path, a.Flagged = text, PathMaker, true
	return a, nil
}

// AnswerDirectly has the Maker answer input itself, with no tool, metered
// as a request of its own: the strong model solving each instance, which
// is the baseline tool making is measured against.
func (t *Toolmaker) AnswerDirectly(ctx context.Context, input string) (Answer, error) {
	id := t.requestID("direct")
	start := time.Now()
	text, err := t.direct(t.metered(ctx, id), "", input)
	return Answer{Request: id, Text: text, Path: PathMaker, Usage: t.usage(id), Duration: time.Since(start)}, err
}

// direct has the Maker answer input itself.
func (t *Toolmaker) direct(ctx context.Context, family, input string) (string, error) {
	maker, err := t.needModel(llm.Maker)
	if err != nil {
		return "", err
	}
	text, err := llm.Complete(ctx, maker, directSystem, directPrompt(family, input))
	if err != nil {
		return "", fmt.Errorf("toolmaker: maker answering directly: %w", err)
	}
	return strings.TrimSpace(text), nil
}

// record adds a call to the tool's statistics, unless Options.NoStats.
func (t *Toolmaker) record(ctx context.Context, tool *registry.Tool, start time.Time, failed bool) {
	if t.opts.NoStats {
		return
	}
	if err := t.store.RecordCall(ctx, t.opts.Namespace, tool.Name, registry.Call{Latency: time.Since(start), Failed: failed}); err != nil {
		t.opts.Logger.Debug("toolmaker: cannot record tool call", "tool", tool.Name, "err", err)
	}
}

// useModel has the User model call Solve by function calling and runs the
// call; after a tool error (or a reply without a call) the model gets one
// retry with the error. A failed outcome means both attempts failed.
func (t *Toolmaker) useModel(ctx context.Context, p *prepared, tool *registry.Tool, input string) (outcome, []string, error) {
	user, err := t.needModel(llm.User)
	if err != nil {
		return outcome{}, nil, err
	}
	var schema map[string]any
	if err := json.Unmarshal(p.shape.solve.Schema, &schema); err != nil {
		return outcome{}, nil, fmt.Errorf("toolmaker: Solve's schema: %w", err)
	}
	name := functionName(tool.Name)
	fn := llm.FunctionTool(name, oneLine(tool.Description, 1000), schema)
	system := userSystem(tool, name)
	var (
		notes    []string
		prevArgs json.RawMessage
		prevErr  string
	)
	for attempt := 1; attempt <= 2; attempt++ {
		reply, err := llm.CallTools(ctx, user, system, userPrompt(input, prevArgs, prevErr), []llms.Tool{fn})
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, context.Canceled) {
				return outcome{}, notes, err
			}
			prevErr = "model call failed: " + err.Error()
			notes = append(notes, fmt.Sprintf("user attempt %d: %s", attempt, prevErr))
			continue
		}
		args, why := callArgs(reply)
		if why != "" {
			prevArgs, prevErr = nil, why
			notes = append(notes, fmt.Sprintf("user attempt %d: %s", attempt, why))
			continue
		}
		o, err := t.runArgs(ctx, p, args)
		if err != nil {
			return outcome{}, notes, err
		}
		if o.Stage == "" {
			return o, notes, nil
		}
		prevArgs, prevErr = args, o.failure()
		notes = append(notes, fmt.Sprintf("user attempt %d: %s", attempt, prevErr))
	}
	return outcome{Stage: "user", Message: prevErr}, notes, nil
}

// callArgs returns the arguments of the reply's first function call, or why
// there are none.
func callArgs(r llm.Reply) (json.RawMessage, string) {
	for _, c := range r.ToolCalls {
		if c.FunctionCall == nil {
			continue
		}
		args := json.RawMessage(strings.TrimSpace(c.FunctionCall.Arguments))
		if len(args) == 0 {
			args = json.RawMessage("{}")
		}
		if !json.Valid(args) || (args[0] != '{' && args[0] != '[') {
			return nil, fmt.Sprintf("the call's arguments are not a JSON object: %.200s", args)
		}
		return args, ""
	}
	return nil, "the reply did not call the function"
}

// functionName makes a tool name acceptable as a function name to every
// provider: letters, digits, '_' and '-'.
func functionName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			b[i] = '_'
		}
	}
	if len(b) > 64 {
		b = b[:64]
	}
	return string(b)
}
