package eval

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"

	"github.com/toolsmith-dev/toolsmith/planner"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// nestfulSample is one gold sample of a NESTFUL data file.
type nestfulSample struct {
	Input  string        `json:"input"`
	Output []nestfulCall `json:"output"`
}

// nestfulCall is one gold call: the API, its arguments (literals or
// "$varK.field$" references to an earlier call's output) and its label.
type nestfulCall struct {
	Name      string         `json:"name"`
	Arguments map[string]any `json:"arguments"`
	Label     string         `json:"label"`
}

// Categories of samples, in the order they are checked.
const (
	catUnknownAPI = "unknown API in the gold"
	catEmbedded   = "reference inside a string"
	catArgMissing = "argument the spec lacks"
	catRepeated   = "API called twice"
	catNested     = "nested or whole-output reference"
	catOutside    = "gold call outside the result"
	catOmits      = "gold omits a required argument"
	catDiffer     = "names differ"
	catMatch      = "names match"
)

var (
	fullRefRE = regexp.MustCompile(`^\$(var\d+)(?:\.([^$]+))?\$$`)
	anyRefRE  = regexp.MustCompile(`\$?var\d+[.$]`)
)

// gold is a parsed gold sample.
type gold struct {
	calls   []nestfulCall
	tags    []string       // instance tag of each call ("" unless its API is called twice)
	byLabel map[string]int // label -> index of the latest call with it
	refs    []goldRef      // references between calls, in order
	goals   []int
	badRef  bool
}

// goldRef is an argument bound to an earlier call's output.
type goldRef struct {
	call  int
	arg   string
	from  int // index of the referenced call (-1: unknown label)
	field string
}

// dropped names the required literal removed in an incomplete variant.
type dropped struct {
	call int
	arg  string
	keep bool // keep the key with a null value
}

func parseGold(s nestfulSample) *gold {
	g := &gold{byLabel: map[string]int{}}
	var result *nestfulCall
	for i := range s.Output {
		c := s.Output[i]
		if c.Name == "var_result" {
			result = &s.Output[i]
			continue
		}
		idx := len(g.calls)
		g.calls = append(g.calls, c)
		for _, arg := range sortedKeys(c.Arguments) {
			str, ok := c.Arguments[arg].(string)
			if !ok {
				data, _ := json.Marshal(c.Arguments[arg])
				if anyRefRE.Match(data) {
					g.badRef = true
				}
				continue
			}
			if m := fullRefRE.FindStringSubmatch(str); m != nil {
				from, ok := g.byLabel[m[1]]
				if !ok {
					from = -1
				}
				g.refs = append(g.refs, goldRef{call: idx, arg: arg, from: from, field: m[2]})
			} else if anyRefRE.MatchString(str) {
				g.badRef = true
			}
		}
		if c.Label != "" {
			g.byLabel[c.Label] = idx
		}
	}
	seen := map[int]bool{}
	if result != nil {
		for _, arg := range sortedKeys(result.Arguments) {
			str, _ := result.Arguments[arg].(string)
			if m := fullRefRE.FindStringSubmatch(str); m != nil {
				if i, ok := g.byLabel[m[1]]; ok && !seen[i] {
					seen[i] = true
					g.goals = append(g.goals, i)
				}
			}
		}
	}
	if len(g.goals) == 0 && len(g.calls) > 0 {
		g.goals = []int{len(g.calls) - 1}
	}
	count := map[string]int{}
	for _, c := range g.calls {
		count[c.Name]++
	}
	g.tags = make([]string, len(g.calls))
	for i, c := range g.calls {
		if count[c.Name] > 1 {
			g.tags[i] = c.Label
			if g.tags[i] == "" {
				g.tags[i] = fmt.Sprintf("call%d", i+1)
			}
		}
	}
	return g
}

// name returns the planner's name of call i: the API, or "Api#tag" for a
// call of an API the gold calls more than once.
func (g *gold) name(i int) string {
	if g.tags[i] == "" {
		return g.calls[i].Name
	}
	return g.calls[i].Name + "#" + g.tags[i]
}

func (g *gold) isRef(call int, arg string) bool {
	for _, r := range g.refs {
		if r.call == call && r.arg == arg {
			return true
		}
	}
	return false
}

// category sorts a sample by what it needs of the planner.
func (g *gold) category(p *planner.Planner) string {
	names := map[string]bool{}
	repeated := false
	for _, c := range g.calls {
		if _, ok := p.API(c.Name); !ok {
			return catUnknownAPI
		}
		if names[c.Name] {
			repeated = true
		}
		names[c.Name] = true
	}
	if g.badRef {
		return catEmbedded
	}
	for _, c := range g.calls {
		a, _ := p.API(c.Name)
		for arg := range c.Arguments {
			if !slices.ContainsFunc(a.Inputs, func(in registry.Input) bool { return in.Name == arg }) {
				return catArgMissing
			}
		}
	}
	differ := false
	for _, r := range g.refs {
		if r.from < 0 || r.field == "" {
			return catNested
		}
		src, _ := p.API(g.calls[r.from].Name)
		if !slices.ContainsFunc(src.Outputs, func(o registry.Output) bool { return o.Name == r.field }) {
			return catNested
		}
		if r.field != r.arg {
			differ = true
		}
	}
	// Every call must serve the result, directly or through a reference.
	serves := map[int]bool{}
	var mark func(i int)
	mark = func(i int) {
		if serves[i] {
			return
		}
		serves[i] = true
		for _, r := range g.refs {
			if r.call == i {
				mark(r.from)
			}
		}
	}
	for _, i := range g.goals {
		mark(i)
	}
	if len(serves) != len(g.calls) {
		return catOutside
	}
	for _, c := range g.calls {
		a, _ := p.API(c.Name)
		for _, in := range a.Inputs {
			if _, given := c.Arguments[in.Name]; in.Required && in.Default == nil && !given {
				return catOmits
			}
		}
	}
	if repeated {
		return catRepeated
	}
	if differ {
		return catDiffer
	}
	return catMatch
}

