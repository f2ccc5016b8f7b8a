package planner

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// source is where a slot's value comes from while decoding.
type source struct {
	arg  Arg
	pos  int    // position of the producing step; -1 for done steps
	slot string // the slot it provides
}

// decode turns the actions of a plan into steps with every argument bound:
// to a value the request gave (or a default), or to an output of another
// step. A required input takes the earliest earlier step that produced a
// slot it accepts (the value closest to what the user said); an optional
// input nothing else binds takes, when there is one, the output of any other
// step of the plan that does not depend on it (through a declared alias if
// the step comes later). orderSteps then puts the
// steps in an order that respects every binding.
func (s *situation) decode(an *analysis, m *materialised, names []string) ([]Step, error) {
	sources := make(map[string]source, len(s.doneSlots))
	for slot, a := range s.doneSlots {
		sources[slot] = source{a, -1, slot}
	}
	next := 1
	for _, d := range s.req.Done {
		if n, err := strconv.Atoi(strings.TrimPrefix(d.ID, "s")); err == nil && n >= next {
			next = n + 1
		}
	}
	first := next
	acts := m.acts()
	answers := map[string]Arg{} // slot -> the get_info step that asked it
	var steps []Step
	var apiOf []int
	for _, name := range names {
		desc, ok := acts[name]
		if !ok {
			return nil, fmt.Errorf("planner: the search returned unknown action %q", name)
		}
		id := "s" + strconv.Itoa(next)
		pos := len(steps)
		switch desc.kind {
		case actFeed, actSkip:
			continue
		case actAsk:
			steps = append(steps, Step{ID: id, API: GetInfo, Slot: desc.slot, Question: s.question(an, desc.slot)})
			apiOf = append(apiOf, -1)
			answers[desc.slot] = Arg{From: id, Field: desc.slot}
			if _, ok := sources[desc.slot]; !ok {
				sources[desc.slot] = source{Arg{From: id, Field: desc.slot}, pos, desc.slot}
			}
		case actAPI:
			a := s.api(desc.api)
			base, tag := splitInstance(a.Name)
			if desc.api < len(s.p.apis) {
				base, tag = a.Name, ""
			}
			steps = append(steps, Step{ID: id, API: base, Instance: tag, Args: map[string]Arg{}, Confirm: an.confirm[a.Name], Effect: s.effect(desc.api)})
			apiOf = append(apiOf, desc.api)
			for _, o := range a.Outputs {
				if _, ok := sources[o.SlotType()]; !ok {
					sources[o.SlotType()] = source{Arg{From: id, Field: o.Name}, pos, o.SlotType()}
				}
			}
		}
		next++
	}
	posOf := make(map[string]int, len(steps))
	for i, st := range steps {
		posOf[st.ID] = i
	}
	// best returns the source of the earliest step (before pos, when
	// before) among the slots an input accepts: its aliases first, declared
	// on purpose, then its own slot (own may be ""), which may match by name
	// alone.
	best := func(own string, aliases []string, pos int, before bool) (source, bool) {
		for _, group := range [][]string{aliases, {own}} {
			var found source
			ok := false
			for _, slot := range group {
				src, has := sources[slot]
				if slot == "" || !has || src.pos == pos || (before && src.pos > pos) {
					continue
				}
				if !ok || src.pos < found.pos {
					found, ok = src, true
				}
			}
			if ok {
				return found, true
			}
		}
		return source{}, false
	}
	type later struct {
		step    int
		input   string
		own     string
		aliases []string
	}
	var optional []later
	for i := range steps {
		ai := apiOf[i]
		if ai < 0 {
			continue
		}
		a := s.api(ai)
		st := &steps[i]
		for _, in := range a.Inputs {
			k := inKey{a.Name, in.Name}
			if v, ok := an.values[k]; ok {
				if an.defaulted[k] && !in.Required {
					continue // the API applies its own default
				}
				st.Args[in.Name] = Arg{Value: v}
				continue
			}
			slots := s.accepted(in)
			if ans, ok := answers[in.SlotType()]; ok && s.userOnly(an, k) {
				st.Args[in.Name] = ans
				continue
			}
			if s.userOnly(an, k) && !an.needInput[k] {
				continue // a rejected optional value: left out, never bound from an output
			}
			if src, ok := best(slots[0], slots[1:], i, true); ok {
				st.Args[in.Name] = src.arg
				if len(slots) > 1 && src.slot == slots[0] {
					// Bound by name; an alias source later in the plan may
					// still be the one meant.
					optional = append(optional, later{i, in.Name, "", slots[1:]})
				}
				continue
			}
			if an.needInput[k] {
				return nil, fmt.Errorf("planner: step %s (%s): nothing binds input %q", st.ID, a.Name, in.Name)
			}
			optional = append(optional, later{i, in.Name, "", slots[1:]})
		}
		for _, slot := range an.extraNeed[a.Name] {
			src, ok := best(slot, nil, i, true)
			if !ok {
				return nil, fmt.Errorf("planner: step %s (%s): nothing binds required slot %q", st.ID, a.Name, slot)
			}
			st.Args[slot] = src.arg
		}
	}
	// dependsOn reports whether step from refers, directly or through other
	// steps, to step to.
	dependsOn := func(from, to int) bool {
		seen := map[int]bool{}
		stack := []int{from}
		for len(stack) > 0 {
			k := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if k == to {
				return true
			}
			if seen[k] {
				continue
			}
			seen[k] = true
			for _, a := range steps[k].Args {
				if p, ok := posOf[a.From]; ok && a.IsRef() {
					stack = append(stack, p)
				}
			}
		}
		return false
	}
	for _, o := range optional {
		if src, ok := best(o.own, o.aliases, o.step, false); ok && (src.pos < 0 || !dependsOn(src.pos, o.step)) {
			steps[o.step].Args[o.input] = src.arg
		}
	}
	steps = s.addChoices(steps, apiOf)
	for i := range steps {
		if steps[i].Args != nil && len(steps[i].Args) == 0 {
			steps[i].Args = nil
		}
	}
	return s.orderSteps(steps, first), nil
}

