package pddl

import (
	"fmt"
	"sort"
	"strings"
)

// MaxDisjuncts bounds the disjunctive normal form of a universal quantifier
// that Normalize must expand because its body takes part in the recursion
// of a derived predicate (elsewhere such a quantifier becomes a derived
// predicate of its own); Normalize reports a larger one instead of
// exhausting memory.
const MaxDisjuncts = 4096

// Normalize checks d and p (see Check) and compiles them into a Task:
//
//   - types are resolved into TypeObjects; an (either t1 t2) type becomes a
//     type of its own named "(either t1 t2)";
//   - preconditions are put into negation normal form (imply is rewritten)
//     and then into disjunctive normal form; each disjunct becomes an action
//     of its own, all carrying the name of the domain's action;
//   - existentially quantified variables of a precondition become extra
//     parameters of the action (counted in Action.ExtraParams);
//   - a universally quantified condition over few objects is expanded
//     into a conjunction; a larger one, or one whose body is disjunctive,
//     becomes the negation of a fresh derived predicate ("not-all") that
//     holds when some object falsifies the body, and a conjunction whose
//     disjunctive parts would multiply out to more than a few dozen
//     disjuncts keeps those parts as fresh derived predicates ("any-of"),
//     as Fast Downward's translator does: conditions never grow
//     exponentially;
//   - :derived rules become Axioms, their bodies compiled the same way
//     (each disjunct a rule of its own);
//   - effects keep forall and when as Effect.Forall and Effect.Cond; a
//     disjunctive or quantified when-condition is split into several
//     effects (an existential variable of a condition becomes a Forall
//     parameter of the effect);
//   - (increase (total-cost) N) and (increase (total-cost) (f ?x)) become
//     the action's Cost; UsesCost is set when the metric minimises
//     total-cost;
//   - a goal that is not a conjunction of literals keeps the ground
//     literals every disjunct shares and moves the rest into a derived
//     predicate ("goal-reached") that the goal then requires;
//   - derived predicates that no precondition, effect condition or goal
//     needs are dropped with their axioms.
//
// Equalities between objects, and ground atoms of static predicates (those
// no action changes, true exactly when in the initial state), are decided
// during the compilation. The output is deterministic: it follows the
// order of declarations.
func Normalize(d *Domain, p *Problem) (*Task, error) {
	return normalize(d, p, defaultLimits)
}

// normalize is Normalize with the given bounds.
func normalize(d *Domain, p *Problem, lim normLimits) (*Task, error) {
	if p == nil {
		return nil, ErrorList{{Msg: "no problem"}}
	}
	sym, errs := check(d, p, false)
	if len(errs) > 0 {
		return nil, errs
	}
	n := &normalizer{sym: sym, lim: lim, axiomCache: map[string]string{},
		task: &Task{Domain: d.Name, Problem: p.Name, TypeObjects: map[string][]int{}}}
	n.errs = &errorSink{file: d.File}
	n.objectsAndTypes()
	n.predicates(d)
	n.statics(d, p)
	n.derived(d)
	for _, a := range d.Actions {
		n.action(a)
	}
	n.errs.file = p.File
	n.init(p)
	n.goal(p)
	if m := p.Metric; m != nil && !m.Maximize && lower(m.Func) == totalCost {
		n.task.UsesCost = true
	}
	if err := n.errs.err(); err != nil {
		return nil, err
	}
	n.pruneAxioms()
	return n.task, nil
}

type normalizer struct {
	sym  *symbols
	task *Task
	errs *errorSink
	// predName maps lower-cased predicate names to their declared spelling.
	predName map[string]string
	// atoms counts the atoms the condition compilation has created, up to
	// lim.atoms.
	atoms int
	lim   normLimits
	// static holds the predicates no action changes, and initial the
	// initial atoms (keyed by groundKey): a ground atom of a static
	// predicate is decided at compile time, which keeps the expansion of
	// universal quantifiers small.
	static  map[string]bool
	initial map[string]bool
	// vtype holds the type of each variable of the condition being
	// compiled, by number.
	vtype map[int]string
	// guard holds the derived predicates of the recursion whose rule is
	// being compiled (see universal).
	guard map[string]bool
	// axiomCache maps the rules of a compiled condition to the derived
	// predicate that holds them, so that a condition written twice makes
	// one predicate.
	axiomCache map[string]string
}

