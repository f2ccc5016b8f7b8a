package search

import (
	"context"
	"fmt"
	"time"
)

// Options selects the search components by name and sets the limits.
type Options struct {
	// Search is the algorithm: an alias or a composition of components.
	// The aliases are "lama" (the default: LAMA's first iteration, lazy
	// greedy best-first search alternating FF and landmark-sum open lists,
	// each with a list of preferred successors and boosting, on unit
	// costs, as Fast Downward's lama-first), "lazy" (lazy greedy search
	// with the one heuristic of Heuristic), "gbfs" (eager greedy
	// best-first), "wastar" (weighted A*, f = g + Weight*h) and "astar"
	// (A*, optimal with an admissible heuristic). A composition is written
	// as in Fast Downward, for instance
	// "lazy_wastar([ff, lmcount], w=3, preferred=[ff])" (see the package
	// documentation).
	Search string
	// Heuristic is "ff", "add", "max", "lmcut", "lmcount" (the landmark
	// sum, path-dependent and inadmissible), "goalcount" or "blind", for
	// the aliases lazy, gbfs, wastar and astar. The default is "ff", and
	// for astar "lmcut", or "max" when the task has conditional effects.
	// h_max, LM-cut and blind are admissible (LM-cut only without
	// conditional effects), so astar with them returns optimal plans.
	Heuristic string
	// Weight is the weight of wastar (default 5).
	Weight int
	// NoPreferred turns off preferred operators.
	NoPreferred bool
	// KeepPlan returns the plan as the search found it. Otherwise plans of
	// every search but astar are shortened by greedy action elimination
	// (dropping steps, and the later steps that depend on them, while the
	// goal is still reached at no higher cost).
	KeepPlan bool
	// Anytime keeps searching after the first plan, as LAMA does: weighted
	// A* with weights 5, 3, 2 and 1 (then 1 again), each search pruned by
	// the cost of the best plan found so far, until the limits end it or
	// the last search proves that no cheaper plan exists (Status Solved,
	// Result.Optimal set). OnPlan is called with every better plan.
	Anytime bool
	OnPlan  func(*Result)
	// Bound prunes every path whose cost reaches it (0: no bound).
	Bound int64
	// Timeout, MaxExpansions and MaxMemory (an estimate of the search's
	// memory in bytes) end the search with Status Limit; zero means no limit
	// (MaxMemory defaults to 4 GiB).
	Timeout       time.Duration
	MaxExpansions int64
	MaxMemory     int64
}

// Status is the outcome of a search.
type Status int

// The outcomes of Plan.
const (
	// Solved: Result.Plan reaches the goal.
	Solved Status = iota
	// Unsolvable: the search proved that no plan exists (within Bound, when
	// one is given).
	Unsolvable
	// Limit: a limit of Options, or the context, ended the search first.
	Limit
)

func (s Status) String() string {
	switch s {
	case Solved:
		return "solved"
	case Unsolvable:
		return "unsolvable"
	case Limit:
		return "limit"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Step is one action of a plan.
type Step struct {
	Action string
	Args   []string
	// Op is the index of the operator in Task.Operators.
	Op int
}

// String returns the step as in an IPC plan file: "(action arg1 arg2)".
func (s Step) String() string {
	out := "(" + s.Action
	for _, a := range s.Args {
		out += " " + a
	}
	return out + ")"
}

// Stats counts the search's work.
type Stats struct {
	Expanded, Evaluated, Generated int64
	// States is the number of distinct states stored.
	States int64
	// MemoryBytes estimates the search's peak memory; BytesPerState is what
	// each stored state costs (its packed form, its entry in the hash
	// table, its parent, operator and g, and what path-dependent
	// heuristics keep for it).
	MemoryBytes   int64
	BytesPerState int64
	Time          time.Duration
	// Config is the search that ran, as a composition of components.
	Config string
}

// Result is the outcome of Plan.
type Result struct {
	Status Status
	// Plan and Cost are set when Status is Solved; Cost sums operator costs
	// (each 1 when the task has no action costs).
	Plan []Step
	Cost int64
	// Optimal is set when the search proved that no cheaper plan exists
	// (A* with an admissible heuristic, or an anytime search that ran to
	// its end).
	Optimal bool
	// Reason says which limit ended the search when Status is Limit.
	Reason string
	Stats  Stats
	// ops is the operator sequence of Plan.
	ops []int32
}

// Plan searches t for a plan. It returns an error only for invalid Options
// (an *OptionError); limits and cancellation of ctx end the search with
// Status Limit. With Options.Anytime it keeps improving the plan (see
// Options).
func Plan(ctx context.Context, t *Task, opts Options) (*Result, error) {
	start := time.Now()
	cfg, err := resolveConfig(t, opts)
	if err != nil {
		return nil, err
	}
	lim := newLimits(ctx, opts, start)
	if t.Unsolvable {
		return &Result{Status: Unsolvable, Stats: Stats{Config: cfg.String()}}, nil
	}
	an := analyze(t)
	if opts.Anytime {
		return anytime(t, an, cfg, opts, lim)
	}
	res, err := run(t, an, cfg, opts.Bound, lim)
	if err != nil {
		return nil, err
	}
	if res.Status == Solved && !opts.KeepPlan && cfg.weight != 1 {
		improve(t, res)
	}
	res.Stats.Time = time.Since(start)
	return res, nil
}

// analysis is what the searches of one Plan call share: the mutex groups
// of the task and the layout of its packed states.
type analysis struct {
	mutex  *mutexInfo
	layout *layout
}

func analyze(t *Task) *analysis {
	m := mutexGroups(t)
	return &analysis{mutex: m, layout: newLayout(t, chooseGroups(t.Primary, m.groups))}
}

// run builds the engine of cfg and runs its search.
func run(t *Task, an *analysis, cfg searchConfig, bound int64, lim *limits) (*Result, error) {
	e, err := newEngine(t, an, cfg, bound, lim)
	if err != nil {
		return nil, err
	}
	var res *Result
	if cfg.lazy {
		res = e.lazySearch()
	} else {
		res = e.eagerSearch()
	}
	res.Stats = e.finish()
	return res, nil
}

// improve applies action elimination to a solved result.
func improve(t *Task, res *Result) {
	better := eliminateActions(t, res.ops)
	if len(better) < len(res.ops) {
		fillPlan(t, res, better)
	}
}

// fillPlan sets res.Plan and res.Cost from the operator sequence ops.
func fillPlan(t *Task, res *Result, ops []int32) {
	res.ops = ops
	res.Plan, res.Cost = nil, 0
	for _, o := range ops {
		op := &t.Operators[o]
		res.Plan = append(res.Plan, Step{Action: op.Name, Args: op.Args, Op: int(o)})
		res.Cost += op.Cost
	}
}