// withAliases returns a copy of apis in which every input the gold feeds
// from an output of another name accepts that output's slot.
func (g *gold) withAliases(apis []registry.API) []registry.API {
	out := make([]registry.API, len(apis))
	copy(out, apis)
	for _, r := range g.refs {
		alias := r.field
		if g.tags[r.from] != "" {
			alias += "#" + g.tags[r.from]
		} else if r.field == r.arg {
			continue
		}
		for i := range out {
			if out[i].Name != g.calls[r.call].Name {
				continue
			}
			inputs := slices.Clone(out[i].Inputs)
			for k := range inputs {
				if inputs[k].Name == r.arg && !slices.Contains(inputs[k].Aliases, alias) {
					inputs[k].Aliases = append(slices.Clone(inputs[k].Aliases), alias)
				}
			}
			out[i].Inputs = inputs
		}
	}
	return out
}

// request builds the planning request of the sample, without the dropped
// literal when drop is set (as a null value when drop.keep is set: the user
// named the parameter but not its value).
func (g *gold) request(drop *dropped) planner.Request {
	req := planner.Request{}
	for _, i := range g.goals {
		req.Goals = append(req.Goals, g.name(i))
	}
	for i, c := range g.calls {
		for _, arg := range sortedKeys(c.Arguments) {
			if g.isRef(i, arg) {
				continue
			}
			if drop != nil && drop.call == i && drop.arg == arg {
				if drop.keep {
					req.Known = append(req.Known, planner.Known{Key: g.name(i) + "." + arg, Value: nil})
				}
				continue
			}
			req.Known = append(req.Known, planner.Known{Key: g.name(i) + "." + arg, Value: c.Arguments[arg]})
		}
	}
	return req
}

// requiredLiterals lists the literal arguments the spec marks required.
func (g *gold) requiredLiterals(p *planner.Planner) []dropped {
	var out []dropped
	for i, c := range g.calls {
		a, _ := p.API(c.Name)
		for _, arg := range sortedKeys(c.Arguments) {
			if g.isRef(i, arg) {
				continue
			}
			for _, in := range a.Inputs {
				if in.Name == arg && in.Required {
					out = append(out, dropped{call: i, arg: arg})
				}
			}
		}
	}
	return out
}

// compare returns "" when the plan makes exactly the gold calls with the
// gold bindings (and, with drop, asks for the dropped value once), or the
// first difference.
func (g *gold) compare(p *planner.Planner, plan *planner.Plan, drop *dropped) string {
	if plan.Status != planner.StatusOK && plan.Status != planner.StatusNeedsInfo {
		kind := ""
		if len(plan.Issues) > 0 {
			kind = ": " + string(plan.Issues[0].Kind)
		}
		return "status " + string(plan.Status) + kind
	}
	questions := plan.Questions()
	var askID string
	if drop == nil {
		if len(questions) > 0 {
			return "asks for a value it was given"
		}
	} else {
		if len(questions) != 1 {
			return fmt.Sprintf("%d questions instead of 1", len(questions))
		}
		a, _ := p.API(g.calls[drop.call].Name)
		for _, in := range a.Inputs {
			if in.Name == drop.arg && in.SlotType() != questions[0].Slot {
				return "asks for another slot"
			}
		}
		askID = questions[0].ID
	}
	stepOf := map[int]string{}
	used := map[string]bool{}
	for i, c := range g.calls {
		for _, s := range plan.Steps {
			if s.API == c.Name && s.Instance == g.tags[i] && !used[s.ID] {
				stepOf[i] = s.ID
				used[s.ID] = true
				break
			}
		}
		if stepOf[i] == "" {
			return "misses a gold call"
		}
	}
	if len(plan.Steps)-len(questions) != len(g.calls) {
		return "makes calls the gold does not"
	}
	byID := map[string]planner.Step{}
	for _, s := range plan.Steps {
		byID[s.ID] = s
	}
	for i, c := range g.calls {
		s := byID[stepOf[i]]
		a, _ := p.API(c.Name)
		for arg, v := range c.Arguments {
			got, ok := s.Args[arg]
			if !ok {
				return "leaves a gold argument unbound"
			}
			switch {
			case drop != nil && drop.call == i && drop.arg == arg:
				if got.From != askID {
					return "does not bind the answer"
				}
			case g.isRef(i, arg):
				for _, r := range g.refs {
					if r.call == i && r.arg == arg && (got.From != stepOf[r.from] || got.Field != r.field) {
						return "binds an output differently"
					}
				}
			default:
				if got.IsRef() || !sameJSON(got.Value, v) {
					return "binds a literal differently"
				}
			}
		}
		for arg, got := range s.Args {
			if _, ok := c.Arguments[arg]; ok {
				continue
			}
			isDefault := false
			for _, in := range a.Inputs {
				if in.Name == arg && in.Default != nil && !got.IsRef() && sameJSON(got.Value, in.Default) {
					isDefault = true
				}
			}
			if !isDefault {
				return "binds an argument the gold leaves out"
			}
		}
	}
	return ""
}

func sameJSON(a, b any) bool {
	norm := func(v any) string {
		data, _ := json.Marshal(v)
		var x any
		_ = json.Unmarshal(data, &x)
		data, _ = json.Marshal(x)
		return string(data)
	}
	return norm(a) == norm(b)
}
