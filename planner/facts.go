package planner

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// inKey names one input of one API.
type inKey struct{ api, input string }

// factWriter writes ASP facts and remembers which Go value each value term
// stands for, so that the answer set can be read back.
type factWriter struct {
	b      strings.Builder
	values map[string]any // value term -> value
}

func newFactWriter() *factWriter {
	return &factWriter{values: make(map[string]any)}
}

// quote returns s as an ASP string term.
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// valueTerm returns the ASP term for a value: whole numbers that fit in 32
// bits become integers, strings stay strings, anything else becomes its JSON
// text as a string.
func (w *factWriter) valueTerm(v any) string {
	var t string
	switch x := v.(type) {
	case string:
		t = quote(x)
	case json.Number:
		if n, err := strconv.ParseInt(string(x), 10, 64); err == nil && n >= math.MinInt32 && n <= math.MaxInt32 {
			t = strconv.FormatInt(n, 10)
		} else {
			t = quote(string(x))
		}
	case float64:
		if x == math.Trunc(x) && x >= math.MinInt32 && x <= math.MaxInt32 {
			t = strconv.FormatInt(int64(x), 10)
		} else {
			t = quote(strconv.FormatFloat(x, 'g', -1, 64))
		}
	case int:
		if x >= math.MinInt32 && x <= math.MaxInt32 {
			t = strconv.Itoa(x)
		} else {
			t = quote(strconv.Itoa(x))
		}
	default:
		data, err := json.Marshal(x)
		if err != nil {
			data = []byte("null")
		}
		t = quote(string(data))
	}
	if _, ok := w.values[t]; !ok {
		w.values[t] = v
	}
	return t
}

func (w *factWriter) fact(pred string, args ...string) {
	w.b.WriteString(pred)
	w.b.WriteByte('(')
	for i, a := range args {
		if i > 0 {
			w.b.WriteByte(',')
		}
		w.b.WriteString(a)
	}
	w.b.WriteString(").\n")
}

// writeAPI writes the facts of one API, whose effect and call cost the
// job worked out.
func (w *factWriter) writeAPI(a *registry.API, effect registry.Effect, cost int64, accepted func(registry.Input) []string) {
	n := quote(a.Name)
	w.fact("api", n)
	w.fact("cost", n, strconv.FormatInt(cost, 10))
	w.fact("effect", n, quote(string(effect)))
	if a.Confirm {
		w.fact("api_confirm", n)
	}
	if a.Namespace != "" {
		w.fact("namespace", n, quote(a.Namespace))
	}
	for _, t := range a.Tags {
		w.fact("tag", n, quote(t))
	}
	for _, in := range a.Inputs {
		i := quote(in.Name)
		w.fact("input", n, i, quote(in.SlotType()))
		for _, s := range accepted(in) {
			w.fact("accepts", n, i, quote(s))
		}
		if in.Required {
			w.fact("required", n, i)
		}
		if in.Default != nil {
			w.fact("default", n, i, w.valueTerm(in.Default))
		}
		for _, v := range in.Allowed {
			w.fact("allowed", n, i, w.valueTerm(v))
		}
		if in.NotAskable {
			w.fact("not_askable", n, i)
		}
	}
	for _, o := range a.Outputs {
		w.fact("output", n, quote(o.Name), quote(o.SlotType()))
	}
}

// acceptedSlots returns the slots that can fill in: its own, then aliases.
func acceptedSlots(in registry.Input) []string {
	s := []string{in.SlotType()}
	for _, a := range in.Aliases {
		if a != "" && a != s[0] {
			s = append(s, a)
		}
	}
	return s
}
