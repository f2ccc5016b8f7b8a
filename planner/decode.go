package planner

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// decode turns the actions of a plan into steps with every argument bound:
// to a value the request gave (or a default), or to the output of the step
// that first produced a slot the input accepts.
func (j *job) decode(m *materialised, names []string) ([]Step, error) {
	sources := make(map[string]Arg, len(j.doneSlots))
	for s, a := range j.doneSlots {
		sources[s] = a
	}
	next := 1
	for _, d := range j.req.Done {
		if n, err := strconv.Atoi(strings.TrimPrefix(d.ID, "s")); err == nil && n >= next {
			next = n + 1
		}
	}
	first := next
	var steps []Step
	for _, name := range names {
		desc, ok := m.acts[name]
		if !ok {
			return nil, fmt.Errorf("planner: the search returned unknown action %q", name)
		}
		switch desc.kind {
		case actFeed:
			continue
		case actAsk:
			id := "s" + strconv.Itoa(next)
			next++
			steps = append(steps, Step{ID: id, API: GetInfo, Slot: desc.slot, Question: j.question(desc.slot)})
			if _, ok := sources[desc.slot]; !ok {
				sources[desc.slot] = Arg{From: id, Field: desc.slot}
			}
		case actAPI:
			id := "s" + strconv.Itoa(next)
			next++
			a := &j.p.apis[desc.api]
			st := Step{ID: id, API: a.Name, Args: map[string]Arg{}, Confirm: j.an.confirm[a.Name]}
			for _, in := range a.Inputs {
				k := inKey{a.Name, in.Name}
				if v, ok := j.an.values[k]; ok {
					if j.an.defaulted[k] && !in.Required {
						continue // the API applies its own default
					}
					st.Args[in.Name] = Arg{Value: v}
					continue
				}
				bound := false
				for _, s := range acceptedSlots(in) {
					if src, ok := sources[s]; ok {
						st.Args[in.Name] = src
						bound = true
						break
					}
				}
				if !bound && j.an.needInput[k] {
					return nil, fmt.Errorf("planner: step %s (%s): nothing binds input %q", id, a.Name, in.Name)
				}
			}
			for _, s := range j.an.extraNeed[a.Name] {
				if src, ok := sources[s]; ok {
					st.Args[s] = src
				} else {
					return nil, fmt.Errorf("planner: step %s (%s): nothing binds required slot %q", id, a.Name, s)
				}
			}
			if len(st.Args) == 0 {
				st.Args = nil
			}
			steps = append(steps, st)
			for _, o := range a.Outputs {
				if _, ok := sources[o.SlotType()]; !ok {
					sources[o.SlotType()] = Arg{From: id, Field: o.Name}
				}
			}
		}
	}
	return j.orderSteps(steps, first), nil
}

// question words the get_info question for slot, from the description and
// allowed values of the first input that needs it.
func (j *job) question(slot string) string {
	var desc string
	var allowed []any
	var given []any
	keys := make([]inKey, 0, len(j.an.needInput))
	for k := range j.an.needInput {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		if keys[a].api != keys[b].api {
			return keys[a].api < keys[b].api
		}
		return keys[a].input < keys[b].input
	})
	for _, k := range keys {
		a, _ := j.p.API(k.api)
		for _, in := range a.Inputs {
			if in.Name == k.input && in.SlotType() == slot {
				if desc == "" {
					desc = strings.TrimSpace(in.Description)
				}
				if allowed == nil {
					allowed = in.Allowed
				}
				if given == nil {
					given = j.an.invalid[k]
				}
			}
		}
	}
	q := "What is the " + strings.ReplaceAll(slot, "_", " ") + "?"
	if desc != "" {
		q += " (" + strings.TrimSuffix(desc, ".") + ")"
	}
	if len(given) > 0 {
		q += " " + listValues(given) + " is not accepted."
	}
	if len(allowed) > 0 {
		q += " One of: " + listValues(allowed) + "."
	}
	if vs := j.givenSlot[slot]; len(vs) > 1 {
		q += " You gave " + listValues(vs) + "; which one?"
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
func (j *job) finish(steps []Step, status Status) *Plan {
	p := &Plan{Status: status, Steps: steps, Problems: j.problems}
	ask := false
	for _, s := range steps {
		if s.API == GetInfo {
			ask = true
			p.Cost += j.p.opts.AskCost
			continue
		}
		a, _ := j.p.API(s.API)
		p.Cost += int64(apiCost(&a))
	}
	if p.Status == "" {
		p.Status = StatusOK
		if ask {
			p.Status = StatusNeedsInfo
		}
	}
	return p
}
