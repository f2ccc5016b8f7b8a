package toolmaker

import (
	"context"
	"fmt"
	"strings"

	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// Dispatch is the Dispatcher's decision for one request.
type Dispatch struct {
	// Tool is the chosen tool, or nil when the request is unknown.
	Tool *registry.Tool
	// Family is the chosen tool's family, or, for an unknown request, the
	// name the Dispatcher proposed for a new family ("" if none).
	Family string
	// Candidates are the tools the relevance search offered, best first.
	Candidates []string
	// Reply is the Dispatcher's reply ("" when no model was asked: the
	// search found no candidate, or routing by Parse decided).
	Reply string
	// ByParse is set when exactly one candidate's Parse → Solve → Format
	// succeeded on the request and the Dispatcher was not asked
	// (Options.ParseDispatch).
	ByParse bool
}

// Dispatch routes input: a relevance search over the registry's tools gives
// candidates, then the Dispatcher model picks one or answers unknown.
// Without candidates no model is called. With Options.ParseDispatch the
// candidates' parsers are tried first (see Options).
func (t *Toolmaker) Dispatch(ctx context.Context, input string) (Dispatch, error) {
	d, _, err := t.dispatch(ctx, input)
	return d, err
}

// dispatch is Dispatch that also returns the answer when routing by Parse
// already computed it.
func (t *Toolmaker) dispatch(ctx context.Context, input string) (Dispatch, *outcome, error) {
	hits, err := t.search.Tools(ctx, t.opts.Namespace, input, registry.ToolQuery{Limit: t.opts.Candidates})
	if err != nil {
		return Dispatch{}, nil, fmt.Errorf("toolmaker: search tools: %w", err)
	}
	var d Dispatch
	cands := make([]*registry.Tool, 0, len(hits))
	for _, h := range hits {
		if h.Tool.Verification.Status == registry.VerifyFailed {
			continue
		}
		cands = append(cands, h.Tool)
		d.Candidates = append(d.Candidates, h.Tool.Name)
	}
	if len(cands) == 0 {
		return d, nil, nil
	}
	if t.opts.ParseDispatch {
		tool, o, err := t.routeByParse(ctx, cands, input)
		if err != nil {
			return d, nil, err
		}
		if tool != nil {
			d.Tool, d.Family, d.ByParse = tool, tool.Family, true
			return d, o, nil
		}
	}
	disp, err := t.needModel(llm.Dispatcher)
	if err != nil {
		return d, nil, err
	}
	reply, err := llm.Complete(ctx, disp, dispatcherSystem, dispatchPrompt(cands, input))
	if err != nil {
		return d, nil, fmt.Errorf("toolmaker: dispatcher: %w", err)
	}
	d.Reply = reply
	d.Tool, d.Family = pickTool(reply, cands)
	if d.Tool != nil {
		d.Family = d.Tool.Family
	}
	return d, nil, nil
}

// routeByParse runs the Parse path of every candidate that has Parse and
// returns the one candidate that answered, with its answer; nil when none or
// several did.
func (t *Toolmaker) routeByParse(ctx context.Context, cands []*registry.Tool, input string) (*registry.Tool, *outcome, error) {
	var (
		found *registry.Tool
		ans   outcome
	)
	for _, c := range cands {
		if c.Parse == "" {
			continue
		}
		p, err := t.prepared.get(c.Source)
		if err != nil || p.shape.parse == nil {
			continue
		}
		o, err := t.runParsed(ctx, p, input)
		if err != nil {
			return nil, nil, err
		}
		if o.Stage != "" {
			continue
		}
		if found != nil {
			return nil, nil, nil
		}
		found, ans = c, o
	}
	if found == nil {
		return nil, nil, nil
	}
	return found, &ans, nil
}

// pickTool reads the Dispatcher's reply: a candidate's name, or "unknown"
// optionally followed by a new family name. A reply naming exactly one
// candidate among other words picks it; anything else is unknown.
func pickTool(reply string, cands []*registry.Tool) (*registry.Tool, string) {
	r := strings.Trim(strings.TrimSpace(reply), "`'\".")
	for _, c := range cands {
		if strings.EqualFold(r, c.Name) {
			return c, ""
		}
	}
	lower := strings.ToLower(r)
	if rest, ok := strings.CutPrefix(lower, answerUnknown); ok {
		name := strings.Trim(strings.TrimSpace(strings.TrimLeft(rest, ":,- ")), "`'\".")
		if registry.ValidName(name) && !strings.ContainsAny(name, " \t\n") {
			return nil, name
		}
		return nil, ""
	}
	var found *registry.Tool
	for _, c := range cands {
		if containsWord(r, c.Name) {
			if found != nil {
				return nil, ""
			}
			found = c
		}
	}
	return found, ""
}

// containsWord reports whether word occurs in s not inside a longer name.
func containsWord(s, word string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], word)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(word)
		if (j == 0 || !nameByte(s[j-1])) && (end == len(s) || !nameByte(s[end])) {
			return true
		}
		i = j + 1
	}
}

func nameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
}
