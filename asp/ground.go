package asp

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/toolsmith-dev/toolsmith/asp/solver"
)

// litUnknown stands for a literal whose atom is not created while the
// grounder only computes which atoms are possible (domain mode).
const litUnknown = solver.Lit(math.MaxInt32)

// grounder holds the state of one grounding.
type grounder struct {
	ctx    context.Context
	st     *symtab
	consts map[string]sym

	preds     map[predKey]*predicate
	predList  []*predicate
	atoms     []atomRec
	atomBySym []int32 // by symbol: 1 + index into atoms, 0 for none
	keyBuf    []byte

	gen      int32 // generation of atoms derived now
	newAtoms int   // atoms derived so far (to detect fixpoints)
	emit     bool  // false in domain mode: derive atoms, write no rules

	rules  []*crule
	out    solver.Program
	trueAt solver.Atom
	// disjunctions maps the index in out.Rules of each rule with a
	// disjunctive head to the position of its source rule.
	disjunctions map[int]Pos
	// groups are the heads of disjunctions with conditions, shifted by
	// the grounder.
	groups []disjGroup
	errs   ErrorList
	steps  int

	opt        *optimiser
	shows      *shows
	nproj      int
	extraStmts []*Rule
}

// evalCtx is the state of one rule instantiation.
type evalCtx struct {
	env   []sym
	trail []int
	// Semi-naive window: the iPos item with same == delta matches only atoms
	// of generation g.gen-1; items with a smaller ordinal only older ones.
	delta int
}

