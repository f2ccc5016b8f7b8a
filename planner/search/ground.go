package search

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
)

// Ground instantiates the task's actions and axioms that are reachable in
// its delete relaxation and returns the propositional Task. Static
// predicates (those no action changes and no axiom derives) are evaluated
// during grounding and do not appear in the result. Ground returns an error
// for a malformed task (unknown type, a term that refers to no object or
// variable, axioms that are not stratified); a task with an unreachable goal
// yields a Task with Unsolvable set.
func Ground(ctx context.Context, t *pddl.Task) (*Task, error) {
	g, err := newGrounder(t)
	if err != nil {
		return nil, err
	}
	if err := g.explore(ctx); err != nil {
		return nil, err
	}
	return g.build()
}

// gatom is a ground atom met during reachability analysis.
type gatom struct {
	pred int
	args []int
}

// literalPat is a lifted atom of a rule body or head with its predicate
// resolved to an index.
type literalPat struct {
	pred    int
	args    []pddl.Term
	negated bool
	eq      bool // the equality predicate
}

// rule is a Datalog rule: when its positive body atoms are reachable under
// an assignment of its variables that passes the filters, its head fires.
// Action rules (effect < 0, axiom < 0) record an action instance; effect
// rules (for quantified or conditional add effects) produce an atom; axiom
// rules (axiom >= 0) record an axiom instance and produce its head.
type rule struct {
	action, effect, axiom int
	varOK                 [][]bool // per variable: which objects its type admits
	varObjs               [][]int
	body                  []literalPat
	filters               []literalPat // equality, inequality and negated static atoms
	head                  literalPat   // effect rules only
}

type bodyRef struct{ rule, pos int }

type instance struct {
	action int
	args   []int
}

type grounder struct {
	task    *pddl.Task
	predID  map[string]int
	preds   []string
	static  []bool
	nObj    int
	typeOK  map[string][]bool
	atomSet map[string]int32
	atoms   []gatom
	byPred  [][]int32
	index   map[[3]int][]int32 // (pred, position, object) -> atoms
	queue   []int32
	rules   []rule
	byBody  [][]bodyRef
	instSet map[string]struct{}
	insts   []instance
	axSet   map[string]struct{}
	axInsts []instance // action holds the axiom's index
	simple  [][]int    // per action: its unconditional, unquantified add effects
	keyBuf  []byte
}

func newGrounder(t *pddl.Task) (*grounder, error) {
	g := &grounder{
		task:    t,
		predID:  map[string]int{},
		nObj:    len(t.Objects),
		typeOK:  map[string][]bool{},
		atomSet: map[string]int32{},
		index:   map[[3]int][]int32{},
		instSet: map[string]struct{}{},
		axSet:   map[string]struct{}{},
	}
	for _, p := range t.Predicates {
		g.pred(p.Name)
	}
	changed := map[string]bool{}
	for _, a := range t.Actions {
		for _, e := range a.Effects {
			changed[e.Atom.Pred] = true
		}
	}
	for _, p := range t.Predicates {
		if p.Derived {
			changed[p.Name] = true
		}
	}
	for _, ax := range t.Axioms {
		changed[ax.Head.Pred] = true
	}
	for _, a := range t.Init {
		g.pred(a.Pred)
	}
	for _, l := range t.Goal {
		g.pred(l.Pred)
	}
	for ai := range t.Actions {
		if err := g.addActionRules(ai); err != nil {
			return nil, err
		}
	}
	for ai := range t.Axioms {
		if err := g.addAxiomRule(ai); err != nil {
			return nil, err
		}
	}
	g.static = make([]bool, len(g.preds))
	for i, name := range g.preds {
		g.static[i] = !changed[name]
	}
	g.byPred = make([][]int32, len(g.preds))
	g.byBody = make([][]bodyRef, len(g.preds))
	for ri := range g.rules {
		for bi, b := range g.rules[ri].body {
			g.byBody[b.pred] = append(g.byBody[b.pred], bodyRef{ri, bi})
		}
	}
	return g, nil
}

