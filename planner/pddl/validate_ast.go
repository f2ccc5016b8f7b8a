package pddl

import (
	"fmt"
	"strconv"
	"strings"
)

// ValidateAST executes plan on a domain and problem directly: it evaluates
// the conditions as written — negations, connectives, equality,
// quantifiers over the objects of their types, and derived predicates by
// iterating their rules to a fixpoint, stratum by stratum — without
// Normalize. It
// accepts and rejects the same plans as Normalize followed by Validate and
// computes the same cost, so each serves as a check of the other; its
// reasons are coarser (it names the failing step but not the literal).
// Errors in d or p are returned as an ErrorList, an invalid plan as a
// *PlanError.
func ValidateAST(d *Domain, p *Problem, plan []Step) (cost int64, err error) {
	if p == nil {
		return 0, ErrorList{{Msg: "no problem"}}
	}
	x, err := newASTExec(d, p)
	if err != nil {
		return 0, err
	}
	for i, step := range plan {
		c, reason := x.step(step)
		if reason != "" {
			return 0, &PlanError{Step: i + 1, Line: step.Line, Action: step.String(), Reason: reason}
		}
		cost += c
	}
	if !x.goalHolds() {
		return 0, &PlanError{Reason: "the goal " + FormatFormula(p.Goal) + " is false"}
	}
	return cost, nil
}

func newASTExec(d *Domain, p *Problem) (*astExec, error) {
	sym, errs := check(d, p, false)
	if len(errs) > 0 {
		return nil, errs
	}
	x := &astExec{sym: sym, goal: p.Goal, state: map[string]bool{}, values: map[string]int64{}, actions: map[string]*ActionDef{}, typeObjs: map[string][]int{}}
	for _, f := range p.Init {
		x.state[x.key(f.Pred, f.Args, nil)] = true
	}
	for _, v := range p.InitValues {
		x.values[x.key(v.Func, v.Args, nil)] = v.Value
	}
	for _, a := range d.Actions {
		x.actions[lower(a.Name)] = a
	}
	x.strata = derivedStrata(d.Derived)
	x.derive()
	x.usesCost = p.Metric != nil && !p.Metric.Maximize && lower(p.Metric.Func) == totalCost
	return x, nil
}

func (x *astExec) goalHolds() bool { return x.goal == nil || x.eval(x.goal, astEnv{}) }

// clone copies the executor's state.
func (x *astExec) clone() *astExec {
	c := *x
	c.state = make(map[string]bool, len(x.state))
	for k, v := range x.state {
		c.state[k] = v
	}
	return &c
}

// astExec is the state of ValidateAST: atoms are keyed by lower-cased
// predicate and object names.
type astExec struct {
	sym      *symbols
	state    map[string]bool
	values   map[string]int64
	actions  map[string]*ActionDef
	goal     Formula
	usesCost bool
	// strata holds the :derived rules grouped by stratum, lowest first.
	strata [][]*DerivedDef
	// typeObjs caches objectsOf.
	typeObjs map[string][]int
}

// env binds lower-cased variable names to object indices.
type astEnv map[string]int

func (x *astExec) object(arg string, env astEnv) int {
	if strings.HasPrefix(arg, "?") {
		return env[lower(arg)]
	}
	return x.sym.objIndex[lower(arg)]
}

func (x *astExec) key(pred string, args []string, env astEnv) string {
	b := make([]byte, 0, len(pred)+4*len(args))
	b = append(b, lower(pred)...)
	for _, a := range args {
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(x.object(a, env)), 10)
	}
	return string(b)
}

// isA reports whether object o belongs to a declared type (nil: object;
// several: either).
func (x *astExec) isA(o int, types []string) bool {
	if len(types) == 0 {
		return true
	}
	for _, want := range types {
		want = lower(want)
		for _, t := range x.sym.objects[o].types {
			for seen := 0; t != "" && seen <= len(x.sym.types); seen++ {
				if t == want {
					return true
				}
				t = x.sym.types[t].parent
			}
		}
		if want == objectType {
			return true
		}
	}
	return false
}