// statics finds the static predicates and records the initial atoms.
func (n *normalizer) statics(d *Domain, p *Problem) {
	n.static = map[string]bool{}
	for _, pd := range d.Predicates {
		n.static[pd.Name] = !n.sym.derived[lower(pd.Name)]
	}
	var visit func(e EffectExpr)
	visit = func(e EffectExpr) {
		switch e := e.(type) {
		case *AndEffect:
			for _, g := range e.Effects {
				visit(g)
			}
		case *LiteralEffect:
			delete(n.static, n.predName[lower(e.Pred)])
		case *ForallEffect:
			visit(e.Body)
		case *WhenEffect:
			visit(e.Body)
		}
	}
	for _, a := range d.Actions {
		if a.Effect != nil {
			visit(a.Effect)
		}
	}
	n.initial = map[string]bool{}
	for _, f := range p.Init {
		args := make([]int, len(f.Args))
		for i, a := range f.Args {
			args[i] = n.sym.objIndex[lower(a)]
		}
		n.initial[groundKey(n.predName[lower(f.Pred)], args)] = true
	}
}

func (n *normalizer) objectsAndTypes() {
	t := n.task
	t.Objects = make([]string, len(n.sym.objects))
	sets := map[string][]int{}
	for i, o := range n.sym.objects {
		t.Objects[i] = o.name
		seen := map[string]bool{}
		for _, ty := range o.types {
			for ty != "" && !seen[ty] {
				seen[ty] = true
				sets[ty] = append(sets[ty], i)
				ty = n.sym.types[ty].parent
			}
		}
		if !seen[objectType] {
			sets[objectType] = append(sets[objectType], i)
		}
	}
	for _, key := range n.sym.typeOrder {
		objs := sets[key]
		sort.Ints(objs)
		if objs == nil {
			objs = []int{}
		}
		t.TypeObjects[n.sym.types[key].name] = objs
	}
}

// typeName resolves a declared type to the key of Task.TypeObjects,
// registering either types on first use.
func (n *normalizer) typeName(types []string) string {
	switch len(types) {
	case 0:
		return objectType
	case 1:
		return n.sym.types[lower(types[0])].name
	}
	var names []string
	seen := map[string]bool{}
	for _, ty := range types {
		name := n.sym.types[lower(ty)].name
		if !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	}
	if len(names) == 1 {
		return names[0]
	}
	key := "(either " + strings.Join(names, " ") + ")"
	if _, ok := n.task.TypeObjects[key]; !ok {
		var objs []int
		in := map[int]bool{}
		for _, name := range names {
			for _, o := range n.task.TypeObjects[name] {
				if !in[o] {
					in[o] = true
					objs = append(objs, o)
				}
			}
		}
		sort.Ints(objs)
		if objs == nil {
			objs = []int{}
		}
		n.task.TypeObjects[key] = objs
	}
	return key
}

func (n *normalizer) predicates(d *Domain) {
	n.predName = map[string]string{"=": "="}
	for _, pd := range d.Predicates {
		n.predName[lower(pd.Name)] = pd.Name
		n.task.Predicates = append(n.task.Predicates, Predicate{Name: pd.Name, Arity: len(pd.Params), Derived: n.sym.derived[lower(pd.Name)]})
	}
}

// funcName returns the declared spelling of a function.
func (n *normalizer) funcName(name string) string {
	if fd, ok := n.sym.funcs[lower(name)]; ok {
		return fd.Name
	}
	return lower(name) // total-cost without a declaration
}

// scope maps lower-cased variable names to terms.
type scope map[string]Term

func (s scope) with(name string, t Term) scope {
	out := make(scope, len(s)+1)
	for k, v := range s {
		out[k] = v
	}
	out[lower(name)] = t
	return out
}

// term resolves an argument; the checker has verified that it exists.
func (n *normalizer) term(arg string, env scope) Term {
	if strings.HasPrefix(arg, "?") {
		return env[lower(arg)]
	}
	return Term{Var: -1, Obj: n.sym.objIndex[lower(arg)]}
}

