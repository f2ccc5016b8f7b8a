package planner

import "math"

// keptByCost is pruneByCost computed on the APIs directly, for the foreseen
// analysis an: h_max over slots (asking costs AskCost, a done step's slots
// nothing), the cost U of the plan made of best supporters (every preferred
// API skipped, which keeps U an upper bound), and the APIs whose h_max plus
// cost is at most U and that serve a root through such APIs. It reports
// false when it cannot bound the task (a goal unreachable).
func (j *job) keptByCost(an *analysis) (map[int]bool, bool) {
	const inf = math.MaxInt64
	ask := j.p.opts.AskCost * costScale
	slotID := map[string]int{}
	var slotName []string
	sid := func(s string) int {
		if i, ok := slotID[s]; ok {
			return i
		}
		slotID[s] = len(slotName)
		slotName = append(slotName, s)
		return slotID[s]
	}
	type action struct {
		ai    int
		cost  int64
		needs [][]int // per needed input, the slots it accepts
		outs  []int
	}
	acts := make([]action, 0, len(j.relevant))
	index := map[int]int{}
	for _, ai := range j.relevant {
		a := j.api(ai)
		if len(an.forbidden[a.Name]) > 0 || an.notMeans[a.Name] {
			continue
		}
		x := action{ai: ai, cost: j.callCost(ai) * costScale}
		if an.preferred[a.Name] {
			x.cost--
		}
		for _, in := range a.Inputs {
			if !an.needInput[inKey{a.Name, in.Name}] {
				continue
			}
			slots := j.accepted(in)
			ids := make([]int, len(slots))
			for k, s := range slots {
				ids[k] = sid(s)
			}
			x.needs = append(x.needs, ids)
		}
		for _, o := range a.Outputs {
			x.outs = append(x.outs, sid(o.SlotType()))
		}
		index[ai] = len(acts)
		acts = append(acts, x)
	}
	h := make([]int64, len(slotID))
	sup := make([]int, len(slotID)) // supporting action, -1: given or asked
	for i := range h {
		h[i], sup[i] = inf, -1
	}
	for s := range j.doneSlots {
		if i, ok := slotID[s]; ok {
			h[i] = 0
		}
	}
	for s := range an.askSlot {
		if i, ok := slotID[s]; ok && h[i] > ask {
			h[i] = ask
		}
	}
	hAct := make([]int64, len(acts))
	for i := range hAct {
		hAct[i] = inf
	}
	best := func(need []int) int {
		b := need[0]
		for _, s := range need[1:] {
			if h[s] < h[b] {
				b = s
			}
		}
		return b
	}
	for changed := true; changed; {
		changed = false
		for i, x := range acts {
			var c int64
			ok := true
			for _, need := range x.needs {
				v := h[best(need)]
				if v == inf {
					ok = false
					break
				}
				c = max(c, v)
			}
			if !ok || c+x.cost >= hAct[i] {
				continue
			}
			hAct[i] = c + x.cost
			for _, o := range x.outs {
				if hAct[i] < h[o] {
					h[o], sup[o] = hAct[i], i
					changed = true
				}
			}
		}
	}
	var upper int64
	used := make([]bool, len(acts))
	asked := map[int]bool{}
	var collect func(i int)
	collect = func(i int) {
		if used[i] {
			return
		}
		used[i] = true
		upper += acts[i].cost
		for _, need := range acts[i].needs {
			s := best(need)
			switch {
			case sup[s] >= 0:
				collect(sup[s])
			case h[s] > 0 && !asked[s]:
				asked[s] = true
				upper += ask
			}
		}
	}
	for _, g := range j.goals {
		i, ok := index[g]
		if !ok || hAct[i] == inf {
			return nil, false
		}
		collect(i)
	}
	for name := range an.preferred {
		if ai, ok := j.lookup(name); ok && j.isRelevant[ai] && !j.doneAPIs[name] {
			upper += (j.p.opts.AskCost + 2*j.callCost(ai)) * costScale
		}
	}
	kept := map[int]bool{}
	queue := append([]int(nil), j.roots...)
	for len(queue) > 0 {
		ai := queue[0]
		queue = queue[1:]
		if kept[ai] {
			continue
		}
		kept[ai] = true
		i, ok := index[ai]
		if !ok {
			continue
		}
		for _, need := range acts[i].needs {
			for _, s := range need {
				for _, pi := range j.producersOf(slotName[s]) {
					if k, ok := index[pi]; ok && !kept[pi] && hAct[k] <= upper {
						queue = append(queue, pi)
					}
				}
			}
		}
	}
	return kept, true
}
