package eval

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tmc/langchaingo/llms"
	"github.com/toolsmith-dev/toolsmith/eval/llmp"
	"github.com/toolsmith-dev/toolsmith/planner/pddl"
	"github.com/toolsmith-dev/toolsmith/planner/search"
)

// Defaults of [LLMPOptions].
const (
	// DefaultLLMPTimeout bounds the search for each problem the model wrote.
	DefaultLLMPTimeout = 10 * time.Second
	// DefaultOptimumTimeout bounds the A* search for the optimum of each
	// ground-truth problem.
	DefaultOptimumTimeout = 2 * time.Second
)

// LLMPOptions configure [LLMP].
type LLMPOptions struct {
	// Model writes the problems (the translator role).
	Model llms.Model
	// Repairs bounds how often a problem with errors goes back to the
	// model (see llmp.Translator).
	Repairs int
	// Search solves the problems the model wrote; a zero Timeout means
	// DefaultLLMPTimeout.
	Search search.Options
	// OptimumTimeout bounds the A* search that proves the optimal cost of
	// each ground-truth problem: 0 means DefaultOptimumTimeout, a negative
	// value skips it.
	OptimumTimeout time.Duration
	// Domains to run (default: every directory of the data with a
	// domain.pddl).
	Domains []string
	// Limit bounds the problems of each domain (0: all).
	Limit int
	// Jobs is how many problems are worked on at once (default 1).
	Jobs int
	// Scripted names the scripted-model file the model answers from, if
	// any; the report then says what its figures measure.
	Scripted string
	// Progress, when set, is called after each problem (done of total).
	Progress func(domain, problem string, done, total int)
}

// LLMPReport is the outcome of [LLMP].
type LLMPReport struct {
	Domains []LLMPDomain `json:"domains"`
	Total   LLMPDomain   `json:"total"`
	// Search names the search that solved the model's problems, and the
	// limits.
	Search          string  `json:"search"`
	TimeoutSeconds  float64 `json:"timeout_s"`
	OptimumTimeoutS float64 `json:"optimum_timeout_s"`
	DurationSeconds float64 `json:"duration_s"`
	Scripted        string  `json:"scripted,omitempty"`
}

// LLMPDomain is the outcome on one domain.
type LLMPDomain struct {
	Domain string `json:"domain"`
	// N counts the problems; Parsed those whose problem PDDL (after
	// repairs) parsed and checked; Solved those the planner solved; Valid
	// those whose plan is valid for the ground-truth problem.
	N      int `json:"n"`
	Parsed int `json:"parsed"`
	Solved int `json:"solved"`
	Valid  int `json:"valid"`
	// Repairs counts the replies after the first, over the problems.
	Repairs int `json:"repairs"`
	// OptimumKnown counts the valid plans whose ground-truth optimum was
	// proven; Optimal those of them that cost the optimum, and CostRatio
	// is their mean cost over the optimum (over those with a positive
	// optimum, or both costs 0).
	OptimumKnown int     `json:"optimum_known"`
	Optimal      int     `json:"optimal"`
	CostRatio    float64 `json:"cost_ratio,omitempty"`
	// Example names the solved example shown to the model, or says why
	// there was none.
	Example  string        `json:"example,omitempty"`
	Error    string        `json:"error,omitempty"`
	Problems []LLMPProblem `json:"problems,omitempty"`

	ratioSum float64
	ratioN   int
}

// LLMPProblem is the outcome on one problem.
type LLMPProblem struct {
	Problem string `json:"problem"`
	Parsed  bool   `json:"parsed"`
	Replies int    `json:"replies"`
	// Rejected lists the replies that did not parse or check, with why.
	Rejected []llmp.Rejection `json:"rejected,omitempty"`
	// Status is "solved", "unsolvable" or "limit" for a parsed problem,
	// "invalid" when no reply parsed and "error" when the model failed.
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
	Steps  int    `json:"steps,omitempty"`
	Valid  bool   `json:"valid"`
	// Invalid says why the plan is not valid for the ground truth.
	Invalid string `json:"invalid,omitempty"`
	// Cost is the plan's cost on the ground truth (valid plans); Optimum
	// the ground truth's proven optimal cost, when known.
	Cost    int64  `json:"cost,omitempty"`
	Optimum *int64 `json:"optimum,omitempty"`
	Error   string `json:"error,omitempty"`
}

// problemFile matches the problem files of a domain: pNN.nl.
var problemFile = regexp.MustCompile(`^p\d+\.nl$`)