func (g *grounder) pred(name string) int {
	if id, ok := g.predID[name]; ok {
		return id
	}
	id := len(g.preds)
	g.predID[name] = id
	g.preds = append(g.preds, name)
	return id
}

func (g *grounder) typeMask(typ string) ([]bool, []int, error) {
	if typ == "" {
		typ = "object"
	}
	objs, ok := g.task.TypeObjects[typ]
	if !ok {
		if typ != "object" {
			return nil, nil, fmt.Errorf("search: unknown type %q", typ)
		}
		objs = make([]int, g.nObj)
		for i := range objs {
			objs[i] = i
		}
	}
	if m, ok := g.typeOK[typ]; ok {
		return m, objs, nil
	}
	m := make([]bool, g.nObj)
	for _, o := range objs {
		if o < 0 || o >= g.nObj {
			return nil, nil, fmt.Errorf("search: type %q holds object index %d out of range", typ, o)
		}
		m[o] = true
	}
	g.typeOK[typ] = m
	return m, objs, nil
}

func (g *grounder) pattern(a pddl.Atom, negated bool, nvars int, what string) (literalPat, error) {
	for _, t := range a.Args {
		if t.Var >= nvars || (t.Var < 0 && (t.Obj < 0 || t.Obj >= g.nObj)) {
			return literalPat{}, fmt.Errorf("search: %s: atom %s has a term out of range", what, a.Pred)
		}
	}
	if a.Pred == "=" {
		if len(a.Args) != 2 {
			return literalPat{}, fmt.Errorf("search: %s: equality needs two arguments", what)
		}
		return literalPat{args: a.Args, negated: negated, eq: true}, nil
	}
	return literalPat{pred: g.pred(a.Pred), args: a.Args, negated: negated}, nil
}

// addAxiomRule adds the rule of axiom ai: its body derives its head.
func (g *grounder) addAxiomRule(ai int) error {
	ax := &g.task.Axioms[ai]
	what := "axiom for " + ax.Head.Pred
	r := rule{action: -1, effect: -1, axiom: ai}
	for _, p := range ax.Params {
		m, objs, err := g.typeMask(p.Type)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		r.varOK = append(r.varOK, m)
		r.varObjs = append(r.varObjs, objs)
	}
	var lits []literalPat
	for _, l := range ax.Body {
		p, err := g.pattern(l.Atom, l.Negated, len(ax.Params), what)
		if err != nil {
			return err
		}
		lits = append(lits, p)
	}
	r.body, r.filters = splitBody(lits)
	var err error
	if r.head, err = g.pattern(ax.Head, false, len(ax.Params), what); err != nil {
		return err
	}
	g.rules = append(g.rules, r)
	return nil
}

func (g *grounder) addActionRules(ai int) error {
	a := &g.task.Actions[ai]
	mk := func(params []pddl.Param, effect int) (rule, error) {
		r := rule{action: ai, effect: effect, axiom: -1}
		for _, p := range params {
			m, objs, err := g.typeMask(p.Type)
			if err != nil {
				return r, fmt.Errorf("action %s: %w", a.Name, err)
			}
			r.varOK = append(r.varOK, m)
			r.varObjs = append(r.varObjs, objs)
		}
		return r, nil
	}
	r, err := mk(a.Params, -1)
	if err != nil {
		return err
	}
	var pre []literalPat
	for _, l := range a.Precondition {
		p, err := g.pattern(l.Atom, l.Negated, len(a.Params), "action "+a.Name)
		if err != nil {
			return err
		}
		pre = append(pre, p)
	}
	r.body, r.filters = splitBody(pre)
	g.rules = append(g.rules, r)
	g.simple = append(g.simple, nil)
	for ei, e := range a.Effects {
		if e.Delete {
			continue
		}
		if len(e.Forall) == 0 && len(e.Cond) == 0 {
			if _, err := g.pattern(e.Atom, false, len(a.Params), "action "+a.Name); err != nil {
				return err
			}
			g.simple[ai] = append(g.simple[ai], ei)
			continue
		}
		params := append(append([]pddl.Param(nil), a.Params...), e.Forall...)
		er, err := mk(params, ei)
		if err != nil {
			return err
		}
		lits := append([]literalPat(nil), pre...)
		for _, l := range e.Cond {
			p, err := g.pattern(l.Atom, l.Negated, len(params), "action "+a.Name)
			if err != nil {
				return err
			}
			lits = append(lits, p)
		}
		er.body, er.filters = splitBody(lits)
		if er.head, err = g.pattern(e.Atom, false, len(params), "action "+a.Name); err != nil {
			return err
		}
		g.rules = append(g.rules, er)
	}
	return nil
}

