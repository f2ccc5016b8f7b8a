package agent

import (
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/registry"
)

func TestCatalogueChecksValuesBySlot(t *testing.T) {
	c := newCatalogue([]registry.API{{
		Name: "Cars.Rent",
		Inputs: []registry.Input{
			{Name: "days", DataType: "integer"},
			{Name: "price", DataType: "number"},
			{Name: "insured", Default: false},
			{Name: "car_type", Allowed: []any{"compact", "suv"}},
			{Name: "city"},
		},
	}})
	tests := []struct {
		key  string
		v    any
		want string // "" for valid
	}{
		{"days", 3.0, ""},
		{"days", 2.5, "whole number"},
		{"days", "3", "whole number"},
		{"price", 19.9, ""},
		{"price", "cheap", "number"},
		{"insured", true, ""},
		{"insured", "yes", "true or false"},
		{"car_type", "suv", ""},
		{"car_type", "limo", "not an allowed value"},
		{"city", "Oslo", ""},
		{"city", nil, "no value"},
		{"Cars.Rent.city", "Oslo", ""},
		{"colour", "red", "not a slot"},
	}
	for _, tc := range tests {
		err := c.check(tc.key, tc.v)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("check(%s, %v) = %v, want %q", tc.key, tc.v, err, tc.want)
		}
	}
	if _, err := c.checkAll(map[string]any{"days": 1.5, "price": "x"}); err == nil || !strings.Contains(err.Error(), "days") {
		t.Errorf("checkAll reports %v, want the first key in order (days)", err)
	}
	if got := c.slots["days"].Type; got != "integer" {
		t.Errorf("days has type %q, want the registry's integer", got)
	}
}
