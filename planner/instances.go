package planner

import (
	"strings"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// Instances: one API called more than once on different values.
//
// A request names an instance of an API with a tag after '#': values keyed
// "Airports.Search#origin.query" and "Airports.Search#destination.query",
// or a goal "Flights.Search#return". Each instance is planned as an API of
// its own (named "Api#tag"), whose outputs are the tagged slots "skyId#origin"
// rather than "skyId". An input accepts a tagged slot when it lists it among
// its aliases ("skyId#origin"), or when it accepts the untagged slot and its
// name contains the tag: "originSkyId" takes "skyId#origin" and
// "destinationSkyId" takes "skyId#destination". Steps of an instance carry
// the API's own name and the tag in Step.Instance.

// splitInstance splits "Api#tag" into the API and the tag ("" when none).
func splitInstance(name string) (api, tag string) {
	i := strings.LastIndexByte(name, '#')
	if i <= 0 || i == len(name)-1 {
		return name, ""
	}
	return name[:i], name[i+1:]
}

func instanceName(api, tag string) string {
	if tag == "" {
		return api
	}
	return api + "#" + tag
}

func (d Done) name() string { return instanceName(d.API, d.Instance) }

// addInstance makes the instance name ("Api#tag") known to the job, if its
// API exists, and returns its index.
func (j *job) addInstance(name string) (int, bool) {
	if ai, ok := j.lookup(name); ok {
		return ai, true
	}
	base, tag := splitInstance(name)
	bi, ok := j.p.byName[base]
	if tag == "" || !ok {
		return 0, false
	}
	a := j.p.apis[bi]
	a.Name = name
	outs := make([]registry.Output, len(a.Outputs))
	for i, o := range a.Outputs {
		o.Type = o.SlotType() + "#" + tag
		outs[i] = o
	}
	a.Outputs = outs
	ai := len(j.p.apis) + len(j.inst)
	j.inst = append(j.inst, a)
	j.instEffects = append(j.instEffects, j.p.effects[bi])
	if j.instByName == nil {
		j.instByName = map[string]int{}
		j.instProducers = map[string][]int{}
	}
	j.instByName[name] = ai
	seen := map[string]bool{}
	for _, o := range outs {
		if !seen[o.Type] {
			seen[o.Type] = true
			j.instProducers[o.Type] = append(j.instProducers[o.Type], ai)
		}
	}
	if !containsString(j.tags, tag) {
		j.tags = append(j.tags, tag)
	}
	return ai, true
}

// addInstances creates the instances a request names in its known keys,
// goals and done steps.
func (j *job) addInstances(req Request) {
	for _, k := range req.Known {
		if dot := strings.LastIndexByte(k.Key, '.'); dot > 0 && strings.Contains(k.Key[:dot], "#") {
			j.addInstance(k.Key[:dot])
		}
	}
	for _, g := range req.Goals {
		if strings.Contains(g, "#") {
			j.addInstance(g)
		}
	}
	for _, d := range req.Done {
		if d.Instance != "" {
			j.addInstance(d.name())
		}
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// api returns the API (or instance) with index ai.
func (j *job) api(ai int) *registry.API {
	if ai < len(j.p.apis) {
		return &j.p.apis[ai]
	}
	return &j.inst[ai-len(j.p.apis)]
}

// effect returns the effect of the API (or instance) with index ai.
func (j *job) effect(ai int) registry.Effect {
	if ai < len(j.p.apis) {
		return j.p.effects[ai]
	}
	return j.instEffects[ai-len(j.p.apis)]
}

// sideEffect reports whether calling API ai writes or destroys.
func (j *job) sideEffect(ai int) bool { return j.effect(ai).SideEffect() }

// meansAllowed reports whether API ai may be planned to obtain an input:
// reads always; a write or destructive API only as a goal, or when
// policies (which may derive allow_means) take part.
func (j *job) meansAllowed(ai int) bool {
	return !j.sideEffect(ai) || j.isGoal[ai] || j.p.hasPolicies()
}

// callCost is the cost of one call of API ai, unscaled: its registry cost,
// else the read or write cost; a write or destructive call that is not a
// goal (a policy allowed it as a means) also costs a question for every
// slot it provides, so that no plan trades a question for a side effect.
func (j *job) callCost(ai int) int64 {
	a := j.api(ai)
	side := j.sideEffect(ai)
	c := j.p.opts.ReadCost
	switch {
	case a.Cost > 0:
		c = int64(a.Cost)
	case side:
		c = j.p.opts.WriteCost
	}
	if side && !j.isGoal[ai] {
		slots := map[string]bool{}
		for _, o := range a.Outputs {
			slots[o.SlotType()] = true
		}
		c += j.p.opts.AskCost * int64(len(slots))
	}
	return c
}

// lookup returns the index of an API or instance name.
func (j *job) lookup(name string) (int, bool) {
	if ai, ok := j.p.byName[name]; ok {
		return ai, true
	}
	ai, ok := j.instByName[name]
	return ai, ok
}

// index returns the index of a name known to exist.
func (j *job) index(name string) int {
	ai, _ := j.lookup(name)
	return ai
}

// lookupAPI returns the API or instance named name.
func (j *job) lookupAPI(name string) (registry.API, bool) {
	ai, ok := j.lookup(name)
	if !ok {
		return registry.API{}, false
	}
	return *j.api(ai), true
}

// producersOf returns the APIs and instances with an output of slot s.
func (j *job) producersOf(s string) []int {
	if ps, ok := j.instProducers[s]; ok {
		return append(append([]int(nil), j.p.producers[s]...), ps...)
	}
	return j.p.producers[s]
}

// accepted returns the slots that can fill in: its own, its aliases, and
// the tagged forms of those for each instance tag its name contains.
func (j *job) accepted(in registry.Input) []string {
	slots := acceptedSlots(in)
	if len(j.tags) == 0 {
		return slots
	}
	name := strings.ToLower(in.Name)
	n := len(slots)
	for _, t := range j.tags {
		if !strings.Contains(name, strings.ToLower(t)) {
			continue
		}
		for _, s := range slots[:n] {
			if !strings.Contains(s, "#") {
				slots = append(slots, s+"#"+t)
			}
		}
	}
	return slots
}

// splitKey reads a known key: "Api.input" (or "Api#tag.input") when it
// names an input of an API, split at the last dot; otherwise a slot.
func (j *job) splitKey(key string) (inKey, bool) {
	dot := strings.LastIndexByte(key, '.')
	if dot <= 0 || dot == len(key)-1 {
		return inKey{}, false
	}
	ai, ok := j.lookup(key[:dot])
	if !ok {
		return inKey{}, false
	}
	for _, in := range j.api(ai).Inputs {
		if in.Name == key[dot+1:] {
			return inKey{key[:dot], in.Name}, true
		}
	}
	return inKey{}, false
}
