package pddl

import (
	"fmt"
	"strconv"
	"strings"
)

// PlanError says why a plan is invalid: the first failing step (1-based;
// 0 when every step applies but the goal is not reached) and the reason.
type PlanError struct {
	Step   int
	Line   int    // the failing step's line in the plan file (Step.Line), or 0
	Action string // the failing step as written, "(move a b)"; empty for the goal
	Reason string
}

// Error says "step N (action args) at line L: reason" (without the line
// when it is unknown) or "goal not reached: reason".
func (e *PlanError) Error() string {
	if e.Step == 0 {
		return "goal not reached: " + e.Reason
	}
	if e.Line > 0 {
		return fmt.Sprintf("step %d %s at line %d: %s", e.Step, e.Action, e.Line, e.Reason)
	}
	return fmt.Sprintf("step %d %s: %s", e.Step, e.Action, e.Reason)
}

// Validate executes plan on task and returns its cost: the sum of the
// action costs when task.UsesCost is set, else the number of steps. It
// checks each step in order — the action exists, has that many arguments,
// the objects exist and have the parameter types, the precondition holds —
// applies the effects (conditions evaluated in the state before the step;
// deletes first, then adds, so an atom both deleted and added stays true),
// derives the atoms of the derived predicates from the axioms in every
// state, and finally checks the goal. The first failure is returned as a
// *PlanError; a Task that fails Task.Check is reported as such.
//
// Validate reads only the Task, independently of any planner. Steps name
// actions and objects case-insensitively; for an action that Normalize
// split into several (a disjunctive precondition) or that has ExtraParams
// (existential variables), the step is valid when some variant with some
// choice of the extra parameters applies.
func Validate(task *Task, plan []Step) (cost int64, err error) {
	if err := task.Check(); err != nil {
		return 0, fmt.Errorf("invalid task: %w", err)
	}
	v := newValidator(task)
	state := world{}
	for _, a := range task.Init {
		state.add(a)
	}
	v.derive(state)
	for i, step := range plan {
		c, reason := v.step(state, step)
		if reason != "" {
			return 0, &PlanError{Step: i + 1, Line: step.Line, Action: step.String(), Reason: reason}
		}
		cost += c
	}
	if reason := v.goal(state); reason != "" {
		return 0, &PlanError{Reason: reason}
	}
	return cost, nil
}

type validator struct {
	task    *Task
	objects map[string]int
	actions map[string][]*Action // by lower-cased name
	types   map[string]map[int]bool
	values  map[string]int64
	all     []int // every object, for types TypeObjects lacks
	// derived marks the derived predicates; strata lists the axioms
	// (indices into task.Axioms) of each stratum, lowest first.
	derived map[string]bool
	strata  [][]int
}

// world is a state: the true atoms, keyed by groundKey.
type world map[string]GroundAtom

func (w world) add(a GroundAtom) { w[a.key()] = a }

func newValidator(t *Task) *validator {
	v := &validator{
		task:    t,
		objects: make(map[string]int, len(t.Objects)),
		actions: map[string][]*Action{},
		types:   map[string]map[int]bool{},
		values:  map[string]int64{},
	}
	for i, o := range t.Objects {
		if _, dup := v.objects[lower(o)]; !dup {
			v.objects[lower(o)] = i
		}
	}
	for i := range t.Actions {
		a := &t.Actions[i]
		v.actions[lower(a.Name)] = append(v.actions[lower(a.Name)], a)
	}
	v.derived, v.strata = axiomStrata(t)
	for name, objs := range t.TypeObjects {
		set := make(map[int]bool, len(objs))
		for _, o := range objs {
			set[o] = true
		}
		v.types[name] = set
	}
	for _, fv := range t.InitValues {
		v.values[groundKey(fv.Func, fv.Args)] = fv.Value
	}
	return v
}

// groundKey identifies a ground atom or function term in maps.
func groundKey(pred string, args []int) string {
	b := make([]byte, 0, len(pred)+4*len(args))
	b = append(b, pred...)
	for _, a := range args {
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(a), 10)
	}
	return string(b)
}

