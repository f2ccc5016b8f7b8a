package planner

import (
	"fmt"
	"sort"
	"strings"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
)

// costScale multiplies the costs of the task so that a preferred API can
// cost one unit less than its registry cost without changing the order of
// plans of different registry cost (up to costScale-1 preferred calls).
const costScale = 100

// actKind says what an action of the materialised task stands for.
type actKind uint8

const (
	actAPI  actKind = iota // a call of an API
	actAsk                 // get_info: ask the user for a slot
	actFeed                // bookkeeping: a slot fills an input that accepts it as an alias
	actSkip                // bookkeeping: give up a preferred API (soft goal), at a price
)

// actDesc describes one action of the task.
type actDesc struct {
	kind  actKind
	api   int    // actAPI, actFeed: index into Planner.apis
	slot  string // actAsk, actFeed: the slot asked for or fed
	input string // actFeed: the input fed
	cost  int64
}

// materialised is a PDDL task with what each of its actions stands for.
type materialised struct {
	task  *pddl.Task
	acts  map[string]actDesc
	known map[string]string // slot -> predicate name
	asked map[string]string // slot -> predicate "answered by the user"
	done  map[int]string    // api -> predicate name
	have  map[inKey]string  // input fed through aliases -> predicate name
	soft  []string          // soft goals: predicates settled by preferred APIs
	names map[string]bool
	// relaxed is the task's relaxation, once made (see relax).
	relaxed *relaxation
}

// pddlName turns s into a PDDL name (lower case letters, digits, '_' and
// '-', starting with a letter), unique within the task.
func (m *materialised) pddlName(prefix, s string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	base := b.String()
	name := base
	for i := 2; m.names[name]; i++ {
		name = fmt.Sprintf("%s-%d", base, i)
	}
	m.names[name] = true
	return name
}

// askedPred returns the predicate "the user answered slot".
func (m *materialised) askedPred(slot string) string { return m.slotPred(m.asked, "asked_", slot) }

// knownPred returns the predicate "slot is known".
func (m *materialised) knownPred(slot string) string { return m.slotPred(m.known, "known_", slot) }

// slotPred returns slot's predicate in preds, declaring it (named prefix and
// the slot) the first time.
func (m *materialised) slotPred(preds map[string]string, prefix, slot string) string {
	if n, ok := preds[slot]; ok {
		return n
	}
	n := m.pddlName(prefix, slot)
	preds[slot] = n
	m.task.Predicates = append(m.task.Predicates, pddl.Predicate{Name: n})
	return n
}

func atom(pred string) pddl.Atom { return pddl.Atom{Pred: pred} }

