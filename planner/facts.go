package planner

import (
	"encoding/json"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/toolsmith-dev/toolsmith/asp"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// inKey names one input of one API.
type inKey struct{ api, input string }

// facts is the value of the facts stage: the ASP facts about the relevant
// APIs and the request, as asp.Symbol values, with the Go value each value
// term stands for, so that the answer set can be read back.
type facts struct {
	list   []fact
	values map[valueKey]any
	// namespaces lists the namespaces of the relevant APIs in the order
	// met: their policies (Options.NamespaceRules) take part.
	namespaces []string
}

// fact is one fact pred(args...).
type fact struct {
	pred string
	args []asp.Symbol
}

// valueKey identifies a value term (a number or a string).
type valueKey struct {
	kind asp.SymbolKind
	num  int64
	text string
}

func keyOf(s asp.Symbol) valueKey { return valueKey{s.Kind(), s.Int(), s.Name()} }

func (f *facts) add(pred string, args ...asp.Symbol) {
	f.list = append(f.list, fact{pred, args})
}

// str returns s as an ASP string term.
func str(s string) asp.Symbol { return asp.String(s) }

// value returns the ASP term for a value: whole numbers that fit in 32
// bits become integers, strings stay strings, anything else becomes its
// JSON text as a string.
func (f *facts) value(v any) asp.Symbol {
	var t asp.Symbol
	switch x := v.(type) {
	case string:
		t = asp.String(x)
	case json.Number:
		if n, err := strconv.ParseInt(string(x), 10, 64); err == nil && n >= math.MinInt32 && n <= math.MaxInt32 {
			t = asp.Number(n)
		} else {
			t = asp.String(string(x))
		}
	case float64:
		if x == math.Trunc(x) && x >= math.MinInt32 && x <= math.MaxInt32 {
			t = asp.Number(int64(x))
		} else {
			t = asp.String(strconv.FormatFloat(x, 'g', -1, 64))
		}
	case int:
		if x >= math.MinInt32 && x <= math.MaxInt32 {
			t = asp.Number(int64(x))
		} else {
			t = asp.String(strconv.Itoa(x))
		}
	default:
		data, err := json.Marshal(x)
		if err != nil {
			data = []byte("null")
		}
		t = asp.String(string(data))
	}
	if _, ok := f.values[keyOf(t)]; !ok {
		f.values[keyOf(t)] = v
	}
	return t
}

// text returns the facts as ASP text, one a line.
func (f *facts) text() string {
	var b strings.Builder
	for _, x := range f.list {
		b.WriteString(x.pred)
		b.WriteByte('(')
		for i, a := range x.args {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(a.String())
		}
		b.WriteString(").\n")
	}
	return b.String()
}

// facts is the facts stage: the APIs of r and the request as facts (the
// predicates rules/core.lp documents).
func (s *situation) facts(r *relevance) *facts {
	f := &facts{values: map[valueKey]any{}}
	seen := map[string]bool{}
	for _, ai := range r.apis {
		a := s.api(ai)
		f.addAPI(a, s.effect(ai), s.callCost(ai), s.accepted)
		if ns := a.Namespace; ns != "" && !seen[ns] {
			seen[ns] = true
			f.namespaces = append(f.namespaces, ns)
		}
	}
	internal := map[string]bool{}
	for _, ai := range r.apis {
		for _, in := range s.api(ai).Inputs {
			if slot := in.SlotType(); s.p.internal[slot] && !internal[slot] {
				internal[slot] = true
				f.add("not_askable_slot", str(slot))
			}
		}
	}
	for _, g := range s.req.Goals {
		if !s.doneAPIs[g] {
			f.add("goal", str(g))
		}
	}
	for _, name := range s.req.Failed {
		f.add("failed", str(name))
	}
	for _, k := range s.req.Known {
		if k.Value == nil {
			continue
		}
		if ik, ok := s.splitKey(k.Key); ok && r.is[s.index(ik.api)] {
			f.add("given_input", str(ik.api), str(ik.input), f.value(k.Value))
		}
	}
	for _, k := range s.slotKnown {
		f.add("given_slot", str(k.Key), f.value(k.Value))
	}
	for _, k := range s.fixed {
		if r.is[s.index(k.api)] {
			f.add("given_input", str(k.api), str(k.input), f.value(s.givenInput[k][0]))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(s.mentioned)) {
		if r.is[s.index(name)] {
			f.add("mentioned", str(name))
		}
	}
	for _, d := range s.req.Done {
		if d.API == GetInfo {
			if v, ok := d.Outputs[d.Slot]; ok {
				f.add("given_slot", str(d.Slot), f.value(v))
			}
		}
	}
	s.addNormalised(f, r)
	return f
}

// addAPI adds the facts of one API, whose effect and call cost the
// situation worked out.
func (f *facts) addAPI(a *registry.API, effect registry.Effect, cost int64, accepted func(registry.Input) []string) {
	n := str(a.Name)
	f.add("api", n)
	f.add("cost", n, asp.Number(cost))
	f.add("effect", n, str(string(effect)))
	if a.Confirm {
		f.add("api_confirm", n)
	}
	if a.Namespace != "" {
		f.add("namespace", n, str(a.Namespace))
	}
	for _, t := range a.Tags {
		f.add("tag", n, str(t))
	}
	for _, in := range a.Inputs {
		i := str(in.Name)
		f.add("input", n, i, str(in.SlotType()))
		for _, slot := range accepted(in) {
			f.add("accepts", n, i, str(slot))
		}
		if in.Required {
			f.add("required", n, i)
		}
		if in.Default != nil {
			f.add("default", n, i, f.value(in.Default))
		}
		for _, v := range in.Allowed {
			f.add("allowed", n, i, f.value(v))
		}
		if in.NotAskable {
			f.add("not_askable", n, i)
		}
	}
	for _, o := range a.Outputs {
		f.add("output", n, str(o.Name), str(o.SlotType()))
	}
}
