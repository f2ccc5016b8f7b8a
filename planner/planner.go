package planner

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"github.com/toolsmith-dev/toolsmith/asp"
	"log/slog"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// Options configure a Planner. The zero value is usable.
type Options struct {
	// Rules are further ASP programs (team policies) solved with the
	// built-in rules; see rules/core.lp for the predicates they may use.
	Rules []string
	// RuleNames name the Rules (file names, say) in error messages; a rule
	// without a name is called "policy N".
	RuleNames []string
	// NamespaceRules holds policies that apply when an API of the namespace
	// takes part in a plan.
	NamespaceRules map[string]string
	// AskCost is the cost of one get_info step (default 5: asking the user
	// costs more than an API call).
	AskCost int64
	// ReadCost and WriteCost are the costs of a read call and of a write or
	// destructive call (default 1 each); an API's own Cost wins. A write
	// a policy allows as a means (allow_means) costs WriteCost plus AskCost
	// for every slot it provides, so that no plan trades a question for a
	// side effect.
	ReadCost, WriteCost int64
	// Fixed binds inputs that are account settings (registry.Settings.Inputs):
	// keyed "Api.input" or by input name, they fill those inputs, which are
	// then never asked for.
	Fixed map[string]any
	// Search is "astar" (optimal), "gbfs" (greedy) or "" to choose by size:
	// A* with LM-cut for tasks up to LargeTask actions, greedy with FF above.
	Search string
	// Heuristic overrides the heuristic ("lmcut", "ff", "add", "max", "blind").
	Heuristic string
	// LargeTask is the number of actions above which the automatic choice
	// switches to greedy search (default 400).
	LargeTask int
	// Cache, when set, stores plans by request; a hit skips planning.
	Cache Cache
	// Logger receives debug records of each stage (default: discard).
	Logger *slog.Logger
	// Trace, when set, is called after each stage of planning with the
	// stage's duration (one call per ASP round for StageReason).
	Trace func(stage Stage, d time.Duration)
}

// WithSettings returns o with a namespace's settings applied: its costs
// (where set) and its fixed account inputs (added to o.Fixed; the settings
// win on a shared key).
func (o Options) WithSettings(st *registry.Settings) Options {
	if st == nil {
		return o
	}
	if st.Costs.Read > 0 {
		o.ReadCost = int64(st.Costs.Read)
	}
	if st.Costs.Write > 0 {
		o.WriteCost = int64(st.Costs.Write)
	}
	if st.Costs.Ask > 0 {
		o.AskCost = int64(st.Costs.Ask)
	}
	if len(st.Inputs) > 0 {
		fixed := make(map[string]any, len(o.Fixed)+len(st.Inputs))
		maps.Copy(fixed, o.Fixed)
		maps.Copy(fixed, st.Inputs)
		o.Fixed = fixed
	}
	return o
}

// Stage names a stage of planning, for Options.Trace.
type Stage string

// Stages of planning, in order.
const (
	StageRelevance   Stage = "relevance"   // backward-relevant APIs
	StageReason      Stage = "reason"      // ASP facts, rules and answer set
	StageMaterialise Stage = "materialise" // the PDDL task
	StagePrune       Stage = "prune"       // actions in no optimal plan removed
	StageSearch      Stage = "search"      // grounding and search
	StageDecode      Stage = "decode"      // steps and bindings
)

func (p *Planner) trace(s Stage, start time.Time) {
	if p.opts.Trace != nil {
		p.opts.Trace(s, time.Since(start))
	}
}

// ASPProgram returns the ASP program (facts and rules) the planner solves
// for req in its last reasoning round, for inspection or for another solver.
// It returns ErrNoTask when the request is invalid before any reasoning.
func (p *Planner) ASPProgram(ctx context.Context, req Request) (string, error) {
	if err := req.validate(); err != nil {
		return "", err
	}
	pr, _, err := p.prepare(ctx, req)
	if err != nil {
		return "", err
	}
	if pr == nil || pr.facts == nil {
		return "", ErrNoTask // invalid before reasoning
	}
	return p.program(pr.facts).text(), nil
}

