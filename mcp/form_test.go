package mcp

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/toolsmith-dev/toolsmith/agent"
)

// TestFormRoundTrip checks that the agent's questions survive the trip
// through an elicitation form: names, types, allowed values, choices'
// labels, defaults and which ones are required.
func TestFormRoundTrip(t *testing.T) {
	qs := []agent.Question{
		{Slot: "pickup_time", Text: "What time?", DataType: "string"},
		{Slot: "car_type", Text: "Which car?", DataType: "string", Allowed: []any{"economy", "suv"}, Default: "economy", Optional: true},
		{Slot: "days", Text: "How many days?", DataType: "integer"},
		{Slot: "pet", Text: "Which pet?", DataType: "string", Options: []agent.Option{{Value: "p1", Label: "Rex, dog"}, {Value: "p2"}}},
	}
	form := questionsForm(qs)
	raw, _ := json.Marshal(form)
	var generic any
	json.Unmarshal(raw, &generic) // as a client receives it
	back, err := formFields(generic)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]agent.Question{}
	for _, q := range back {
		got[q.Slot] = q
	}
	if len(got) != 4 {
		t.Fatalf("fields %v", back)
	}
	if q := got["car_type"]; !q.Optional || q.Default != "economy" || !reflect.DeepEqual(q.Allowed, []any{"economy", "suv"}) {
		t.Errorf("car_type %+v", q)
	}
	if q := got["pickup_time"]; q.Optional || q.DataType != "string" || q.Text != "pickup_time: What time?" {
		t.Errorf("pickup_time %+v", q)
	}
	if q := got["days"]; q.DataType != "integer" {
		t.Errorf("days %+v", q)
	}
	if q := got["pet"]; !reflect.DeepEqual(q.Allowed, []any{"p1", "p2"}) {
		t.Errorf("pet %+v", q)
	}
	props := form["properties"].(map[string]any)
	if title := props["pet"].(map[string]any)["oneOf"].([]any)[0].(map[string]any)["title"]; title != "Rex, dog" {
		t.Errorf("a choice's label is its title: %v", title)
	}
}

func TestFormFieldsMultiSelect(t *testing.T) {
	schema := map[string]any{"type": "object", "properties": map[string]any{
		"tags": map[string]any{"type": "array", "items": map[string]any{"enum": []any{"a", "b"}}, "default": []any{"a"}},
		"bad":  map[string]any{"type": "object"},
	}}
	if _, err := formFields(schema); err == nil {
		t.Fatal("an object field is accepted")
	}
	delete(schema["properties"].(map[string]any), "bad")
	fs, err := formFields(schema)
	if err != nil {
		t.Fatal(err)
	}
	if fs[0].DataType != "string" || fs[0].Default != "a" {
		t.Fatalf("multi-select %+v", fs[0])
	}
	vals := formValues(schema, map[string]any{"tags": "a, b"})
	if !reflect.DeepEqual(vals["tags"], []any{"a", "b"}) {
		t.Fatalf("values %v", vals)
	}
}

func TestParseCommand(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"node server.js stdio", []string{"node", "server.js", "stdio"}},
		{`npx -y "@scope/pkg name" 'a b' c\ d`, []string{"npx", "-y", "@scope/pkg name", "a b", "c d"}},
		{`x ""`, []string{"x", ""}},
	}
	for _, c := range cases {
		got, err := ParseCommand(c.in)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: %q %v, want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "  ", `"open`, `x\`} {
		if _, err := ParseCommand(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func FuzzParseCommand(f *testing.F) {
	f.Add(`npx -y "@scope/pkg" 'a b' c\ d`)
	f.Fuzz(func(t *testing.T, s string) {
		words, err := ParseCommand(s)
		if err == nil && len(words) == 0 {
			t.Fatal("no words and no error")
		}
	})
}
