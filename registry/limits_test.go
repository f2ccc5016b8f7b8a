package registry

import (
	"strings"
	"testing"
)

func TestNames(t *testing.T) {
	cases := []struct {
		s            string
		name, ns, id bool
	}{
		{"word_sort", true, true, true},
		{"RentalCars.GetCarsAvailable", true, true, true},
		{"a-b.c_9", true, true, true},
		{"", false, false, false},
		{".hidden", false, false, true},
		{"-x", false, false, true},
		{"a:b", false, false, false},
		{"a{b}", false, false, false},
		{"a b", false, false, false},
		{"ünï", false, false, false},
		{strings.Repeat("n", 64), true, true, true},
		{strings.Repeat("n", 65), true, false, true},
		{strings.Repeat("n", 129), true, false, false},
		{strings.Repeat("n", MaxNameLen+1), false, false, false},
	}
	for _, c := range cases {
		if got := ValidName(c.s); got != c.name {
			t.Errorf("ValidName(%q) = %v", c.s, got)
		}
		if got := ValidNamespace(c.s); got != c.ns {
			t.Errorf("ValidNamespace(%q) = %v", c.s, got)
		}
		if got := validID(c.s); got != c.id {
			t.Errorf("validID(%q) = %v", c.s, got)
		}
	}
}