// llmpDomain is a domain's data: the domain, the example and the problems.
type llmpDomain struct {
	name       string
	domain     *pddl.Domain
	domainPDDL string
	example    *llmp.Example
	note       string   // why there is no example
	problems   []string // stems: p01, p02, ...
	err        error    // the domain could not be read
}

// loadLLMPDomain reads domain.pddl, the example and the problems' names.
// A domain whose example does not parse and check is translated without
// one, and note says why.
func loadLLMPDomain(dir, name string) *llmpDomain {
	ld := &llmpDomain{name: name}
	path := filepath.Join(dir, name)
	src, err := os.ReadFile(filepath.Join(path, "domain.pddl"))
	if err != nil {
		ld.err = err
		return ld
	}
	ld.domainPDDL = string(src)
	// The domain is checked with each problem: some published domains use
	// objects only their problems declare.
	if ld.domain, err = pddl.ParseDomain(filepath.Join(path, "domain.pddl"), src); err != nil {
		ld.err = err
		return ld
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		ld.err = err
		return ld
	}
	for _, e := range entries {
		if problemFile.MatchString(e.Name()) {
			ld.problems = append(ld.problems, strings.TrimSuffix(e.Name(), ".nl"))
		}
	}
	slices.Sort(ld.problems)
	text, terr := os.ReadFile(filepath.Join(path, "p_example.nl"))
	exPDDL, perr := os.ReadFile(filepath.Join(path, "p_example.pddl"))
	switch {
	case terr != nil || perr != nil:
		ld.note = "none: no p_example.nl and p_example.pddl"
	default:
		if _, _, errs := llmp.CheckProblem(ld.domain, filepath.Join(path, "p_example.pddl"), string(exPDDL)); errs != nil {
			ld.note = fmt.Sprintf("none: p_example.pddl does not check (%s), so the problems are translated without an example", strings.Join(errs, "; "))
		} else {
			ld.example = &llmp.Example{Text: string(text), PDDL: string(exPDDL)}
		}
	}
	return ld
}

// LLMP evaluates LLM+P on dir, which holds one directory per domain with
// domain.pddl, the solved example p_example.nl and p_example.pddl, and the
// problems pNN.nl with their ground truth pNN.pddl (../shared/data/llmp).
//
// For each problem the model writes the problem PDDL from pNN.nl with the
// domain and the example in context, repairing parse and check errors
// (llmp.Translator); the planner solves it (Search); the plan is then
// validated against the ground-truth pNN.pddl, not the model's problem, and
// its cost compared with the ground truth's optimum where A* proves it
// within OptimumTimeout. A failed model call counts the problem as not
// parsed; the evaluation goes on. Only cancelling ctx stops it.
func LLMP(ctx context.Context, dir string, opts LLMPOptions) (*LLMPReport, error) {
	if err := checkDataDir("llmp", "LLM+P", "llmp", dir); err != nil {
		return nil, err
	}
	if opts.Model == nil {
		return nil, errors.New("llmp: no translator model")
	}
	if opts.Search.Timeout == 0 {
		opts.Search.Timeout = DefaultLLMPTimeout
	}
	if opts.OptimumTimeout == 0 {
		opts.OptimumTimeout = DefaultOptimumTimeout
	}
	names := opts.Domains
	if len(names) == 0 {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, inputErr("llmp: %w", err)
		}
		for _, e := range entries {
			if _, err := os.Stat(filepath.Join(dir, e.Name(), "domain.pddl")); e.IsDir() && err == nil {
				names = append(names, e.Name())
			}
		}
		if len(names) == 0 {
			return nil, inputErr("llmp: no domain directories (with a domain.pddl) in %s", dir)
		}
	}
	algo := opts.Search.Search
	if algo == "" {
		algo = "lama"
	}
	rep := &LLMPReport{Search: algo, TimeoutSeconds: opts.Search.Timeout.Seconds(), Scripted: opts.Scripted}
	if opts.OptimumTimeout > 0 {
		rep.OptimumTimeoutS = opts.OptimumTimeout.Seconds()
	}
	type job struct{ d, p int }
	var jobs []job
	domains := make([]*llmpDomain, len(names))
	for i, name := range names {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return nil, inputErr("llmp: no domain %q in %s", name, dir)
		}
		domains[i] = loadLLMPDomain(dir, name)
		if opts.Limit > 0 && len(domains[i].problems) > opts.Limit {
			domains[i].problems = domains[i].problems[:opts.Limit]
		}
		rep.Domains = append(rep.Domains, LLMPDomain{Domain: name, Example: "p_example", Problems: make([]LLMPProblem, len(domains[i].problems))})
		if d := domains[i]; d.err != nil {
			rep.Domains[i].Error = d.err.Error()
			rep.Domains[i].Example = ""
			rep.Domains[i].Problems = nil
			continue
		} else if d.example == nil {
			rep.Domains[i].Example = d.note
		}
		for p := range domains[i].problems {
			jobs = append(jobs, job{i, p})
		}
	}
	start := time.Now()
	tr := &llmp.Translator{Model: opts.Model, Repairs: opts.Repairs}
	work := make(chan job)
	var (
		mu   sync.Mutex
		done int
		wg   sync.WaitGroup
	)
	for range max(1, opts.Jobs) {
		wg.Go(func() {
			for j := range work {
				d := domains[j.d]
				pr := evalLLMPProblem(ctx, tr, dir, d, d.problems[j.p], opts)
				mu.Lock()
				rep.Domains[j.d].Problems[j.p] = pr
				done++
				n := done
				mu.Unlock()
				if opts.Progress != nil {
					opts.Progress(d.name, pr.Problem, n, len(jobs))
				}
			}
		})
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		work <- j
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rep.DurationSeconds = time.Since(start).Seconds()
	rep.finish()
	return rep, nil
}

