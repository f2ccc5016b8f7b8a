package toolmaker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// DefaultFamily collects unknown requests when neither the caller nor the
// Dispatcher names a family.
const DefaultFamily = "unsorted"

// Solve answers one request end to end. With family set, the family's tool
// is used (no dispatch); otherwise Dispatch picks a tool. A request no tool
// serves is answered by the Maker directly and kept, with that answer, as a
// pending example of family (or of the family the Dispatcher named, or
// DefaultFamily); once the family has Options.AutoMake answered examples a
// tool is made for it (MakeFamily), and Answer.Made names it.
func (t *Toolmaker) Solve(ctx context.Context, input, family string) (Answer, error) {
	ctx, id := t.newRequest(ctx, "solve")
	start := time.Now()
	a, err := t.solve(ctx, input, family)
	a.Request, a.Duration = id, time.Since(start)
	a.Usage = t.usage(id)
	return a, err
}

func (t *Toolmaker) solve(ctx context.Context, input, family string) (Answer, error) {
	if strings.TrimSpace(input) == "" {
		return Answer{}, errors.New("toolmaker: empty request")
	}
	var tool *registry.Tool
	if family != "" {
		if !registry.ValidName(family) {
			return Answer{}, fmt.Errorf("toolmaker: %q is not a valid family name", family)
		}
		var err error
		tool, err = t.familyTool(ctx, family)
		if err != nil {
			return Answer{}, err
		}
	} else {
		d, pre, err := t.dispatch(ctx, input)
		if err != nil {
			return Answer{}, err
		}
		if pre != nil {
			t.record(ctx, d.Tool, time.Now().Add(-time.Duration(pre.DurationMS*float64(time.Millisecond))), false)
			return Answer{Text: pre.Answer, Path: PathParse, Family: d.Family, Tool: d.Tool.Name, Version: d.Tool.Version}, nil
		}
		tool, family = d.Tool, d.Family
	}
	if tool != nil {
		return t.use(ctx, tool, input)
	}
	if family == "" {
		family = DefaultFamily
	}
	return t.unknown(ctx, input, family)
}

// familyTool returns the tool serving family, or nil when it has none yet.
func (t *Toolmaker) familyTool(ctx context.Context, family string) (*registry.Tool, error) {
	ns := t.opts.Namespace
	tv, fv, err := versions(ctx, t.store, ns)
	if err != nil {
		return nil, fmt.Errorf("toolmaker: family %s: %w", family, err)
	}
	if tool, ok := t.families.get(ns, family, tv, fv); ok {
		return tool, nil
	}
	tool, err := t.readFamilyTool(ctx, family)
	if err == nil {
		t.families.put(ns, family, tv, fv, tool)
	}
	return tool, err
}

// readFamilyTool reads the tool serving family from the store.
func (t *Toolmaker) readFamilyTool(ctx context.Context, family string) (*registry.Tool, error) {
	name := family
	fam, err := t.store.GetFamily(ctx, t.opts.Namespace, family)
	switch {
	case err == nil && fam.Tool != "":
		name = fam.Tool
	case err != nil && !errors.Is(err, registry.ErrNotFound):
		return nil, fmt.Errorf("toolmaker: family %s: %w", family, err)
	}
	tool, err := t.store.GetTool(ctx, t.opts.Namespace, name)
	if errors.Is(err, registry.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("toolmaker: tool %s: %w", name, err)
	}
	return tool, nil
}

// unknown answers a request no tool serves and keeps it as a pending example.
func (t *Toolmaker) unknown(ctx context.Context, input, family string) (Answer, error) {
	a := Answer{Family: family, Path: PathMaker}
	text, err := t.direct(ctx, family, input)
	if err != nil {
		return a, err
	}
	a.Text = text
	n, made, err := t.AddExample(ctx, family, registry.Example{Input: input, Target: text})
	if n == 0 {
		return a, err
	}
	a.Pending = true
	if made != nil {
		a.Made = made.Name
	}
	if err != nil {
		// The answer stands; making the family's tool is retried later.
		a.Notes = append(a.Notes, "making a tool failed: "+err.Error())
	}
	return a, nil
}

// AddExample keeps an answered example of family as a pending example (from
// the Maker answering directly, or from a user who knows the answer); once
// the family has Options.AutoMake pending examples a tool is made for it and
// returned. A *MakeError reports a failed making (the example is kept); a
// family already being made elsewhere is left to that maker.
func (t *Toolmaker) AddExample(ctx context.Context, family string, ex registry.Example) (pending int, made *registry.Tool, err error) {
	if !registry.ValidName(family) {
		return 0, nil, fmt.Errorf("toolmaker: %q is not a valid family name", family)
	}
	if strings.TrimSpace(ex.Input) == "" {
		return 0, nil, errors.New("toolmaker: an example needs an input")
	}
	n, err := t.store.AddFamilyExample(ctx, t.opts.Namespace, family, ex)
	if err != nil {
		return 0, nil, fmt.Errorf("toolmaker: keep pending example of %s: %w", family, err)
	}
	if t.opts.AutoMake <= 0 || n < t.opts.AutoMake {
		return n, nil, nil
	}
	tool, err := t.MakeFamily(ctx, family)
	var sc *registry.StatusConflictError
	if errors.As(err, &sc) {
		return n, nil, nil
	}
	return n, tool, err
}

// MakeFamily makes a tool from a family's pending examples: it claims them
// (so only one process makes the tool), uses the first half (at most 3) as
// training and the rest as validation examples, and calls Make. When making
// fails the examples are put back and the family stays failed, with the
// reasons, until more examples or another try.
func (t *Toolmaker) MakeFamily(ctx context.Context, family string) (*registry.Tool, error) {
	fam, err := t.store.ClaimFamily(ctx, t.opts.Namespace, family, registry.FamilyMaking,
		registry.FamilyCollecting, registry.FamilyFailed, registry.FamilyReady)
	if err != nil {
		return nil, fmt.Errorf("toolmaker: claim family %s: %w", family, err)
	}
	var exs []registry.Example
	for _, ex := range fam.Examples {
		if strings.TrimSpace(ex.Target) != "" {
			exs = append(exs, ex)
		}
	}
	f := Family{Name: family, Description: fam.Description}
	f.Train, f.Valid = Split(exs)
	tool, err := t.Make(ctx, f)
	if err != nil {
		if len(f.Train) == 0 || len(f.Valid) == 0 {
			_ = t.setFamily(ctx, f, registry.FamilyCollecting, "", err.Error())
		}
		for _, ex := range fam.Examples {
			if _, aerr := t.store.AddFamilyExample(ctx, t.opts.Namespace, family, ex); aerr != nil {
				t.opts.Logger.Warn("toolmaker: cannot put back a pending example", "family", family, "err", aerr)
			}
		}
		return nil, err
	}
	return tool, nil
}

// Split divides answered examples for making: the first half, at most 3,
// for training; the rest for validation.
func Split(exs []registry.Example) (train, valid []registry.Example) {
	n := min(3, (len(exs)+1)/2)
	if len(exs) < 2 {
		n = len(exs)
	}
	return exs[:n], exs[n:]
}
