package search

// eliminateActions shortens a plan by greedy action elimination (Fink and
// Yang): for each step in turn, drop it together with every later step that
// no longer applies without it; keep the shorter plan when it still reaches
// the goal and costs no more. The result is a valid plan that is a
// subsequence of the input.
func eliminateActions(p *Task, plan []int32) []int32 {
	e := &engine{t: p, axe: newAxiomEvaluator(p)}
	cur := append([]int32(nil), plan...)
	prefix := e.initState() // the state after cur[:i]
	s := e.newState()
	next := e.newState()
	keep := make([]bool, len(cur))
	for i := 0; i < len(cur); {
		for k := range keep {
			keep[k] = true
		}
		// Simulate without step i.
		copy(s, prefix)
		keep[i] = false
		removedCost := p.Operators[cur[i]].Cost
		for j := i + 1; j < len(cur); j++ {
			op := &p.Operators[cur[j]]
			if !allIn(s, op.Pre) || !noneIn(s, op.NegPre) {
				keep[j] = false
				removedCost += op.Cost
				continue
			}
			e.apply(s, cur[j], next)
			s, next = next, s
		}
		if removedCost >= 0 && e.isGoal(s) {
			out := cur[:0:0]
			for j, o := range cur {
				if keep[j] {
					out = append(out, o)
				}
			}
			cur = out
			keep = keep[:len(cur)]
			continue // try the step that now sits at i
		}
		e.apply(prefix, cur[i], next)
		copy(prefix, next)
		i++
	}
	return cur
}
