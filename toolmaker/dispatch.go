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
	// Reply is the Dispatcher's reply ("" when no model was asked because
	// the search found no candidate).
	Reply string
}

// Dispatch routes input: a relevance search over the registry's tools gives
// candidates, then the Dispatcher model picks one or answers unknown.
// Without candidates no model is called.
func (t *Toolmaker) Dispatch(ctx context.Context, input string) (Dispatch, error) {
	hits, err := t.search.Tools(ctx, t.opts.Namespace, input, registry.ToolQuery{Limit: t.opts.Candidates})
	if err != nil {
		return Dispatch{}, fmt.Errorf("toolmaker: search tools: %w", err)
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
		return d, nil
	}
	disp, err := t.needModel(llm.Dispatcher)
	if err != nil {
		return d, err
	}
	reply, err := llm.Complete(ctx, disp, dispatcherSystem, dispatchPrompt(cands, input))
	if err != nil {
		return d, fmt.Errorf("toolmaker: dispatcher: %w", err)
	}
	d.Reply = reply
	d.Tool, d.Family = pickTool(reply, cands)
	if d.Tool != nil {
		d.Family = d.Tool.Family
	}
	return d, nil
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