// splitBody separates positive atoms (joined) from the literals checked once
// every variable is bound. Negated atoms stay as filters; the filter keeps
// only negated static atoms, decided later (fluent ones are relaxed away).
func splitBody(lits []literalPat) (body, filters []literalPat) {
	for _, l := range lits {
		if !l.eq && !l.negated {
			body = append(body, l)
		} else {
			filters = append(filters, l)
		}
	}
	return body, filters
}

func (g *grounder) key(pred int, args []int) string {
	b := g.keyBuf[:0]
	b = binary.AppendUvarint(b, uint64(pred))
	for _, a := range args {
		b = binary.AppendUvarint(b, uint64(a))
	}
	g.keyBuf = b
	return string(b)
}

func (g *grounder) lookup(pred int, args []int) (int32, bool) {
	b := g.keyBuf[:0]
	b = binary.AppendUvarint(b, uint64(pred))
	for _, a := range args {
		b = binary.AppendUvarint(b, uint64(a))
	}
	g.keyBuf = b
	id, ok := g.atomSet[string(b)]
	return id, ok
}

func (g *grounder) addAtom(pred int, args []int) {
	if _, ok := g.lookup(pred, args); ok {
		return
	}
	k := string(g.keyBuf)
	id := int32(len(g.atoms))
	g.atomSet[k] = id
	cp := append([]int(nil), args...)
	g.atoms = append(g.atoms, gatom{pred, cp})
	g.byPred[pred] = append(g.byPred[pred], id)
	for i, o := range cp {
		ik := [3]int{pred, i, o}
		g.index[ik] = append(g.index[ik], id)
	}
	g.queue = append(g.queue, id)
}

func (g *grounder) explore(ctx context.Context) error {
	t := g.task
	for _, a := range t.Init {
		for _, o := range a.Args {
			if o < 0 || o >= g.nObj {
				return fmt.Errorf("search: initial atom %s has an object index out of range", a.Pred)
			}
		}
		g.addAtom(g.predID[a.Pred], a.Args)
	}
	var j joiner
	for ri := range g.rules {
		if len(g.rules[ri].body) == 0 {
			j.reset(g, ri)
			j.run()
		}
	}
	for n := 0; n < len(g.queue); n++ {
		if n&1023 == 0 && ctx.Err() != nil {
			return fmt.Errorf("search: grounding: %w", ctx.Err())
		}
		at := g.atoms[g.queue[n]]
		for _, ref := range g.byBody[at.pred] {
			j.reset(g, ref.rule)
			if j.match(&j.r.body[ref.pos], at.args) {
				j.done[ref.pos] = true
				j.run()
			}
		}
	}
	return nil
}

// joiner enumerates the assignments of one rule's variables.
type joiner struct {
	g     *grounder
	r     *rule
	ri    int
	bind  []int
	done  []bool
	trail []int
}

func (j *joiner) reset(g *grounder, ri int) {
	j.g, j.ri, j.r = g, ri, &g.rules[ri]
	n := len(j.r.varOK)
	j.bind = j.bind[:0]
	for i := 0; i < n; i++ {
		j.bind = append(j.bind, -1)
	}
	j.done = j.done[:0]
	for range j.r.body {
		j.done = append(j.done, false)
	}
	j.trail = j.trail[:0]
}

