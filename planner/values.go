package planner

import (
	"encoding/json"
	"slices"
	"strings"
)

// Values the user gives for an input with allowed values match them after
// trivial normalisation: case, surrounding and repeated spaces, and a
// number or boolean given as text or the other way round ("3D" is "3d",
// "True" is true, 5 is "5"). A value that still matches none is reported
// as invalid and asked again — only of the user, never bound from another
// API's output (core.lp: need_input of an invalid or conflicting input is
// met by a question alone).

// canonical returns the normalised text of a scalar value, ok false for
// lists and objects.
func canonical(v any) (string, bool) {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case nil:
		return "", false
	case map[string]any, []any:
		return "", false
	default:
		data, err := json.Marshal(x)
		if err != nil {
			return "", false
		}
		s = string(data)
	}
	return strings.ToLower(strings.Join(strings.Fields(s), " ")), true
}

// normaliseAllowed returns the allowed value v stands for when v is not
// itself among allowed but matches one after normalisation.
func normaliseAllowed(v any, allowed []any) (any, bool) {
	c, ok := canonical(v)
	if !ok {
		return nil, false
	}
	var match any
	found := false
	for _, a := range allowed {
		if a == v {
			return nil, false // allowed as given
		}
		if ac, ok := canonical(a); ok && ac == c && !found {
			match, found = a, true
		}
	}
	return match, found
}

// addNormalised adds allowed_as(A,I,V,W) for every value V given for an
// input of an API of r (for the input, or for a slot it accepts) that is
// not allowed as given but is the allowed W after normalisation.
func (s *situation) addNormalised(f *facts, r *relevance) {
	for _, ai := range r.apis {
		a := s.api(ai)
		for _, in := range a.Inputs {
			if len(in.Allowed) == 0 {
				continue
			}
			vals := slices.Clip(s.givenInput[inKey{a.Name, in.Name}])
			for _, slot := range s.accepted(in) {
				vals = append(vals, s.givenSlot[slot]...)
			}
			for _, v := range vals {
				if to, ok := normaliseAllowed(v, in.Allowed); ok {
					f.add("allowed_as", str(a.Name), str(in.Name), f.value(v), f.value(to))
				}
			}
		}
	}
}
