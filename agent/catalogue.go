package agent

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tmc/langchaingo/llms"
	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// Names of the functions the Translator model is offered.
const (
	fnPlanRequest = "plan_request"
	fnGiveAnswers = "give_answers"
)

// slotInfo is what the agent knows of a slot from the registry.
type slotInfo struct {
	Type        string // JSON Schema type
	Allowed     []any
	Description string
}

// catalogue is what an Agent derives once from its APIs: the APIs by name,
// their slots, the description the Translator reads and the two functions it
// is offered. Turns only read it.
type catalogue struct {
	apis    map[string]registry.API
	names   []string // sorted
	slots   map[string]slotInfo
	text    string    // the APIs, described for the Translator's system prompt
	request llms.Tool // plan_request: goals and known values
	answers llms.Tool // give_answers: values by slot
}

func newCatalogue(apis []registry.API) *catalogue {
	c := &catalogue{apis: make(map[string]registry.API, len(apis)), slots: map[string]slotInfo{}}
	for _, api := range apis {
		c.apis[api.Name] = api
		c.names = append(c.names, api.Name)
	}
	sort.Strings(c.names)
	var b strings.Builder
	for _, n := range c.names {
		api := c.apis[n]
		fmt.Fprintf(&b, "- %s: %s\n", n, api.Description)
		for _, in := range api.Inputs {
			fmt.Fprintf(&b, "    input %s (slot %s)", in.Name, in.SlotType())
			if in.Required {
				b.WriteString(" required")
			}
			if len(in.Allowed) > 0 {
				fmt.Fprintf(&b, " one of %v", in.Allowed)
			}
			b.WriteString("\n")
			s := c.slots[in.SlotType()]
			if s.Type == "" {
				s.Type = jsonType(in)
			}
			if len(in.Allowed) > 0 && len(s.Allowed) == 0 {
				s.Allowed = in.Allowed
			}
			if s.Description == "" {
				s.Description = in.Description
			}
			c.slots[in.SlotType()] = s
		}
	}
	c.text = b.String()

	props := map[string]any{}
	for name, s := range c.slots {
		p := map[string]any{"type": s.Type}
		if s.Description != "" {
			p["description"] = s.Description
		}
		if len(s.Allowed) > 0 {
			p["enum"] = s.Allowed
		}
		props[name] = p
	}
	bySlot := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	c.request = llm.FunctionTool(fnPlanRequest, "Plan the user's request.", map[string]any{
		"type": "object",
		"properties": map[string]any{
			"goals": map[string]any{
				"type":        "array",
				"description": "the APIs whose results the user wants",
				"items":       map[string]any{"type": "string", "enum": c.names},
			},
			"known": map[string]any{
				"type":                 "object",
				"description":          "values the user gave, keyed by slot",
				"properties":           props,
				"additionalProperties": false,
			},
		},
		"required": []string{"goals"},
	})
	c.answers = llm.FunctionTool(fnGiveAnswers, "Give the user's answers by slot.", bySlot)
	return c
}

// jsonType is an input's JSON Schema type: the registry's data type when the
// source gave one, else guessed from its allowed and default values.
func jsonType(in registry.Input) string {
	switch in.DataType {
	case "string", "number", "integer", "boolean":
		return in.DataType
	}
	for _, v := range append([]any{in.Default}, in.Allowed...) {
		switch v.(type) {
		case int, int64, float64:
			return "number"
		case bool:
			return "boolean"
		case string:
			return "string"
		}
	}
	return "string"
}

// check validates a value for a slot (or an "Api.input" key, which the
// planner checks).
func (c *catalogue) check(key string, v any) error {
	s, ok := c.slots[key]
	if !ok {
		if strings.Contains(key, ".") {
			return nil
		}
		return fmt.Errorf("%q is not a slot of the catalogue", key)
	}
	if v == nil {
		return fmt.Errorf("slot %s has no value", key)
	}
	if len(s.Allowed) > 0 {
		for _, al := range s.Allowed {
			if fmt.Sprint(al) == fmt.Sprint(v) {
				return nil
			}
		}
		return fmt.Errorf("%v is not an allowed value of %s (allowed: %v)", v, key, s.Allowed)
	}
	switch s.Type {
	case "number":
		if _, ok := v.(float64); !ok {
			return fmt.Errorf("slot %s takes a number, not %v", key, v)
		}
	case "integer":
		if f, ok := v.(float64); !ok || f != float64(int64(f)) {
			return fmt.Errorf("slot %s takes a whole number, not %v", key, v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("slot %s takes true or false, not %v", key, v)
		}
	}
	return nil
}

// checkAll validates values by key, in key order, so that the error reported
// is always the same one.
func (c *catalogue) checkAll(values map[string]any) ([]string, error) {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := c.check(k, values[k]); err != nil {
			return nil, err
		}
	}
	return keys, nil
}