func (n *normalizer) atom(pred string, args []string, env scope) Atom {
	a := Atom{Pred: n.predName[lower(pred)], Args: make([]Term, len(args))}
	for i, arg := range args {
		a.Args[i] = n.term(arg, env)
	}
	return a
}

// bind starts the compilation of a condition over params: it returns the
// scope binding them to variables 0, 1, ... and records their types.
func (n *normalizer) bind(ps []TypedName) (scope, []Param) {
	env := scope{}
	n.vtype = map[int]string{}
	params := make([]Param, len(ps))
	for i, p := range ps {
		params[i] = Param{Name: p.Name, Type: n.typeName(p.Type)}
		env[lower(p.Name)] = Term{Var: i}
		n.vtype[i] = params[i].Type
	}
	return env, params
}

func (n *normalizer) action(a *ActionDef) {
	env, params := n.bind(a.Params)
	clauses := []clause{{}}
	if a.Precondition != nil {
		var err error
		fresh := len(params)
		clauses, err = n.condition(a.Precondition, env, &fresh)
		if err != nil {
			n.errs.add(a.Pos, "action %s: %v", a.Name, err)
			return
		}
	}
	for _, c := range clauses {
		c, ok := n.compact(c, len(params))
		if !ok {
			continue
		}
		act := Action{
			Name:         a.Name,
			Params:       append(append([]Param(nil), params...), c.params...),
			Precondition: c.lits,
			ExtraParams:  len(c.params),
		}
		if a.Effect != nil {
			ctx := effectContext{env: env, base: len(act.Params)}
			if err := n.effect(a.Effect, ctx, &act); err != nil {
				n.errs.add(a.Pos, "action %s: %v", a.Name, err)
				return
			}
		}
		n.task.Actions = append(n.task.Actions, act)
	}
}

// effectContext is what encloses an effect: the Forall parameters and
// condition literals gathered so far.
type effectContext struct {
	env    scope
	base   int // number of action parameters; Forall variables follow
	forall []Param
	cond   []Literal
}

func (n *normalizer) effect(e EffectExpr, ctx effectContext, act *Action) error {
	switch e := e.(type) {
	case *AndEffect:
		for _, g := range e.Effects {
			if err := n.effect(g, ctx, act); err != nil {
				return err
			}
		}
	case *LiteralEffect:
		act.Effects = append(act.Effects, Effect{
			Forall: append([]Param(nil), ctx.forall...),
			Cond:   append([]Literal(nil), ctx.cond...),
			Atom:   n.atom(e.Pred, e.Args, ctx.env),
			Delete: e.Negated,
		})
	case *ForallEffect:
		inner := ctx
		inner.forall = append([]Param(nil), ctx.forall...)
		for _, p := range e.Params {
			v := ctx.base + len(inner.forall)
			inner.env = inner.env.with(p.Name, Term{Var: v})
			inner.forall = append(inner.forall, Param{Name: p.Name, Type: n.typeName(p.Type)})
			n.vtype[v] = inner.forall[len(inner.forall)-1].Type
		}
		return n.effect(e.Body, inner, act)
	case *WhenEffect:
		start := ctx.base + len(ctx.forall)
		fresh := start
		clauses, err := n.condition(e.Cond, ctx.env, &fresh)
		if err != nil {
			return fmt.Errorf("condition at %s: %w", e.Cond.Position(), err)
		}
		for _, c := range clauses {
			c, ok := n.compact(c, start)
			if !ok {
				continue
			}
			inner := ctx
			inner.forall = append(append([]Param(nil), ctx.forall...), c.params...)
			inner.cond = append(append([]Literal(nil), ctx.cond...), c.lits...)
			if err := n.effect(e.Body, inner, act); err != nil {
				return err
			}
		}
	case *IncreaseEffect:
		if e.Amount.Func == "" {
			act.Cost.Value += e.Amount.Value
			return nil
		}
		if act.Cost.Func != "" {
			return fmt.Errorf("more than one function term in the cost: %w", ErrUnsupported)
		}
		act.Cost.Func = n.funcName(e.Amount.Func)
		act.Cost.Args = make([]Term, len(e.Amount.Args))
		for i, arg := range e.Amount.Args {
			act.Cost.Args[i] = n.term(arg, ctx.env)
		}
	}
	return nil
}

