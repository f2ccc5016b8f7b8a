package pddl

import (
	"fmt"
	"strings"
)

// ValidateAST executes plan on a domain and problem directly: it evaluates
// the conditions as written — negations, connectives, equality, and
// quantifiers over the objects of their types — without Normalize. It
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
	sym, errs := check(d, p)
	if len(errs) > 0 {
		return nil, errs
	}
	x := &astExec{sym: sym, goal: p.Goal, state: map[string]bool{}, values: map[string]int64{}, actions: map[string]*ActionDef{}}
	for _, f := range p.Init {
		x.state[x.key(f.Pred, f.Args, nil)] = true
	}
	for _, v := range p.InitValues {
		x.values[x.key(v.Func, v.Args, nil)] = v.Value
	}
	for _, a := range d.Actions {
		x.actions[lower(a.Name)] = a
	}
	x.usesCost = p.Metric != nil && !p.Metric.Maximize && lower(p.Metric.Func) == totalCost
	return x, nil
}

func (x *astExec) goalHolds() bool { return x.goal == nil || x.eval(x.goal, nil) }

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
	var b strings.Builder
	b.WriteString(lower(pred))
	for _, a := range args {
		fmt.Fprintf(&b, " %d", x.object(a, env))
	}
	return b.String()
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
func (x *astExec) each(params []TypedName, env astEnv, f func(astEnv) bool) bool {
	if len(params) == 0 {
		return f(env)
	}
	for o := range x.sym.objects {
		if !x.isA(o, params[0].Type) {
			continue
		}
		inner := make(astEnv, len(env)+1)
		for k, v := range env {
			inner[k] = v
		}
		inner[lower(params[0].Name)] = o
		if x.each(params[1:], inner, f) {
			return true
		}
	}
	return false
}

func (x *astExec) eval(f Formula, env astEnv) bool {
	switch f := f.(type) {
	case *AtomFormula:
		if f.Pred == "=" {
			return x.object(f.Args[0], env) == x.object(f.Args[1], env)
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

func (x *astExec) step(step Step) (int64, string) {
	usesCost := x.usesCost
	a, ok := x.actions[lower(step.Action)]
	if !ok {
		return 0, "unknown action " + step.Action
	}
	if len(a.Params) != len(step.Args) {
		return 0, fmt.Sprintf("action %s takes %d arguments, found %d", step.Action, len(a.Params), len(step.Args))
	}
	env := astEnv{}
	for i, name := range step.Args {
		o, ok := x.sym.objIndex[lower(name)]
		if !ok {
			return 0, "unknown object " + name
		}
		if !x.isA(o, a.Params[i].Type) {
			return 0, fmt.Sprintf("argument %d, %s, is not of type %s", i+1, name, typeString(a.Params[i].Type))
		}
		env[lower(a.Params[i].Name)] = o
	}
	if a.Precondition != nil && !x.eval(a.Precondition, env) {
		return 0, "precondition " + FormatFormula(a.Precondition) + " is false"
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
