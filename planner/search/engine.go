package search

import (
	"context"
	"slices"
	"time"
)

// limits are the limits of one Plan call, shared by the searches of an
// anytime run.
type limits struct {
	ctx      context.Context
	deadline time.Time
	maxExp   int64
	maxMem   int64
	expanded int64 // over all searches
	checks   uint64
}

func newLimits(ctx context.Context, opts Options, start time.Time) *limits {
	l := &limits{ctx: ctx, maxExp: opts.MaxExpansions, maxMem: opts.MaxMemory}
	if opts.Timeout > 0 {
		l.deadline = start.Add(opts.Timeout)
	}
	if l.maxMem <= 0 {
		l.maxMem = 4 << 30
	}
	return l
}

// engine holds what every search algorithm shares: the table of states
// reached with their parents, operators and g values, the evaluators, the
// successor generator and the axiom evaluator.
type engine struct {
	t     *Task
	cfg   searchConfig
	lay   *layout
	tab   *stateTable
	axe   *axiomEvaluator
	sg    *succGen
	evals []evaluator
	prefs []preferrer
	// parent, parentOp and g are indexed by state id; realG (set when the
	// search counts other costs than the task's) holds the real cost.
	parent, parentOp []int32
	g, realG         []int64
	bound            int64
	lim              *limits
	stats            Stats
	perState         int64 // bytes per state of path-dependent evaluators
	// isPref flags the preferred operators of the state being expanded.
	isPref   []bool
	prefList []int32
	packed   []uint32
}

func newEngine(t *Task, an *analysis, cfg searchConfig, bound int64, lim *limits) (*engine, error) {
	e := &engine{t: t, cfg: cfg, bound: bound, lim: lim, isPref: make([]bool, len(t.Operators))}
	for _, es := range cfg.evals {
		ev, err := newEvaluator(t, an.mutex, es)
		if err != nil {
			return nil, err
		}
		e.evals = append(e.evals, ev)
		if pd, ok := ev.(pathDependent); ok {
			e.perState += pd.bytesPerState()
		}
	}
	for _, i := range cfg.preferred {
		if p, ok := e.evals[i].(preferrer); ok {
			e.prefs = append(e.prefs, p)
		}
	}
	e.lay = an.layout
	e.tab = newStateTable(e.lay.bins)
	e.packed = make([]uint32, e.lay.bins)
	e.axe = newAxiomEvaluator(t)
	e.sg = newSuccGen(t.Operators)
	e.stats.Config = cfg.String()
	return e, nil
}

// newState returns an empty working state.
func (e *engine) newState() state { return newState(len(e.t.Facts)) }

// initState returns the initial state, derived facts included.
func (e *engine) initState() state {
	s := e.newState()
	for _, f := range e.t.Init {
		s.set(f)
	}
	e.axe.evaluate(s)
	return s
}

// load unpacks state id into s, derived facts included.
func (e *engine) load(id int32, s state) {
	e.lay.unpack(e.tab.get(id), s)
	e.axe.evaluate(s)
}

func (e *engine) isGoal(s state) bool {
	return allIn(s, e.t.Goal) && noneIn(s, e.t.NegGoal)
}

