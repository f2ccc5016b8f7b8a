package search

import (
	"fmt"
	"slices"
	"strings"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
)

// build turns the reachable atoms, action and axiom instances into a Task.
// Primary facts are numbered first, derived facts after them.
func (g *grounder) build() (*Task, error) {
	t := g.task
	p := &Task{UsesCost: t.UsesCost}
	derived := make([]bool, len(g.preds))
	for _, pr := range t.Predicates {
		if pr.Derived {
			derived[g.predID[pr.Name]] = true
		}
	}
	for _, ax := range t.Axioms {
		derived[g.predID[ax.Head.Pred]] = true
	}
	factOf := make([]int32, len(g.atoms))
	for pass := range 2 {
		for i, a := range g.atoms {
			if pass == 0 {
				factOf[i] = -1
			}
			if g.static[a.pred] || derived[a.pred] != (pass == 1) {
				continue
			}
			factOf[i] = int32(len(p.Facts))
			var sb strings.Builder
			sb.WriteString(g.preds[a.pred])
			for _, o := range a.args {
				sb.WriteByte(' ')
				sb.WriteString(t.Objects[o])
			}
			p.Facts = append(p.Facts, sb.String())
		}
		if pass == 0 {
			p.Primary = len(p.Facts)
		}
	}
	// fact returns the fact of a ground atom: (id, true) for a reachable
	// fluent atom, (-1, holds) for a static one, (-1, false) for an
	// unreachable fluent one (never true).
	fact := func(pred int, args []int) (int32, bool) {
		id, ok := g.lookup(pred, args)
		if g.static[pred] {
			return -1, ok
		}
		if !ok {
			return -1, false
		}
		return factOf[id], true
	}
	for _, a := range t.Init {
		if f, _ := fact(g.predID[a.Pred], a.Args); f >= 0 {
			p.Init = append(p.Init, f)
		}
	}
	slices.Sort(p.Init)
	p.Init = slices.Compact(p.Init)
	defer sortUnique(&p.Goal)
	defer sortUnique(&p.NegGoal)
	for _, l := range t.Goal {
		f, holds := fact(g.predID[l.Pred], l.Args)
		switch {
		case f >= 0 && l.Negated:
			p.NegGoal = append(p.NegGoal, f)
		case f >= 0:
			p.Goal = append(p.Goal, f)
		case holds == l.Negated:
			p.Unsolvable = true
		}
	}
	costs := map[string]int64{}
	for _, fv := range t.InitValues {
		costs[costKey(fv.Func, fv.Args)] = fv.Value
	}
	var args []int
	// literals adds the fluent literals of ls, bound by bind, to pre and neg
	// and reports false when a static or unreachable one cannot hold.
	// Equalities are left to the callers.
	literals := func(ls []pddl.Literal, bind []int, pre, neg *[]int32) bool {
		for _, l := range ls {
			if l.Pred == "=" {
				continue
			}
			args = groundArgs(args[:0], l.Args, bind)
			f, holds := fact(g.predID[l.Pred], args)
			switch {
			case f >= 0 && l.Negated:
				*neg = append(*neg, f)
			case f >= 0:
				*pre = append(*pre, f)
			case holds == l.Negated:
				return false
			}
		}
		return true
	}
	for _, in := range g.insts {
		a := &t.Actions[in.action]
		op := Operator{Name: a.Name, Action: in.action, Cost: 1}
		for _, o := range in.args[:max(0, min(len(in.args), len(a.Params)-a.ExtraParams))] {
			op.Args = append(op.Args, t.Objects[o])
		}
		// Equalities of the precondition were checked during grounding.
		if !literals(a.Precondition, in.args, &op.Pre, &op.NegPre) {
			continue
		}
		if t.UsesCost {
			op.Cost = a.Cost.Value
			if a.Cost.Func != "" {
				args = groundArgs(args[:0], a.Cost.Args, in.args)
				op.Cost += costs[costKey(a.Cost.Func, args)]
			}
		}
		if err := g.groundEffects(&op, a, in.args, fact, literals); err != nil {
			return nil, err
		}
		sortUnique(&op.Pre)
		sortUnique(&op.NegPre)
		sortUnique(&op.Add)
		sortUnique(&op.Del)
		simplifyEffects(&op)
		if len(op.Add) == 0 && len(op.Del) == 0 && len(op.Cond) == 0 {
			continue
		}
		p.Operators = append(p.Operators, op)
	}
	for _, in := range g.axInsts {
		ax := &t.Axioms[in.action]
		var gax Axiom
		// Equalities of the body were checked during grounding.
		if !literals(ax.Body, in.args, &gax.Pre, &gax.NegPre) {
			continue
		}
		args = groundArgs(args[:0], ax.Head.Args, in.args)
		f, _ := fact(g.predID[ax.Head.Pred], args)
		if f < 0 {
			continue
		}
		gax.Head = f
		sortUnique(&gax.Pre)
		sortUnique(&gax.NegPre)
		p.Axioms = append(p.Axioms, gax)
	}
	p.pruneIrrelevant()
	if err := p.assignLayers(); err != nil {
		return nil, err
	}
	return p, nil
}

