package planner

import (
	"fmt"
	"sort"
	"strings"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// reportAnalysis turns what the answer set found wrong into problems.
func (j *job) reportAnalysis() {
	an := j.an
	slots := make([]string, 0, len(an.slotConflict))
	for s := range an.slotConflict {
		slots = append(slots, s)
	}
	sort.Strings(slots)
	for _, s := range slots {
		j.issues = append(j.issues, Issue{
			Kind: IssueConflict, Slot: s, Values: j.givenSlot[s],
			Message: fmt.Sprintf("%s was given %d values: %s", s, len(j.givenSlot[s]), listValues(j.givenSlot[s])),
		})
	}
	for _, k := range sortedKeys(an.conflict) {
		vals := j.givenInput[k]
		if len(vals) < 2 {
			// Values from several slots the input accepts; a conflict within
			// one slot alone is reported above.
			a, _ := j.lookupAPI(k.api)
			vals = vals[:0:0]
			n := 0
			for _, in := range a.Inputs {
				if in.Name == k.input {
					for _, s := range j.accepted(in) {
						if vs, ok := j.givenSlot[s]; ok {
							n++
							vals = append(vals, vs...)
						}
					}
				}
			}
			if n < 2 && len(j.givenInput[k]) == 0 {
				continue
			}
		}
		j.issues = append(j.issues, Issue{
			Kind: IssueConflict, API: k.api, Input: k.input, Values: vals,
			Message: fmt.Sprintf("%s.%s was given %d values: %s", k.api, k.input, len(vals), listValues(vals)),
		})
	}
	for _, k := range sortedKeys(an.invalid) {
		a, _ := j.lookupAPI(k.api)
		var allowed []any
		for _, in := range a.Inputs {
			if in.Name == k.input {
				allowed = in.Allowed
			}
		}
		j.issues = append(j.issues, Issue{
			Kind: IssueInvalidValue, API: k.api, Input: k.input, Values: an.invalid[k], Allowed: allowed,
			Message: fmt.Sprintf("%s.%s: %s is not allowed; allowed values: %s", k.api, k.input, listValues(an.invalid[k]), listValues(allowed)),
		})
	}
	unknown := append([]string(nil), an.unknownAPI...)
	sort.Strings(unknown)
	for _, g := range unknown {
		j.issues = append(j.issues, Issue{Kind: IssueUnknownAPI, API: g, Message: fmt.Sprintf("goal %s is not an API of the registry", g)})
	}
	apis := make([]string, 0, len(an.forbidden))
	for a := range an.forbidden {
		apis = append(apis, a)
	}
	sort.Strings(apis)
	for _, a := range apis {
		reasons := append([]string(nil), an.forbidden[a]...)
		sort.Strings(reasons)
		j.issues = append(j.issues, Issue{Kind: IssueForbidden, API: a, Message: fmt.Sprintf("%s is forbidden: %s", a, strings.Join(reasons, "; "))})
	}
}

// reportUnreachable names, for each goal that cannot be reached, the inputs
// nothing can supply: not given, not askable, and produced by no usable API.
func (j *job) reportUnreachable(m *materialised, reach map[string]bool) {
	visited := map[int]bool{}
	var walk func(ai int)
	walk = func(ai int) {
		if visited[ai] {
			return
		}
		visited[ai] = true
		a := j.api(ai)
		if reasons := j.an.forbidden[a.Name]; len(reasons) > 0 {
			return // reported as forbidden
		}
		check := func(input string, slots []string) {
			for _, s := range slots {
				if reach[m.known[s]] && m.known[s] != "" {
					return
				}
			}
			usable := false
			for _, s := range slots {
				for _, pi := range j.producersOf(s) {
					if j.isRelevant[pi] && len(j.an.forbidden[j.api(pi).Name]) == 0 {
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
			if writers := j.sideEffectProducers(slots); len(writers) > 0 {
				msg += fmt.Sprintf(" (%s would, but changes something and is not a goal of the request: name it as a goal to have it called)", strings.Join(writers, ", "))
			} else if others := j.p.sameNameElsewhere(a, input); len(others) > 0 {
				msg += fmt.Sprintf(" (%s returns a %s of another service or resource: declare the input's type or an alias if it is the same thing)", strings.Join(others, ", "), input)
			}
			j.issues = append(j.issues, Issue{
				Kind: IssueUnreachable, API: a.Name, Input: input, Slot: slots[0], Message: msg,
			})
		}
		for _, in := range a.Inputs {
			if j.an.needInput[inKey{a.Name, in.Name}] {
				if hv, ok := m.have[inKey{a.Name, in.Name}]; ok && reach[hv] {
					continue
				}
				check(in.Name, j.accepted(in))
			}
		}
		for _, s := range j.an.extraNeed[a.Name] {
			check("", []string{s})
		}
	}
	for _, g := range j.goals {
		if !reach[m.done[g]] {
			walk(g)
		}
	}
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
func (j *job) sideEffectProducers(slots []string) []string {
	var names []string
	seen := map[int]bool{}
	for _, s := range slots {
		for _, pi := range j.producersOf(s) {
			if !seen[pi] && j.sideEffect(pi) && !j.isGoal[pi] && (j.an.notMeans[j.api(pi).Name] || !j.isRelevant[pi]) {
				seen[pi] = true
				names = append(names, j.api(pi).Name)
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
