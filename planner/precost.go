package planner

// Cost pruning before reasoning.
//
// With only the built-in rules, what the answer set will say about each API
// can be foreseen in Go: an input is needed when it is required, has no
// default and nothing was given for it; it may be asked unless it is an
// internal id; failed APIs are forbidden; APIs named by Api.input keys
// (with a value or null) are preferred. costPrune builds the task those assumptions give, removes the
// APIs in no optimal plan (keptByCost, the bound of pruneByCost computed on
// the APIs) and keeps the rest for reasoning.
// After reasoning, assumptionsHold checks the answer set against the
// assumptions for every kept API; where a value was rejected (a conflict,
// a value not allowed) the kept APIs may cost more than assumed, and
// planning starts over without cost pruning.

// foresee returns the analysis the built-in rules are expected to give for
// the relevant APIs.
func (j *job) foresee() *analysis {
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
	for _, f := range j.req.Failed {
		an.forbidden[f] = []string{"it failed earlier"}
	}
	for name := range j.mentioned {
		an.preferred[name] = true
	}
	for _, ai := range j.relevant {
		a := j.api(ai)
		if j.sideEffect(ai) && !j.isGoal[ai] {
			an.notMeans[a.Name] = true
		}
		for _, in := range a.Inputs {
			if !j.needsProducer(a, in) {
				continue
			}
			k := inKey{a.Name, in.Name}
			an.needInput[k] = true
			if s := in.SlotType(); !in.NotAskable && !j.p.internal[s] {
				an.askSlot[s] = true
			}
		}
	}
	return an
}

// costPrune narrows j.relevant to the APIs whose calls survive cost pruning
// of the foreseen task. It does nothing when policies apply.
func (j *job) costPrune() {
	if len(j.p.opts.Rules) > 0 || len(j.p.opts.NamespaceRules) > 0 || len(j.relevant) < 2 {
		return
	}
	f := j.foresee()
	kept, ok := j.keptByCost(f)
	if !ok || len(kept) == len(j.relevant) {
		return
	}
	out := j.relevant[:0:0]
	for _, ai := range j.relevant {
		if kept[ai] {
			out = append(out, ai)
		}
	}
	j.fullRelevant = j.relevant
	j.relevant = out
	j.isRelevant = map[int]bool{}
	for _, ai := range out {
		j.isRelevant[ai] = true
	}
	j.foreseen = j.foresee() // over the kept APIs, to compare with the answer set
}

// assumptionsHold compares the answer set with the foreseen analysis on
// the kept APIs.
func (j *job) assumptionsHold() bool {
	f, an := j.foreseen, j.an
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
	for s := range an.askSlot {
		if !f.askSlot[s] {
			return false
		}
	}
	for a := range an.forbidden {
		if _, ok := f.forbidden[a]; !ok && j.isRelevant[j.index(a)] {
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