func (g *grounder) groundEffects(op *Operator, a *pddl.Action, params []int, fact func(int, []int) (int32, bool), literals func([]pddl.Literal, []int, *[]int32, *[]int32) bool) error {
	var args []int
	n := len(params)
	for ei := range a.Effects {
		e := &a.Effects[ei]
		bind := append([]int(nil), params...)
		var objs [][]int
		var masks [][]bool
		for _, fp := range e.Forall {
			m, o, err := g.typeMask(fp.Type)
			if err != nil {
				return err
			}
			objs = append(objs, o)
			masks = append(masks, m)
		}
		bind = append(bind, make([]int, len(e.Forall))...)
		// fixed marks the quantified variables the seed literal binds.
		fixed := make([]bool, len(e.Forall))
		var rec func(k int)
		rec = func(k int) {
			if k < len(e.Forall) {
				if fixed[k] {
					rec(k + 1)
					return
				}
				for _, o := range objs[k] {
					bind[n+k] = o
					rec(k + 1)
				}
				return
			}
			for _, l := range e.Cond {
				if l.Pred == "=" && (bindArg(l.Args[0], bind) == bindArg(l.Args[1], bind)) == l.Negated {
					return // the condition never holds
				}
			}
			var ce CondEffect
			if !literals(e.Cond, bind, &ce.Pre, &ce.NegPre) {
				return // the condition never holds
			}
			args = groundArgs(args[:0], e.Atom.Args, bind)
			f, _ := fact(g.predID[e.Atom.Pred], args)
			if f < 0 {
				return // deleting an unreachable atom, or (impossible) adding a static one
			}
			// Conditions already implied by the precondition are dropped.
			ce.Pre = slices.DeleteFunc(ce.Pre, func(x int32) bool { return slices.Contains(op.Pre, x) })
			ce.NegPre = slices.DeleteFunc(ce.NegPre, func(x int32) bool { return slices.Contains(op.NegPre, x) })
			if len(ce.Pre) == 0 && len(ce.NegPre) == 0 {
				if e.Delete {
					op.Del = append(op.Del, f)
				} else {
					op.Add = append(op.Add, f)
				}
				return
			}
			sortUnique(&ce.Pre)
			sortUnique(&ce.NegPre)
			ce.Fact, ce.Delete = f, e.Delete
			op.Cond = append(op.Cond, ce)
		}
		seed := effectSeed(e, n)
		if seed == nil {
			rec(0)
			continue
		}
		// The condition holds only where its seed literal does: bind the
		// quantified variables of the seed from its reachable atoms
		// (those that agree with the bound arguments) rather than trying
		// every object of their types.
	atoms:
		for _, id := range g.seedAtoms(seed, bind, n) {
			clear(fixed)
			for i, t := range seed.Args {
				o := g.atoms[id].args[i]
				switch k := t.Var - n; {
				case t.Var < 0:
					if o != t.Obj {
						continue atoms
					}
				case k < 0:
					if o != bind[t.Var] {
						continue atoms
					}
				case fixed[k]:
					if o != bind[t.Var] {
						continue atoms
					}
				case !masks[k][o]:
					continue atoms
				default:
					fixed[k] = true
					bind[t.Var] = o
				}
			}
			rec(0)
		}
	}
	return nil
}

