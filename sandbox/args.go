package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// decodeArgs converts JSON arguments — an object keyed by parameter name or
// an array in parameter order — into values of the function's parameter
// types. Errors are of kind bad_args and name the parameter.
func decodeArgs(ft reflect.Type, names []string, raw json.RawMessage) ([]reflect.Value, *Error) {
	n := ft.NumIn()
	if len(names) != n {
		names = make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf("arg%d", i)
		}
	}
	raw = bytes.TrimSpace(raw)
	var parts []json.RawMessage
	switch {
	case len(raw) == 0 || string(raw) == "null":
		parts = nil
	case raw[0] == '[':
		if err := json.Unmarshal(raw, &parts); err != nil {
			return nil, errorf(KindBadArgs, "arguments: %v", err)
		}
	case raw[0] == '{':
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			return nil, errorf(KindBadArgs, "arguments: %v", err)
		}
		for k := range obj {
			if !slices.Contains(names, k) {
				return nil, errorf(KindBadArgs, "unknown parameter %q (parameters: %s)", k, strings.Join(names, ", "))
			}
		}
		for i, name := range names {
			v, ok := obj[name]
			if !ok {
				if ft.IsVariadic() && i == n-1 {
					break
				}
				return nil, errorf(KindBadArgs, "missing parameter %q", name)
			}
			parts = append(parts, v)
		}
		if ft.IsVariadic() && len(parts) == n {
			// The variadic parameter was given by name: it holds the whole slice.
			return decodeParts(ft, names, parts, true)
		}
	default:
		return nil, errorf(KindBadArgs, "arguments must be a JSON object or array, got %.40s", raw)
	}
	return decodeParts(ft, names, parts, false)
}

// decodeParts decodes one JSON value per parameter. For a variadic function
// the trailing values fill the variadic slice unless whole is set, in which
// case the last value is the slice itself.
func decodeParts(ft reflect.Type, names []string, parts []json.RawMessage, whole bool) ([]reflect.Value, *Error) {
	n := ft.NumIn()
	fixed := n
	if ft.IsVariadic() && !whole {
		fixed = n - 1
		if len(parts) < fixed {
			return nil, errorf(KindBadArgs, "expected at least %d arguments, got %d", fixed, len(parts))
		}
	} else if len(parts) != n {
		return nil, errorf(KindBadArgs, "expected %d arguments, got %d", n, len(parts))
	}
	vals := make([]reflect.Value, 0, len(parts))
	for i, p := range parts {
		t, name := ft.In(min(i, n-1)), names[min(i, n-1)]
		if i >= fixed && !whole {
			t = t.Elem()
		}
		v := reflect.New(t)
		dec := json.NewDecoder(bytes.NewReader(p))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v.Interface()); err != nil {
			return nil, errorf(KindBadArgs, "parameter %q: %v", name, err)
		}
		if whole && ft.IsVariadic() && i == n-1 {
			for j := 0; j < v.Elem().Len(); j++ {
				vals = append(vals, v.Elem().Index(j))
			}
			continue
		}
		vals = append(vals, v.Elem())
	}
	return vals, nil
}
