package registry

import (
	"errors"
	"io"
	"testing"
)

func TestErrorMessages(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{&NotFoundError{Kind: "tool", Namespace: "default", Name: "crt"}, `tool "crt" not found in namespace "default"`},
		{&NotFoundError{Kind: "tool", Namespace: "a", Name: "crt", Version: 3}, `tool "crt" version 3 not found in namespace "a"`},
		{&UnavailableError{Backend: "redis", Addr: "h:1", Err: io.EOF}, "redis store at h:1 unavailable: EOF"},
		{&ValidationError{Kind: "api", Name: "x", Fields: []FieldError{{"name", "required"}, {"cost", "negative"}}}, `invalid api "x": name: required; cost: negative`},
		{&StatusConflictError{Family: "crt", Status: FamilyMaking}, `family "crt" is making`},
	}
	for _, c := range cases {
		if got := c.err.Error(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
	if !errors.Is(&UnavailableError{Err: io.EOF}, io.EOF) {
		t.Error("UnavailableError does not unwrap")
	}
	if errors.Is(&UnavailableError{Err: io.EOF}, ErrNotFound) || !errors.Is(&NotFoundError{}, ErrNotFound) {
		t.Error("ErrNotFound matching wrong")
	}
}

func TestSlotType(t *testing.T) {
	if (Input{Name: "city"}).SlotType() != "city" || (Input{Name: "to", Type: "city"}).SlotType() != "city" {
		t.Error("Input.SlotType")
	}
	if (Output{Name: "id"}).SlotType() != "id" || (Output{Name: "id", Type: "car_id"}).SlotType() != "car_id" {
		t.Error("Output.SlotType")
	}
}

func TestNativeYAMLValues(t *testing.T) {
	doc := "- name: x\n  inputs:\n    - {name: opts, default: {1: one, nested: [a, {2: b}]}, allowed: [{k: v}]}\n"
	apis, err := ParseAPIs("x.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	def, ok := apis[0].Inputs[0].Default.(map[string]any)
	if !ok || def["1"] != "one" {
		t.Fatalf("default = %#v", apis[0].Inputs[0].Default)
	}
	nested := def["nested"].([]any)[1].(map[string]any)
	if nested["2"] != "b" {
		t.Fatalf("nested = %#v", nested)
	}
	if m, ok := apis[0].Inputs[0].Allowed[0].(map[string]any); !ok || m["k"] != "v" {
		t.Fatalf("allowed = %#v", apis[0].Inputs[0].Allowed)
	}
}