// question words the get_info question for slot, from the description and
// allowed values of the first input that needs it.
func (s *situation) question(an *analysis, slot string) string {
	var desc string
	var allowed []any
	var given []any
	keys := make([]inKey, 0, len(an.needInput))
	for k := range an.needInput {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		if keys[a].api != keys[b].api {
			return keys[a].api < keys[b].api
		}
		return keys[a].input < keys[b].input
	})
	for _, k := range keys {
		a, _ := s.lookupAPI(k.api)
		for _, in := range a.Inputs {
			if in.Name == k.input && in.SlotType() == slot {
				if desc == "" {
					desc = strings.TrimSpace(in.Description)
				}
				if allowed == nil {
					allowed = in.Allowed
				}
				if given == nil {
					given = an.invalid[k]
				}
			}
		}
	}
	q := questionText(slot, desc, given, allowed)
	if vs := s.givenSlot[slot]; len(vs) > 1 {
		q += " You gave " + listValues(vs) + "; which one?"
	}
	return q
}

// questionText asks for slot: its words, the input's description, the
// values given that are not accepted and the allowed ones.
func questionText(slot, desc string, given, allowed []any) string {
	name := strings.ReplaceAll(slot, "_", " ")
	if strings.ContainsAny(slot, "./{@") { // a typed slot: "customer.id" reads "customer id"
		name = slotWords(slot)
	}
	q := whatIs(name)
	if desc = strings.TrimSpace(desc); desc != "" {
		q += " (" + strings.TrimSuffix(desc, ".") + ")"
	}
	if len(given) > 0 {
		q += " " + listValues(given) + " is not accepted."
	}
	if len(allowed) > 0 {
		q += " One of: " + listValues(allowed) + "."
	}
	return q
}

func listValues(vs []any) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		data, _ := json.Marshal(v)
		parts[i] = string(data)
	}
	return strings.Join(parts, ", ")
}

// finish assembles the plan; an empty status is worked out from the steps.
func (s *situation) finish(issues []Issue, steps []Step, status Status) *Plan {
	p := &Plan{Status: status, Steps: steps, Issues: issues}
	ask := false
	for _, st := range steps {
		if st.API == GetInfo {
			ask = true
			p.Cost += s.p.opts.AskCost
			continue
		}
		if ai, ok := s.lookup(instanceName(st.API, st.Instance)); ok {
			p.Cost += s.callCost(ai)
		}
	}
	if p.Status == "" {
		p.Status = StatusOK
		if ask {
			p.Status = StatusNeedsInfo
		}
	}
	return p
}

// whatIs asks for a value by its name: "What is the pickup time?", and
// "What are the units?" for a name that reads as a plural.
func whatIs(name string) string {
	words := strings.Fields(name)
	last := ""
	if len(words) > 0 {
		last = strings.ToLower(words[len(words)-1])
	}
	if len(last) > 3 && strings.HasSuffix(last, "s") && !strings.HasSuffix(last, "ss") &&
		!strings.HasSuffix(last, "us") && !strings.HasSuffix(last, "is") {
		return "What are the " + name + "?"
	}
	return "What is the " + name + "?"
}
