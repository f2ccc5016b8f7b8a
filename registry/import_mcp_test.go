package registry

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestParseMCPToolsGolden(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "import", "mcp-everything-tools.json"))
	if err != nil {
		t.Fatal(err)
	}
	b := Binding{Kind: BindMCP, Command: []string{"mcp-server-everything", "stdio"}}
	apis, err := ParseMCPTools("everything", data, "everything", b)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.MarshalIndent(apis, "", "  ")
	golden := filepath.Join("testdata", "import", "mcp-everything-tools.golden.json")
	if *update {
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(want)) {
		t.Fatalf("APIs differ from %s (run with -update after checking the change)", golden)
	}
}

// TestParseMCPToolsMapping checks what a user relies on: names, effects
// from the annotations, confirmation of side effects, inputs and outputs
// from the schemas, and the binding naming the remote tool.
func TestParseMCPToolsMapping(t *testing.T) {
	doc := `{"tools": [
	  {"name": "get_weather", "description": "Weather now",
	   "inputSchema": {"type": "object", "properties": {
	      "city": {"type": "string", "description": "City name"},
	      "units": {"type": "string", "enum": ["metric", "imperial"], "default": "metric"},
	      "days": {"type": ["integer", "null"], "title": "Days"}},
	    "required": ["city"]},
	   "outputSchema": {"type": "object", "properties": {"temperature": {"type": "number"}, "sky": {"type": "string"}}},
	   "annotations": {"readOnlyHint": true, "idempotentHint": true}},
	  {"name": "delete file", "inputSchema": {"type": "object", "properties": {"path": {"type": "string"}}},
	   "annotations": {"destructiveHint": true, "title": "Delete a file"}},
	  {"name": "send", "inputSchema": {"type": "object"}},
	  {"name": "pick", "inputSchema": {"type": "object", "properties": {"hero": {"type": "string", "oneOf": [{"const": "h1", "title": "Superman"}, {"const": "h2"}]}}},
	   "annotations": {"readOnlyHint": false, "destructiveHint": false}}
	]}`
	apis, err := ParseMCPTools("doc", []byte(doc), "srv", Binding{Kind: BindMCP, URL: "http://127.0.0.1:9/mcp"})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]API{}
	for _, a := range apis {
		byName[a.Name] = a
	}
	cases := []struct {
		name       string
		tool       string
		effect     Effect
		confirm    bool
		idempotent bool
		inputs     int
		outputs    []string
	}{
		{"srv.get_weather", "get_weather", EffectRead, false, true, 3, []string{"temperature", "sky"}},
		{"srv.delete_file", "delete file", EffectDestructive, true, false, 1, []string{MCPTextOutput}},
		{"srv.send", "send", EffectWrite, true, false, 0, []string{MCPTextOutput}},
		{"srv.pick", "pick", EffectWrite, true, false, 1, []string{MCPTextOutput}},
	}
	for _, c := range cases {
		a, ok := byName[c.name]
		if !ok {
			t.Fatalf("no API %s in %v", c.name, apis)
		}
		if a.Effect != c.effect || a.Confirm != c.confirm || a.Idempotent != c.idempotent || len(a.Inputs) != c.inputs {
			t.Errorf("%s: effect %s confirm %v idempotent %v inputs %d, want %s %v %v %d", c.name, a.Effect, a.Confirm, a.Idempotent, len(a.Inputs), c.effect, c.confirm, c.idempotent, c.inputs)
		}
		if a.Binding.Kind != BindMCP || a.Binding.Tool != c.tool || a.Binding.URL == "" {
			t.Errorf("%s: binding %+v", c.name, a.Binding)
		}
		var outs []string
		for _, o := range a.Outputs {
			outs = append(outs, o.Name)
		}
		if len(outs) != len(c.outputs) {
			t.Errorf("%s: outputs %v, want %v", c.name, outs, c.outputs)
		}
	}
	w := byName["srv.get_weather"]
	if in := w.Inputs[0]; in.Name != "city" || !in.Required || in.DataType != "string" || in.Description != "City name" {
		t.Errorf("city input %+v", in)
	}
	if in := w.Inputs[1]; in.Name != "units" || in.Required || in.Default != "metric" || len(in.Allowed) != 2 {
		t.Errorf("units input %+v", in)
	}
	if in := w.Inputs[2]; in.DataType != "integer" || in.Description != "Days" {
		t.Errorf("days input %+v", in)
	}
	if in := byName["srv.pick"].Inputs[0]; len(in.Allowed) != 2 || in.Allowed[0] != "h1" {
		t.Errorf("a titled enum gives the allowed values: %+v", in)
	}
	if byName["srv.delete_file"].Description != "Delete a file" {
		t.Errorf("a tool without a description takes its title")
	}
}

func TestParseMCPToolsErrors(t *testing.T) {
	b := Binding{Kind: BindMCP, Command: []string{"srv"}}
	for _, doc := range []string{
		``,
		`{"resources": []}`,
		`{"tools": [{"description": "no name"}]}`,
		`{"tools": [{"name": "x", "inputSchema": {"type": "string"}}]}`,
		`{"tools": [{"name": "x"}, {"name": "x"}]}`,
		`[{"name": "x", "outputSchema": [1]}]`,
	} {
		if _, err := ParseMCPTools("doc", []byte(doc), "", b); err == nil {
			t.Errorf("%q: no error", doc)
		}
	}
	if _, err := ParseMCPTools("doc", []byte(`[{"name": "x"}]`), "", Binding{Kind: BindMCP}); err == nil {
		t.Errorf("a binding without url or command is accepted")
	}
}

func FuzzParseMCPTools(f *testing.F) {
	if data, err := os.ReadFile(filepath.Join("testdata", "import", "mcp-everything-tools.json")); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`[{"name": "a", "inputSchema": {"type": "object", "properties": {"x": {"type": "string"}}}}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		apis, err := ParseMCPTools("fuzz", data, "p", Binding{Kind: BindMCP, URL: "http://127.0.0.1/mcp"})
		if err != nil {
			return
		}
		for _, a := range apis {
			if err := a.Validate(); err != nil {
				t.Fatalf("ParseMCPTools returned an invalid API: %v", err)
			}
		}
	})
}