// match binds the pattern's variables to args; on failure it undoes its own
// bindings and returns false.
func (j *joiner) match(p *literalPat, args []int) bool {
	if len(args) != len(p.args) {
		return false
	}
	mark := len(j.trail)
	for i, t := range p.args {
		o := args[i]
		if t.Var < 0 {
			if t.Obj != o {
				j.undo(mark)
				return false
			}
			continue
		}
		if b := j.bind[t.Var]; b >= 0 {
			if b != o {
				j.undo(mark)
				return false
			}
			continue
		}
		if !j.r.varOK[t.Var][o] {
			j.undo(mark)
			return false
		}
		j.bind[t.Var] = o
		j.trail = append(j.trail, t.Var)
	}
	return true
}

func (j *joiner) undo(mark int) {
	for _, v := range j.trail[mark:] {
		j.bind[v] = -1
	}
	j.trail = j.trail[:mark]
}

func (j *joiner) run() {
	// Pick the pending body atom with the most bound arguments.
	best, bestBound := -1, -1
	for i := range j.r.body {
		if j.done[i] {
			continue
		}
		n := 0
		for _, t := range j.r.body[i].args {
			if t.Var < 0 || j.bind[t.Var] >= 0 {
				n++
			}
		}
		if n > bestBound {
			best, bestBound = i, n
		}
	}
	if best < 0 {
		j.enumFree(0)
		return
	}
	p := &j.r.body[best]
	cands := j.g.byPred[p.pred]
	for i, t := range p.args {
		o := t.Obj
		if t.Var >= 0 {
			o = j.bind[t.Var]
		}
		if o < 0 {
			continue
		}
		if l := j.g.index[[3]int{p.pred, i, o}]; len(l) < len(cands) {
			cands = l
		}
	}
	j.done[best] = true
	for _, id := range cands {
		mark := len(j.trail)
		if j.match(p, j.g.atoms[id].args) {
			j.run()
			j.undo(mark)
		}
	}
	j.done[best] = false
}

// enumFree assigns the variables no body atom binds, from v on.
func (j *joiner) enumFree(v int) {
	for ; v < len(j.bind) && j.bind[v] >= 0; v++ {
	}
	if v == len(j.bind) {
		if j.filtersHold() {
			j.fire()
		}
		return
	}
	for _, o := range j.r.varObjs[v] {
		j.bind[v] = o
		j.enumFree(v + 1)
	}
	j.bind[v] = -1
}

func (j *joiner) arg(t pddl.Term) int {
	if t.Var < 0 {
		return t.Obj
	}
	return j.bind[t.Var]
}

func (j *joiner) filtersHold() bool {
	var args [8]int
	for i := range j.r.filters {
		f := &j.r.filters[i]
		if f.eq {
			if (j.arg(f.args[0]) == j.arg(f.args[1])) == f.negated {
				return false
			}
			continue
		}
		if !j.g.static[f.pred] {
			continue // negated fluent atom: relaxed away
		}
		a := args[:0]
		for _, t := range f.args {
			a = append(a, j.arg(t))
		}
		if _, ok := j.g.lookup(f.pred, a); ok {
			return false
		}
	}
	return true
}

func (j *joiner) fire() {
	g := j.g
	if j.r.axiom >= 0 {
		k := g.key(j.r.axiom, j.bind)
		if _, ok := g.axSet[k]; ok {
			return
		}
		g.axSet[k] = struct{}{}
		g.axInsts = append(g.axInsts, instance{j.r.axiom, append([]int(nil), j.bind...)})
	}
	if j.r.effect >= 0 || j.r.axiom >= 0 {
		args := make([]int, len(j.r.head.args))
		for i, t := range j.r.head.args {
			args[i] = j.arg(t)
		}
		g.addAtom(j.r.head.pred, args)
		return
	}
	k := g.key(j.r.action, j.bind)
	if _, ok := g.instSet[k]; ok {
		return
	}
	g.instSet[k] = struct{}{}
	args := append([]int(nil), j.bind...)
	g.insts = append(g.insts, instance{j.r.action, args})
	a := &g.task.Actions[j.r.action]
	for _, ei := range g.simple[j.r.action] {
		e := &a.Effects[ei]
		hargs := make([]int, len(e.Atom.Args))
		for i, t := range e.Atom.Args {
			hargs[i] = j.arg(t)
		}
		g.addAtom(g.predID[e.Atom.Pred], hargs)
	}
}
