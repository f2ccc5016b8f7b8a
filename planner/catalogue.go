package planner

import (
	"strings"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// catalogue is the set of APIs one request plans over: the planner's APIs,
// and after them the instances ("Api#tag") the request names (see
// instances.go). Every stage refers to an API by its index here.
type catalogue struct {
	p             *Planner
	inst          []registry.API
	instEffects   []registry.Effect
	instByName    map[string]int
	instProducers map[string][]int
	tags          []string
}

// api returns the API (or instance) with index ai.
func (c *catalogue) api(ai int) *registry.API {
	if ai < len(c.p.apis) {
		return &c.p.apis[ai]
	}
	return &c.inst[ai-len(c.p.apis)]
}

// effect returns the effect of the API (or instance) with index ai.
func (c *catalogue) effect(ai int) registry.Effect {
	if ai < len(c.p.apis) {
		return c.p.effects[ai]
	}
	return c.instEffects[ai-len(c.p.apis)]
}

// sideEffect reports whether calling API ai writes or destroys.
func (c *catalogue) sideEffect(ai int) bool { return c.effect(ai).SideEffect() }

// lookup returns the index of an API or instance name.
func (c *catalogue) lookup(name string) (int, bool) {
	if ai, ok := c.p.byName[name]; ok {
		return ai, true
	}
	ai, ok := c.instByName[name]
	return ai, ok
}

// index returns the index of a name known to exist.
func (c *catalogue) index(name string) int {
	ai, _ := c.lookup(name)
	return ai
}

// lookupAPI returns the API or instance named name.
func (c *catalogue) lookupAPI(name string) (registry.API, bool) {
	ai, ok := c.lookup(name)
	if !ok {
		return registry.API{}, false
	}
	return *c.api(ai), true
}

// producersOf returns the APIs and instances with an output of slot s.
func (c *catalogue) producersOf(s string) []int {
	if ps, ok := c.instProducers[s]; ok {
		return append(append([]int(nil), c.p.producers[s]...), ps...)
	}
	return c.p.producers[s]
}

// accepted returns the slots that can fill in: its own, its aliases, and
// the tagged forms of those for each instance tag its name contains.
func (c *catalogue) accepted(in registry.Input) []string {
	slots := acceptedSlots(in)
	if len(c.tags) == 0 {
		return slots
	}
	name := strings.ToLower(in.Name)
	n := len(slots)
	for _, t := range c.tags {
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
func (c *catalogue) splitKey(key string) (inKey, bool) {
	dot := strings.LastIndexByte(key, '.')
	if dot <= 0 || dot == len(key)-1 {
		return inKey{}, false
	}
	ai, ok := c.lookup(key[:dot])
	if !ok {
		return inKey{}, false
	}
	for _, in := range c.api(ai).Inputs {
		if in.Name == key[dot+1:] {
			return inKey{key[:dot], in.Name}, true
		}
	}
	return inKey{}, false
}

// acceptedSlots returns the slots that can fill in: its own, then aliases.
func acceptedSlots(in registry.Input) []string {
	s := []string{in.SlotType()}
	for _, a := range in.Aliases {
		if a != "" && a != s[0] {
			s = append(s, a)
		}
	}
	return s
}
