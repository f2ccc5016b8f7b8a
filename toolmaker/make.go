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
	"github.com/toolsmith-dev/toolsmith/sandbox"
)

// Family is a task family to make a tool for: a name (which becomes the
// tool's name), an optional description, the training examples the Maker
// sees (LATM uses 3) and the validation examples the tool must answer
// (3, or more).
type Family struct {
	Name        string
	Description string
	Train       []registry.Example
	Valid       []registry.Example
}

// MakeError reports a family whose tool could not be made: every reason, one
// per rejected Maker reply. Nothing was registered; the family is marked
// failed with the reasons.
type MakeError struct {
	Family  string
	Reasons []string
	// Usage is what the attempt cost.
	Usage llm.Totals
}

func (e *MakeError) Error() string {
	return fmt.Sprintf("toolmaker: no tool for %s after %d replies: %s", e.Family, len(e.Reasons), strings.Join(e.Reasons, "; "))
}

// ErrNoExamples is returned when a family has too few examples to make and
// verify a tool.
var ErrNoExamples = errors.New("toolmaker: a family needs at least one training and one validation example with answers")

// Make has the Maker write a tool for f, repairs it until it compiles and
// passes f.Valid (within Options.ProposeRounds and VerifyRounds), and
// registers it as the next version of the tool named f.Name, in family
// f.Name. It returns the registered tool, or a *MakeError when the Maker did
// not produce a verified tool, after marking the family failed.
func (t *Toolmaker) Make(ctx context.Context, f Family) (*registry.Tool, error) {
	if !registry.ValidName(f.Name) {
		return nil, fmt.Errorf("toolmaker: %q is not a valid family name", f.Name)
	}
	if len(f.Train) == 0 || len(f.Valid) == 0 || !answered(f.Train) || !answered(f.Valid) {
		return nil, ErrNoExamples
	}
	maker, err := t.needModel(llm.Maker)
	if err != nil {
		return nil, err
	}
	if err := t.setFamily(ctx, f, registry.FamilyMaking, "", ""); err != nil {
		return nil, err
	}
	reqID := t.requestID("make")
	ctx = t.metered(ctx, reqID)
	start := time.Now()
	system := makerSystem(allowList())
	propose := proposePrompt(f)
	msgs := llm.Messages(system, propose)
	var reasons []string
	compileFails, verifyFails := 0, 0
	fail := func(reason string) {
		reasons = append(reasons, reason)
	}
	for round := 1; ; round++ {
		t.progress(f.Name, "propose", round, "asking the maker")
		reply, err := llm.Generate(ctx, maker, msgs)
		if err != nil {
			fail(fmt.Sprintf("reply %d: maker call failed: %v", round, err))
			return nil, t.failFamily(context.WithoutCancel(ctx), f, reasons, reqID, err)
		}
		var feedback string
		tool, p, verr, ok, err := t.attempt(ctx, f, reply.Text, round)
		if err != nil {
			fail(fmt.Sprintf("reply %d: %v", round, err))
			return nil, t.failFamily(context.WithoutCancel(ctx), f, reasons, reqID, err)
		}
		switch {
		case ok:
			tool.Provenance = t.provenance(maker, reqID, start, round)
			if _, err := t.store.PutTool(ctx, tool); err != nil {
				fail(fmt.Sprintf("reply %d: register: %v", round, err))
				return nil, t.failFamily(context.WithoutCancel(ctx), f, reasons, reqID, fmt.Errorf("register: %w", err))
			}
			t.progress(f.Name, "register", round, "registered %s version %d", tool.Name, tool.Version)
			if err := t.setFamily(ctx, f, registry.FamilyReady, tool.Name, ""); err != nil {
				return tool, err
			}
			return tool, nil
		case p == nil:
			compileFails++
			fail(fmt.Sprintf("reply %d: %s", round, oneLine(verr.reason, 500)))
			t.progress(f.Name, "compile", round, "%s", oneLine(verr.reason, 200))
			feedback = compileFeedback(verr.reason)
		default:
			verifyFails++
			fail(fmt.Sprintf("reply %d: verification: %d of %d passed; %s", round, verr.passed, len(f.Valid), oneLine(verr.reason, 300)))
			t.progress(f.Name, "verify", round, "%d of %d validation examples passed", verr.passed, len(f.Valid))
			feedback = verifyFeedback(verr.example, verr.actual, verr.failure, verr.passed, len(f.Valid))
		}
		if compileFails >= t.opts.ProposeRounds || verifyFails >= t.opts.VerifyRounds {
			return nil, t.failFamily(ctx, f, reasons, reqID, nil)
		}
		msgs = append(llm.Messages(system, propose),
			llms.TextParts(llms.ChatMessageTypeAI, reply.Text),
			llms.TextParts(llms.ChatMessageTypeHuman, feedback))
	}
}