// each calls f for every binding of params (extending env) until f
// returns true; it reports whether it did.
// The binding is made in env itself and undone before each returns, so f
// must not keep env.
func (x *astExec) each(params []TypedName, env astEnv, f func(astEnv) bool) bool {
	if len(params) == 0 {
		return f(env)
	}
	name := lower(params[0].Name)
	old, shadowed := env[name]
	defer func() {
		if shadowed {
			env[name] = old
		} else {
			delete(env, name)
		}
	}()
	for _, o := range x.objectsOf(params[0].Type) {
		env[name] = o
		if x.each(params[1:], env, f) {
			return true
		}
	}
	return false
}

// objectsOf lists the objects of a declared type, computed once per type.
func (x *astExec) objectsOf(types []string) []int {
	key := strings.ToLower(strings.Join(types, " "))
	if objs, ok := x.typeObjs[key]; ok {
		return objs
	}
	objs := []int{}
	for o := range x.sym.objects {
		if x.isA(o, types) {
			objs = append(objs, o)
		}
	}
	x.typeObjs[key] = objs
	return objs
}

func (x *astExec) eval(f Formula, env astEnv) bool {
	switch f := f.(type) {
	case *AtomFormula:
		if f.Pred == "=" {
			return x.object(f.Args[0], env) == x.object(f.Args[1], env)
		}
		if x.sym.isTypeAtom(f) {
			return x.isA(x.object(f.Args[0], env), []string{f.Pred})
		}
		return x.state[x.key(f.Pred, f.Args, env)]
	case *NotFormula:
		return !x.eval(f.Arg, env)
	case *AndFormula:
		for _, g := range f.Args {
			if !x.eval(g, env) {
				return false
			}
		}
		return true
	case *OrFormula:
		for _, g := range f.Args {
			if x.eval(g, env) {
				return true
			}
		}
		return false
	case *ImplyFormula:
		return !x.eval(f.If, env) || x.eval(f.Then, env)
	case *ExistsFormula:
		return x.each(f.Params, env, func(e astEnv) bool { return x.eval(f.Body, e) })
	case *ForallFormula:
		return !x.each(f.Params, env, func(e astEnv) bool { return !x.eval(f.Body, e) })
	}
	return false
}

// applies checks a step: the action exists, its arguments fit, and its
// precondition holds; it returns the action and the binding of its
// parameters, or why not.
func (x *astExec) applies(step Step) (*ActionDef, astEnv, string) {
	a, ok := x.actions[lower(step.Action)]
	if !ok {
		return nil, nil, "unknown action " + step.Action
	}
	if len(a.Params) != len(step.Args) {
		return nil, nil, fmt.Sprintf("action %s takes %d arguments, found %d", step.Action, len(a.Params), len(step.Args))
	}
	env := astEnv{}
	for i, name := range step.Args {
		o, ok := x.sym.objIndex[lower(name)]
		if !ok {
			return nil, nil, "unknown object " + name
		}
		if !x.isA(o, a.Params[i].Type) {
			return nil, nil, fmt.Sprintf("argument %d, %s, is not of type %s", i+1, name, typeString(a.Params[i].Type))
		}
		env[lower(a.Params[i].Name)] = o
	}
	if a.Precondition != nil && !x.eval(a.Precondition, env) {
		return nil, nil, "precondition " + FormatFormula(a.Precondition) + " is false"
	}
	return a, env, ""
}

func (x *astExec) step(step Step) (int64, string) {
	usesCost := x.usesCost
	a, env, why := x.applies(step)
	if why != "" {
		return 0, why
	}
	var adds, dels []string
	cost := int64(0)
	var missing string
	if a.Effect != nil {
		x.effect(a.Effect, env, &adds, &dels, &cost, &missing)
	}
	if missing != "" && usesCost {
		return 0, "cost " + missing + " has no initial value"
	}
	for _, k := range dels {
		delete(x.state, k)
	}
	for _, k := range adds {
		x.state[k] = true
	}
	x.derive()
	if !usesCost {
		return 1, ""
	}
	return cost, ""
}

