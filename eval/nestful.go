package eval

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/toolsmith-dev/toolsmith/planner"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// NestfulSets are the NESTFUL sets, in the order they are evaluated by
// default.
var NestfulSets = []string{"executable", "glaive"}

// nestfulFiles returns the data and spec file names of a set.
func nestfulFiles(set string) (data, spec string, ok bool) {
	switch set {
	case "executable":
		return "executable-data.json", "executable-spec.json", true
	case "glaive":
		return "non-executable-glaive-data.json", "non-executable-glaive-spec.json", true
	}
	return "", "", false
}

// NestfulOptions configure [Nestful].
type NestfulOptions struct {
	// Sets to run, among [NestfulSets] (default: all).
	Sets []string
	// ListFailures is how many failing samples per row the report lists
	// (the JSON document lists them all).
	ListFailures int
}

// NestfulReport is the outcome of [Nestful].
type NestfulReport struct {
	Sets []NestfulSet `json:"sets"`

	listFailures int
}

// NestfulSet is the outcome on one set.
type NestfulSet struct {
	Set     string `json:"set"`
	Samples int    `json:"samples"`
	// Categories counts the samples of each category.
	Categories map[string]int `json:"categories"`
	// SpecsRejected names APIs the importer rejected (left out).
	SpecsRejected []string     `json:"specs_rejected,omitempty"`
	Rows          []NestfulRow `json:"rows"`
	// PlanP50 is the median time of one plan, in milliseconds.
	PlanP50 float64 `json:"plan_p50_ms"`
}

// NestfulRow scores one variant over one group of samples.
type NestfulRow struct {
	Variant string `json:"variant"`
	Group   string `json:"group"`
	Total   int    `json:"total"`
	Right   int    `json:"right"`
	// Reasons counts the failures by their first difference from the gold.
	Reasons map[string]int `json:"failure_reasons,omitempty"`
	// Failures lists each failing sample ("set#index[-Api.input]: reason").
	Failures []string `json:"failures,omitempty"`
}

