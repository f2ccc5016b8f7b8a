package planner

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// job is the state of planning one request.
type job struct {
	p          *Planner
	req        Request
	givenSlot  map[string][]any
	givenInput map[inKey][]any
	mentioned  map[string]bool // APIs named by Api.input keys
	askOnly    map[inKey]bool  // inputs given as null: the user's answer fills them
	fixed      []inKey         // inputs filled by account settings (Options.Fixed)
	slotKnown  []Known         // known values keyed by slot, keys resolved (Planner.knownSlot)
	doneSlots  map[string]Arg  // slot -> the done step's output that holds it
	doneAPIs   map[string]bool
	goals      []int        // goal APIs not yet done
	isGoal     map[int]bool // the request's goals, done or not
	roots      []int        // goals and the APIs the request names
	candidate  map[int]bool
	candidates []int // backward closure of the roots
	extra      []int // producers brought in for rejected values and policies
	keepDead   bool  // expand through APIs that can never be called (diagnosis)
	// foreseen is the analysis costPrune assumed, fullRelevant the APIs
	// before it pruned (see precost.go).
	foreseen     *analysis
	fullRelevant []int
	relevant     []int // candidates that can be reached (see prune)
	isRelevant   map[int]bool
	an           *analysis
	m            *materialised
	program      string // the last ASP program solved
	w            *factWriter
	issues       []Issue

	// Instances the request names ("Api#tag"), indexed after the registry's APIs.
	inst          []registry.API
	instEffects   []registry.Effect
	instByName    map[string]int
	instProducers map[string][]int
	tags          []string
}

func (p *Planner) plan(ctx context.Context, req Request) (*Plan, error) {
	j, plan, err := p.prepare(ctx, req)
	if err != nil || plan != nil {
		return plan, err
	}
	if len(j.goals) == 0 {
		return j.finish(nil, StatusOK), nil
	}
	start := time.Now()
	j.m.pruneByCost()
	p.trace(StagePrune, start)
	start = time.Now()
	names, err := p.search.plan(ctx, j.m.task, len(j.m.task.Actions) > p.opts.LargeTask, p.opts)
	p.trace(StageSearch, start)
	if err != nil {
		return nil, fmt.Errorf("planner: search: %w", err)
	}
	if names == nil {
		j.issues = append(j.issues, Issue{Kind: IssueUnreachable, Message: "the search found no plan"})
		return j.finish(nil, StatusInfeasible), nil
	}
	start = time.Now()
	steps, err := j.decode(j.m, names)
	p.trace(StageDecode, start)
	if err != nil {
		return nil, err
	}
	return j.finish(steps, ""), nil
}

