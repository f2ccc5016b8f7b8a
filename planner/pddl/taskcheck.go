package pddl

import "fmt"

// Check reports the first inconsistency of a Task built in Go (Normalize
// output always passes): object indices out of range, variables not bound
// by the action's, the effect's or the axiom's parameters, atoms whose
// predicate is not declared or has another arity, parameter types missing
// from TypeObjects, derived predicates changed by an effect, listed in
// Init or defined by no axiom's head but their own, and axioms that are
// not stratified. Validate calls it before executing a plan.
func (t *Task) Check() error {
	arity := map[string]int{"=": 2}
	derived := map[string]bool{}
	for _, p := range t.Predicates {
		arity[p.Name] = p.Arity
		derived[p.Name] = p.Derived
	}
	types := func(ps []Param, where string) error {
		for _, p := range ps {
			if p.Type == "" || p.Type == objectType {
				continue
			}
			if _, ok := t.TypeObjects[p.Type]; !ok {
				return fmt.Errorf("%s: parameter %s has type %s, which TypeObjects lacks", where, p.Name, p.Type)
			}
		}
		return nil
	}
	atom := func(a Atom, vars int, where string) error {
		n, ok := arity[a.Pred]
		if !ok {
			return fmt.Errorf("%s: undeclared predicate %s", where, a.Pred)
		}
		if n != len(a.Args) {
			return fmt.Errorf("%s: predicate %s takes %d arguments, found %d", where, a.Pred, n, len(a.Args))
		}
		for _, tm := range a.Args {
			if tm.Var >= vars || tm.Var < 0 && (tm.Obj < 0 || tm.Obj >= len(t.Objects)) {
				return fmt.Errorf("%s: argument of %s out of range (var %d, obj %d)", where, a.Pred, tm.Var, tm.Obj)
			}
		}
		return nil
	}
	ground := func(pred string, args []int, where string) error {
		n, ok := arity[pred]
		if !ok {
			return fmt.Errorf("%s: undeclared predicate %s", where, pred)
		}
		if n != len(args) {
			return fmt.Errorf("%s: predicate %s takes %d arguments, found %d", where, pred, n, len(args))
		}
		for _, o := range args {
			if o < 0 || o >= len(t.Objects) {
				return fmt.Errorf("%s: object %d of %s out of range", where, o, pred)
			}
		}
		return nil
	}
	for _, objs := range t.TypeObjects {
		for _, o := range objs {
			if o < 0 || o >= len(t.Objects) {
				return fmt.Errorf("TypeObjects: object %d out of range", o)
			}
		}
	}
	for i := range t.Actions {
		a := &t.Actions[i]
		where := "action " + a.Name
		if a.ExtraParams < 0 || a.ExtraParams > len(a.Params) {
			return fmt.Errorf("%s: ExtraParams %d out of range", where, a.ExtraParams)
		}
		if err := types(a.Params, where); err != nil {
			return err
		}
		for _, l := range a.Precondition {
			if err := atom(l.Atom, len(a.Params), where); err != nil {
				return err
			}
		}
		for _, e := range a.Effects {
			vars := len(a.Params) + len(e.Forall)
			if err := types(e.Forall, where); err != nil {
				return err
			}
			for _, l := range e.Cond {
				if err := atom(l.Atom, vars, where); err != nil {
					return err
				}
			}
			if e.Atom.Pred == "=" {
				return fmt.Errorf("%s: an effect cannot change =", where)
			}
			if derived[e.Atom.Pred] {
				return fmt.Errorf("%s: an effect cannot change the derived predicate %s", where, e.Atom.Pred)
			}
			if err := atom(e.Atom, vars, where); err != nil {
				return err
			}
		}
		for _, tm := range a.Cost.Args {
			if tm.Var >= len(a.Params) || tm.Var < 0 && (tm.Obj < 0 || tm.Obj >= len(t.Objects)) {
				return fmt.Errorf("%s: cost argument out of range", where)
			}
		}
	}
	for i := range t.Axioms {
		ax := &t.Axioms[i]
		where := "axiom for " + ax.Head.Pred
		if !derived[ax.Head.Pred] {
			return fmt.Errorf("%s: the head's predicate is not marked Derived", where)
		}
		if err := types(ax.Params, where); err != nil {
			return err
		}
		if err := atom(ax.Head, len(ax.Params), where); err != nil {
			return err
		}
		for _, l := range ax.Body {
			if err := atom(l.Atom, len(ax.Params), where); err != nil {
				return err
			}
		}
	}
	if err := t.checkStratified(derived); err != nil {
		return err
	}
	for _, g := range t.Init {
		if err := ground(g.Pred, g.Args, "init"); err != nil {
			return err
		}
		if derived[g.Pred] {
			return fmt.Errorf("init: the derived predicate %s cannot be an initial atom", g.Pred)
		}
	}
	for _, g := range t.Goal {
		if err := ground(g.Pred, g.Args, "goal"); err != nil {
			return err
		}
	}
	for _, v := range t.InitValues {
		for _, o := range v.Args {
			if o < 0 || o >= len(t.Objects) {
				return fmt.Errorf("initial value of %s: object %d out of range", v.Func, o)
			}
		}
	}
	return nil
}

// checkStratified reports an axiom whose body mentions negatively a derived
// predicate that depends on the axiom's head.
func (t *Task) checkStratified(derived map[string]bool) error {
	_, strata := axiomStrata(t)
	stratum := map[string]int{}
	for i, s := range strata {
		for _, ai := range s {
			stratum[t.Axioms[ai].Head.Pred] = i
		}
	}
	for _, ax := range t.Axioms {
		for _, l := range ax.Body {
			if l.Negated && derived[l.Pred] && stratum[l.Pred] == stratum[ax.Head.Pred] {
				if _, defined := stratum[l.Pred]; defined {
					return fmt.Errorf("axiom for %s: the axioms are not stratified: it depends on (not %s), which depends on %s", ax.Head.Pred, l.Pred, ax.Head.Pred)
				}
			}
		}
	}
	return nil
}