func (r *NestfulRow) add(id string, reason string) {
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

// Variants of a sample, besides "complete" and "incomplete".
const (
	// variantRaw is the complete variant planned without the gold's aliases.
	variantRaw = "complete, no aliases"
	// variantKept is the incomplete variant that keeps the dropped key with
	// a null value.
	variantKept = "incomplete, key kept (null)"
)

// Nestful evaluates the API planner on NESTFUL (dir holds
// executable-data.json, executable-spec.json,
// non-executable-glaive-data.json and non-executable-glaive-spec.json).
//
// Each gold sample becomes a request: the goals are the calls whose outputs
// the result names, the known values are the gold's literal arguments
// (keyed Api.input). A plan is right when it makes exactly the gold calls
// with the gold bindings. Incomplete variants drop one required literal:
// the plan must ask for exactly that value with one get_info step and
// otherwise stay the same; a second incomplete variant keeps the key with a
// null value. Samples are grouped by what they need: "names match" is the
// planner's own task; "names differ" and "API called twice" are also run
// with the aliases the gold implies; the other categories are counted.
func Nestful(ctx context.Context, dir string, opts NestfulOptions) (*NestfulReport, error) {
	if err := checkDataDir("nestful", "NESTFUL", "nestful", dir); err != nil {
		return nil, err
	}
	sets := opts.Sets
	if len(sets) == 0 {
		sets = NestfulSets
	}
	rep := &NestfulReport{listFailures: opts.ListFailures}
	for _, name := range sets {
		set, err := loadNestfulSet(dir, name)
		if err != nil {
			return nil, err
		}
		sr, err := set.eval(ctx)
		if err != nil {
			return nil, err
		}
		rep.Sets = append(rep.Sets, *sr)
	}
	return rep, nil
}

// nestfulSet is a loaded set: its APIs, the planner over them and the
// samples.
type nestfulSet struct {
	name     string
	apis     []registry.API
	rejected []string
	samples  []nestfulSample
	base     *planner.Planner
}

func loadNestfulSet(dir, name string) (*nestfulSet, error) {
	dataFile, specFile, ok := nestfulFiles(name)
	if !ok {
		return nil, inputErr("nestful: unknown set %q (want %s)", name, strings.Join(NestfulSets, " or "))
	}
	apis, rejected, err := loadNestfulSpecs(filepath.Join(dir, specFile))
	if err != nil {
		return nil, err
	}
	dataPath := filepath.Join(dir, dataFile)
	data, err := os.ReadFile(dataPath)
	if err != nil {
		return nil, inputErr("nestful: %w", err)
	}
	var samples []nestfulSample
	if err := json.Unmarshal(data, &samples); err != nil {
		return nil, inputErr("nestful: %s: %w", dataPath, err)
	}
	base, err := planner.New(apis, planner.Options{})
	if err != nil {
		return nil, fmt.Errorf("nestful: %w", err)
	}
	return &nestfulSet{name: name, apis: apis, rejected: rejected, samples: samples, base: base}, nil
}

// loadNestfulSpecs imports a spec file with the registry's importer; when it
// rejects the file, each API is imported alone and the rejected ones are
// left out and named.
func loadNestfulSpecs(path string) ([]registry.API, []string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, inputErr("nestful: %w", err)
	}
	apis, err := registry.ParseAPIs(filepath.Base(path), data)
	if err == nil {
		return dedupeAPIs(apis), nil, nil
	}
	var raw []json.RawMessage
	if jerr := json.Unmarshal(data, &raw); jerr != nil {
		return nil, nil, inputErr("nestful: %w", err)
	}
	var rejected []string
	for i, r := range raw {
		one, err := registry.ParseAPIs(fmt.Sprintf("%s[%d]", filepath.Base(path), i), append(append([]byte("["), r...), ']'))
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

// dedupeAPIs keeps the first API of each name.
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

// sample parses sample i and returns it with its category and the planner
// it is planned with: the set's own, or one over the APIs with the aliases
// the gold implies ("names differ", "API called twice"). p is nil for the
// categories that are counted, not planned.
func (s *nestfulSet) sample(i int) (g *gold, cat string, p *planner.Planner, err error) {
	g = parseGold(s.samples[i])
	cat = g.category(s.base)
	switch cat {
	case catMatch:
		p = s.base
	case catDiffer, catRepeated:
		if p, err = planner.New(g.withAliases(s.apis), planner.Options{}); err != nil {
			return nil, "", nil, fmt.Errorf("nestful: %w", err)
		}
	}
	return g, cat, p, nil
}

func (s *nestfulSet) eval(ctx context.Context) (*NestfulSet, error) {
	sr := &NestfulSet{Set: s.name, Samples: len(s.samples), Categories: map[string]int{}, SpecsRejected: s.rejected}
	rows := map[string]*NestfulRow{}
	row := func(variant, group string) *NestfulRow {
		k := variant + "\x00" + group
		if rows[k] == nil {
			rows[k] = &NestfulRow{Variant: variant, Group: group}
		}
		return rows[k]
	}
	var times []float64
	plan := func(id string, p *planner.Planner, req planner.Request) (*planner.Plan, error) {
		start := time.Now()
		pl, err := p.Plan(ctx, req)
		times = append(times, float64(time.Since(start).Microseconds())/1000)
		if err != nil {
			return nil, fmt.Errorf("nestful: %s: %w", id, err)
		}
		return pl, nil
	}
	for i := range s.samples {
		id := fmt.Sprintf("%s#%d", s.name, i)
		g, cat, p, err := s.sample(i)
		if err != nil {
			return nil, err
		}
		sr.Categories[cat]++
		if p == nil {
			continue
		}
		pl, err := plan(id, p, g.request(nil))
		if err != nil {
			return nil, err
		}
		row("complete", cat).add(id, g.compare(p, pl, nil))
		if cat != catMatch {
			// The same request against the specs as published, without the
			// aliases the gold implies (not timed).
			raw, err := s.base.Plan(ctx, g.request(nil))
			if err != nil {
				return nil, fmt.Errorf("nestful: %s: %w", id, err)
			}
			row(variantRaw, cat).add(id, g.compare(s.base, raw, nil))
		}
		for _, drop := range g.requiredLiterals(p) {
			vid := fmt.Sprintf("%s-%s.%s", id, g.calls[drop.call].Name, drop.arg)
			if pl, err = plan(id, p, g.request(&drop)); err != nil {
				return nil, err
			}
			row("incomplete", cat).add(vid, g.compare(p, pl, &drop))
			drop.keep = true
			if pl, err = plan(id, p, g.request(&drop)); err != nil {
				return nil, err
			}
			row(variantKept, cat).add(vid, g.compare(p, pl, &drop))
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

// Report lays out each set: its categories, the score table and the
// failures by reason, with the first ListFailures failing samples.
func (r *NestfulReport) Report() Report {
	var rep Report
	for _, s := range r.Sets {
		sec := Section{Title: fmt.Sprintf("%s: %d samples (plan p50 %.2f ms)", s.Set, s.Samples, s.PlanP50)}
		for _, c := range sortedKeys(s.Categories) {
			sec.Facts = append(sec.Facts, fmt.Sprintf("%s: %d", c, s.Categories[c]))
		}
		if len(s.SpecsRejected) > 0 {
			sec.Facts = append(sec.Facts, "specs the importer rejected (left out): "+strings.Join(s.SpecsRejected, ", "))
		}
		sec.Table.Columns = []Column{{Name: "variant"}, {Name: "group"}, {Name: "right", Right: true}, {Name: "total", Right: true}, {Name: "score", Right: true}}
		for _, row := range s.Rows {
			score := 0.0
			if row.Total > 0 {
				score = 100 * float64(row.Right) / float64(row.Total)
			}
			group := row.Group
			if (group == catDiffer || group == catRepeated) && row.Variant != variantRaw {
				group += " (gold aliases)"
			}
			sec.Table.Rows = append(sec.Table.Rows, []string{row.Variant, group, fmt.Sprint(row.Right), fmt.Sprint(row.Total), fmt.Sprintf("%.1f%%", score)})
		}
		for _, row := range s.Rows {
			if len(row.Reasons) == 0 {
				continue
			}
			var b strings.Builder
			fmt.Fprintf(&b, "%s / %s failures:", row.Variant, row.Group)
			for _, reason := range sortedKeys(row.Reasons) {
				fmt.Fprintf(&b, " %s (%d);", reason, row.Reasons[reason])
			}
			sec.Notes = append(sec.Notes, b.String())
			for _, f := range row.Failures[:min(len(row.Failures), r.listFailures)] {
				sec.Notes = append(sec.Notes, "  "+f)
			}
		}
		rep.Sections = append(rep.Sections, sec)
	}
	return rep
}

// NestfulTrace is one sample planned in every variant, as [Nestful] plans
// it: for looking into a failure.
type NestfulTrace struct {
	Sample   string          `json:"sample"`
	Category string          `json:"category"`
	Request  planner.Request `json:"request"`
	// Plan and Verdict are unset for a category that is not planned.
	Plan    *planner.Plan `json:"plan,omitempty"`
	Verdict string        `json:"verdict"`
	// Incomplete are the variants without one required literal each.
	Incomplete []NestfulVariant `json:"incomplete,omitempty"`
}

// NestfulVariant is a sample planned without one required literal.
type NestfulVariant struct {
	Without string        `json:"without"`
	Plan    *planner.Plan `json:"plan"`
	Verdict string        `json:"verdict"`
}

// TraceNestful plans one sample of NESTFUL (id "set#index", such as
// "glaive#12") complete and in each incomplete variant, and judges each
// plan as [Nestful] does.
func TraceNestful(ctx context.Context, dir, id string) (*NestfulTrace, error) {
	name, num, _ := strings.Cut(id, "#")
	var idx int
	if _, _, ok := nestfulFiles(name); !ok {
		return nil, inputErr("nestful: the sample must be set#index, such as glaive#12, not %q", id)
	}
	if _, err := fmt.Sscan(num, &idx); err != nil {
		return nil, inputErr("nestful: the sample must be set#index, such as glaive#12, not %q", id)
	}
	if err := checkDataDir("nestful", "NESTFUL", "nestful", dir); err != nil {
		return nil, err
	}
	set, err := loadNestfulSet(dir, name)
	if err != nil {
		return nil, err
	}
	if idx < 0 || idx >= len(set.samples) {
		return nil, inputErr("nestful: no sample %s (the set has %d, from 0)", id, len(set.samples))
	}
	g, cat, p, err := set.sample(idx)
	if err != nil {
		return nil, err
	}
	tr := &NestfulTrace{Sample: id, Category: cat, Request: g.request(nil)}
	if p == nil {
		tr.Verdict = "not planned: " + cat
		return tr, nil
	}
	if tr.Plan, err = p.Plan(ctx, tr.Request); err != nil {
		return nil, fmt.Errorf("nestful: %s: %w", id, err)
	}
	tr.Verdict = g.compare(p, tr.Plan, nil)
	for _, drop := range g.requiredLiterals(p) {
		pl, err := p.Plan(ctx, g.request(&drop))
		if err != nil {
			return nil, fmt.Errorf("nestful: %s: %w", id, err)
		}
		tr.Incomplete = append(tr.Incomplete, NestfulVariant{
			Without: g.calls[drop.call].Name + "." + drop.arg, Plan: pl, Verdict: g.compare(p, pl, &drop)})
	}
	return tr, nil
}

// Report lays out the request, then each plan with its verdict ("" when
// the plan is right).
func (tr *NestfulTrace) Report() Report {
	req, _ := json.Marshal(tr.Request)
	sec := Section{Title: tr.Sample, Facts: []string{"category: " + tr.Category, "request: " + string(req)}}
	planLines := func(pl *planner.Plan, verdict string) []string {
		var lines []string
		if pl != nil {
			lines = strings.Split(strings.TrimSuffix(pl.Text(), "\n"), "\n")
		}
		return append(lines, fmt.Sprintf("verdict: %q", verdict))
	}
	sec.Notes = planLines(tr.Plan, tr.Verdict)
	rep := Report{Sections: []Section{sec}}
	for _, v := range tr.Incomplete {
		rep.Sections = append(rep.Sections, Section{Title: "without " + v.Without, Notes: planLines(v.Plan, v.Verdict)})
	}
	return rep
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
