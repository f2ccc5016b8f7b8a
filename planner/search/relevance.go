package search

import "slices"

// pruneIrrelevant removes what cannot matter for reaching the goal, as
// Fast Downward's translator removes the variables that do not influence
// the goal. A fact is relevant when the goal mentions it, or when it is a
// condition of an operator or axiom that changes or derives a relevant
// fact (a precondition, or the condition of an effect on a relevant fact).
// Effects on other facts are dropped, then the operators and axioms left
// without effect, then the facts; the facts are renumbered, primary ones
// first. A plan of the pruned task is a plan of the task, and a plan of
// the task without its operators that change no relevant fact is a plan of
// the pruned task; states that differ only in irrelevant facts become one.
func (t *Task) pruneIrrelevant() {
	t.fixConstants()
	n := len(t.Facts)
	relevant := make([]bool, n)
	var queue []int32
	mark := func(fs []int32) {
		for _, f := range fs {
			if !relevant[f] {
				relevant[f] = true
				queue = append(queue, f)
			}
		}
	}
	// Who changes or derives each fact.
	type change struct {
		op, cond int32 // operator, and conditional effect (-1: unconditional)
	}
	changers := make([][]change, n)
	for oi := range t.Operators {
		o := &t.Operators[oi]
		for _, f := range o.Add {
			changers[f] = append(changers[f], change{int32(oi), -1})
		}
		for _, f := range o.Del {
			changers[f] = append(changers[f], change{int32(oi), -1})
		}
		for ci, ce := range o.Cond {
			changers[ce.Fact] = append(changers[ce.Fact], change{int32(oi), int32(ci)})
		}
	}
	derivers := make([][]int32, n)
	for i, ax := range t.Axioms {
		derivers[ax.Head] = append(derivers[ax.Head], int32(i))
	}
	mark(t.Goal)
	mark(t.NegGoal)
	opDone := make([]bool, len(t.Operators))
	for len(queue) > 0 {
		f := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		for _, c := range changers[f] {
			o := &t.Operators[c.op]
			if !opDone[c.op] {
				opDone[c.op] = true
				mark(o.Pre)
				mark(o.NegPre)
			}
			if c.cond >= 0 {
				mark(o.Cond[c.cond].Pre)
				mark(o.Cond[c.cond].NegPre)
			}
		}
		for _, ai := range derivers[f] {
			mark(t.Axioms[ai].Pre)
			mark(t.Axioms[ai].NegPre)
		}
	}
	// Renumber the relevant facts, primary ones first.
	renum := make([]int32, n)
	var facts []string
	primary := 0
	for f := range n {
		renum[f] = -1
		if relevant[f] {
			renum[f] = int32(len(facts))
			facts = append(facts, t.Facts[f])
			if f < t.Primary {
				primary++
			}
		}
	}
	remap := func(fs []int32) []int32 {
		out := fs[:0]
		for _, f := range fs {
			if renum[f] >= 0 {
				out = append(out, renum[f])
			}
		}
		return out
	}
	ops := t.Operators[:0]
	for _, o := range t.Operators {
		o.Add, o.Del = remap(o.Add), remap(o.Del)
		cond := o.Cond[:0]
		for _, ce := range o.Cond {
			if renum[ce.Fact] < 0 {
				continue
			}
			ce.Fact = renum[ce.Fact]
			ce.Pre, ce.NegPre = remap(ce.Pre), remap(ce.NegPre)
			cond = append(cond, ce)
		}
		o.Cond = slices.Clip(cond)
		if len(o.Add) == 0 && len(o.Del) == 0 && len(o.Cond) == 0 {
			continue
		}
		// Every precondition of an operator kept is relevant.
		o.Pre, o.NegPre = remap(o.Pre), remap(o.NegPre)
		ops = append(ops, o)
	}
	t.Operators = slices.Clip(ops)
	axioms := t.Axioms[:0]
	for _, ax := range t.Axioms {
		if renum[ax.Head] < 0 {
			continue
		}
		ax.Head = renum[ax.Head]
		ax.Pre, ax.NegPre = remap(ax.Pre), remap(ax.NegPre)
		axioms = append(axioms, ax)
	}
	t.Axioms = slices.Clip(axioms)
	t.Init = remap(t.Init)
	t.Goal, t.NegGoal = remap(t.Goal), remap(t.NegGoal)
	t.Facts, t.Primary = facts, primary
}