// rejection says why one Maker reply was not accepted.
type rejection struct {
	reason  string
	passed  int
	example registry.Example
	actual  string
	failure string
}

// attempt checks one Maker reply: extract the code, check the contract and
// compile it, verify it. ok reports a verified tool (not yet registered);
// p == nil means the reply was rejected before verification.
//
// A non-nil error means the reply could not be judged at all (the sandbox
// is unavailable, ctx ended).
func (t *Toolmaker) attempt(ctx context.Context, f Family, reply string, round int) (tool *registry.Tool, p *prepared, rej rejection, ok bool, fatal error) {
	code, err := extractCode(reply)
	if err != nil {
		return nil, nil, rejection{reason: err.Error()}, false, nil
	}
	if len(code) > registry.MaxToolSource {
		return nil, nil, rejection{reason: fmt.Sprintf("the file has %d bytes; the limit is %d", len(code), registry.MaxToolSource)}, false, nil
	}
	p, err = prepare(code)
	if err == nil {
		err = t.check(ctx, p.src)
		var se *sandbox.Error
		if err != nil && !errors.As(err, &se) {
			return nil, nil, rejection{}, false, fmt.Errorf("sandbox: %w", err)
		}
	}
	if err != nil {
		return nil, nil, rejection{reason: describeCheck(err)}, false, nil
	}
	tool = t.draft(f, code, p)
	t.progress(f.Name, "verify", round, "running %d validation examples", len(f.Valid))
	passed := 0
	for _, ex := range f.Valid {
		o, err := t.runTool(ctx, p, tool, ex.Input)
		if err != nil {
			return nil, p, rejection{}, false, err
		}
		if o.Stage != "" || !SameAnswer(o.Answer, ex.Target) {
			r := rejection{passed: passed, example: ex, actual: o.Answer, failure: o.failure()}
			if r.failure != "" {
				r.reason = "failed on an example: " + r.failure
			} else {
				r.reason = fmt.Sprintf("answered %q, expected %q", oneLine(o.Answer, 100), oneLine(ex.Target, 100))
			}
			return nil, p, r, false, nil
		}
		passed++
	}
	t.wrap(ctx, tool, p, f)
	return tool, p, rejection{}, true, nil
}

// checker is implemented by runners that compile a tool in the sandbox
// without running it (sandbox.Pool, sandbox.InProcess).
type checker interface {
	Check(ctx context.Context, src string) error
}

// check compiles src without running it: in the runner when it can (so
// even the compiler never sees hostile code outside the sandbox), else with
// sandbox.Check. A non-nil error is meant for the Maker.
func (t *Toolmaker) check(ctx context.Context, src string) error {
	if c, ok := t.runner.(checker); ok {
		return c.Check(ctx, src)
	}
	return sandbox.Check(src)
}

// describeCheck turns a contract or sandbox check error into feedback.
func describeCheck(err error) string {
	var se *sandbox.Error
	if errors.As(err, &se) {
		switch se.Kind {
		case sandbox.KindForbidden:
			return "forbidden: " + se.Message + " (allowed imports: " + strings.Join(allowList(), ", ") + ")"
		default:
			return string(se.Kind) + ": " + se.Message
		}
	}
	return "contract: " + err.Error()
}

// runTool answers input with a tool during verification: the Parse path
// when the tool has Parse, else the User model (with its one retry).
func (t *Toolmaker) runTool(ctx context.Context, p *prepared, tool *registry.Tool, input string) (outcome, error) {
	if p.shape.parse != nil {
		return t.runParsed(ctx, p, input)
	}
	o, _, err := t.useModel(ctx, p, tool, input)
	return o, err
}

// draft builds the tool record for code, before verification.
func (t *Toolmaker) draft(f Family, code string, p *prepared) *registry.Tool {
	tool := &registry.Tool{
		Name:        f.Name,
		Namespace:   t.opts.Namespace,
		Family:      f.Name,
		Description: describe(f, p.shape),
		Source:      code,
		Entry:       funcSolve,
		Schemas:     map[string]json.RawMessage{},
	}
	if p.shape.parse != nil {
		tool.Parse = funcParse
	}
	if p.shape.format != nil {
		tool.Format = funcFormat
	}
	for _, s := range p.shape.sigs {
		tool.Schemas[s.Name] = s.Schema
	}
	return tool
}

