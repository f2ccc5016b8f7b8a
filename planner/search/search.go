package search

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Options selects the search components by name and sets the limits.
type Options struct {
	// Search is the algorithm: "lama" (the default: lazy greedy best-first
	// search alternating FF and landmark-count open lists with preferred
	// operators and boosting, on unit costs, like LAMA's first iteration),
	// "lazy" (the same with the one heuristic of Heuristic), "gbfs" (eager
	// greedy best-first), "wastar" (weighted A*, f = g + Weight*h) or
	// "astar" (A*, optimal with an admissible heuristic).
	Search string
	// Heuristic is "ff", "add", "max", "lmcut", "blind" or "lmcount" (the
	// landmark count, path-dependent and inadmissible) for every search but
	// lama. The default is "ff", and for astar "lmcut", or "max" when the
	// problem has conditional effects. h_max, LM-cut and blind are
	// admissible (LM-cut only without conditional effects), so astar with
	// them returns optimal plans.
	Heuristic string
	// Weight is the weight of wastar (default 5).
	Weight int
	// NoPreferred turns off preferred operators in lama, lazy and gbfs.
	NoPreferred bool
	// KeepPlan returns the plan as the search found it. Otherwise plans of
	// every search but astar are shortened by greedy action elimination
	// (dropping steps, and the later steps that depend on them, while the
	// goal is still reached at no higher cost).
	KeepPlan bool
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
	// Unsolvable: the search proved that no plan exists.
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
	// MemoryBytes estimates the search's peak memory.
	MemoryBytes int64
	Time        time.Duration
}

// Result is the outcome of Plan.
type Result struct {
	Status Status
	// Plan and Cost are set when Status is Solved; Cost sums operator costs
	// (each 1 when the problem has no action costs). Hidden operators are
	// left out of both.
	Plan []Step
	Cost int64
	// Reason says which limit ended the search when Status is Limit.
	Reason string
	Stats  Stats
	// ops is the whole operator sequence, Hidden operators included.
	ops []int32
}

// Plan searches p for a plan. It returns an error only for invalid Options
// (an *OptionError); limits and cancellation of ctx end the search with
// Status Limit.
func Plan(ctx context.Context, p *Task, opts Options) (*Result, error) {
	start := time.Now()
	e, err := newEngine(ctx, p, opts)
	if err != nil {
		return nil, err
	}
	if opts.Timeout > 0 {
		e.deadline = start.Add(opts.Timeout)
	}
	var res *Result
	if p.Unsolvable {
		res = &Result{Status: Unsolvable}
	} else {
		switch e.kind {
		case "lama", "lazy":
			res = e.lazySearch()
		default:
			res = e.eagerSearch()
		}
	}
	e.stats.Time = time.Since(start)
	e.stats.States = int64(e.reg.n)
	e.stats.MemoryBytes = max(e.stats.MemoryBytes, e.memory())
	if res.Status == Solved && !opts.KeepPlan && e.kind != "astar" {
		e.improve(res)
	}
	res.Stats = e.stats
	return res, nil
}

// improve applies action elimination to a solved result.
func (e *engine) improve(res *Result) {
	better := eliminateActions(e.p, e.planOps)
	if len(better) < len(e.planOps) {
		e.fillPlan(res, better)
	}
}

// fillPlan sets res.Plan and res.Cost from the operator sequence ops,
// leaving out Hidden operators.
func (e *engine) fillPlan(res *Result, ops []int32) {
	e.planOps = ops
	res.ops = ops
	res.Plan, res.Cost = nil, 0
	for _, o := range ops {
		op := &e.p.Operators[o]
		if op.Hidden {
			continue
		}
		res.Plan = append(res.Plan, Step{Action: op.Name, Args: op.Args, Op: int(o)})
		res.Cost += op.Cost
	}
}

// engine holds what every search algorithm shares: the table of states reached with
// parent pointers and g values, the successor generator and the limits.
type engine struct {
	ctx      context.Context
	p        *Task
	kind     string
	reg      *stateTable
	sg       *succGen
	parent   []int32
	parentOp []int32
	g        []int64
	hs       []evaluator
	prefs    []preferrer
	weight   int64
	reopen   bool
	unit     bool
	deadline time.Time
	maxExp   int64
	maxMem   int64
	stats    Stats
	words    int
	ops      []int32
	isPref   []bool
	lmBytes  int64
	checks   uint64
	planOps  []int32 // the operators of the plan found, Hidden ones included
}

