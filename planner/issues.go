package planner

import (
	"fmt"
	"sort"
	"strings"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// reportAnalysis returns the issues the answer set an finds: conflicts,
// values not allowed, unknown goals and forbidden calls.
func (s *situation) reportAnalysis(an *analysis) []Issue {
	var issues []Issue
	slots := make([]string, 0, len(an.slotConflict))
	for slot := range an.slotConflict {
		slots = append(slots, slot)
	}
	sort.Strings(slots)
	for _, slot := range slots {
		issues = append(issues, Issue{
			Kind: IssueConflict, Slot: slot, Values: s.givenSlot[slot],
			Message: fmt.Sprintf("%s was given %d values: %s", slot, len(s.givenSlot[slot]), listValues(s.givenSlot[slot])),
		})
	}
	for _, k := range sortedKeys(an.conflict) {
		vals := s.givenInput[k]
		if len(vals) < 2 {
			// Values from several slots the input accepts; a conflict within
			// one slot alone is reported above.
			a, _ := s.lookupAPI(k.api)
			vals = vals[:0:0]
			n := 0
			for _, in := range a.Inputs {
				if in.Name == k.input {
					for _, slot := range s.accepted(in) {
						if vs, ok := s.givenSlot[slot]; ok {
							n++
							vals = append(vals, vs...)
						}
					}
				}
			}
			if n < 2 && len(s.givenInput[k]) == 0 {
				continue
			}
		}
		issues = append(issues, Issue{
			Kind: IssueConflict, API: k.api, Input: k.input, Values: vals,
			Message: fmt.Sprintf("%s.%s was given %d values: %s", k.api, k.input, len(vals), listValues(vals)),
		})
	}
	for _, k := range sortedKeys(an.invalid) {
		a, _ := s.lookupAPI(k.api)
		var allowed []any
		for _, in := range a.Inputs {
			if in.Name == k.input {
				allowed = in.Allowed
			}
		}
		issues = append(issues, Issue{
			Kind: IssueInvalidValue, API: k.api, Input: k.input, Values: an.invalid[k], Allowed: allowed,
			Message: fmt.Sprintf("%s.%s: %s is not allowed; allowed values: %s", k.api, k.input, listValues(an.invalid[k]), listValues(allowed)),
		})
	}
	unknown := append([]string(nil), an.unknownAPI...)
	sort.Strings(unknown)
	for _, g := range unknown {
		issues = append(issues, Issue{Kind: IssueUnknownAPI, API: g, Message: fmt.Sprintf("goal %s is not an API of the registry", g)})
	}
	apis := make([]string, 0, len(an.forbidden))
	for a := range an.forbidden {
		apis = append(apis, a)
	}
	sort.Strings(apis)
	for _, a := range apis {
		reasons := append([]string(nil), an.forbidden[a]...)
		sort.Strings(reasons)
		issues = append(issues, Issue{Kind: IssueForbidden, API: a, Message: fmt.Sprintf("%s is forbidden: %s", a, strings.Join(reasons, "; "))})
	}
	return issues
}

// reportUnreachable names, for each goal that the task m cannot reach, the
// inputs nothing can supply: not given, not askable, and produced by no
// usable API of r.
func (s *situation) reportUnreachable(r *relevance, an *analysis, m *materialised) []Issue {
	var issues []Issue
	visited := map[int]bool{}
	var walk func(ai int)
	walk = func(ai int) {
		if visited[ai] {
			return
		}
		visited[ai] = true
		a := s.api(ai)
		if reasons := an.forbidden[a.Name]; len(reasons) > 0 {
			return // reported as forbidden
		}
		check := func(input string, slots []string) {
			for _, slot := range slots {
				if p, ok := m.known[slot]; ok && m.reachable(p) {
					return
				}
			}
			usable := false
			for _, slot := range slots {
				for _, pi := range s.producersOf(slot) {
					if r.is[pi] && len(an.forbidden[s.api(pi).Name]) == 0 {
						usable = true
						walk(pi)
					}
				}
			}
			if usable {
				return
			}
			where := a.Name + "." + input
			if input == "" {
				where = a.Name + " (policy requirement)"
			}
			msg := fmt.Sprintf("%s needs %s: it was not given, it cannot be asked of the user, and no API provides it", where, slots[0])
			if writers := s.sideEffectProducers(r, an, slots); len(writers) > 0 {
				msg += fmt.Sprintf(" (%s would, but changes something and is not a goal of the request: name it as a goal to have it called)", strings.Join(writers, ", "))
			} else if others := s.p.sameNameElsewhere(a, input); len(others) > 0 {
				msg += fmt.Sprintf(" (%s returns a %s of another service or resource: declare the input's type or an alias if it is the same thing)", strings.Join(others, ", "), input)
			}
			issues = append(issues, Issue{
				Kind: IssueUnreachable, API: a.Name, Input: input, Slot: slots[0], Message: msg,
			})
		}
		for _, in := range a.Inputs {
			if an.needInput[inKey{a.Name, in.Name}] {
				if hv, ok := m.have[inKey{a.Name, in.Name}]; ok && m.reachable(hv) {
					continue
				}
				check(in.Name, s.accepted(in))
			}
		}
		for _, slot := range an.extraNeed[a.Name] {
			check("", []string{slot})
		}
	}
	for _, g := range s.goals {
		if !m.reachable(m.done[g]) {
			walk(g)
		}
	}
	return issues
}

func sortedKeys[V any](m map[inKey]V) []inKey {
	keys := make([]inKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		if keys[a].api != keys[b].api {
			return keys[a].api < keys[b].api
		}
		return keys[a].input < keys[b].input
	})
	return keys
}

// sideEffectProducers names the write or destructive APIs that provide one
// of slots but may not be called to obtain it (they are not goals).
func (s *situation) sideEffectProducers(r *relevance, an *analysis, slots []string) []string {
	var names []string
	seen := map[int]bool{}
	for _, slot := range slots {
		for _, pi := range s.producersOf(slot) {
			if !seen[pi] && s.sideEffect(pi) && !s.isGoal[pi] && (an.notMeans[s.api(pi).Name] || !r.is[pi]) {
				seen[pi] = true
				names = append(names, s.api(pi).Name)
			}
		}
	}
	sort.Strings(names)
	if len(names) > 3 {
		names = append(names[:3], fmt.Sprintf("%d more", len(names)-3))
	}
	return names
}

// sameNameElsewhere names (up to three) APIs with an untyped output named
// like input of a, which entity typing keeps apart from it.
func (p *Planner) sameNameElsewhere(a *registry.API, input string) []string {
	var names []string
	for i := range p.orig {
		if p.orig[i].Name == a.Name {
			continue
		}
		for _, o := range p.orig[i].Outputs {
			if o.Name == input && o.Type == "" && len(names) < 3 {
				names = append(names, p.orig[i].Name)
				break
			}
		}
	}
	return names
}
