package planner

import (
	"sort"
	"strconv"
)

// orderSteps puts the steps of a plan in a canonical order that does not
// depend on the search's tie-breaking: questions first (the user is asked
// everything at once), then, goal by goal in the request's order, each
// goal's call after the calls it depends on. Steps are renumbered from
// first and references rewritten.
func (s *situation) orderSteps(steps []Step, first int) []Step {
	byID := make(map[string]int, len(steps))
	for i, st := range steps {
		byID[st.ID] = i
	}
	placed := make([]bool, len(steps))
	order := make([]int, 0, len(steps))
	for i, st := range steps {
		if st.API == GetInfo && st.Options == nil {
			placed[i] = true
			order = append(order, i)
		}
	}
	var visit func(i int)
	visit = func(i int) {
		if placed[i] {
			return
		}
		placed[i] = true
		if c := steps[i].Options; c != nil { // a choice comes after its list
			if d, ok := byID[c.From]; ok {
				visit(d)
			}
		}
		names := sortedArgNames(steps[i].Args)
		for _, n := range names {
			if a := steps[i].Args[n]; a.IsRef() {
				if d, ok := byID[a.From]; ok {
					visit(d)
				}
			}
		}
		order = append(order, i)
	}
	for _, g := range s.goals {
		name := s.api(g).Name
		for i, st := range steps {
			if instanceName(st.API, st.Instance) == name {
				visit(i)
			}
		}
	}
	for i := range steps {
		visit(i)
	}
	rename := make(map[string]string, len(steps))
	out := make([]Step, len(steps))
	for k, i := range order {
		out[k] = steps[i]
		rename[steps[i].ID] = "s" + strconv.Itoa(first+k)
	}
	for k := range out {
		out[k].ID = rename[out[k].ID]
		if c := out[k].Options; c != nil {
			if to, ok := rename[c.From]; ok { // else a done step: its id stays
				out[k].Options = &Choice{From: to, Field: c.Field}
			}
		}
		if out[k].Args == nil {
			continue
		}
		args := make(map[string]Arg, len(out[k].Args))
		for n, a := range out[k].Args {
			if to, ok := rename[a.From]; ok && a.IsRef() {
				a.From = to
			}
			args[n] = a
		}
		out[k].Args = args
	}
	return out
}

func sortedArgNames(args map[string]Arg) []string {
	names := make([]string, 0, len(args))
	for n := range args {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