func newEngine(ctx context.Context, p *Task, opts Options) (*engine, error) {
	e := &engine{
		ctx: ctx, p: p, kind: opts.Search,
		words:  (len(p.Facts) + 63) / 64,
		maxExp: opts.MaxExpansions, maxMem: opts.MaxMemory,
		weight: int64(opts.Weight), isPref: make([]bool, len(p.Operators)),
	}
	if e.words == 0 {
		e.words = 1
	}
	if e.maxMem <= 0 {
		e.maxMem = 4 << 30
	}
	if e.kind == "" {
		e.kind = "lama"
	}
	hname := opts.Heuristic
	switch e.kind {
	case "lama":
		// Like Fast Downward's lama-first: unit costs for search and
		// heuristics, FF supplying preferred operators.
		e.unit = true
		ffh := newFF(p, true)
		lm := newLandmarkCount(p)
		e.hs = []evaluator{ffh, lm}
		e.lmBytes = lm.bytesPerState()
		if !opts.NoPreferred {
			e.prefs = []preferrer{ffh}
		}
	case "lazy", "gbfs", "wastar", "astar":
		if hname == "" {
			hname = "ff"
			if e.kind == "astar" {
				// LM-cut overestimates with conditional effects; h_max
				// keeps A* optimal there.
				hname = "lmcut"
				if slices.ContainsFunc(p.Operators, func(o Operator) bool { return len(o.Cond) > 0 }) {
					hname = "max"
				}
			}
		}
		h, err := newHeuristic(hname, p, false)
		if err != nil {
			return nil, err
		}
		e.hs = []evaluator{h}
		if pr, ok := h.(preferrer); ok && !opts.NoPreferred && (e.kind == "lazy" || e.kind == "gbfs") {
			e.prefs = []preferrer{pr}
		}
		switch e.kind {
		case "astar":
			e.weight, e.reopen = 1, true
		case "wastar":
			if e.weight <= 0 {
				e.weight = 5
			}
			e.reopen = true
		}
	default:
		return nil, &OptionError{Option: "search", Value: opts.Search}
	}
	e.reg = newStateTable(e.words)
	e.sg = newSuccGen(p.Operators)
	return e, nil
}

func (e *engine) initState() state {
	s := make(state, e.words)
	for _, f := range e.p.Init {
		s.set(f)
	}
	return s
}

func (e *engine) isGoal(s state) bool {
	return allIn(s, e.p.Goal) && noneIn(s, e.p.NegGoal)
}

// apply writes the successor of s under operator o into dst.
func (e *engine) apply(s state, o int32, dst state) {
	copy(dst, s)
	op := &e.p.Operators[o]
	if len(op.Cond) == 0 {
		for _, f := range op.Del {
			dst.clear(f)
		}
		for _, f := range op.Add {
			dst.set(f)
		}
		return
	}
	for _, ce := range op.Cond {
		if ce.Delete && allIn(s, ce.Pre) && noneIn(s, ce.NegPre) {
			dst.clear(ce.Fact)
		}
	}
	for _, f := range op.Del {
		dst.clear(f)
	}
	for _, f := range op.Add {
		dst.set(f)
	}
	for _, ce := range op.Cond {
		if !ce.Delete && allIn(s, ce.Pre) && noneIn(s, ce.NegPre) {
			dst.set(ce.Fact)
		}
	}
}

// register stores s, reached from parent by op with cost g; it returns the
// id and whether the state is new.
func (e *engine) register(s state, parent, op int32, g int64) (int32, bool) {
	id, isNew := e.reg.insert(s)
	if isNew {
		e.parent = append(e.parent, parent)
		e.parentOp = append(e.parentOp, op)
		e.g = append(e.g, g)
	}
	return id, isNew
}

func (e *engine) cost(o int32) int64 {
	if e.unit {
		return 1
	}
	return e.p.Operators[o].Cost
}

func (e *engine) memory() int64 {
	return e.reg.bytes() + int64(cap(e.parent))*4 + int64(cap(e.parentOp))*4 + int64(cap(e.g))*8 + int64(e.reg.n)*e.lmBytes
}

// limit reports which limit has been reached, if any. It is cheap enough
// to call for every expansion and every evaluation: the clock, the context
// and the memory estimate are consulted every 16th call.
func (e *engine) limit(openBytes int64) string {
	if e.maxExp > 0 && e.stats.Expanded >= e.maxExp {
		return "expansions"
	}
	e.checks++
	if e.checks&15 != 0 {
		return ""
	}
	if err := e.ctx.Err(); err != nil {
		return err.Error()
	}
	if !e.deadline.IsZero() && time.Now().After(e.deadline) {
		return "time"
	}
	m := e.memory() + openBytes
	e.stats.MemoryBytes = max(e.stats.MemoryBytes, m)
	if m > e.maxMem {
		return "memory"
	}
	return ""
}

func (e *engine) solution(id int32) *Result {
	var ops []int32
	for ; e.parent[id] >= 0; id = e.parent[id] {
		ops = append(ops, e.parentOp[id])
	}
	slices.Reverse(ops)
	res := &Result{Status: Solved}
	e.fillPlan(res, ops)
	return res
}

// evaluate runs every heuristic on s; it returns false for a dead end.
func (e *engine) evaluate(s state, id, parent int32, hv []int64) bool {
	e.stats.Evaluated++
	for i, h := range e.hs {
		hv[i] = h.evaluate(s, id, parent)
		if hv[i] >= infinity {
			return false
		}
	}
	return true
}

// markPreferred flags the preferred operators of the last evaluation.
func (e *engine) markPreferred() {
	for _, pr := range e.prefs {
		for _, o := range pr.preferred() {
			e.isPref[o] = true
		}
	}
}

func (e *engine) unmarkPreferred() {
	for _, pr := range e.prefs {
		for _, o := range pr.preferred() {
			e.isPref[o] = false
		}
	}
}