// ofType reports whether object o may bind a parameter of type typ.
func (v *validator) ofType(o int, typ string) bool {
	if typ == "" || typ == objectType {
		return true
	}
	set, ok := v.types[typ]
	return ok && set[o]
}

// step applies one step to state and returns its cost, or a reason why it
// does not apply.
func (v *validator) step(state world, step Step) (int64, string) {
	cands := v.actions[lower(step.Action)]
	if len(cands) == 0 {
		return 0, fmt.Sprintf("unknown action %s", step.Action)
	}
	var arity []*Action
	for _, a := range cands {
		if a.PlanArity() == len(step.Args) {
			arity = append(arity, a)
		}
	}
	if len(arity) == 0 {
		return 0, fmt.Sprintf("action %s takes %d arguments, found %d", step.Action, cands[0].PlanArity(), len(step.Args))
	}
	args := make([]int, len(step.Args))
	for i, name := range step.Args {
		o, ok := v.objects[lower(name)]
		if !ok {
			return 0, fmt.Sprintf("unknown object %s", name)
		}
		args[i] = o
	}
	var reasons []string
	for _, a := range arity {
		binding, reason := v.bind(state, a, args)
		if reason == "" {
			v.apply(state, a, binding)
			return v.cost(a, binding)
		}
		reasons = append(reasons, reason)
	}
	for _, r := range reasons[1:] {
		if r != reasons[0] {
			return 0, "no disjunct of the precondition holds; in the first, " + reasons[0]
		}
	}
	// Every disjunct fails on the same literal (one they share).
	return 0, reasons[0]
}

// bind checks the argument types and finds values for the extra parameters
// that make the precondition true; it returns the full binding or why
// there is none.
func (v *validator) bind(state world, a *Action, args []int) ([]int, string) {
	for i, o := range args {
		if !v.ofType(o, a.Params[i].Type) {
			return nil, fmt.Sprintf("argument %d, %s, is not of type %s (parameter %s)", i+1, v.task.Objects[o], a.Params[i].Type, a.Params[i].Name)
		}
	}
	binding := make([]int, len(a.Params))
	copy(binding, args)
	reason := ""
	found := v.solve(state, binding, len(args), a.Params, a.Precondition, func([]int) bool { return true },
		func(l Literal, b []int) {
			if reason == "" {
				reason = "precondition " + v.literalString(l, b) + " is false"
			}
		})
	if !found {
		if reason == "" {
			reason = "no objects for its existential parameters"
		}
		return nil, reason
	}
	return binding, ""
}

// solve searches objects for binding[from:] (of the types of params) that
// make every literal of lits true, checking each literal as soon as its
// variables are bound, and calls visit on each solution until visit
// returns true; it reports whether it did. fail is told about each false
// literal met.
func (v *validator) solve(state world, binding []int, from int, params []Param, lits []Literal, visit func([]int) bool, fail func(Literal, []int)) bool {
	// ready[0] holds the literals decidable before binding anything,
	// ready[i-from+1] those decidable once variable i is bound.
	ready := make([][]Literal, len(binding)-from+1)
	for _, l := range lits {
		idx := 0
		for _, t := range l.Args {
			if t.Var >= from && t.Var-from+1 > idx {
				idx = t.Var - from + 1
			}
		}
		ready[idx] = append(ready[idx], l)
	}
	check := func(ls []Literal) bool {
		for _, l := range ls {
			if !v.holds(state, l, binding) {
				if fail != nil {
					fail(l, binding)
				}
				return false
			}
		}
		return true
	}
	if !check(ready[0]) {
		return false
	}
	var rec func(i int) bool
	rec = func(i int) bool {
		if i == len(binding) {
			return visit(binding)
		}
		for _, o := range v.objectsOf(params[i].Type) {
			binding[i] = o
			if check(ready[i-from+1]) && rec(i+1) {
				return true
			}
		}
		return false
	}
	return rec(from)
}

// objectsOf lists the objects of a type.
func (v *validator) objectsOf(typ string) []int {
	if objs, ok := v.task.TypeObjects[typ]; ok {
		return objs
	}
	if v.all == nil {
		v.all = make([]int, len(v.task.Objects))
		for i := range v.all {
			v.all[i] = i
		}
	}
	return v.all
}