func (n *normalizer) init(p *Problem) {
	seen := map[string]bool{}
	for _, f := range p.Init {
		g := GroundAtom{Pred: n.predName[lower(f.Pred)], Args: make([]int, len(f.Args))}
		for i, a := range f.Args {
			g.Args[i] = n.sym.objIndex[lower(a)]
		}
		if k := g.key(); !seen[k] {
			seen[k] = true
			n.task.Init = append(n.task.Init, g)
		}
	}
	for _, v := range p.InitValues {
		fv := FunctionValue{Func: n.funcName(v.Func), Args: make([]int, len(v.Args)), Value: v.Value}
		for i, a := range v.Args {
			fv.Args[i] = n.sym.objIndex[lower(a)]
		}
		n.task.InitValues = append(n.task.InitValues, fv)
	}
}

// goal sets Task.Goal. A goal that is not a conjunction of ground literals
// keeps in Task.Goal the ground literals every disjunct shares (visible to
// heuristics as they are) and moves the rest into the rules of a derived
// predicate, goal-reached, that Task.Goal then requires.
func (n *normalizer) goal(p *Problem) {
	if p.Goal == nil {
		return
	}
	n.vtype = map[int]string{}
	fresh := 0
	raw, err := n.dnf(p.Goal, false, scope{}, &fresh)
	if err != nil {
		n.errs.add(p.Goal.Position(), "goal: %v", err)
		return
	}
	var clauses []clause
	for _, c := range raw {
		if c, ok := n.compact(c, 0); ok {
			clauses = append(clauses, c)
		}
	}
	// The ground literals of the first clause that every other clause
	// has, found through literal keys.
	litKey := func(l Literal) string {
		if l.Negated {
			return "-" + atomKey(l.Atom)
		}
		return "+" + atomKey(l.Atom)
	}
	var common []Literal
	inCommon := map[string]bool{}
	if len(clauses) > 0 {
		counts := map[string]int{}
		for _, c := range clauses[1:] {
			seen := map[string]bool{}
			for _, l := range c.lits {
				if k := litKey(l); !seen[k] {
					seen[k] = true
					counts[k]++
				}
			}
		}
		for _, l := range clauses[0].lits {
			if k := litKey(l); isGround(l.Atom) && !inCommon[k] && counts[k] == len(clauses)-1 {
				inCommon[k] = true
				common = append(common, l)
			}
		}
	}
	for _, l := range common {
		g := GroundLiteral{GroundAtom: GroundAtom{Pred: l.Pred, Args: make([]int, len(l.Args))}, Negated: l.Negated}
		for i, t := range l.Args {
			g.Args[i] = t.Obj
		}
		n.task.Goal = append(n.task.Goal, g)
	}
	rest := make([]clause, len(clauses))
	for i, c := range clauses {
		rest[i] = clause{params: c.params, vars: c.vars}
		for _, l := range c.lits {
			if !inCommon[litKey(l)] {
				rest[i].lits = append(rest[i].lits, l)
			}
		}
		if len(rest[i].lits) == 0 && len(rest[i].params) == 0 {
			return // this disjunct is the common part alone
		}
	}
	pred := n.freshPredicate("goal-reached")
	n.task.Predicates = append(n.task.Predicates, Predicate{Name: pred, Derived: true})
	for _, c := range rest {
		if r, ok := n.rule(c, nil, nil); ok {
			r.Head = Atom{Pred: pred}
			n.task.Axioms = append(n.task.Axioms, r)
		}
	}
	n.task.Goal = append(n.task.Goal, GroundLiteral{GroundAtom: GroundAtom{Pred: pred}})
}

func isGround(a Atom) bool {
	for _, t := range a.Args {
		if t.Var >= 0 {
			return false
		}
	}
	return true
}

func (n *normalizer) freshPredicate(base string) string {
	name := base
	for i := 1; ; i++ {
		if _, ok := n.predName[lower(name)]; !ok {
			n.predName[lower(name)] = name
			return name
		}
		name = fmt.Sprintf("%s-%d", base, i)
	}
}

// key identifies a ground atom.
func (g GroundAtom) key() string { return groundKey(g.Pred, g.Args) }