// Planner plans requests against a fixed set of APIs. It is safe for
// concurrent use.
type Planner struct {
	opts        Options
	orig        []registry.API // as given
	apis        []registry.API // with entity-typed slots (scope.go)
	byName      map[string]int
	producers   map[string][]int    // slot -> APIs with an output of that slot
	internal    map[string]bool     // slots of inputs marked not askable (ids)
	effects     []registry.Effect   // registry.EffectOf of each API
	fixed       map[inKey]any       // Options.Fixed resolved to the inputs it fills
	slots       map[string]bool     // the slots of every input
	inputSlots  map[string][]string // input name -> the distinct slots of inputs so named
	rules       string              // built-in and user rules
	ruleStmts   []asp.Statement     // rules, parsed
	nsRules     map[string]nsRules  // Options.NamespaceRules, parsed
	fingerprint string
	reasoner    reasoner
	search      searcher
}

// nsRules are the policies of one namespace.
type nsRules struct {
	text  string
	stmts []asp.Statement
}

// New returns a planner over apis. It fails with an *InputError when two
// APIs share a name or an API has no name, and with a *PolicyError when a
// policy (Options.Rules, Options.NamespaceRules) does not parse.
func New(apis []registry.API, opts Options) (*Planner, error) {
	if opts.AskCost <= 0 {
		opts.AskCost = 5
	}
	if opts.ReadCost <= 0 {
		opts.ReadCost = 1
	}
	if opts.WriteCost <= 0 {
		opts.WriteCost = 1
	}
	if opts.LargeTask <= 0 {
		opts.LargeTask = 400
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	p := &Planner{
		opts:       opts,
		orig:       apis,
		apis:       scopeAPIs(apis),
		byName:     make(map[string]int, len(apis)),
		producers:  make(map[string][]int),
		internal:   make(map[string]bool),
		slots:      map[string]bool{},
		inputSlots: map[string][]string{},
		reasoner:   defaultReasoner(),
		search:     defaultSearcher(),
	}
	for i, a := range p.apis {
		if strings.TrimSpace(a.Name) == "" {
			return nil, &InputError{Msg: fmt.Sprintf("api #%d has no name", i+1)}
		}
		if a.Name == GetInfo {
			return nil, &InputError{Msg: "api name get_info is reserved"}
		}
		if _, dup := p.byName[a.Name]; dup {
			return nil, &InputError{Msg: fmt.Sprintf("api %q is defined twice", a.Name)}
		}
		p.byName[a.Name] = i
		p.effects = append(p.effects, registry.EffectOf(&a))
		for _, in := range a.Inputs {
			p.slots[in.SlotType()] = true
			if !slices.Contains(p.inputSlots[in.Name], in.SlotType()) {
				p.inputSlots[in.Name] = append(p.inputSlots[in.Name], in.SlotType())
			}
		}
		for _, in := range a.Inputs {
			v, ok := opts.Fixed[a.Name+"."+in.Name]
			if !ok {
				v, ok = opts.Fixed[in.Name]
			}
			if ok {
				if p.fixed == nil {
					p.fixed = map[inKey]any{}
				}
				p.fixed[inKey{a.Name, in.Name}] = v
			}
		}
		for _, in := range a.Inputs {
			if in.NotAskable {
				p.internal[in.SlotType()] = true
			}
		}
		seen := map[string]bool{}
		for _, o := range a.Outputs {
			s := o.SlotType()
			if !seen[s] {
				seen[s] = true
				p.producers[s] = append(p.producers[s], i)
			}
		}
	}
	var rb strings.Builder
	rb.WriteString(BuiltinRules())
	stmts, err := builtinStatements()
	if err != nil {
		return nil, &PolicyError{Err: err}
	}
	for i, r := range opts.Rules {
		// A policy is parsed alone, so that errors name its own file and
		// line, not the combined program.
		name := fmt.Sprintf("policy %d", i+1)
		if i < len(opts.RuleNames) && opts.RuleNames[i] != "" {
			name = opts.RuleNames[i]
		}
		prog, err := asp.Parse(name, []byte(r))
		if err != nil {
			return nil, &PolicyError{Err: err}
		}
		stmts = append(stmts, prog.Statements...)
		rb.WriteString(r)
		rb.WriteByte('\n')
	}
	p.rules = rb.String()
	p.ruleStmts = slices.Clip(stmts)
	for ns, r := range opts.NamespaceRules {
		prog, err := asp.Parse("namespace "+ns+" policy", []byte(r))
		if err != nil {
			return nil, &PolicyError{Err: err}
		}
		if p.nsRules == nil {
			p.nsRules = map[string]nsRules{}
		}
		p.nsRules[ns] = nsRules{text: r, stmts: prog.Statements}
	}

	h := sha256.New()
	enc := json.NewEncoder(h)
	_ = enc.Encode(apis)
	nsNames := make([]string, 0, len(opts.NamespaceRules))
	for ns := range opts.NamespaceRules {
		nsNames = append(nsNames, ns)
	}
	sort.Strings(nsNames)
	for _, ns := range nsNames {
		_ = enc.Encode([2]string{ns, opts.NamespaceRules[ns]})
	}
	_ = enc.Encode(opts.Fixed)
	fmt.Fprintf(h, "%s\x00%d\x00%d\x00%d\x00%s\x00%s\x00%d", p.rules, opts.AskCost, opts.ReadCost, opts.WriteCost, opts.Search, opts.Heuristic, opts.LargeTask)
	p.fingerprint = hex.EncodeToString(h.Sum(nil))
	return p, nil
}

// knownSlot resolves the key of a known value that is not "Api.input":
// a slot, or else the name of inputs that all take one slot (a plain "id"
// where every input named id is a Pet.id). ok is false when inputs of that
// name take different slots: the key is ambiguous (a call's sid and a
// message's sid), and the value fills none of them.
func (p *Planner) knownSlot(key string) (slot string, ok bool) {
	if p.slots[key] {
		return key, true
	}
	switch ss := p.inputSlots[key]; len(ss) {
	case 0:
		return key, true // a slot nothing takes yet (policies may require it)
	case 1:
		return ss[0], true
	}
	return "", false
}

// hasPolicies reports whether rules beyond the built-in ones take part.
func (p *Planner) hasPolicies() bool {
	return len(p.opts.Rules) > 0 || len(p.opts.NamespaceRules) > 0
}

// API returns the API named name.
func (p *Planner) API(name string) (registry.API, bool) {
	i, ok := p.byName[name]
	if !ok {
		return registry.API{}, false
	}
	return p.orig[i], true
}

// Plan plans req. Issues of the request (conflicts, invalid values,
// unknown goals, unreachable goals) are reported in the plan's status and
// Issues, not as errors; an error means the planner itself failed (a
// policy with a syntax error, a cancelled context).
func (p *Planner) Plan(ctx context.Context, req Request) (*Plan, error) {
	if err := req.validate(); err != nil {
		return invalidPlan(err), nil
	}
	var key string
	if p.opts.Cache != nil {
		key = p.cacheKey(req)
		if plan, ok, err := p.opts.Cache.Get(ctx, key); err != nil {
			p.opts.Logger.Debug("plan cache get", "err", err)
		} else if ok {
			return plan, nil
		}
	}
	plan, err := p.plan(ctx, req)
	if err != nil {
		return nil, err
	}
	if p.opts.Cache != nil {
		if err := p.opts.Cache.Put(ctx, key, plan); err != nil {
			p.opts.Logger.Debug("plan cache put", "err", err)
		}
	}
	return plan, nil
}

// Update is what happened since a plan was made: answers and other new
// values, executed steps with their results, and APIs that failed.
type Update struct {
	// Known holds new values; a key given here replaces every earlier value
	// of the same key (an answer settles a conflict).
	Known []Known
	// Done lists the steps executed since the last plan.
	Done []Done
	// Failed names APIs that failed and must not be planned again.
	Failed []string
}

// Replan plans what remains of req after upd: executed steps are not
// repeated (their outputs stay available under their step ids), answered
// questions become known values, failed APIs are avoided. It returns the
// updated request with the new plan, so that the next Replan starts from it.
func (p *Planner) Replan(ctx context.Context, req Request, upd Update) (Request, *Plan, error) {
	next := Request{Query: req.Query, Goals: req.Goals}
	replaced := map[string]bool{}
	for _, k := range upd.Known {
		replaced[k.Key] = true
	}
	for _, k := range req.Known {
		if !replaced[k.Key] {
			next.Known = append(next.Known, k)
		}
	}
	next.Known = append(next.Known, upd.Known...)
	next.Done = append(append([]Done(nil), req.Done...), upd.Done...)
	next.Failed = append(append([]string(nil), req.Failed...), upd.Failed...)
	plan, err := p.Plan(ctx, next)
	return next, plan, err
}

func (p *Planner) cacheKey(req Request) string {
	data, _ := json.Marshal(req)
	h := sha256.New()
	h.Write([]byte(p.fingerprint))
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

func invalidPlan(err error) *Plan {
	return &Plan{Status: StatusInvalid, Issues: []Issue{{Kind: IssueInvalid, Message: err.Error()}}}
}