// effectSeed picks the positive literal of a quantified effect's condition
// to enumerate its variables from (see groundEffects): one over the most
// quantified variables (numbered from n), preferring one with a bound
// argument, through which the atoms are indexed; nil when none mentions a
// quantified variable.
func effectSeed(e *pddl.Effect, n int) *pddl.Literal {
	var best *pddl.Literal
	bestScore := 0
	for i := range e.Cond {
		l := &e.Cond[i]
		if l.Negated || l.Pred == "=" {
			continue
		}
		quantified, bound := 0, 0
		seen := map[int]bool{}
		for _, t := range l.Args {
			switch {
			case t.Var >= n && !seen[t.Var]:
				seen[t.Var] = true
				quantified++
			case t.Var < n:
				bound = 1
			}
		}
		if score := 2*quantified + bound; quantified > 0 && score > bestScore {
			best, bestScore = l, score
		}
	}
	return best
}

// seedAtoms returns the reachable atoms of l's predicate that may agree
// with its bound arguments (variables below n, and objects): the shortest index list of a bound argument,
// or every atom of the predicate when none is bound.
func (g *grounder) seedAtoms(l *pddl.Literal, bind []int, n int) []int32 {
	pred, ok := g.predID[l.Pred]
	if !ok {
		return nil
	}
	list := g.byPred[pred]
	for i, t := range l.Args {
		if t.Var >= n {
			continue // quantified
		}
		if c := g.index[[3]int{pred, i, bindArg(t, bind)}]; len(c) < len(list) {
			list = c
		}
	}
	return list
}

func bindArg(t pddl.Term, bind []int) int {
	if t.Var < 0 {
		return t.Obj
	}
	return bind[t.Var]
}

func groundArgs(dst []int, terms []pddl.Term, bind []int) []int {
	for _, t := range terms {
		dst = append(dst, bindArg(t, bind))
	}
	return dst
}

func costKey(fn string, args []int) string {
	return fmt.Sprint(fn, args)
}

func sortUnique(s *[]int32) {
	slices.Sort(*s)
	*s = slices.Compact(*s)
}

// simplifyEffects drops the effects that cannot change a state in which the
// operator applies: an atom both deleted and added ends up true, so its
// delete goes; adding a precondition, or deleting an atom the
// precondition requires false, changes nothing; the same holds for a
// conditional effect given its condition, and a conditional effect that
// an unconditional add makes moot. But a conditional add of an atom that
// the operator may also delete stays, even where the atom holds before:
// it is what keeps the atom true (the add wins).
func simplifyEffects(op *Operator) {
	in := func(fs []int32, f int32) bool {
		_, found := slices.BinarySearch(fs, f)
		return found
	}
	add := op.Add
	op.Del = slices.DeleteFunc(op.Del, func(f int32) bool { return in(add, f) || in(op.NegPre, f) })
	deleted := append([]int32(nil), op.Del...)
	keep := func(ce CondEffect) bool {
		if ce.Delete {
			return !in(add, ce.Fact) && !in(op.NegPre, ce.Fact) && !in(ce.NegPre, ce.Fact)
		}
		return !in(add, ce.Fact) && (!in(op.Pre, ce.Fact) && !in(ce.Pre, ce.Fact) || in(deleted, ce.Fact))
	}
	for _, ce := range op.Cond {
		if ce.Delete && keep(ce) {
			deleted = append(deleted, ce.Fact)
		}
	}
	sortUnique(&deleted)
	op.Cond = slices.DeleteFunc(op.Cond, func(ce CondEffect) bool { return !keep(ce) })
	// An unconditional add wins over every delete: deleted holds none.
	op.Add = slices.DeleteFunc(slices.Clone(add), func(f int32) bool { return in(op.Pre, f) })
}
