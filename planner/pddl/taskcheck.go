package pddl

import "fmt"

// Check reports the first inconsistency of a Task built in Go (Normalize
// output always passes): object indices out of range, variables not bound
// by the action's or the effect's parameters, atoms whose predicate is not
// declared or has another arity, parameter types missing from TypeObjects.
// Validate calls it before executing a plan.
func (t *Task) Check() error {
	arity := map[string]int{"=": 2}
	for _, p := range t.Predicates {
		arity[p.Name] = p.Arity
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
	for _, g := range t.Init {
		if err := ground(g.Pred, g.Args, "init"); err != nil {
			return err
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
