package planner

import (
	"fmt"
	"sort"
	"strings"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
	"github.com/toolsmith-dev/toolsmith/planner/search"
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

// materialised is the task of a request: nullary predicates, referred to
// by index, and actions over them with what each stands for. It deletes
// nothing, so it is its own delete relaxation (ops, for h_max). Its PDDL
// form (pddl) names the predicates and actions.
type materialised struct {
	preds   []name            // each predicate's name, before it is made a PDDL name
	ops     []search.Operator // the actions over predicate indices
	opNames []name            // each action's name, before it is made a PDDL name
	descs   []actDesc         // what each action stands for
	init    []int32           // predicates true initially
	goal    []int32           // goal predicates
	known   map[string]int32  // slot -> predicate "slot is known"
	asked   map[string]int32  // slot -> predicate "the user answered slot"
	done    map[int]int32     // api -> predicate "api called"
	have    map[inKey]int32   // input fed through aliases -> predicate
	soft    []int32           // soft goals: predicates settled by preferred APIs
	// task is the PDDL form, once made (see pddl); costs holds h_max from
	// the initial state, once computed (see hmax).
	task  *pddl.Task
	costs *search.RelaxedCosts
}

// name is a predicate's or action's name: a prefix saying what it is and
// the slot, API or input it is about.
type name struct{ prefix, of string }

// pddlWord lower-cases s and replaces every character PDDL names cannot
// hold by '_'.
func pddlWord(s string) string {
	plain := true
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
	}
	if plain {
		return s
	}
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// newPred declares a predicate named prefix and of.
func (m *materialised) newPred(prefix, of string) int32 {
	m.preds = append(m.preds, name{prefix, of})
	return int32(len(m.preds) - 1)
}

// askedPred returns the predicate "the user answered slot".
func (m *materialised) askedPred(slot string) int32 { return m.slotPred(m.asked, "asked_", slot) }

// knownPred returns the predicate "slot is known".
func (m *materialised) knownPred(slot string) int32 { return m.slotPred(m.known, "known_", slot) }

// slotPred returns slot's predicate in preds, declaring it (named prefix and
// the slot) the first time.
func (m *materialised) slotPred(preds map[string]int32, prefix, slot string) int32 {
	if p, ok := preds[slot]; ok {
		return p
	}
	p := m.newPred(prefix, slot)
	preds[slot] = p
	return p
}

// addAction adds an action named prefix and of that needs pre and makes add
// true, at cost, standing for d.
func (m *materialised) addAction(prefix, of string, pre, add []int32, cost int64, d actDesc) {
	m.ops = append(m.ops, search.Operator{Pre: pre, Add: add, Cost: cost})
	m.opNames = append(m.opNames, name{prefix, of})
	m.descs = append(m.descs, d)
}

// pddl returns the task in PDDL (made once): every predicate and action
// named by its prefix and what it is about, in lower case, made unique
// with a suffix "-2", "-3"... in the order declared. Names are fixed on
// the whole task, before pruneByCost removes actions, so that pruning
// never changes a name.
func (m *materialised) pddl() *pddl.Task {
	if m.task != nil {
		return m.task
	}
	t := &pddl.Task{
		Domain:      "toolsmith-apis",
		Problem:     "request",
		TypeObjects: map[string][]int{"object": nil},
		UsesCost:    true,
		Predicates:  make([]pddl.Predicate, len(m.preds)),
		Actions:     make([]pddl.Action, len(m.ops)),
	}
	used := make(map[string]bool, len(m.preds)+len(m.ops))
	unique := func(n name) string {
		base := n.prefix + pddlWord(n.of)
		s := base
		for i := 2; used[s]; i++ {
			s = fmt.Sprintf("%s-%d", base, i)
		}
		used[s] = true
		return s
	}
	for i, n := range m.preds {
		t.Predicates[i].Name = unique(n)
	}
	atom := func(p int32) pddl.Atom { return pddl.Atom{Pred: t.Predicates[p].Name} }
	for i := range m.ops {
		op := &m.ops[i]
		op.Name = unique(m.opNames[i])
		a := &t.Actions[i]
		a.Name, a.Cost = op.Name, pddl.Cost{Value: op.Cost}
		for _, p := range op.Pre {
			a.Precondition = append(a.Precondition, pddl.Literal{Atom: atom(p)})
		}
		for _, p := range op.Add {
			a.Effects = append(a.Effects, pddl.Effect{Atom: atom(p)})
		}
	}
	for _, p := range m.init {
		t.Init = append(t.Init, pddl.GroundAtom{Pred: t.Predicates[p].Name})
	}
	for _, p := range m.goal {
		t.Goal = append(t.Goal, pddl.GroundLiteral{GroundAtom: pddl.GroundAtom{Pred: t.Predicates[p].Name}})
	}
	m.task = t
	return t
}

// acts returns what each action stands for, by its PDDL name.
func (m *materialised) acts() map[string]actDesc {
	t := m.pddl()
	acts := make(map[string]actDesc, len(m.descs))
	for i, a := range t.Actions {
		acts[a.Name] = m.descs[i]
	}
	return acts
}

// materialise is the task stage: the PDDL task of a request over the APIs
// of r, as the answer set an says: an action per usable API
// (preconditions: the inputs the request leaves open are known; effects:
// its output slots are known and it is done), a get_info action per slot
// that may be asked, feed actions for inputs that accept other slots, and
// the goal that every goal API is done.
func (s *situation) materialise(r *relevance, an *analysis) *materialised {
	m := &materialised{
		known: map[string]int32{},
		asked: map[string]int32{},
		done:  map[int]int32{},
		have:  map[inKey]int32{},
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
		var pre []int32
		for _, in := range a.Inputs {
			k := inKey{a.Name, in.Name}
			if !an.needInput[k] {
				continue
			}
			slots := live(s.accepted(in))
			if s.userOnly(an, k) && an.askSlot[in.SlotType()] {
				// The user means to give this value (a null in the request):
				// only their answer fills it.
				pre = append(pre, m.askedPred(in.SlotType()))
				continue
			}
			if len(slots) == 1 {
				pre = append(pre, m.knownPred(slots[0]))
				continue
			}
			hv := m.newPred("have_", a.Name+"_"+in.Name)
			m.have[k] = hv
			pre = append(pre, hv)
			for _, slot := range slots {
				m.addAction("feed_", a.Name+"_"+in.Name+"_"+slot, []int32{m.knownPred(slot)}, []int32{hv}, 0,
					actDesc{kind: actFeed, api: ai, slot: slot, input: in.Name})
			}
		}
		extra := append([]string(nil), an.extraNeed[a.Name]...)
		sort.Strings(extra)
		for _, slot := range extra {
			pre = append(pre, m.knownPred(slot))
		}
		done := m.newPred("done_", a.Name)
		m.done[ai] = done
		effs := []int32{done}
		if an.preferred[a.Name] && !s.doneAPIs[a.Name] {
			// Soft goal: settled by the call, or by skipping it at the price
			// of one question and one call more than calling it.
			settled := m.newPred("settled_", a.Name)
			effs = append(effs, settled)
			m.addAction("skip_", a.Name, nil, []int32{settled}, (s.p.opts.AskCost+2*s.callCost(ai))*costScale, actDesc{kind: actSkip, api: ai})
			m.soft = append(m.soft, settled)
		}
		seen := map[string]bool{}
		for _, o := range a.Outputs {
			slot := o.SlotType()
			if !seen[slot] {
				seen[slot] = true
				effs = append(effs, m.knownPred(slot))
			}
		}
		cost := s.callCost(ai) * costScale
		if an.preferred[a.Name] {
			cost-- // ties go to the APIs the request names
		}
		m.addAction("call_", a.Name, pre, effs, cost, actDesc{kind: actAPI, api: ai, cost: cost})
	}
	slots := make([]string, 0, len(an.askSlot))
	for slot := range an.askSlot {
		slots = append(slots, slot)
	}
	sort.Strings(slots)
	for _, slot := range slots {
		effs := []int32{m.knownPred(slot)}
		if p, ok := m.asked[slot]; ok {
			effs = append(effs, p)
		}
		m.addAction("get_info_", slot, nil, effs, s.p.opts.AskCost*costScale, actDesc{kind: actAsk, slot: slot, cost: s.p.opts.AskCost})
	}
	doneSlots := make([]string, 0, len(s.doneSlots))
	for slot := range s.doneSlots {
		doneSlots = append(doneSlots, slot)
	}
	sort.Strings(doneSlots)
	for _, slot := range doneSlots {
		m.init = append(m.init, m.knownPred(slot))
	}
	for _, g := range s.goals {
		p, ok := m.done[g]
		if !ok { // forbidden goal: a predicate nothing achieves
			p = m.newPred("done_", s.api(g).Name)
			m.done[g] = p
		}
		m.goal = append(m.goal, p)
	}
	m.goal = append(m.goal, m.soft...)
	return m
}
