package search

// maxNegatedAxioms bounds the relaxed operators that the negation of one
// derived fact may take (the disjunctive normal form of "every rule has a
// false body literal" multiplies out the rules' bodies); beyond it, and for
// derived facts in a recursion, the negation is taken as always reachable,
// as Fast Downward approximates it.
const maxNegatedAxioms = 64

// negations numbers the negation facts the relaxation needs: those of the
// facts that a condition or the goal requires false, and, for the
// negations of derived facts worked out from their rules, those of the
// rules' positive body literals. It returns, for each task fact, its
// negation fact or -1.
func (rt *relaxedTask) negations(t *Task) []int32 {
	n := len(t.Facts)
	neg := make([]int32, n)
	for i := range neg {
		neg[i] = -1
	}
	var queue []int32
	want := func(fs []int32) {
		for _, f := range fs {
			if neg[f] < 0 {
				neg[f] = int32(rt.nTask + len(rt.negOf))
				rt.negOf = append(rt.negOf, f)
				queue = append(queue, f)
			}
		}
	}
	for i := range t.Operators {
		o := &t.Operators[i]
		want(o.NegPre)
		for _, ce := range o.Cond {
			want(ce.NegPre)
		}
	}
	for _, ax := range t.Axioms {
		want(ax.NegPre)
	}
	want(t.NegGoal)
	if len(t.Axioms) == 0 {
		return neg
	}
	rules := make(map[int32][]int, n-t.Primary)
	for i, ax := range t.Axioms {
		rules[ax.Head] = append(rules[ax.Head], i)
	}
	recursive := derivedRecursion(t)
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		if int(f) < t.Primary {
			continue
		}
		combos := 1
		for _, ai := range rules[f] {
			ax := &t.Axioms[ai]
			combos = min(combos*(len(ax.Pre)+len(ax.NegPre)), maxNegatedAxioms+1)
		}
		if recursive[int(f)-t.Primary] || combos > maxNegatedAxioms {
			rt.alwaysTrue = append(rt.alwaysTrue, neg[f])
			continue
		}
		for _, ai := range rules[f] {
			want(t.Axioms[ai].Pre)
		}
	}
	return neg
}

// derivedRecursion marks the derived facts that depend on themselves.
func derivedRecursion(t *Task) []bool {
	nd := len(t.Facts) - t.Primary
	deps := make([][]int32, nd)
	for _, ax := range t.Axioms {
		h := int(ax.Head) - t.Primary
		for _, fs := range [2][]int32{ax.Pre, ax.NegPre} {
			for _, f := range fs {
				if int(f) >= t.Primary {
					deps[h] = append(deps[h], f-int32(t.Primary))
				}
			}
		}
	}
	comp, order := components(nd, func(v int32, visit func(int32)) {
		for _, w := range deps[v] {
			visit(w)
		}
	})
	rec := make([]bool, nd)
	for v := range nd {
		if len(order[comp[v]]) > 1 {
			rec[v] = true
		}
		for _, w := range deps[v] {
			if int(w) == v {
				rec[v] = true
			}
		}
	}
	return rec
}

// addNegatedAxioms adds, for each derived fact d whose negation is worked
// out, a zero-cost relaxed operator for every way to make all of d's rules
// false, one body literal each.
func (rt *relaxedTask) addNegatedAxioms(t *Task, neg []int32, addOp func(pre, add []int32, cost int64, o int)) {
	if len(t.Axioms) == 0 {
		return
	}
	always := map[int32]bool{}
	for _, f := range rt.alwaysTrue {
		always[f] = true
	}
	rules := map[int32][]int{}
	for i, ax := range t.Axioms {
		rules[ax.Head] = append(rules[ax.Head], i)
	}
	for k, d := range rt.negOf {
		nf := int32(rt.nTask + k)
		if int(d) < t.Primary || always[nf] || len(rules[d]) == 0 {
			continue // primary, approximated, or never derived (always false)
		}
		// One literal of each rule, negated.
		var choices [][]int32
		possible := true
		for _, ai := range rules[d] {
			ax := &t.Axioms[ai]
			var opts []int32
			for _, f := range ax.Pre {
				opts = append(opts, neg[f])
			}
			opts = append(opts, ax.NegPre...)
			if len(opts) == 0 {
				possible = false // a rule with an empty body: d always holds
				break
			}
			choices = append(choices, opts)
		}
		if !possible {
			continue
		}
		pick := make([]int32, len(choices))
		var rec func(i int)
		rec = func(i int) {
			if i == len(choices) {
				pre := append([]int32(nil), pick...)
				sortUnique(&pre)
				addOp(pre, []int32{nf}, 0, -1)
				return
			}
			for _, c := range choices[i] {
				pick[i] = c
				rec(i + 1)
			}
		}
		rec(0)
	}
}
