package agent

import (
	"encoding/json"
	"fmt"
	"regexp"
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

// Lengths the Translator's descriptions are cut to: an API's in the
// prompt, a slot's in the function schema.
const (
	maxAPIText  = 300
	maxSlotText = 120
)

// slotInfo is what the agent knows of a slot from the registry.
type slotInfo struct {
	Type        string // JSON Schema type
	Allowed     []any
	Description string
	// Required is set when some API requires an input of the slot; only
	// such slots carry their description to the Translator, which keeps
	// the many optional inputs of large APIs cheap.
	Required bool
}

// catalogue is what an Agent derives once from its APIs: the APIs by name,
// their slots, a BM25 index over them, and each API's and slot's part of a
// Translator request. Turns only read it; a turn's Translator sees a view
// of the APIs relevant to its message (see relevance.go).
type catalogue struct {
	apis  map[string]registry.API
	names []string // sorted; APIs are numbered by their position here
	pos   map[string]int
	all   []int // every API's number
	slots map[string]slotInfo

	index     *registry.Index  // BM25 over the APIs, documents in names order
	lines     []string         // per API: its entry in the Translator's prompt
	inSlots   [][]string       // per API: the slots its inputs accept, deduplicated
	producers map[string][]int // slot -> the read APIs with an output of that slot
	props     map[string]json.RawMessage
	wholeSize int // the estimated size of a request showing every API
}

func newCatalogue(apis []registry.API) *catalogue {
	c := &catalogue{
		apis:      make(map[string]registry.API, len(apis)),
		pos:       make(map[string]int, len(apis)),
		slots:     map[string]slotInfo{},
		producers: map[string][]int{},
		props:     map[string]json.RawMessage{},
	}
	for _, api := range apis {
		c.apis[api.Name] = api
		c.names = append(c.names, api.Name)
	}
	sort.Strings(c.names)
	sorted := make([]registry.API, len(c.names))
	c.lines = make([]string, len(c.names))
	c.inSlots = make([][]string, len(c.names))
	for i, n := range c.names {
		api := c.apis[n]
		sorted[i] = api
		c.pos[n] = i
		c.all = append(c.all, i)
		c.lines[i] = apiLine(api)
		seen := map[string]bool{}
		for _, in := range api.Inputs {
			for _, s := range append([]string{in.SlotType()}, in.Aliases...) {
				if s != "" && !seen[s] {
					seen[s] = true
					c.inSlots[i] = append(c.inSlots[i], s)
				}
			}
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
			s.Required = s.Required || in.Required
			c.slots[in.SlotType()] = s
		}
		// A write or destructive API is never a means to another's input,
		// so it never enters a view as a supplier.
		if !registry.EffectOf(&api).SideEffect() {
			seen := map[string]bool{}
			for _, o := range api.Outputs {
				if s := o.SlotType(); !seen[s] {
					seen[s] = true
					c.producers[s] = append(c.producers[s], i)
				}
			}
		}
	}
	for name, s := range c.slots {
		p := map[string]any{"type": s.Type}
		if s.Type == "array" {
			p["items"] = map[string]any{} // any item: the registry does not say
		}
		if d := clip(plainText(s.Description), maxSlotText); d != "" && s.Required {
			p["description"] = d
		}
		if len(s.Allowed) > 0 {
			p["enum"] = s.Allowed
		}
		c.props[name], _ = json.Marshal(p)
	}
	c.index = registry.NewAPIIndex(sorted)
	c.wholeSize = c.estimate(c.all, nil)
	return c
}

// apiLine describes an API for the Translator's prompt: its name, its
// description (plain text, cut short) and its inputs, each with its slot
// when that differs from its name, required ones marked.
func apiLine(api registry.API) string {
	var b strings.Builder
	fmt.Fprintf(&b, "- %s", api.Name)
	if d := clip(plainText(api.Description), maxAPIText); d != "" {
		b.WriteString(": " + d)
	}
	if len(api.Inputs) > 0 {
		b.WriteString("\n    inputs:")
		for i, in := range api.Inputs {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(" " + in.Name)
			if in.SlotType() != in.Name {
				b.WriteString(" (slot " + in.SlotType() + ")")
			}
			if in.Required {
				b.WriteString(" required")
			}
		}
	}
	b.WriteByte('\n')
	return b.String()
}

var (
	markup = regexp.MustCompile(`<[^>]*>`)
	spaces = regexp.MustCompile(`\s+`)
)

// plainText drops HTML tags (API documents are full of them) and folds
// white space.
func plainText(s string) string {
	return strings.TrimSpace(spaces.ReplaceAllString(markup.ReplaceAllString(s, " "), " "))
}

// clip cuts s to at most n bytes, at a word boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut < n/2 {
		cut = n
	}
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// jsonType is an input's JSON Schema type: the registry's data type when the
// source gave one, else guessed from its allowed and default values.
func jsonType(in registry.Input) string {
	switch in.DataType {
	case "string", "number", "integer", "boolean", "array", "object":
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

// view is the part of the catalogue one Translator request shows: some of
// the APIs, the slots of their inputs, their description and the functions
// offered.
type view struct {
	names   []string                   // the APIs shown, sorted
	slots   []string                   // the slots shown, sorted
	text    string                     // the APIs, described for the system prompt
	props   map[string]json.RawMessage // the slots' schemas
	request llms.Tool
	answers llms.Tool
}

// view builds the view of the APIs numbered apis (positions in c.names)
// and of the further slots given.
func (c *catalogue) view(apis []int, slots ...string) *view {
	sel := append([]int(nil), apis...)
	sort.Ints(sel)
	v := &view{}
	var b strings.Builder
	seen := map[string]bool{}
	addSlot := func(s string) {
		if _, ok := c.props[s]; ok && !seen[s] {
			seen[s] = true
			v.slots = append(v.slots, s)
		}
	}
	last := -1
	for _, i := range sel {
		if i == last {
			continue
		}
		last = i
		v.names = append(v.names, c.names[i])
		b.WriteString(c.lines[i])
		for _, s := range c.inSlots[i] {
			addSlot(s)
		}
	}
	for _, s := range slots {
		addSlot(s)
	}
	sort.Strings(v.slots)
	v.text = b.String()
	props := make(map[string]json.RawMessage, len(v.slots))
	for _, s := range v.slots {
		props[s] = c.props[s]
	}
	names := v.names
	if names == nil {
		names = []string{}
	}
	v.request = llm.FunctionTool(fnPlanRequest, "Plan the user's request.", map[string]any{
		"type": "object",
		"properties": map[string]any{
			"goals": map[string]any{
				"type":        "array",
				"description": "the APIs whose results the user wants, each once",
				"items":       map[string]any{"type": "string", "enum": names},
			},
			"known": map[string]any{
				"type":                 "object",
				"description":          "values the user gave, keyed by slot",
				"properties":           props,
				"additionalProperties": false,
			},
			"calls": map[string]any{
				"type": "array",
				"description": "only when the user wants one API called more than once (two cities, two dates): " +
					"one entry per call, with a short tag naming the call and the values of that call by input name",
				"items": map[string]any{
					"type": "object",
					"properties": map[string]any{
						"api":    map[string]any{"type": "string", "enum": names},
						"tag":    map[string]any{"type": "string", "description": "a short word naming this call, distinct among the calls of the API"},
						"values": map[string]any{"type": "object", "description": "this call's values, keyed by input name"},
					},
					"required": []string{"api", "tag"},
				},
			},
		},
		"required": []string{"goals"},
	})
	v.props = props
	v.answers = answersTool(props)
	return v
}

func answersTool(props map[string]json.RawMessage) llms.Tool {
	return llm.FunctionTool(fnGiveAnswers, "Give the user's answers by slot.", map[string]any{
		"type": "object", "properties": props, "additionalProperties": false,
	})
}

// withChoices makes each choice among qs an enum of its offered values in
// the answers function, each value described by its label.
func (v *view) withChoices(qs []Question) {
	changed := false
	for _, q := range qs {
		if len(q.Options) == 0 {
			continue
		}
		values := make([]any, len(q.Options))
		var labels []string
		for i, o := range q.Options {
			values[i] = o.Value
			if o.Label != "" {
				labels = append(labels, scalarText(o.Value)+": "+o.Label)
			}
		}
		p := map[string]any{"enum": values, "description": "one of the values offered"}
		if len(labels) > 0 {
			p["description"] = "one of the values offered (" + clip(strings.Join(labels, "; "), 2000) + ")"
		}
		if v.props == nil {
			v.props = map[string]json.RawMessage{}
		}
		v.props[q.Slot], _ = json.Marshal(p)
		changed = true
	}
	if changed {
		v.answers = answersTool(v.props)
	}
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
	return s.check(key, v)
}

// check validates a value against the slot's type and allowed values; name
// says what the value is for in errors.
func (s slotInfo) check(name string, v any) error {
	if v == nil {
		return fmt.Errorf("slot %s has no value", name)
	}
	if len(s.Allowed) > 0 {
		for _, al := range s.Allowed {
			if fmt.Sprint(al) == fmt.Sprint(v) {
				return nil
			}
		}
		return fmt.Errorf("%v is not an allowed value of %s (allowed: %v)", v, name, s.Allowed)
	}
	switch s.Type {
	case "number":
		if _, ok := v.(float64); !ok {
			return fmt.Errorf("slot %s takes a number, not %v", name, v)
		}
	case "integer":
		if f, ok := v.(float64); !ok || f != float64(int64(f)) {
			return fmt.Errorf("slot %s takes a whole number, not %v", name, v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("slot %s takes true or false, not %v", name, v)
		}
	case "array":
		if _, ok := v.([]any); !ok {
			return fmt.Errorf("slot %s takes a list, not %v", name, v)
		}
	case "object":
		if _, ok := v.(map[string]any); !ok {
			return fmt.Errorf("slot %s takes an object, not %v", name, v)
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