func (v *validator) ground(t Term, binding []int) int {
	if t.Var < 0 {
		return t.Obj
	}
	return binding[t.Var]
}

func (v *validator) groundArgs(ts []Term, binding []int) []int {
	out := make([]int, len(ts))
	for i, t := range ts {
		out[i] = v.ground(t, binding)
	}
	return out
}

func (v *validator) holds(state world, l Literal, binding []int) bool {
	var truth bool
	if l.Pred == "=" && len(l.Args) == 2 {
		truth = v.ground(l.Args[0], binding) == v.ground(l.Args[1], binding)
	} else {
		_, truth = state[groundKey(l.Pred, v.groundArgs(l.Args, binding))]
	}
	return truth != l.Negated
}

func (v *validator) literalString(l Literal, binding []int) string {
	var b strings.Builder
	if l.Negated {
		b.WriteString("(not ")
	}
	b.WriteString("(" + l.Pred)
	for _, t := range l.Args {
		b.WriteString(" " + v.task.Objects[v.ground(t, binding)])
	}
	b.WriteString(")")
	if l.Negated {
		b.WriteString(")")
	}
	return b.String()
}

// apply evaluates every effect in the state before the action, then
// deletes and adds, and derives the derived atoms of the new state.
func (v *validator) apply(state world, a *Action, binding []int) {
	var adds, dels []GroundAtom
	for _, e := range a.Effects {
		full := make([]int, len(binding)+len(e.Forall))
		copy(full, binding)
		params := append(append([]Param(nil), a.Params...), e.Forall...)
		v.solve(state, full, len(binding), params, e.Cond, func(b []int) bool {
			g := GroundAtom{Pred: e.Atom.Pred, Args: v.groundArgs(e.Atom.Args, b)}
			if e.Delete {
				dels = append(dels, g)
			} else {
				adds = append(adds, g)
			}
			return false // visit every assignment
		}, nil)
	}
	for _, g := range dels {
		delete(state, g.key())
	}
	for _, g := range adds {
		state.add(g)
	}
	v.derive(state)
}

// cost returns the cost of applying a with binding.
func (v *validator) cost(a *Action, binding []int) (int64, string) {
	if !v.task.UsesCost {
		return 1, ""
	}
	c := a.Cost.Value
	if a.Cost.Func != "" {
		args := v.groundArgs(a.Cost.Args, binding)
		val, ok := v.values[groundKey(a.Cost.Func, args)]
		if !ok {
			return 0, "cost " + v.literalString(Literal{Atom: Atom{Pred: a.Cost.Func, Args: a.Cost.Args}}, binding) + " has no initial value"
		}
		c += val
	}
	return c, ""
}

// goal checks the goal.
func (v *validator) goal(state world) string {
	for _, g := range v.task.Goal {
		l := Literal{Atom: Atom{Pred: g.Pred, Args: make([]Term, len(g.Args))}, Negated: g.Negated}
		for i, o := range g.Args {
			l.Args[i] = Term{Var: -1, Obj: o}
		}
		if !v.holds(state, l, nil) {
			return v.literalString(l, nil) + " is false" + v.explain(state, g)
		}
	}
	return ""
}

// explain says why a derived atom is false: which literal of its first
// rule fails (for rules whose head is their first parameters, as Normalize
// makes them); "" when it cannot tell.
func (v *validator) explain(state world, g GroundLiteral) string {
	if g.Negated || !v.derived[g.Pred] {
		return ""
	}
	for i := range v.task.Axioms {
		ax := &v.task.Axioms[i]
		if ax.Head.Pred != g.Pred {
			continue
		}
		binding := make([]int, len(ax.Params))
		for j, t := range ax.Head.Args {
			if t.Var != j {
				return ""
			}
			binding[j] = g.Args[j]
		}
		why := ""
		v.solve(state, binding, len(ax.Head.Args), ax.Params, ax.Body, func([]int) bool { return true }, func(l Literal, b []int) {
			if why == "" {
				why = v.literalString(l, b)
			}
		})
		if why == "" {
			return ""
		}
		return " (no rule for " + g.Pred + " holds; in the first, " + why + " is false)"
	}
	return " (no rule for " + g.Pred + ")"
}