// describe is the tool's description: the family's, then Solve's doc.
func describe(f Family, s *shape) string {
	parts := []string{}
	if f.Description != "" {
		parts = append(parts, f.Description)
	}
	if s.solve.Doc != "" {
		parts = append(parts, s.solve.Doc)
	}
	if len(parts) == 0 {
		return "Solves tasks of the family " + f.Name + "."
	}
	d := strings.Join(parts, " ")
	if len(d) > registry.MaxDescriptionLen {
		d = d[:registry.MaxDescriptionLen]
	}
	return d
}

// wrap adds the demos, tests and verification record of a verified tool.
func (t *Toolmaker) wrap(ctx context.Context, tool *registry.Tool, p *prepared, f Family) {
	for _, ex := range f.Valid {
		if len(tool.Demos) == registry.MaxDemos {
			break
		}
		d := registry.Demo{Input: ex.Input, Answer: ex.Target}
		if p.shape.parse != nil {
			if args, err := t.parseArgs(ctx, p, ex.Input); err == nil {
				d.Args = args
			}
		}
		tool.Demos = append(tool.Demos, d)
	}
	for _, ex := range append(append([]registry.Example(nil), f.Train...), f.Valid...) {
		if len(tool.Tests) == registry.MaxTests {
			break
		}
		tool.Tests = append(tool.Tests, registry.ToolTest{Input: ex.Input, Expected: ex.Target})
	}
	tool.Verification = registry.Verification{
		Status:     registry.VerifyPassed,
		Passed:     len(f.Valid),
		Message:    fmt.Sprintf("passed %d of %d validation examples", len(f.Valid), len(f.Valid)),
		VerifiedAt: time.Now().UTC(),
	}
}

// provenance records what making the tool cost, from the meter.
func (t *Toolmaker) provenance(maker *llm.Model, reqID string, start time.Time, replies int) registry.Provenance {
	u := t.usage(reqID)
	return registry.Provenance{
		MakerModel:       maker.Name,
		PromptTokens:     int(u.InputTokens),
		CompletionTokens: int(u.OutputTokens),
		CostUSD:          u.Cost,
		Duration:         time.Since(start),
		Attempts:         replies,
		MadeAt:           time.Now().UTC(),
	}
}

// failFamily marks f failed with the reasons and returns the error to
// report: cause when the making could not proceed, else a *MakeError.
func (t *Toolmaker) failFamily(ctx context.Context, f Family, reasons []string, reqID string, cause error) error {
	msg := strings.Join(reasons, "; ")
	t.progress(f.Name, "failed", len(reasons), "%s", oneLine(msg, 300))
	if err := t.setFamily(ctx, f, registry.FamilyFailed, "", msg); err != nil {
		t.opts.Logger.Warn("toolmaker: cannot mark family failed", "family", f.Name, "err", err)
	}
	if cause != nil {
		return fmt.Errorf("toolmaker: make %s: %w", f.Name, cause)
	}
	return &MakeError{Family: f.Name, Reasons: reasons, Usage: t.usage(reqID)}
}

// setFamily records the family's status, keeping its pending examples.
func (t *Toolmaker) setFamily(ctx context.Context, f Family, status registry.FamilyStatus, tool, msg string) error {
	fam, err := t.store.GetFamily(ctx, t.opts.Namespace, f.Name)
	if err != nil {
		if !errors.Is(err, registry.ErrNotFound) {
			return fmt.Errorf("toolmaker: family %s: %w", f.Name, err)
		}
		fam = &registry.Family{Name: f.Name, Namespace: t.opts.Namespace}
	}
	if f.Description != "" {
		fam.Description = f.Description
	}
	fam.Status, fam.Message = status, msg
	if len(fam.Message) > registry.MaxDescriptionLen {
		fam.Message = fam.Message[:registry.MaxDescriptionLen]
	}
	if tool != "" {
		fam.Tool = tool
	}
	fam.UpdatedAt = time.Now().UTC()
	if err := t.store.PutFamily(ctx, fam); err != nil {
		return fmt.Errorf("toolmaker: family %s: %w", f.Name, err)
	}
	return nil
}

// answered reports whether every example has a target.
func answered(exs []registry.Example) bool {
	for _, ex := range exs {
		if strings.TrimSpace(ex.Target) == "" {
			return false
		}
	}
	return true
}
