package planner

import (
	"slices"
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

// newCatalogue returns the catalogue of req: the planner's APIs and the
// instances req names in its known keys, goals and done steps.
func (p *Planner) newCatalogue(req Request) *catalogue {
	c := &catalogue{p: p}
	for _, k := range req.Known {
		if dot := strings.LastIndexByte(k.Key, '.'); dot > 0 && strings.Contains(k.Key[:dot], "#") {
			c.addInstance(k.Key[:dot])
		}
	}
	for _, g := range req.Goals {
		if strings.Contains(g, "#") {
			c.addInstance(g)
		}
	}
	for _, d := range req.Done {
		if d.Instance != "" {
			c.addInstance(d.name())
		}
	}
	return c
}

// addInstance adds the instance name ("Api#tag"), if its API exists.
func (c *catalogue) addInstance(name string) {
	if _, ok := c.lookup(name); ok {
		return
	}
	base, tag := splitInstance(name)
	bi, ok := c.p.byName[base]
	if tag == "" || !ok {
		return
	}
	a := c.p.apis[bi]
	a.Name = name
	outs := make([]registry.Output, len(a.Outputs))
	for i, o := range a.Outputs {
		o.Type = o.SlotType() + "#" + tag
		outs[i] = o
	}
	a.Outputs = outs
	ai := len(c.p.apis) + len(c.inst)
	c.inst = append(c.inst, a)
	c.instEffects = append(c.instEffects, c.p.effects[bi])
	if c.instByName == nil {
		c.instByName = map[string]int{}
		c.instProducers = map[string][]int{}
	}
	c.instByName[name] = ai
	seen := map[string]bool{}
	for _, o := range outs {
		if !seen[o.Type] {
			seen[o.Type] = true
			c.instProducers[o.Type] = append(c.instProducers[o.Type], ai)
		}
	}
	if !slices.Contains(c.tags, tag) {
		c.tags = append(c.tags, tag)
	}
}
