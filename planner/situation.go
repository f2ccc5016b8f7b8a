package planner

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// situation is a request read against its catalogue: the goals, the values
// given (by slot and by input), the inputs only the user may fill, the
// account settings that fill inputs, and what earlier steps did. It is the
// first stage's value; the later stages read it and never change it.
type situation struct {
	*catalogue
	req        Request
	givenSlot  map[string][]any // slot -> the values given for it
	givenInput map[inKey][]any  // input -> the values given for it alone (account settings too)
	mentioned  map[string]bool  // APIs named by Api.input keys
	askOnly    map[inKey]bool   // inputs given as null: the user's answer fills them
	fixed      []inKey          // inputs filled by account settings (Options.Fixed)
	slotKnown  []Known          // known values keyed by slot, keys resolved (Planner.knownSlot)
	doneSlots  map[string]Arg   // slot -> the done step's output that holds it
	doneAPIs   map[string]bool
	goals      []int        // goal APIs not yet done
	isGoal     map[int]bool // the request's goals, done or not
	roots      []int        // goals and the APIs the request names: where relevance starts
	issues     []Issue      // found while reading (ambiguous keys)
}

// read is the first stage: it reads req against the planner's APIs. It
// returns a plan instead when the request cannot be planned at all (a done
// step of an unknown API).
func (p *Planner) read(req Request) (*situation, *Plan) {
	s := &situation{
		catalogue:  p.newCatalogue(req),
		req:        req,
		givenSlot:  map[string][]any{},
		givenInput: map[inKey][]any{},
		mentioned:  map[string]bool{},
		askOnly:    map[inKey]bool{},
		doneSlots:  map[string]Arg{},
		doneAPIs:   map[string]bool{},
		isGoal:     map[int]bool{},
	}
	for _, k := range req.Known {
		ik, isInput := s.splitKey(k.Key)
		switch {
		case k.Value == nil && isInput:
			// null: the user meant this input but gave no value; the API
			// is meant, and the value is asked for.
			s.mentioned[ik.api] = true
			s.askOnly[ik] = true
		case k.Value == nil:
		case isInput:
			s.givenInput[ik] = append(s.givenInput[ik], k.Value)
			s.mentioned[ik.api] = true
		default:
			slot, ok := p.knownSlot(k.Key)
			if !ok {
				s.issues = append(s.issues, Issue{Kind: IssueAmbiguous, Slot: k.Key, Values: []any{k.Value},
					Message: fmt.Sprintf("%s names inputs of different things (%s): the value is not used; key it as Api.input or by one of those types",
						k.Key, strings.Join(p.inputSlots[k.Key], ", "))})
				continue
			}
			s.givenSlot[slot] = append(s.givenSlot[slot], k.Value)
			s.slotKnown = append(s.slotKnown, Known{Key: slot, Value: k.Value})
		}
	}
	// Account settings fill their inputs (instances' too) unless the
	// request gave a value.
	fill := func(k inKey, v any) {
		if _, given := s.givenInput[k]; !given {
			s.givenInput[k] = []any{v}
			s.fixed = append(s.fixed, k)
		}
	}
	for k, v := range p.fixed {
		fill(k, v)
	}
	for _, a := range s.inst {
		base, _ := splitInstance(a.Name)
		for _, in := range a.Inputs {
			if v, ok := p.fixed[inKey{base, in.Name}]; ok {
				fill(inKey{a.Name, in.Name}, v)
			}
		}
	}
	slices.SortFunc(s.fixed, func(a, b inKey) int {
		return cmp.Or(strings.Compare(a.api, b.api), strings.Compare(a.input, b.input))
	})
	for _, d := range req.Done {
		if d.API == GetInfo {
			if v, ok := d.Outputs[d.Slot]; ok {
				s.givenSlot[d.Slot] = append(s.givenSlot[d.Slot], v)
			} else if d.Slot != "" {
				s.doneSlots[d.Slot] = Arg{From: d.ID, Field: d.Slot}
			}
			continue
		}
		ai, ok := s.lookup(d.name())
		if !ok {
			return nil, invalidPlan(&InputError{Msg: fmt.Sprintf("done step %s: unknown api %q", d.ID, d.API)})
		}
		s.doneAPIs[d.name()] = true
		for _, o := range s.api(ai).Outputs {
			if _, seen := s.doneSlots[o.SlotType()]; !seen {
				s.doneSlots[o.SlotType()] = Arg{From: d.ID, Field: o.Name}
			}
		}
	}
	for _, g := range req.Goals {
		ai, ok := s.lookup(g)
		if !ok {
			continue
		}
		if !s.doneAPIs[g] && !s.isGoal[ai] {
			s.goals = append(s.goals, ai)
		}
		s.isGoal[ai] = true
	}
	// The goals and the APIs the request names (Api.input keys) are the
	// roots of relevance.
	s.roots = append([]int(nil), s.goals...)
	for name := range s.mentioned {
		if ai := s.index(name); !s.doneAPIs[name] {
			s.roots = append(s.roots, ai)
		}
	}
	sort.Ints(s.roots[len(s.goals):])
	return s, nil
}

// meansAllowed reports whether API ai may be planned to obtain an input:
// reads always; a write or destructive API only as a goal, or when
// policies (which may derive allow_means) take part.
func (s *situation) meansAllowed(ai int) bool {
	return !s.sideEffect(ai) || s.isGoal[ai] || s.p.hasPolicies()
}

// callCost is the cost of one call of API ai, unscaled: its registry cost,
// else the read or write cost; a write or destructive call that is not a
// goal (a policy allowed it as a means) also costs a question for every
// slot it provides, so that no plan trades a question for a side effect.
func (s *situation) callCost(ai int) int64 {
	a := s.api(ai)
	side := s.sideEffect(ai)
	c := s.p.opts.ReadCost
	switch {
	case a.Cost > 0:
		c = int64(a.Cost)
	case side:
		c = s.p.opts.WriteCost
	}
	if side && !s.isGoal[ai] {
		slots := map[string]bool{}
		for _, o := range a.Outputs {
			slots[o.SlotType()] = true
		}
		c += s.p.opts.AskCost * int64(len(slots))
	}
	return c
}

// needsProducer reports whether a required input may need an API to
// produce its value: nothing was given for it and it has no default.
func (s *situation) needsProducer(a *registry.API, in registry.Input) bool {
	if !in.Required || in.Default != nil {
		return false
	}
	if _, ok := s.givenInput[inKey{a.Name, in.Name}]; ok {
		return false
	}
	for _, slot := range s.accepted(in) {
		if _, ok := s.givenSlot[slot]; ok {
			return false
		}
		if _, ok := s.doneSlots[slot]; ok {
			return false
		}
	}
	return true
}

// userOnly reports whether only the user's answer may fill input k: the
// request gave it as null, or (by the answer set an) gave a value that
// conflicts or is not allowed.
func (s *situation) userOnly(an *analysis, k inKey) bool {
	return s.askOnly[k] || an.conflict[k] || len(an.invalid[k]) > 0
}