func (g *grounder) check() error {
	g.steps++
	if g.steps&0xfff == 0 {
		if err := g.ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// cancelled is panicked to abandon grounding when the context ends.
type cancelled struct{ err error }

// body enumerates the instances of items[k:], calling yield with the
// literals collected (facts and decided literals are left out).
func (g *grounder) body(ec *evalCtx, items []citem, k int, lits []solver.Lit, yield func([]solver.Lit)) {
	if err := g.check(); err != nil {
		panic(cancelled{err})
	}
	if k == len(items) {
		yield(lits)
		return
	}
	it := &items[k]
	env := ec.env
	switch it.kind {
	case iPos:
		var buf [8]sym
		vals := buf[:0]
		for _, a := range it.maskArg {
			v, ok := g.eval(a, env)
			if !ok {
				return
			}
			vals = append(vals, v)
		}
		lo, hi := int32(0), g.gen
		if it.same >= 0 && ec.delta >= 0 {
			switch {
			case it.same == ec.delta:
				lo = g.gen - 1
			case it.same < ec.delta:
				hi = g.gen - 1
			}
		}
		for _, ai := range g.candidates(it.pred, it.mask, vals) {
			a := &g.atoms[ai]
			if a.gen < lo {
				continue
			}
			if a.gen >= hi {
				break
			}
			mark := len(ec.trail)
			ok := true
			args := g.st.args(a.sym)
			for i, t := range it.args {
				if it.mask&(1<<uint(i)) != 0 && i < 64 {
					continue
				}
				if !g.match(t, args[i], env, &ec.trail) {
					ok = false
					break
				}
			}
			if ok {
				if g.atoms[ai].fact {
					g.body(ec, items, k+1, lits, yield)
				} else {
					g.body(ec, items, k+1, append(lits, solver.Lit(g.atomID(ai))), yield)
				}
			}
			undo(env, &ec.trail, mark)
		}
	case iNeg, iNotNot:
		s, ok := g.groundAtom(it.pred, it.args, env)
		if !ok {
			if it.kind == iNeg {
				g.body(ec, items, k+1, lits, yield)
			}
			return
		}
		l, val := g.atomLit(it.pred, s)
		if it.kind == iNeg {
			l, val = g.negate(l), -val
		} else {
			l = g.negate(g.negate(l))
		}
		switch val {
		case 1:
			g.body(ec, items, k+1, lits, yield)
		case 0:
			g.body(ec, items, k+1, append(lits, l), yield)
		}
	case iCmp:
		l, ok1 := g.eval(it.l, env)
		r, ok2 := g.eval(it.r, env)
		if ok1 && ok2 && g.compare(it.op, l, r) {
			g.body(ec, items, k+1, lits, yield)
		}
	case iAssign:
		v, ok := g.eval(it.r, env)
		if !ok {
			return
		}
		mark := len(ec.trail)
		if g.match(it.l, v, env, &ec.trail) {
			g.body(ec, items, k+1, lits, yield)
		}
		undo(env, &ec.trail, mark)
	case iRange:
		lo, ok1 := g.eval(it.l, env)
		hi, ok2 := g.eval(it.r, env)
		if !ok1 || !ok2 || !g.st.isNum(lo) || !g.st.isNum(hi) {
			return
		}
		a, b := g.st.entry(lo).num, g.st.entry(hi).num
		if cur := env[it.slot]; cur != 0 {
			if g.st.isNum(cur) && g.st.entry(cur).num >= a && g.st.entry(cur).num <= b {
				g.body(ec, items, k+1, lits, yield)
			}
			return
		}
		for n := a; n <= b; n++ {
			env[it.slot] = g.st.num(n)
			g.body(ec, items, k+1, lits, yield)
		}
		env[it.slot] = 0
	case iAgg:
		g.aggregate(ec, it.agg, func(extra []solver.Lit) {
			g.body(ec, items, k+1, append(lits, extra...), yield)
		})
	case iCond:
		extra, ok := g.conditional(ec, it.cond)
		if ok {
			g.body(ec, items, k+1, append(lits, extra...), yield)
		}
	}
}

// groundAtom evaluates an atom's arguments.
func (g *grounder) groundAtom(p *predicate, args []*cterm, env []sym) (sym, bool) {
	var buf [8]sym
	vals := buf[:0]
	for _, a := range args {
		v, ok := g.eval(a, env)
		if !ok {
			return 0, false
		}
		vals = append(vals, v)
	}
	return g.st.fun(p.name, vals), true
}

// atomLit returns the literal of atom s and its known value: 1 true (a
// fact), -1 false (cannot be derived), 0 undecided.
func (g *grounder) atomLit(p *predicate, s sym) (solver.Lit, int) {
	i := g.lookupAtom(s)
	if i >= 0 && g.atoms[i].fact {
		return 0, 1
	}
	// Atoms of finished predicates that were never derived are false; so,
	// while computing which atoms are possible, are those not derived yet
	// (the fixpoint iteration re-evaluates when they are).
	if (i < 0 || !g.atoms[i].derived) && (p.done || !g.emit) {
		return 0, -1
	}
	if !g.emit {
		return litUnknown, 0
	}
	if i < 0 {
		i = g.refAtom(p, s)
	}
	return solver.Lit(g.atomID(i)), 0
}

// negate returns the literal "not l"; for l = "not a" it is an auxiliary
// atom's negation ("not not a" gives no support, as in clingo).
func (g *grounder) negate(l solver.Lit) solver.Lit {
	switch {
	case l == litUnknown || l == 0:
		return l
	case l > 0:
		return -l
	}
	aux := g.auxAtom()
	g.addRule(solver.Rule{Head: []solver.Atom{aux}, Body: []solver.WeightedLit{{Lit: l, Weight: 1}}})
	return -solver.Lit(aux)
}

// auxAtom returns a fresh hidden atom.
func (g *grounder) auxAtom() solver.Atom { return g.newAtomID() }

// conj returns one literal equivalent to the conjunction lits (an auxiliary
// atom when there are several).
func (g *grounder) conj(lits []solver.Lit) solver.Lit {
	if !g.emit {
		return litUnknown
	}
	if len(lits) == 1 {
		return lits[0]
	}
	aux := g.auxAtom()
	g.addRule(solver.Rule{Head: []solver.Atom{aux}, Body: weighted(lits)})
	return solver.Lit(aux)
}

func weighted(lits []solver.Lit) []solver.WeightedLit {
	out := make([]solver.WeightedLit, len(lits))
	for i, l := range lits {
		out[i] = solver.WeightedLit{Lit: l, Weight: 1}
	}
	return out
}

func (g *grounder) addRule(r solver.Rule) {
	if g.emit {
		g.out.Rules = append(g.out.Rules, r)
	}
}

// trueAtom returns an atom that is a fact.
func (g *grounder) trueAtom() solver.Atom {
	if g.trueAt == 0 {
		g.trueAt = g.auxAtom()
		g.out.Rules = append(g.out.Rules, solver.Rule{Head: []solver.Atom{g.trueAt}})
	}
	return g.trueAt
}

// instantiate grounds rule r with the given semi-naive delta ordinal (-1 for
// all atoms).
func (g *grounder) instantiate(r *crule, delta int) {
	ec := &evalCtx{env: make([]sym, r.nslots), delta: delta}
	g.body(ec, r.body, 0, nil, func(lits []solver.Lit) {
		g.head(ec, r, lits)
	})
}

// head derives the head of an instance of r whose body literals are lits.
func (g *grounder) head(ec *evalCtx, r *crule, lits []solver.Lit) {
	switch r.head {
	case hNone:
		if g.emit {
			g.out.Rules = append(g.out.Rules, solver.Rule{Body: weighted(lits)})
		}
	case hAtom:
		s, ok := g.groundAtom(r.hpred, r.hargs, ec.env)
		if !ok {
			return
		}
		if i := g.lookupAtom(s); i >= 0 && g.atoms[i].fact {
			return
		}
		fact := len(lits) == 0 && g.emit
		i := g.derive(r.hpred, s, fact)
		if g.emit && !fact {
			g.out.Rules = append(g.out.Rules, solver.Rule{Head: []solver.Atom{g.atomID(i)}, Body: weighted(lits)})
		}
	case hChoice:
		g.choice(ec, r, lits)
	case hDisj:
		g.disjunction(ec, r, lits)
	}
}

// Ground instantiates prog. Constants given in consts override the
// program's #const definitions. The result holds the ground program and
// what is needed to print its answer sets.
func groundProgram(ctx context.Context, prog *Program, consts map[string]Symbol) (gp *GroundProgram, err error) {
	g := &grounder{
		ctx:    ctx,
		st:     newSymtab(),
		consts: map[string]sym{},
		preds:  map[predKey]*predicate{},
		gen:    1,
		emit:   true,
	}
	defer func() {
		if r := recover(); r != nil {
			c, ok := r.(cancelled)
			if !ok {
				panic(r)
			}
			gp, err = nil, fmt.Errorf("asp: grounding interrupted: %w", c.err)
		}
	}()
	if err := g.defineConsts(prog, consts); err != nil {
		return nil, err
	}
	g.opt = newOptimiser(g)
	g.shows = newShows(g)
	projects := &projections{g: g}
	var constraints []*crule
	var later []Statement
	addRule := func(s *Rule) {
		for _, r := range unpoolRule(s) {
			cr := g.compileRule(r)
			if cr == nil {
				continue
			}
			if len(cr.headPreds) == 0 {
				constraints = append(constraints, cr)
			} else {
				g.rules = append(g.rules, cr)
			}
		}
	}
	type groundFact struct {
		p *predicate
		s sym
	}
	var facts []groundFact
	for _, s := range prog.Statements {
		switch s := s.(type) {
		case *Rule:
			// Ground facts (the bulk of large inputs) skip compilation.
			if h, ok := s.Head.(*AtomHead); ok && len(s.Body) == 0 {
				if f, ok := h.Atom.(*Func); ok {
					if v, ok := g.groundTerm(f); ok {
						facts = append(facts, groundFact{g.pred(f.Name, len(f.Args)), v})
						continue
					}
				}
			}
			addRule(projectAnonymous(s, g))
		case *Show, *ShowTerm, *Optimise, *Project:
			later = append(later, s)
		case *Include:
			g.errs.add(s.Pos, "#include is only read by Program.AddFile (the program was given as text)")
		}
	}
	for i := 0; i < len(g.extraStmts); i++ {
		addRule(g.extraStmts[i])
	}
	for _, f := range prog.facts {
		g.pred(f.pred, len(f.args))
	}
	for _, r := range g.complements() {
		addRule(r)
	}
	for _, s := range later {
		switch s := s.(type) {
		case *Show:
			g.shows.signature(s)
		case *ShowTerm:
			g.shows.compileTerm(s)
		case *Optimise:
			g.opt.compile(s)
		case *Project:
			projects.add(s)
		}
	}
	if err := g.errs.err(); err != nil {
		return nil, err
	}
	for _, f := range facts {
		g.derive(f.p, f.s, true)
	}
	for _, f := range prog.facts {
		args := make([]sym, len(f.args))
		for i, a := range f.args {
			args[i] = g.st.intern(a)
		}
		g.derive(g.pred(f.pred, len(args)), g.st.fun(f.pred, args), true)
	}
	g.gen++
	comps := g.components()
	if err := g.errs.err(); err != nil {
		return nil, err
	}
	for _, comp := range comps {
		g.groundComponent(comp)
	}
	for _, p := range g.predList {
		p.done = true
	}
	for _, r := range constraints {
		g.instantiate(r, -1)
	}
	g.opt.ground()
	g.checkHeadCycles()
	projects.ground()
	syms := g.shows.ground()
	for i := range g.atoms {
		a := &g.atoms[i]
		if a.fact && a.id != 0 {
			g.out.Rules = append(g.out.Rules, solver.Rule{Head: []solver.Atom{a.id}})
		}
	}
	if err := g.errs.err(); err != nil {
		return nil, err
	}
	// Copy the program out of the grounder so that the grounder's tables
	// (atoms, indexes) can be collected while the program is solved.
	out := g.out
	return &GroundProgram{Program: &out, st: g.st, shown: syms}, nil
}

// groundComponent grounds the rules of one component to a fixpoint:
// semi-naive for ordinary rules, naively (in domain mode) for rules whose
// aggregates or conditions depend on the component, which are emitted once
// the component's atoms are complete.
func (g *grounder) groundComponent(rules []*crule) {
	first := true
	for {
		before := g.newAtoms
		for _, r := range rules {
			switch {
			case r.deferred:
				g.emit = false
				g.instantiate(r, -1)
				g.emit = true
			case first:
				g.instantiate(r, -1)
			default:
				for d := 0; d < r.nsame; d++ {
					g.instantiate(r, d)
				}
			}
		}
		g.gen++
		first = false
		if g.newAtoms == before {
			break
		}
	}
	// The component's atoms are complete: the naive rules are emitted with
	// every underived atom known to be false.
	for _, r := range rules {
		for _, p := range r.headPreds {
			p.done = true
		}
	}
	for _, r := range rules {
		if r.deferred {
			g.instantiate(r, -1)
		}
	}
	g.gen++
}

// groundTerm interns a term without variables, arithmetic, intervals or
// pools; ok is false for any other term.
func (g *grounder) groundTerm(t Term) (sym, bool) {
	switch t := t.(type) {
	case *Num:
		return g.st.num(t.Val), true
	case *Str:
		return g.st.str(t.Val), true
	case *Special:
		if t.Sup {
			return symSup, true
		}
		return symInf, true
	case *Func:
		if len(t.Args) == 0 && t.Name != "" {
			if v, ok := g.consts[t.Name]; ok {
				return v, true
			}
		}
		var buf [8]sym
		args := buf[:0]
		for _, a := range t.Args {
			v, ok := g.groundTerm(a)
			if !ok {
				return 0, false
			}
			args = append(args, v)
		}
		return g.st.fun(t.Name, args), true
	}
	return 0, false
}

// complements returns, for each classically negated predicate -p/n of the
// program whose positive p/n occurs too, the constraint
// ":- p(X1..Xn), -p(X1..Xn)." that makes an atom and its complement
// inconsistent, as clingo does.
func (g *grounder) complements() []*Rule {
	var out []*Rule
	for _, neg := range slices.Clone(g.predList) {
		if len(neg.name) < 2 || neg.name[0] != '-' {
			continue
		}
		if _, ok := g.preds[predKey{neg.name[1:], neg.arity}]; !ok {
			continue
		}
		args := make([]Term, neg.arity)
		for i := range args {
			args[i] = &Var{Name: fmt.Sprintf("X%d", i+1)}
		}
		out = append(out, &Rule{Body: []Literal{
			&AtomLit{Atom: &Func{Name: neg.name[1:], Args: args}},
			&AtomLit{Atom: &Func{Name: neg.name, Args: args}},
		}})
	}
	return out
}