// apply writes the successor of s under operator o into dst, derived facts
// included.
func (e *engine) apply(s state, o int32, dst state) {
	copy(dst, s)
	op := &e.t.Operators[o]
	if len(op.Cond) == 0 {
		for _, f := range op.Del {
			dst.clear(f)
		}
		for _, f := range op.Add {
			dst.set(f)
		}
	} else {
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
	e.axe.evaluate(dst)
}

// register stores s, reached from parent by op with search cost g and real
// cost realG; it returns the id and whether the state is new.
func (e *engine) register(s state, parent, op int32, g, realG int64) (int32, bool) {
	e.lay.pack(s, e.packed)
	id, isNew := e.tab.insert(e.packed)
	if isNew {
		e.parent = append(e.parent, parent)
		e.parentOp = append(e.parentOp, op)
		e.g = append(e.g, g)
		if e.cfg.cost != costNormal {
			e.realG = append(e.realG, realG)
		}
	}
	return id, isNew
}

// setParent records a cheaper path to state id.
func (e *engine) setParent(id, parent, op int32, g, realG int64) {
	e.parent[id], e.parentOp[id], e.g[id] = parent, op, g
	if e.realG != nil {
		e.realG[id] = realG
	}
}

// real returns the real cost of the path to state id.
func (e *engine) real(id int32) int64 {
	if e.realG != nil {
		return e.realG[id]
	}
	return e.g[id]
}

// cost is an operator's cost for the search's g.
func (e *engine) cost(o int32) int64 { return e.cfg.cost.opCost(e.t.Operators[o].Cost) }

// bytesPerState estimates what each stored state costs.
func (e *engine) bytesPerState() int64 {
	b := int64(e.lay.bins)*4 + 8 /* hash table at load <= 1/2 */ + 4 + 4 + 8 + e.perState
	if e.cfg.cost != costNormal {
		b += 8
	}
	return b
}

func (e *engine) memory() int64 {
	m := e.tab.bytes() + int64(cap(e.parent))*4 + int64(cap(e.parentOp))*4 + int64(cap(e.g))*8 + int64(cap(e.realG))*8
	return m + int64(e.tab.n)*e.perState
}

// limit reports which limit has been reached, if any. It is cheap enough
// to call for every expansion and every evaluation: the clock, the context
// and the memory estimate are consulted every 16th call.
func (e *engine) limit(openBytes int64) string {
	l := e.lim
	if l.maxExp > 0 && l.expanded >= l.maxExp {
		return "expansions"
	}
	l.checks++
	if l.checks&15 != 0 {
		return ""
	}
	if err := l.ctx.Err(); err != nil {
		return err.Error()
	}
	if !l.deadline.IsZero() && time.Now().After(l.deadline) {
		return "time"
	}
	m := e.memory() + openBytes
	e.stats.MemoryBytes = max(e.stats.MemoryBytes, m)
	if m > l.maxMem {
		return "memory"
	}
	return ""
}

// expand counts an expansion.
func (e *engine) expand() {
	e.stats.Expanded++
	e.lim.expanded++
}

// finish completes the statistics.
func (e *engine) finish() Stats {
	e.stats.States = int64(e.tab.n)
	e.stats.MemoryBytes = max(e.stats.MemoryBytes, e.memory())
	e.stats.BytesPerState = e.bytesPerState()
	return e.stats
}

func (e *engine) solution(id int32) *Result {
	var ops []int32
	for ; e.parent[id] >= 0; id = e.parent[id] {
		ops = append(ops, e.parentOp[id])
	}
	slices.Reverse(ops)
	res := &Result{Status: Solved}
	fillPlan(e.t, res, ops)
	return res
}

// evaluate runs every evaluator on c, writing their values into hv; it
// returns false for a dead end.
func (e *engine) evaluate(c *evalContext, hv []int64) bool {
	e.stats.Evaluated++
	for i, h := range e.evals {
		hv[i] = h.evaluate(c)
		if hv[i] >= infinity {
			return false
		}
	}
	return true
}

// markPreferred flags the preferred operators among applicable for the
// state the preferrers evaluated last.
func (e *engine) markPreferred(applicable []int32) {
	e.prefList = e.prefList[:0]
	for _, p := range e.prefs {
		e.prefList = p.preferred(e.prefList, applicable)
	}
	for _, o := range e.prefList {
		e.isPref[o] = true
	}
}

func (e *engine) unmarkPreferred() {
	for _, o := range e.prefList {
		e.isPref[o] = false
	}
}

// key is the open-list key of a state with search cost g and heuristic
// value h: h for greedy search, g + weight*h otherwise.
func (e *engine) key(g, h int64) int64 {
	if e.cfg.weight == 0 {
		return h
	}
	return g + e.cfg.weight*h
}

// openLists builds the alternation of the search: a list per evaluator
// and, with preferred operators, a list of preferred successors per
// evaluator.
func (e *engine) openLists() (open *alternation, regular, pref []int) {
	open = &alternation{}
	for range e.evals {
		regular = append(regular, open.add(false))
		if len(e.prefs) > 0 {
			pref = append(pref, open.add(true))
		}
	}
	return open, regular, pref
}