// evalLLMPProblem translates, solves and validates one problem.
func evalLLMPProblem(ctx context.Context, tr *llmp.Translator, dir string, d *llmpDomain, name string, opts LLMPOptions) LLMPProblem {
	pr := LLMPProblem{Problem: name}
	path := filepath.Join(dir, d.name, name)
	text, err := os.ReadFile(path + ".nl")
	if err != nil {
		pr.Status, pr.Error = "error", err.Error()
		return pr
	}
	res, err := tr.Translate(ctx, llmp.Request{Domain: d.domain, DomainPDDL: d.domainPDDL, Example: d.example, Text: string(text)})
	if res != nil {
		pr.Replies, pr.Rejected = res.Replies, res.Rejected
	}
	var inv *llmp.InvalidError
	switch {
	case errors.As(err, &inv):
		pr.Status = "invalid"
		return pr
	case err != nil:
		pr.Status, pr.Error = "error", err.Error()
		return pr
	}
	pr.Parsed = true
	plan, err := llmp.Solve(ctx, res.Task, opts.Search)
	if err != nil {
		pr.Status, pr.Error = "error", err.Error()
		return pr
	}
	pr.Status, pr.Reason = plan.Status.String(), plan.Reason
	if plan.Status != search.Solved {
		return pr
	}
	pr.Steps = len(plan.Steps)
	truthSrc, err := os.ReadFile(path + ".pddl")
	if err != nil {
		pr.Invalid = "no ground truth: " + err.Error()
		return pr
	}
	_, truth, errs := llmp.CheckProblem(d.domain, path+".pddl", string(truthSrc))
	if errs != nil {
		pr.Invalid = "the ground truth does not check: " + strings.Join(errs, "; ")
		return pr
	}
	cost, err := pddl.Validate(truth, plan.Steps)
	if err != nil {
		pr.Invalid = err.Error()
		return pr
	}
	pr.Valid, pr.Cost = true, cost
	if opts.OptimumTimeout > 0 {
		opt, err := llmp.Solve(ctx, truth, search.Options{Search: "astar", Timeout: opts.OptimumTimeout})
		if err == nil && opt.Status == search.Solved {
			pr.Optimum = &opt.Cost
		}
	}
	return pr
}

// finish sums the problems into their domains and the domains into the
// total.
func (rep *LLMPReport) finish() {
	tot := &rep.Total
	tot.Domain = "total"
	for i := range rep.Domains {
		d := &rep.Domains[i]
		for _, p := range d.Problems {
			d.N++
			d.Repairs += max(0, p.Replies-1)
			if p.Parsed {
				d.Parsed++
			}
			if p.Status == search.Solved.String() {
				d.Solved++
			}
			if !p.Valid {
				continue
			}
			d.Valid++
			if p.Optimum != nil {
				d.OptimumKnown++
				if p.Cost == *p.Optimum {
					d.Optimal++
				}
				switch {
				case *p.Optimum > 0:
					d.ratioSum += float64(p.Cost) / float64(*p.Optimum)
					d.ratioN++
				case p.Cost == 0: // the goal held already
					d.ratioSum++
					d.ratioN++
				}
			}
		}
		if d.ratioN > 0 {
			d.CostRatio = d.ratioSum / float64(d.ratioN)
		}
		tot.N += d.N
		tot.Parsed += d.Parsed
		tot.Solved += d.Solved
		tot.Valid += d.Valid
		tot.Repairs += d.Repairs
		tot.OptimumKnown += d.OptimumKnown
		tot.Optimal += d.Optimal
		tot.ratioSum += d.ratioSum
		tot.ratioN += d.ratioN
	}
	if tot.ratioN > 0 {
		tot.CostRatio = tot.ratioSum / float64(tot.ratioN)
	}
}