// prepare runs every stage before search: relevance, ASP reasoning and
// materialisation. It returns a plan instead of a job when the request is
// settled before search (invalid, unknown goals, unreachable goals).
func (p *Planner) prepare(ctx context.Context, req Request) (*job, *Plan, error) {
	j := &job{
		p:          p,
		req:        req,
		givenSlot:  map[string][]any{},
		givenInput: map[inKey][]any{},
		doneSlots:  map[string]Arg{},
		doneAPIs:   map[string]bool{},
		isRelevant: map[int]bool{},
		candidate:  map[int]bool{},
		mentioned:  map[string]bool{},
		askOnly:    map[inKey]bool{},
	}
	j.addInstances(req)
	for _, k := range req.Known {
		ik, isInput := j.splitKey(k.Key)
		switch {
		case k.Value == nil && isInput:
			// null: the user meant this input but gave no value; the API
			// is meant, and the value is asked for.
			j.mentioned[ik.api] = true
			j.askOnly[ik] = true
		case k.Value == nil:
		case isInput:
			j.givenInput[ik] = append(j.givenInput[ik], k.Value)
			j.mentioned[ik.api] = true
		default:
			slot, ok := j.p.knownSlot(k.Key)
			if !ok {
				j.issues = append(j.issues, Issue{Kind: IssueAmbiguous, Slot: k.Key, Values: []any{k.Value},
					Message: fmt.Sprintf("%s names inputs of different things (%s): the value is not used; key it as Api.input or by one of those types",
						k.Key, strings.Join(j.p.inputSlots[k.Key], ", "))})
				continue
			}
			j.givenSlot[slot] = append(j.givenSlot[slot], k.Value)
			j.slotKnown = append(j.slotKnown, Known{Key: slot, Value: k.Value})
		}
	}
	// Account settings fill their inputs (instances' too) unless the
	// request gave a value.
	fill := func(k inKey, v any) {
		if _, given := j.givenInput[k]; !given {
			j.givenInput[k] = []any{v}
			j.fixed = append(j.fixed, k)
		}
	}
	for k, v := range j.p.fixed {
		fill(k, v)
	}
	for _, a := range j.inst {
		base, _ := splitInstance(a.Name)
		for _, in := range a.Inputs {
			if v, ok := j.p.fixed[inKey{base, in.Name}]; ok {
				fill(inKey{a.Name, in.Name}, v)
			}
		}
	}
	slices.SortFunc(j.fixed, func(a, b inKey) int {
		return cmp.Or(strings.Compare(a.api, b.api), strings.Compare(a.input, b.input))
	})
	for _, d := range req.Done {
		if d.API == GetInfo {
			if v, ok := d.Outputs[d.Slot]; ok {
				j.givenSlot[d.Slot] = append(j.givenSlot[d.Slot], v)
			} else if d.Slot != "" {
				j.doneSlots[d.Slot] = Arg{From: d.ID, Field: d.Slot}
			}
			continue
		}
		ai, ok := j.lookup(d.name())
		if !ok {
			return nil, invalidPlan(&InputError{Msg: fmt.Sprintf("done step %s: unknown api %q", d.ID, d.API)}), nil
		}
		j.doneAPIs[d.name()] = true
		for _, o := range j.api(ai).Outputs {
			if _, seen := j.doneSlots[o.SlotType()]; !seen {
				j.doneSlots[o.SlotType()] = Arg{From: d.ID, Field: o.Name}
			}
		}
	}
	j.isGoal = map[int]bool{}
	for _, g := range req.Goals {
		ai, ok := j.lookup(g)
		if !ok {
			continue
		}
		if !j.doneAPIs[g] && !j.isGoal[ai] {
			j.goals = append(j.goals, ai)
		}
		j.isGoal[ai] = true
	}

	// The goals and the APIs the request names (Api.input keys) are the roots
	// of relevance.
	roots := append([]int(nil), j.goals...)
	for name := range j.mentioned {
		if ai := j.index(name); !j.doneAPIs[name] {
			roots = append(roots, ai)
		}
	}
	sort.Ints(roots[len(j.goals):])
	j.roots = roots
	start := time.Now()
	j.expand(roots)
	j.prune()
	j.costPrune()
	p.trace(StageRelevance, start)
	for round := 0; ; round++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if err := j.reason(ctx); err != nil {
			return nil, nil, err
		}
		if j.foreseen != nil {
			// The needs foreseen on the APIs kept for their cost must be the
			// real ones: a rejected value may make them dearer.
			if !j.assumptionsHold() {
				j.relevant, j.foreseen = j.fullRelevant, nil
				j.isRelevant = map[int]bool{}
				for _, ai := range j.relevant {
					j.isRelevant[ai] = true
				}
				continue
			}
		}
		if !j.an.sat {
			return j, &Plan{Status: StatusInfeasible, Issues: []Issue{{
				Kind:    IssueForbidden,
				Message: "the policies reject this request (an integrity constraint holds)",
			}}}, nil
		}
		// Values the request gave may turn out unusable (conflicting, not
		// allowed) and policies may require more: bring in their producers.
		extra := j.neededProducers()
		j.extra = append(j.extra, extra...)
		if round >= 8 || !j.expand(extra) {
			break
		}
		j.prune()
		j.foreseen = nil
	}
	j.reportAnalysis()
	if len(j.an.unknownAPI) > 0 {
		return j, j.finish(nil, StatusInfeasible), nil
	}
	start = time.Now()
	j.m = j.materialise()
	p.trace(StageMaterialise, start)
	reach := j.m.reachable()
	for _, g := range j.goals {
		if !reach[j.m.done[g]] {
			j.reportUnreachable(j.m, reach)
			return j, j.finish(nil, StatusInfeasible), nil
		}
	}
	return j, nil, nil
}

