package mcp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/toolsmith-dev/toolsmith/agent"
)

// Forms: MCP's elicitation asks for a flat object of primitive values
// (string, number, integer, boolean, with titles, descriptions, enums and
// defaults). The agent's questions become such a form, and a form a remote
// server sends becomes the agent's questions.

// confirmField is the field of the yes/no form that confirms a call.
const confirmField = "confirm"

// questionsForm is the elicitation schema asking the questions: one
// property per question, named by its slot, all required unless optional.
func questionsForm(qs []agent.Question) map[string]any {
	props := map[string]any{}
	var required []string
	for _, q := range qs {
		p := map[string]any{"title": q.Slot, "description": q.Text}
		typ := q.DataType
		switch typ {
		case "string", "number", "integer", "boolean":
		default:
			typ = "string"
		}
		p["type"] = typ
		if len(q.Allowed) > 0 {
			if allText(q.Allowed) {
				p["type"], p["enum"] = "string", q.Allowed
			} else {
				p["description"] = fmt.Sprintf("%s (one of %v)", q.Text, q.Allowed)
			}
		}
		if len(q.Options) > 0 {
			// A choice among earlier results: a titled enum, each value
			// with its label.
			var oneOf []any
			var values []any
			for _, o := range q.Options {
				title := o.Label
				if title == "" {
					title = fmt.Sprint(o.Value)
				}
				oneOf = append(oneOf, map[string]any{"const": o.Value, "title": title})
				values = append(values, o.Value)
			}
			if allText(values) {
				delete(p, "enum")
				p["type"], p["oneOf"] = "string", oneOf
			} else {
				p["description"] = fmt.Sprintf("%s (one of %v)", q.Text, values)
			}
		}
		if q.Default != nil {
			p["default"] = q.Default
		}
		props[q.Slot] = p
		if !q.Optional {
			required = append(required, q.Slot)
		}
	}
	s := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

func allText(vs []any) bool {
	for _, v := range vs {
		if _, ok := v.(string); !ok {
			return false
		}
	}
	return true
}

// confirmForm is the yes/no form confirming a call.
func confirmForm(what string) map[string]any {
	return map[string]any{
		"type": "object",
		"properties": map[string]any{
			confirmField: map[string]any{"type": "boolean", "title": "Go ahead?", "description": what, "default": false},
		},
		"required": []string{confirmField},
	}
}

// formField is one property of a form as MCP sends it.
type formField struct {
	Type        string `json:"type"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Default     any    `json:"default"`
	Enum        []any  `json:"enum"`
	OneOf       []struct {
		Const any    `json:"const"`
		Title string `json:"title"`
	} `json:"oneOf"`
	Items *struct {
		Enum  []any `json:"enum"`
		AnyOf []struct {
			Const any `json:"const"`
		} `json:"anyOf"`
	} `json:"items"`
}

// formFields reads an elicitation schema as questions, in the schema's
// order: Slot is the property's name, Text its description (or title), and
// Type, Allowed, Default and Optional follow the schema. Multi-select
// (array) fields are asked as text listing the chosen values, comma
// separated; Values converts them back.
func formFields(schema any) ([]agent.Question, error) {
	raw, err := json.Marshal(schema)
	if err != nil {
		return nil, err
	}
	var s struct {
		Properties map[string]formField `json:"properties"`
		Required   []string             `json:"required"`
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("the form is not a JSON Schema object: %w", err)
	}
	order, err := propertyOrder(raw)
	if err != nil {
		return nil, err
	}
	required := map[string]bool{}
	for _, r := range s.Required {
		required[r] = true
	}
	var qs []agent.Question
	for _, name := range order {
		f := s.Properties[name]
		q := agent.Question{Slot: name, Text: f.Description, DataType: f.Type, Default: f.Default, Optional: !required[name]}
		if q.Text == "" {
			q.Text = f.Title
		} else if f.Title != "" && !strings.EqualFold(f.Title, f.Description) {
			q.Text = f.Title + ": " + f.Description
		}
		if q.Text == "" {
			q.Text = name
		}
		q.Allowed = f.Enum
		for _, o := range f.OneOf {
			q.Allowed = append(q.Allowed, o.Const)
		}
		switch q.DataType {
		case "string", "number", "integer", "boolean":
		case "array":
			q.DataType = "string"
			q.Allowed = nil
			var choices []any
			if f.Items != nil {
				choices = f.Items.Enum
				for _, o := range f.Items.AnyOf {
					choices = append(choices, o.Const)
				}
			}
			q.Text += fmt.Sprintf(" (any of %v, comma separated)", choices)
			if d, ok := f.Default.([]any); ok {
				q.Default = joinValues(d)
			}
		default:
			return nil, fmt.Errorf("field %s: type %q is not one a form may ask", name, f.Type)
		}
		qs = append(qs, q)
	}
	return qs, nil
}

// formValues converts answers to the form's types: the comma separated
// text of a multi-select field back to a list.
func formValues(schema any, values map[string]any) map[string]any {
	raw, _ := json.Marshal(schema)
	var s struct {
		Properties map[string]formField `json:"properties"`
	}
	_ = json.Unmarshal(raw, &s)
	out := make(map[string]any, len(values))
	for k, v := range values {
		if s.Properties[k].Type == "array" {
			if text, ok := v.(string); ok {
				var list []any
				for _, e := range strings.Split(text, ",") {
					if e = strings.TrimSpace(e); e != "" {
						list = append(list, e)
					}
				}
				v = list
			}
		}
		out[k] = v
	}
	return out
}

func joinValues(vs []any) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = fmt.Sprint(v)
	}
	return strings.Join(parts, ", ")
}

// propertyOrder returns the names of a schema's properties in the order
// the document gives them.
func propertyOrder(raw []byte) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("the form is not a JSON object")
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, err
		}
		if key != "properties" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, err
			}
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('{') {
			return nil, errors.New("the form's properties are not an object")
		}
		var names []string
		for dec.More() {
			name, err := dec.Token()
			if err != nil {
				return nil, err
			}
			names = append(names, fmt.Sprint(name))
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, err
			}
		}
		return names, nil
	}
	return nil, nil
}
