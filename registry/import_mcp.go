package registry

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// FormatMCP names the tools of an MCP server (a tools/list result) as a
// source of APIs; ParseMCPTools reads it.
const FormatMCP Format = "mcp"

// MCPTextOutput is the output of an API imported from an MCP tool without
// an output schema: the text content of the tool's result.
const MCPTextOutput = "text"

// ParseMCPTools turns the tools an MCP server lists (the JSON of a
// tools/list result, {"tools": [...]}, or a list of tools) into APIs bound to
// that server: each gets a copy of binding with the tool's name in
// Binding.Tool. An API is named prefix.tool (the tool's name alone when
// prefix is empty). The input schema's properties become inputs (required,
// default, enum, type and description kept), in the schema's order; the
// output schema's properties become outputs or, without one, a single output
// "text" holding the result's text. The annotations give the effect:
// readOnlyHint read, destructiveHint destructive, otherwise write; write and
// destructive APIs ask for confirmation; idempotentHint marks the API
// idempotent. name prefixes error messages.
func ParseMCPTools(name string, data []byte, prefix string, binding Binding) ([]API, error) {
	if len(data) > MaxImportBytes {
		return nil, fmt.Errorf("%s: %d bytes exceeds the import limit of %d", name, len(data), MaxImportBytes)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: not JSON: %w", name, err)
	}
	root := deref(&doc)
	list := root
	if root != nil && root.Kind == yaml.MappingNode {
		list = get(root, "tools")
	}
	if list == nil || list.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s: not an MCP tools/list result: want {\"tools\": [...]} or a list of tools", name)
	}
	var apis []API
	for i, t := range items(list) {
		api, err := mcpToolAPI(t, prefix, binding)
		if err != nil {
			return nil, fmt.Errorf("%s: tools[%d] %q: %w", name, i, str(get(t, "name")), err)
		}
		apis = append(apis, api)
	}
	if err := validateAll(apis, name); err != nil {
		return nil, err
	}
	return apis, nil
}

func mcpToolAPI(t *yaml.Node, prefix string, binding Binding) (API, error) {
	toolName := strings.TrimSpace(str(get(t, "name")))
	if toolName == "" {
		return API{}, errors.New("the tool has no name")
	}
	apiName := mcpAPIName(toolName)
	if prefix != "" {
		apiName = prefix + "." + apiName
	}
	ann := get(t, "annotations")
	desc := str(get(t, "description"))
	for _, alt := range []string{str(get(ann, "title")), str(get(t, "title"))} {
		if desc == "" {
			desc = alt
		}
	}
	b := binding
	b.Tool = toolName
	b.Command = append([]string(nil), binding.Command...)
	api := API{Name: apiName, Description: clip(desc, MaxDescriptionLen), Binding: &b, Effect: EffectWrite, Tags: []string{"mcp"}}
	if ro, _ := boolOf(get(ann, "readOnlyHint")); ro {
		api.Effect = EffectRead
	} else if d, _ := boolOf(get(ann, "destructiveHint")); d {
		api.Effect = EffectDestructive
	}
	api.Idempotent, _ = boolOf(get(ann, "idempotentHint"))
	api.Confirm = api.Effect.SideEffect()

	in, err := objectSchema(get(t, "inputSchema"))
	if err != nil {
		return API{}, fmt.Errorf("inputSchema: %w", err)
	}
	required := map[string]bool{}
	for _, r := range items(get(in, "required")) {
		required[str(r)] = true
	}
	pairs(get(in, "properties"), func(p string, s *yaml.Node) {
		input := Input{Name: p, Required: required[p], Description: clip(propertyText(s), MaxDescriptionLen)}
		schemaInput(&input, s)
		if len(input.Allowed) == 0 {
			input.Allowed = oneOfConsts(s)
		}
		api.Inputs = append(api.Inputs, input)
	})
	out, err := objectSchema(get(t, "outputSchema"))
	if err != nil {
		return API{}, fmt.Errorf("outputSchema: %w", err)
	}
	pairs(get(out, "properties"), func(p string, s *yaml.Node) {
		api.Outputs = append(api.Outputs, Output{Name: p, Description: clip(propertyText(s), MaxDescriptionLen), DataType: dataType(schemaType(s))})
	})
	if len(api.Outputs) == 0 {
		api.Outputs = []Output{{Name: MCPTextOutput, DataType: "string", Description: "the text the tool returned"}}
	}
	return api, nil
}

// objectSchema checks that s, when present, is the schema of an object.
func objectSchema(s *yaml.Node) (*yaml.Node, error) {
	if s == nil || s.Tag == "!!null" {
		return nil, nil
	}
	if s.Kind != yaml.MappingNode {
		return nil, errors.New("not a JSON Schema object")
	}
	if t := schemaType(s); t != "" && t != "object" {
		return nil, fmt.Errorf("type is %q, not object", t)
	}
	return s, nil
}

// mcpAPIName keeps the characters an API name may hold and replaces the
// others by '_'.
func mcpAPIName(s string) string {
	var b strings.Builder
	for i, r := range s {
		ok := r == '_' || r == '.' || r == '-' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')
		if !ok || (i == 0 && (r == '.' || r == '-')) {
			r = '_'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// propertyText is a property's title and description.
func propertyText(s *yaml.Node) string {
	title, desc := strings.TrimSpace(str(get(s, "title"))), strings.TrimSpace(str(get(s, "description")))
	if title != "" && desc != "" && !strings.EqualFold(title, desc) {
		return title + ": " + desc
	}
	if desc != "" {
		return desc
	}
	return title
}

// oneOfConsts is the values of a titled enum (oneOf of consts), or nil.
func oneOfConsts(s *yaml.Node) []any {
	var out []any
	for _, o := range items(get(s, "oneOf")) {
		c := get(o, "const")
		if c == nil {
			return nil
		}
		out = append(out, value(c))
	}
	if c := get(s, "const"); c != nil && len(out) == 0 {
		out = []any{value(c)}
	}
	return out
}

// clip cuts s to at most n bytes on a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