// materialise is the task stage: the PDDL task of a request over the APIs
// of r, as the answer set an says: an action per usable API
// (preconditions: the inputs the request leaves open are known; effects:
// its output slots are known and it is done), a get_info action per slot
// that may be asked, feed actions for inputs that accept other slots, and
// the goal that every goal API is done.
func (s *situation) materialise(r *relevance, an *analysis) *materialised {
	m := &materialised{
		task: &pddl.Task{
			Domain:      "toolsmith-apis",
			Problem:     "request",
			TypeObjects: map[string][]int{"object": nil},
			UsesCost:    true,
		},
		acts:  map[string]actDesc{},
		known: map[string]string{},
		asked: map[string]string{},
		done:  map[int]string{},
		have:  map[inKey]string{},
		names: map[string]bool{},
	}
	// Slots that can become known: asked, given by done steps, or output by
	// a usable API. An input's other accepted slots are left out of the
	// task, so that an input with one live slot needs no feed actions.
	liveSlot := map[string]bool{}
	for slot := range an.askSlot {
		liveSlot[slot] = true
	}
	for slot := range s.doneSlots {
		liveSlot[slot] = true
	}
	for _, ai := range r.apis {
		if a := s.api(ai); len(an.forbidden[a.Name]) == 0 && !an.notMeans[a.Name] {
			for _, o := range a.Outputs {
				liveSlot[o.SlotType()] = true
			}
		}
	}
	live := func(slots []string) []string {
		var out []string
		for _, slot := range slots {
			if liveSlot[slot] {
				out = append(out, slot)
			}
		}
		if len(out) == 0 {
			return slots[:1] // nothing supplies it: reported as unreachable
		}
		return out
	}
	for _, ai := range r.apis {
		a := s.api(ai)
		if len(an.forbidden[a.Name]) > 0 || an.notMeans[a.Name] {
			continue
		}
		var pre []pddl.Literal
		for _, in := range a.Inputs {
			k := inKey{a.Name, in.Name}
			if !an.needInput[k] {
				continue
			}
			slots := live(s.accepted(in))
			if s.userOnly(an, k) && an.askSlot[in.SlotType()] {
				// The user means to give this value (a null in the request):
				// only their answer fills it.
				pre = append(pre, pddl.Literal{Atom: atom(m.askedPred(in.SlotType()))})
				continue
			}
			if len(slots) == 1 {
				pre = append(pre, pddl.Literal{Atom: atom(m.knownPred(slots[0]))})
				continue
			}
			hv := m.pddlName("have_", a.Name+"_"+in.Name)
			m.have[k] = hv
			m.task.Predicates = append(m.task.Predicates, pddl.Predicate{Name: hv})
			pre = append(pre, pddl.Literal{Atom: atom(hv)})
			for _, slot := range slots {
				name := m.pddlName("feed_", a.Name+"_"+in.Name+"_"+slot)
				m.task.Actions = append(m.task.Actions, pddl.Action{
					Name:         name,
					Precondition: []pddl.Literal{{Atom: atom(m.knownPred(slot))}},
					Effects:      []pddl.Effect{{Atom: atom(hv)}},
				})
				m.acts[name] = actDesc{kind: actFeed, api: ai, slot: slot, input: in.Name}
			}
		}
		extra := append([]string(nil), an.extraNeed[a.Name]...)
		sort.Strings(extra)
		for _, slot := range extra {
			pre = append(pre, pddl.Literal{Atom: atom(m.knownPred(slot))})
		}
		done := m.pddlName("done_", a.Name)
		m.done[ai] = done
		m.task.Predicates = append(m.task.Predicates, pddl.Predicate{Name: done})
		effs := []pddl.Effect{{Atom: atom(done)}}
		if an.preferred[a.Name] && !s.doneAPIs[a.Name] {
			// Soft goal: settled by the call, or by skipping it at the price
			// of one question and one call more than calling it.
			settled := m.pddlName("settled_", a.Name)
			m.task.Predicates = append(m.task.Predicates, pddl.Predicate{Name: settled})
			effs = append(effs, pddl.Effect{Atom: atom(settled)})
			skip := m.pddlName("skip_", a.Name)
			m.task.Actions = append(m.task.Actions, pddl.Action{
				Name:    skip,
				Effects: []pddl.Effect{{Atom: atom(settled)}},
				Cost:    pddl.Cost{Value: (s.p.opts.AskCost + 2*s.callCost(ai)) * costScale},
			})
			m.acts[skip] = actDesc{kind: actSkip, api: ai}
			m.soft = append(m.soft, settled)
		}
		seen := map[string]bool{}
		for _, o := range a.Outputs {
			slot := o.SlotType()
			if !seen[slot] {
				seen[slot] = true
				effs = append(effs, pddl.Effect{Atom: atom(m.knownPred(slot))})
			}
		}
		name := m.pddlName("call_", a.Name)
		cost := s.callCost(ai) * costScale
		if an.preferred[a.Name] {
			cost-- // ties go to the APIs the request names
		}
		m.task.Actions = append(m.task.Actions, pddl.Action{Name: name, Precondition: pre, Effects: effs, Cost: pddl.Cost{Value: cost}})
		m.acts[name] = actDesc{kind: actAPI, api: ai, cost: cost}
	}
	slots := make([]string, 0, len(an.askSlot))
	for slot := range an.askSlot {
		slots = append(slots, slot)
	}
	sort.Strings(slots)
	for _, slot := range slots {
		name := m.pddlName("get_info_", slot)
		effs := []pddl.Effect{{Atom: atom(m.knownPred(slot))}}
		if pred, ok := m.asked[slot]; ok {
			effs = append(effs, pddl.Effect{Atom: atom(pred)})
		}
		m.task.Actions = append(m.task.Actions, pddl.Action{
			Name:    name,
			Effects: effs,
			Cost:    pddl.Cost{Value: s.p.opts.AskCost * costScale},
		})
		m.acts[name] = actDesc{kind: actAsk, slot: slot, cost: s.p.opts.AskCost}
	}
	doneSlots := make([]string, 0, len(s.doneSlots))
	for slot := range s.doneSlots {
		doneSlots = append(doneSlots, slot)
	}
	sort.Strings(doneSlots)
	for _, slot := range doneSlots {
		m.task.Init = append(m.task.Init, pddl.GroundAtom{Pred: m.knownPred(slot)})
	}
	for _, g := range s.goals {
		pred, ok := m.done[g]
		if !ok { // forbidden goal: a predicate nothing achieves
			pred = m.pddlName("done_", s.api(g).Name)
			m.task.Predicates = append(m.task.Predicates, pddl.Predicate{Name: pred})
			m.done[g] = pred
		}
		m.task.Goal = append(m.task.Goal, pddl.GroundLiteral{GroundAtom: pddl.GroundAtom{Pred: pred}})
	}
	for _, pred := range m.soft {
		m.task.Goal = append(m.task.Goal, pddl.GroundLiteral{GroundAtom: pddl.GroundAtom{Pred: pred}})
	}
	return m
}