// userOnly reports whether only the user's answer may fill input k: the
// request gave it as null, or gave a value that conflicts or is not
// allowed.
func (j *job) userOnly(k inKey) bool {
	return j.askOnly[k] || j.an.conflict[k] || len(j.an.invalid[k]) > 0
}

// expand adds the APIs in queue and, transitively, the producers of every
// slot a relevant API may still need. It reports whether anything was added.
func (j *job) expand(queue []int) bool {
	added := false
	for len(queue) > 0 {
		ai := queue[0]
		queue = queue[1:]
		if j.candidate[ai] || (!slices.Contains(j.roots, ai) && (!j.meansAllowed(ai) || (!j.keepDead && j.dead(ai)))) {
			continue
		}
		j.candidate[ai] = true
		j.candidates = append(j.candidates, ai)
		added = true
		a := j.api(ai)
		for _, in := range a.Inputs {
			if j.needsProducer(a, in) {
				for _, s := range j.accepted(in) {
					queue = append(queue, j.producersOf(s)...)
				}
			}
		}
	}
	return added
}

// prune keeps the candidates that can take part in a plan: those whose
// required inputs can all be had — given, defaulted, askable, or produced by
// another such candidate — and that serve a root through such candidates.
// The APIs it drops can never be called (an internal id nothing reachable
// produces), so plans do not change. When a goal itself cannot be reached,
// every candidate stays, so that the problems can name the root cause.
func (j *job) prune() {
	avail := map[string]bool{}
	for s := range j.givenSlot {
		avail[s] = true
	}
	for s := range j.doneSlots {
		avail[s] = true
	}
	inputOK := func(a *registry.API, in registry.Input) bool {
		if !in.Required || in.Default != nil {
			return true
		}
		if _, ok := j.givenInput[inKey{a.Name, in.Name}]; ok {
			return true
		}
		slots := j.accepted(in)
		if !in.NotAskable && !j.p.internal[slots[0]] {
			return true
		}
		for _, s := range slots {
			if avail[s] {
				return true
			}
		}
		return false
	}
	reach := map[int]bool{}
	for changed := true; changed; {
		changed = false
		for _, ai := range j.candidates {
			if reach[ai] {
				continue
			}
			a := j.api(ai)
			ok := true
			for _, in := range a.Inputs {
				if !inputOK(a, in) {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			reach[ai] = true
			changed = true
			for _, o := range a.Outputs {
				avail[o.SlotType()] = true
			}
		}
	}
	keep := reach
	for _, g := range j.goals {
		if !reach[g] {
			// Infeasible: keep everything, dead APIs too, so that the
			// problems name the root cause.
			if !j.keepDead {
				j.keepDead = true
				j.candidate, j.candidates = map[int]bool{}, nil
				j.expand(append(append([]int(nil), j.roots...), j.extra...))
			}
			keep = j.candidate
			break
		}
	}
	// Backward again from the roots (and from the producers brought in for
	// rejected values and policies), through kept APIs only.
	j.relevant = j.relevant[:0]
	j.isRelevant = map[int]bool{}
	queue := append(append([]int(nil), j.roots...), j.extra...)
	for len(queue) > 0 {
		ai := queue[0]
		queue = queue[1:]
		if j.isRelevant[ai] || !j.candidate[ai] || (!keep[ai] && !slices.Contains(j.roots, ai)) {
			continue
		}
		j.isRelevant[ai] = true
		j.relevant = append(j.relevant, ai)
		a := j.api(ai)
		for _, in := range a.Inputs {
			if !j.needsProducer(a, in) {
				continue
			}
			for _, s := range j.accepted(in) {
				for _, pi := range j.producersOf(s) {
					if keep[pi] && !j.isRelevant[pi] {
						queue = append(queue, pi)
					}
				}
			}
		}
	}
}

// dead reports whether an API can never be called: a required input needs
// an internal value (not askable) that was not given and that no API of the
// registry produces.
func (j *job) dead(ai int) bool {
	a := j.api(ai)
	for _, in := range a.Inputs {
		if !j.needsProducer(a, in) {
			continue
		}
		slots := j.accepted(in)
		if !in.NotAskable && !j.p.internal[slots[0]] {
			continue
		}
		produced := false
		for _, s := range slots {
			if len(j.producersOf(s)) > 0 {
				produced = true
			}
		}
		if !produced {
			return true
		}
	}
	return false
}

// needsProducer reports whether a required input may need an API to
// produce its value: nothing was given for it and it has no default.
func (j *job) needsProducer(a *registry.API, in registry.Input) bool {
	if !in.Required || in.Default != nil {
		return false
	}
	if _, ok := j.givenInput[inKey{a.Name, in.Name}]; ok {
		return false
	}
	for _, s := range j.accepted(in) {
		if _, ok := j.givenSlot[s]; ok {
			return false
		}
		if _, ok := j.doneSlots[s]; ok {
			return false
		}
	}
	return true
}

// neededProducers returns the producers of the slots the answer set says are
// still needed (values rejected, requirements added by policies).
func (j *job) neededProducers() []int {
	var out []int
	add := func(s string) {
		if _, ok := j.doneSlots[s]; ok {
			return
		}
		for _, pi := range j.producersOf(s) {
			if !j.candidate[pi] {
				out = append(out, pi)
			}
		}
	}
	for k := range j.an.needInput {
		ai := j.index(k.api)
		for _, in := range j.api(ai).Inputs {
			if in.Name == k.input {
				for _, s := range j.accepted(in) {
					add(s)
				}
			}
		}
	}
	for _, slots := range j.an.extraNeed {
		for _, s := range slots {
			add(s)
		}
	}
	sort.Ints(out)
	return out
}

// reason writes the facts and solves them with the rules.
func (j *job) reason(ctx context.Context) error {
	w := newFactWriter()
	rules := j.p.rules
	namespaces := map[string]bool{}
	for _, ai := range j.relevant {
		a := j.api(ai)
		w.writeAPI(a, j.effect(ai), j.callCost(ai), j.accepted)
		if a.Namespace != "" && !namespaces[a.Namespace] {
			namespaces[a.Namespace] = true
			if r, ok := j.p.opts.NamespaceRules[a.Namespace]; ok {
				rules += "\n" + r + "\n"
			}
		}
	}
	internal := map[string]bool{}
	for _, ai := range j.relevant {
		for _, in := range j.api(ai).Inputs {
			if s := in.SlotType(); j.p.internal[s] && !internal[s] {
				internal[s] = true
				w.fact("not_askable_slot", quote(s))
			}
		}
	}
	for _, g := range j.req.Goals {
		if !j.doneAPIs[g] {
			w.fact("goal", quote(g))
		}
	}
	for _, f := range j.req.Failed {
		w.fact("failed", quote(f))
	}
	for _, k := range j.req.Known {
		if k.Value == nil {
			continue
		}
		if ik, ok := j.splitKey(k.Key); ok {
			if j.isRelevant[j.index(ik.api)] {
				w.fact("given_input", quote(ik.api), quote(ik.input), w.valueTerm(k.Value))
			}
		}
	}
	for _, k := range j.slotKnown {
		w.fact("given_slot", quote(k.Key), w.valueTerm(k.Value))
	}
	for _, k := range j.fixed {
		if j.isRelevant[j.index(k.api)] {
			w.fact("given_input", quote(k.api), quote(k.input), w.valueTerm(j.givenInput[k][0]))
		}
	}
	for name := range j.mentioned {
		if j.isRelevant[j.index(name)] {
			w.fact("mentioned", quote(name))
		}
	}
	for _, d := range j.req.Done {
		if d.API == GetInfo {
			if v, ok := d.Outputs[d.Slot]; ok {
				w.fact("given_slot", quote(d.Slot), w.valueTerm(v))
			}
		}
	}
	j.writeNormalised(w)
	start := time.Now()
	j.program = w.b.String() + rules
	an, err := analyse(ctx, j.p.reasoner, w, rules)
	j.p.trace(StageReason, start)
	if err != nil {
		return err
	}
	j.an, j.w = an, w
	return nil
}
