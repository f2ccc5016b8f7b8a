package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/planner"
	"github.com/toolsmith-dev/toolsmith/registry"
)

func newEvalNestfulCmd(a *app) *cobra.Command {
	var sets []string
	var asJSON bool
	var failures int
	var debug string
	cmd := &cobra.Command{
		Use:   "nestful DIR",
		Short: "Evaluate the API planner on NESTFUL's gold call sequences",
		Long: `Evaluate the API planner on NESTFUL (DIR holds executable-data.json,
executable-spec.json, non-executable-glaive-data.json and
non-executable-glaive-spec.json).

Each gold sample becomes a request: the goals are the calls whose outputs
the result names, the known values are the gold's literal arguments (keyed
Api.input). A plan is right when it makes exactly the gold calls with the
gold bindings. Incomplete variants drop one required literal: the plan must
ask for exactly that value with one get_info step and otherwise stay the
same; a second incomplete variant keeps the key with a null value (the
user named the parameter, not its value). Samples are grouped by what they need: "names match" (every output
feeds an input of the same name) is the planner's own task; "names differ"
is also run with the aliases the gold implies (what the translator would
supply), and so is "API called twice" (each call an instance "Api#label",
see planner/instances.go); the rest (unknown APIs, references inside
strings, arguments the spec lacks, nested fields, gold inconsistent with its
spec) are counted and reported.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if debug != "" {
				return debugNESTFUL(cmd.Context(), a.stdout, args[0], debug)
			}
			rep, err := evalNESTFUL(cmd.Context(), args[0], sets)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.stdout, rep)
			}
			rep.write(a.stdout, failures)
			return nil
		},
	}
	cmd.Flags().StringSliceVar(&sets, "set", []string{"executable", "glaive"}, "sets to run: executable, glaive")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the full report as JSON")
	cmd.Flags().IntVar(&failures, "failures", 5, "list this many failing samples per row")
	cmd.Flags().StringVar(&debug, "sample", "", "print the request and plan of one sample (set#index) instead")
	return cmd
}

// nestfulFiles maps a set name to its data and spec files.
var nestfulFiles = map[string][2]string{
	"executable": {"executable-data.json", "executable-spec.json"},
	"glaive":     {"non-executable-glaive-data.json", "non-executable-glaive-spec.json"},
}

// nestfulSample is one gold sample.
type nestfulSample struct {
	Input  string        `json:"input"`
	Output []nestfulCall `json:"output"`
}

type nestfulCall struct {
	Name      string         `json:"name"`
	Arguments map[string]any `json:"arguments"`
	Label     string         `json:"label"`
}

// variantRaw names the complete variant planned without the gold's aliases.
const variantRaw = "complete, no aliases"

// variantKept names the incomplete variant that keeps the dropped key with a
// null value.
const variantKept = "incomplete, key kept (null)"

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

// nestfulReport is the outcome of the evaluation.
type nestfulReport struct {
	Sets []nestfulSetReport `json:"sets"`
}

type nestfulSetReport struct {
	Set        string         `json:"set"`
	Samples    int            `json:"samples"`
	Categories map[string]int `json:"categories"`
	// SpecsRejected names APIs the importer rejected (left out).
	SpecsRejected []string     `json:"specs_rejected,omitempty"`
	Rows          []nestfulRow `json:"rows"`
	PlanP50       float64      `json:"plan_p50_ms"`
}

// nestfulRow scores one variant over one group of samples.
type nestfulRow struct {
	Variant  string         `json:"variant"`
	Group    string         `json:"group"`
	Total    int            `json:"total"`
	Right    int            `json:"right"`
	Reasons  map[string]int `json:"failure_reasons,omitempty"`
	Failures []string       `json:"failures,omitempty"`
}

func (r *nestfulRow) add(id string, reason string) {
	r.Total++
	if reason == "" {
		r.Right++
		return
	}
	if r.Reasons == nil {
		r.Reasons = map[string]int{}
	}
	r.Reasons[reason]++
	r.Failures = append(r.Failures, id+": "+reason)
}

func evalNESTFUL(ctx context.Context, dir string, sets []string) (*nestfulReport, error) {
	rep := &nestfulReport{}
	for _, set := range sets {
		files, ok := nestfulFiles[set]
		if !ok {
			return nil, usageErr("eval nestful: unknown set %q (want executable or glaive)", set)
		}
		sr, err := evalNESTFULSet(ctx, set, filepath.Join(dir, files[0]), filepath.Join(dir, files[1]))
		if err != nil {
			return nil, err
		}
		rep.Sets = append(rep.Sets, *sr)
	}
	return rep, nil
}

// loadNESTFULSpecs imports a spec file with the registry's importer; when it
// rejects the file, each API is imported alone and the rejected ones are
// left out and named.
func loadNESTFULSpecs(path string) ([]registry.API, []string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, usageErr("eval nestful: %v", err)
	}
	apis, err := registry.ParseAPIs(data, filepath.Base(path))
	if err == nil {
		return dedupeAPIs(apis), nil, nil
	}
	var raw []json.RawMessage
	if jerr := json.Unmarshal(data, &raw); jerr != nil {
		return nil, nil, usageErr("eval nestful: %v", err)
	}
	var rejected []string
	for i, r := range raw {
		one, err := registry.ParseAPIs(append(append([]byte("["), r...), ']'), fmt.Sprintf("%s[%d]", filepath.Base(path), i))
		if err != nil {
			var head struct{ Name string }
			_ = json.Unmarshal(r, &head)
			rejected = append(rejected, head.Name)
			continue
		}
		apis = append(apis, one...)
	}
	return dedupeAPIs(apis), rejected, nil
}

func dedupeAPIs(apis []registry.API) []registry.API {
	seen := map[string]bool{}
	out := apis[:0:0]
	for _, a := range apis {
		if !seen[a.Name] {
			seen[a.Name] = true
			out = append(out, a)
		}
	}
	return out
}

func evalNESTFULSet(ctx context.Context, set, dataPath, specPath string) (*nestfulSetReport, error) {
	apis, rejected, err := loadNESTFULSpecs(specPath)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(dataPath)
	if err != nil {
		return nil, usageErr("eval nestful: %v", err)
	}
	var samples []nestfulSample
	if err := json.Unmarshal(data, &samples); err != nil {
		return nil, usageErr("eval nestful: %s: %v", dataPath, err)
	}
	base, err := planner.New(apis, planner.Options{})
	if err != nil {
		return nil, fmt.Errorf("eval nestful: %w", err)
	}
	sr := &nestfulSetReport{Set: set, Samples: len(samples), Categories: map[string]int{}, SpecsRejected: rejected}
	rows := map[string]*nestfulRow{}
	row := func(variant, group string) *nestfulRow {
		k := variant + "\x00" + group
		if rows[k] == nil {
			rows[k] = &nestfulRow{Variant: variant, Group: group}
		}
		return rows[k]
	}
	var times []float64
	timed := func(p *planner.Planner, req planner.Request) (*planner.Plan, error) {
		start := time.Now()
		plan, err := p.Plan(ctx, req)
		times = append(times, float64(time.Since(start).Microseconds())/1000)
		return plan, err
	}
	for i, s := range samples {
		id := fmt.Sprintf("%s#%d", set, i)
		g := parseGold(s)
		cat := g.category(base)
		sr.Categories[cat]++
		if cat != catMatch && cat != catDiffer && cat != catRepeated {
			continue
		}
		p := base
		if cat != catMatch {
			if p, err = planner.New(g.withAliases(apis), planner.Options{}); err != nil {
				return nil, fmt.Errorf("eval nestful: %w", err)
			}
		}
		plan, err := timed(p, g.request(nil))
		if err != nil {
			return nil, fmt.Errorf("eval nestful: %s: %w", id, err)
		}
		row("complete", cat).add(id, g.compare(p, plan, nil))
		if cat != catMatch {
			// The same request against the specs as published, without the
			// aliases the gold implies.
			raw, err := base.Plan(ctx, g.request(nil))
			if err != nil {
				return nil, fmt.Errorf("eval nestful: %s: %w", id, err)
			}
			row(variantRaw, cat).add(id, g.compare(base, raw, nil))
		}
		for _, drop := range g.requiredLiterals(p) {
			plan, err := timed(p, g.request(&drop))
			if err != nil {
				return nil, fmt.Errorf("eval nestful: %s: %w", id, err)
			}
			row("incomplete", cat).add(fmt.Sprintf("%s-%s.%s", id, g.calls[drop.call].Name, drop.arg), g.compare(p, plan, &drop))
			drop.keep = true
			if plan, err = timed(p, g.request(&drop)); err != nil {
				return nil, fmt.Errorf("eval nestful: %s: %w", id, err)
			}
			row(variantKept, cat).add(fmt.Sprintf("%s-%s.%s", id, g.calls[drop.call].Name, drop.arg), g.compare(p, plan, &drop))
		}
	}
	for _, variant := range []string{"complete", variantRaw, "incomplete", variantKept} {
		for _, group := range []string{catMatch, catDiffer, catRepeated} {
			if r := rows[variant+"\x00"+group]; r != nil {
				sr.Rows = append(sr.Rows, *r)
			}
		}
	}
	if len(times) > 0 {
		sort.Float64s(times)
		sr.PlanP50 = times[len(times)/2]
	}
	return sr, nil
}

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

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
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
		if len(plan.Problems) > 0 {
			kind = ": " + string(plan.Problems[0].Kind)
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

func (r *nestfulReport) write(w io.Writer, failures int) {
	for _, s := range r.Sets {
		fmt.Fprintf(w, "## %s: %d samples (plan p50 %.2f ms)\n\n", s.Set, s.Samples, s.PlanP50)
		cats := sortedKeysInt(s.Categories)
		for _, c := range cats {
			fmt.Fprintf(w, "- %s: %d\n", c, s.Categories[c])
		}
		if len(s.SpecsRejected) > 0 {
			fmt.Fprintf(w, "- specs the importer rejected (left out): %s\n", strings.Join(s.SpecsRejected, ", "))
		}
		fmt.Fprintf(w, "\n| variant | group | right | total | score |\n| --- | --- | ---: | ---: | ---: |\n")
		for _, row := range s.Rows {
			score := 0.0
			if row.Total > 0 {
				score = 100 * float64(row.Right) / float64(row.Total)
			}
			group := row.Group
			if (group == catDiffer || group == catRepeated) && row.Variant != variantRaw {
				group += " (gold aliases)"
			}
			fmt.Fprintf(w, "| %s | %s | %d | %d | %.1f%% |\n", row.Variant, group, row.Right, row.Total, score)
		}
		fmt.Fprintln(w)
		for _, row := range s.Rows {
			if len(row.Reasons) == 0 {
				continue
			}
			fmt.Fprintf(w, "%s / %s failures:", row.Variant, row.Group)
			for _, reason := range sortedKeysInt(row.Reasons) {
				fmt.Fprintf(w, " %s (%d);", reason, row.Reasons[reason])
			}
			fmt.Fprintln(w)
			for i, f := range row.Failures {
				if i >= failures {
					break
				}
				fmt.Fprintf(w, "  %s\n", f)
			}
		}
		fmt.Fprintln(w)
	}
}

func sortedKeysInt(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// debugNESTFUL prints the complete request of one sample and its plan.
func debugNESTFUL(ctx context.Context, w io.Writer, dir, id string) error {
	set, num, ok := strings.Cut(id, "#")
	files, known := nestfulFiles[set]
	var idx int
	if _, err := fmt.Sscan(num, &idx); !ok || !known || err != nil {
		return usageErr("eval nestful: --sample wants set#index, e.g. glaive#12")
	}
	apis, _, err := loadNESTFULSpecs(filepath.Join(dir, files[1]))
	if err != nil {
		return err
	}
	data, err := os.ReadFile(filepath.Join(dir, files[0]))
	if err != nil {
		return usageErr("eval nestful: %v", err)
	}
	var samples []nestfulSample
	if err := json.Unmarshal(data, &samples); err != nil || idx < 0 || idx >= len(samples) {
		return usageErr("eval nestful: no sample %s", id)
	}
	g := parseGold(samples[idx])
	base, err := planner.New(apis, planner.Options{})
	if err != nil {
		return err
	}
	cat := g.category(base)
	p := base
	if cat == catDiffer || cat == catRepeated {
		if p, err = planner.New(g.withAliases(apis), planner.Options{}); err != nil {
			return err
		}
	}
	req := g.request(nil)
	reqJSON, _ := json.Marshal(req)
	fmt.Fprintf(w, "category: %s\nrequest: %s\n", cat, reqJSON)
	plan, err := p.Plan(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprint(w, plan.Text())
	fmt.Fprintf(w, "verdict: %q\n", g.compare(p, plan, nil))
	for _, drop := range g.requiredLiterals(p) {
		plan, err := p.Plan(ctx, g.request(&drop))
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\nwithout %s.%s:\n%sverdict: %q\n", g.calls[drop.call].Name, drop.arg, plan.Text(), g.compare(p, plan, &drop))
	}
	return nil
}
