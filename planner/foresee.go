package planner

// Cost pruning before reasoning.
//
// With only the built-in rules, what the answer set will say about each API
// can be foreseen in Go: an input is needed when it is required, has no
// default and nothing was given for it; it may be asked unless it is an
// internal id; failed APIs are forbidden; APIs named by Api.input keys
// (with a value or null) are preferred; write and destructive APIs that are
// not goals are no means. costPrune materialises the task that foreseen
// answer set gives, prunes it by cost (pruneByCost, the one pruning the
// task gets after reasoning too) and keeps for reasoning the APIs whose
// calls survive, and the roots.
// After reasoning, foreseenHolds checks the answer set against the
// assumptions for every kept API; where a value was rejected (a conflict,
// a value not allowed) the kept APIs may cost more than assumed, and
// planning goes back to the APIs before cost pruning.

// foresee returns the analysis the built-in rules are expected to give for
// the APIs of r.
func (s *situation) foresee(r *relevance) *analysis {
	an := &analysis{
		sat:       true,
		needInput: map[inKey]bool{},
		askSlot:   map[string]bool{},
		forbidden: map[string][]string{},
		extraNeed: map[string][]string{},
		confirm:   map[string]bool{},
		preferred: map[string]bool{},
		notMeans:  map[string]bool{},
	}
	for _, f := range s.req.Failed {
		an.forbidden[f] = []string{"it failed earlier"}
	}
	for name := range s.mentioned {
		an.preferred[name] = true
	}
	for _, ai := range r.apis {
		a := s.api(ai)
		if s.sideEffect(ai) && !s.isGoal[ai] {
			an.notMeans[a.Name] = true
		}
		for _, in := range a.Inputs {
			if !s.needsProducer(a, in) {
				continue
			}
			k := inKey{a.Name, in.Name}
			an.needInput[k] = true
			if slot := in.SlotType(); !in.NotAskable && !s.p.internal[slot] {
				an.askSlot[slot] = true
			}
		}
	}
	return an
}

// costPrune returns r narrowed to the roots and the APIs whose calls
// survive cost pruning of the foreseen task, with r as its full relevance
// and the foreseen analysis of the kept APIs. It returns r itself when
// policies take part (the answer set cannot be foreseen), when the
// foreseen task has no plan to bound the cost with, or when every API stays.
func (s *situation) costPrune(r *relevance) *relevance {
	if s.p.hasPolicies() || len(r.apis) < 2 {
		return r
	}
	m := s.materialise(r, s.foresee(r))
	if !m.pruneByCost() {
		return r
	}
	kept := map[int]bool{}
	for _, ai := range s.roots {
		kept[ai] = true
	}
	for _, d := range m.descs {
		if d.kind == actAPI {
			kept[d.api] = true
		}
	}
	n := &relevance{candidate: r.candidate, candidates: r.candidates, extra: r.extra, keepDead: r.keepDead, is: map[int]bool{}, full: r}
	for _, ai := range r.apis {
		if kept[ai] {
			n.apis = append(n.apis, ai)
			n.is[ai] = true
		}
	}
	if len(n.apis) == len(r.apis) {
		return r
	}
	n.foreseen = s.foresee(n) // over the kept APIs, to compare with the answer set
	return n
}

// foreseenHolds compares the answer set an with the analysis r.foreseen
// assumed for r's APIs.
func (s *situation) foreseenHolds(r *relevance, an *analysis) bool {
	f := r.foreseen
	if len(an.extraNeed) > 0 || len(an.conflict) > 0 || len(an.invalid) > 0 || len(an.slotConflict) > 0 {
		return false
	}
	if len(an.needInput) != len(f.needInput) || len(an.askSlot) != len(f.askSlot) {
		return false
	}
	for k := range an.needInput {
		if !f.needInput[k] {
			return false
		}
	}
	for slot := range an.askSlot {
		if !f.askSlot[slot] {
			return false
		}
	}
	for a := range an.forbidden {
		if _, ok := f.forbidden[a]; !ok && r.is[s.index(a)] {
			return false
		}
	}
	for a := range an.preferred {
		if !f.preferred[a] {
			return false
		}
	}
	for a := range an.notMeans {
		if !f.notMeans[a] {
			return false
		}
	}
	return true
}