// effect collects the atoms e adds and deletes and the cost it adds,
// evaluating conditions in the current (not yet changed) state.
func (x *astExec) effect(e EffectExpr, env astEnv, adds, dels *[]string, cost *int64, missing *string) {
	switch e := e.(type) {
	case *AndEffect:
		for _, g := range e.Effects {
			x.effect(g, env, adds, dels, cost, missing)
		}
	case *LiteralEffect:
		k := x.key(e.Pred, e.Args, env)
		if e.Negated {
			*dels = append(*dels, k)
		} else {
			*adds = append(*adds, k)
		}
	case *ForallEffect:
		x.each(e.Params, env, func(inner astEnv) bool {
			x.effect(e.Body, inner, adds, dels, cost, missing)
			return false
		})
	case *WhenEffect:
		if x.eval(e.Cond, env) {
			x.effect(e.Body, env, adds, dels, cost, missing)
		}
	case *IncreaseEffect:
		if e.Amount.Func == "" {
			*cost += e.Amount.Value
			return
		}
		v, ok := x.values[x.key(e.Amount.Func, e.Amount.Args, env)]
		if !ok && *missing == "" {
			names := make([]string, len(e.Amount.Args))
			for i, a := range e.Amount.Args {
				names[i] = x.sym.objects[x.object(a, env)].name
			}
			*missing = atomString(e.Amount.Func, names)
		}
		*cost += v
	}
}

// derivedStrata groups derived-predicate rules by stratum, lowest first (the
// strongly connected components of their dependencies).
func derivedStrata(rules []*DerivedDef) [][]*DerivedDef {
	deps := map[string][]string{}
	var heads []string
	for _, r := range rules {
		h := lower(r.Name)
		if _, ok := deps[h]; !ok {
			heads = append(heads, h)
			deps[h] = nil
		}
	}
	for _, r := range rules {
		h := lower(r.Name)
		walkOccurrences(r.Body, false, func(pred string, _ bool) {
			if _, ok := deps[lower(pred)]; ok {
				deps[h] = append(deps[h], lower(pred))
			}
		})
	}
	comp := sccs(heads, func(v string) []string { return deps[v] })
	n := 0
	for _, c := range comp {
		n = max(n, c+1)
	}
	strata := make([][]*DerivedDef, n)
	for _, r := range rules {
		c := comp[lower(r.Name)]
		strata[c] = append(strata[c], r)
	}
	return strata
}

// derive recomputes the derived atoms: it drops them and applies the rules
// of each stratum, for every assignment of their parameters, until nothing
// new holds.
func (x *astExec) derive() {
	if len(x.strata) == 0 {
		return
	}
	for _, s := range x.strata {
		for _, r := range s {
			prefix := lower(r.Name)
			for k := range x.state {
				if k == prefix || strings.HasPrefix(k, prefix+" ") {
					delete(x.state, k)
				}
			}
		}
	}
	for _, s := range x.strata {
		// After the first round, a rule is evaluated again only when a
		// predicate its body mentions gained atoms in the round before.
		var changed map[string]bool
		for round := 0; round == 0 || len(changed) > 0; round++ {
			last := changed
			changed = map[string]bool{}
			for _, r := range s {
				if round > 0 && !mentionsAny(r.Body, last) {
					continue
				}
				x.each(r.Params, astEnv{}, func(env astEnv) bool {
					names := make([]string, len(r.Params))
					for i, p := range r.Params {
						names[i] = p.Name
					}
					k := x.key(r.Name, names, env)
					if !x.state[k] && x.eval(r.Body, env) {
						x.state[k] = true
						changed[lower(r.Name)] = true
					}
					return false
				})
			}
		}
	}
}

// mentionsAny reports whether f mentions one of preds (lower-cased).
func mentionsAny(f Formula, preds map[string]bool) bool {
	found := false
	walkOccurrences(f, false, func(pred string, _ bool) {
		found = found || preds[lower(pred)]
	})
	return found
}