// Report lays out the table per domain — problems, parsed, solved, valid
// against the ground truth, repairs, and the cost against the optimum —
// then per domain the missing example and the first failures.
func (rep *LLMPReport) Report() Report {
	share := func(k, n int) string {
		if n == 0 {
			return "0"
		}
		return fmt.Sprintf("%d (%s)", k, percent(float64(k)/float64(n)))
	}
	t := Table{Columns: []Column{{Name: "domain"}, {Name: "n", Right: true}, {Name: "parsed", Right: true},
		{Name: "solved", Right: true}, {Name: "valid", Right: true}, {Name: "repairs", Right: true},
		{Name: "optimum known", Right: true}, {Name: "optimal", Right: true}, {Name: "cost / optimum", Right: true}}}
	row := func(d LLMPDomain) {
		ratio := "-"
		if d.ratioN > 0 {
			ratio = fmt.Sprintf("%.3f", d.CostRatio)
		}
		t.Rows = append(t.Rows, []string{d.Domain, fmt.Sprint(d.N), share(d.Parsed, d.N), share(d.Solved, d.N),
			share(d.Valid, d.N), fmt.Sprint(d.Repairs), fmt.Sprint(d.OptimumKnown), fmt.Sprint(d.Optimal), ratio})
	}
	for _, d := range rep.Domains {
		row(d)
	}
	row(rep.Total)
	opt := "not computed"
	if rep.OptimumTimeoutS > 0 {
		opt = fmt.Sprintf("A* (admissible heuristic) on the ground truth, %gs limit", rep.OptimumTimeoutS)
	}
	sec := Section{Title: fmt.Sprintf("LLM+P: %d problems in %d domains", rep.Total.N, len(rep.Domains)),
		Facts: []string{
			fmt.Sprintf("planner: %s, %gs limit per problem; plans validated against the ground-truth problem", rep.Search, rep.TimeoutSeconds),
			"optimum: " + opt,
		},
		Table: t,
		Notes: []string{fmt.Sprintf("%.1fs in all", rep.DurationSeconds)},
	}
	if rep.Scripted != "" {
		sec.Notes = append(sec.Notes, fmt.Sprintf("scripted replies (%s): no model was called; replies made from the ground truth measure the pipeline (extraction, checking, repair, planning, validation), not a model", rep.Scripted))
	}
	out := Report{Sections: []Section{sec}}
	for _, d := range rep.Domains {
		var notes []string
		if d.Error != "" {
			notes = append(notes, fmt.Sprintf("%s: not run: %s", d.Domain, d.Error))
		}
		if d.Example != "p_example" && d.Error == "" {
			notes = append(notes, fmt.Sprintf("%s: example: %s", d.Domain, d.Example))
		}
		listed := 0
		for _, p := range d.Problems {
			if p.Valid {
				continue
			}
			if listed == 5 {
				notes = append(notes, "  ...")
				break
			}
			listed++
			notes = append(notes, fmt.Sprintf("  %s %s: %s", d.Domain, p.Problem, p.failure()))
		}
		if len(notes) > 0 {
			out.Sections = append(out.Sections, Section{Notes: notes})
		}
	}
	return out
}

// failure says in a line why the problem has no valid plan.
func (p LLMPProblem) failure() string {
	switch {
	case p.Error != "":
		return "error: " + p.Error
	case p.Status == "invalid":
		last := p.Rejected[len(p.Rejected)-1]
		return fmt.Sprintf("no valid problem PDDL in %d replies; the last: %s", p.Replies, strings.Join(last.Errors, "; "))
	case p.Status != search.Solved.String():
		if p.Reason != "" {
			return fmt.Sprintf("not solved (%s: %s)", p.Status, p.Reason)
		}
		return "not solved (" + p.Status + ")"
	}
	return "plan invalid for the ground truth: " + p.Invalid
}