// fixConstants folds away the primary facts no operator can change: a fact
// true initially that nothing deletes is always true, one false initially
// that nothing adds always false. Conditions on them are decided: what
// needs a constant false (or the negation of a constant true) can never
// apply and goes, other conditions on them are dropped. It repeats until
// nothing changes, and marks the task unsolvable when the goal needs what
// can never hold.
func (t *Task) fixConstants() {
	for {
		n := t.Primary
		added := make([]bool, n)
		deleted := make([]bool, n)
		for i := range t.Operators {
			o := &t.Operators[i]
			for _, f := range o.Add {
				added[f] = true
			}
			for _, f := range o.Del {
				deleted[f] = true
			}
			for _, ce := range o.Cond {
				if ce.Delete {
					deleted[ce.Fact] = true
				} else {
					added[ce.Fact] = true
				}
			}
		}
		init := make([]bool, n)
		for _, f := range t.Init {
			init[f] = true
		}
		// value: 0 changes, 1 always true, -1 always false.
		value := make([]int8, n)
		any := false
		for f := range n {
			switch {
			case init[f] && !deleted[f]:
				value[f], any = 1, true
			case !init[f] && !added[f]:
				value[f], any = -1, true
			}
		}
		if !any {
			return
		}
		val := func(f int32) int8 {
			if int(f) < n {
				return value[f]
			}
			return 0
		}
		// decide drops the decided literals of a condition and reports
		// false when the condition can never hold.
		decide := func(pre, neg *[]int32) bool {
			for _, f := range *pre {
				if val(f) < 0 {
					return false
				}
			}
			for _, f := range *neg {
				if val(f) > 0 {
					return false
				}
			}
			*pre = slices.DeleteFunc(*pre, func(f int32) bool { return val(f) > 0 })
			*neg = slices.DeleteFunc(*neg, func(f int32) bool { return val(f) < 0 })
			return true
		}
		// dropped counts what goes: operators and conditional effects
		// that can never apply. Effects on constants change nothing.
		dropped := 0
		ops := t.Operators[:0]
		for _, o := range t.Operators {
			if !decide(&o.Pre, &o.NegPre) {
				dropped++
				continue
			}
			// The conditions are decided in the kept copies (a
			// DeleteFunc over copies would leave the originals' slices
			// over shifted, zeroed elements).
			cond := o.Cond[:0]
			for _, ce := range o.Cond {
				if !decide(&ce.Pre, &ce.NegPre) {
					dropped++
					continue
				}
				if val(ce.Fact) == 0 {
					cond = append(cond, ce)
				}
			}
			o.Cond = cond
			o.Add = slices.DeleteFunc(o.Add, func(f int32) bool { return val(f) != 0 })
			o.Del = slices.DeleteFunc(o.Del, func(f int32) bool { return val(f) != 0 })
			ops = append(ops, o)
		}
		t.Operators = ops
		axioms := t.Axioms[:0]
		for _, ax := range t.Axioms {
			if decide(&ax.Pre, &ax.NegPre) {
				axioms = append(axioms, ax)
			}
		}
		t.Axioms = axioms
		if !decide(&t.Goal, &t.NegGoal) {
			t.Unsolvable = true
		}
		// The constants are no longer mentioned; the relevance pruning
		// that follows removes them. Another round finds what the
		// operators dropped here leave constant.
		if dropped == 0 {
			return
		}
	}
}
