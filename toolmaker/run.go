package toolmaker

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/toolsmith-dev/toolsmith/sandbox"
)

// prepared is a tool's source with its glue code appended, and its shape.
type prepared struct {
	src   string // the tool's source plus glue
	shape *shape
}

// preparedCache keeps prepared tools by source, so a tool's signatures are
// read once per process, not once per request.
type preparedCache struct {
	mu sync.Mutex
	m  map[string]*prepared
}

// prepare inspects src and appends the glue code.
func prepare(src string) (*prepared, error) {
	s, err := inspectShape(src)
	if err != nil {
		return nil, err
	}
	return &prepared{src: src + s.glue(), shape: s}, nil
}

// get returns the prepared form of src, preparing it on first use.
func (c *preparedCache) get(src string) (*prepared, error) {
	c.mu.Lock()
	p, ok := c.m[src]
	c.mu.Unlock()
	if ok {
		return p, nil
	}
	p, err := prepare(src)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) > 256 {
		c.m = map[string]*prepared{}
	}
	c.m[src] = p
	c.mu.Unlock()
	return p, nil
}

// outcome is the result of running one path of a tool.
type outcome struct {
	// Answer is the rendered answer when Stage is "".
	Answer string
	// Stage is "" on success, else where it failed: "parse", "solve",
	// "format", or the sandbox's failure kind (compile, timeout, panic, ...).
	Stage string
	// Message explains a failure.
	Message string
	// DurationMS is the sandbox's run time.
	DurationMS float64
}

// failure returns the failure as one line, or "".
func (o outcome) failure() string {
	if o.Stage == "" {
		return ""
	}
	return o.Stage + ": " + o.Message
}

// call runs fn of p in the sandbox and decodes the glue result. A non-nil
// error means the sandbox could not run the call at all.
func (t *Toolmaker) call(ctx context.Context, p *prepared, fn string, args json.RawMessage) (outcome, error) {
	res, err := t.runner.Run(ctx, sandbox.Call{Source: p.src, Func: fn, Args: args, Timeout: t.opts.Timeout})
	if err != nil {
		return outcome{}, fmt.Errorf("sandbox: %w", err)
	}
	o := outcome{DurationMS: res.DurationMS}
	if !res.OK {
		o.Stage, o.Message = string(res.Error.Kind), res.Error.Message
		return o, nil
	}
	g, err := decodeGlue(res.Result)
	if err != nil {
		o.Stage, o.Message = "bad_result", err.Error()
		return o, nil
	}
	if g.Stage != "" {
		o.Stage, o.Message = g.Stage, g.Message
		return o, nil
	}
	o.Answer = renderAnswer(g.Answer)
	return o, nil
}

// runParsed runs Parse → Solve → Format on input.
func (t *Toolmaker) runParsed(ctx context.Context, p *prepared, input string) (outcome, error) {
	args, err := json.Marshal([]string{input})
	if err != nil {
		return outcome{}, err
	}
	return t.call(ctx, p, gluePipeline, args)
}

// runArgs runs Solve → Format on arguments given as a JSON object keyed by
// Solve's parameter names (or an array in their order).
func (t *Toolmaker) runArgs(ctx context.Context, p *prepared, args json.RawMessage) (outcome, error) {
	return t.call(ctx, p, glueSolveFormat, args)
}

// parseArgs runs Parse alone and returns Solve's arguments as a JSON object
// keyed by parameter name, for usage demos.
func (t *Toolmaker) parseArgs(ctx context.Context, p *prepared, input string) (json.RawMessage, error) {
	in, _ := json.Marshal([]string{input})
	res, err := t.runner.Run(ctx, sandbox.Call{Source: p.src, Func: funcParse, Args: in, Timeout: t.opts.Timeout})
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	if !res.OK {
		return nil, fmt.Errorf("Parse failed (%s): %s", res.Error.Kind, res.Error.Message)
	}
	params := p.shape.solve.Params
	var vals []json.RawMessage
	if len(params) == 1 {
		vals = []json.RawMessage{res.Result}
	} else if err := json.Unmarshal(res.Result, &vals); err != nil || len(vals) != len(params) {
		return nil, fmt.Errorf("Parse returned %.100s, not %d values", res.Result, len(params))
	}
	obj := make(map[string]json.RawMessage, len(params))
	for i, prm := range params {
		obj[prm.Name] = vals[i]
	}
	return json.Marshal(obj)
}
