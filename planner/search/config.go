package search

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// costType says which operator costs a heuristic or a search counts: the
// task's (normal), 1 for every operator (one), or the task's plus one
// (plusone, which keeps zero-cost operators from looking free). Axioms
// always cost 0.
type costType int

const (
	costNormal costType = iota
	costOne
	costPlusOne
)

func (c costType) String() string {
	return [...]string{"normal", "one", "plusone"}[c]
}

func parseCostType(s string) (costType, bool) {
	switch s {
	case "normal":
		return costNormal, true
	case "one":
		return costOne, true
	case "plusone":
		return costPlusOne, true
	}
	return 0, false
}

// opCost is the cost of an operator under c.
func (c costType) opCost(cost int64) int64 {
	switch c {
	case costOne:
		return 1
	case costPlusOne:
		return cost + 1
	}
	return cost
}

// evalSpec names a heuristic and the costs it counts.
type evalSpec struct {
	name string
	cost costType
}

func (e evalSpec) String() string {
	if e.cost == costNormal {
		return e.name
	}
	return e.name + "(cost=" + e.cost.String() + ")"
}

// searchConfig is a search algorithm composed of components, as Fast
// Downward composes one from its command line: an algorithm (lazy or
// eager best-first search), the evaluators whose open lists it alternates
// between (each with a second list for preferred successors when
// preferred operators are used), the evaluators that name preferred
// operators, the weight of g (greedy when 0: the key is h; else
// g + weight*h), and the costs the search counts.
type searchConfig struct {
	lazy      bool
	evals     []evalSpec
	preferred []int // indices into evals
	weight    int64 // 0: greedy
	reopen    bool
	cost      costType
	boost     int64 // priority the preferred lists gain on progress
}

func (c searchConfig) String() string {
	var b strings.Builder
	alg := "eager"
	if c.lazy {
		alg = "lazy"
	}
	if c.weight == 0 {
		b.WriteString(alg + "_greedy(")
	} else {
		b.WriteString(alg + "_wastar(")
	}
	b.WriteString(evalList(c.evals, nil))
	if c.weight > 0 {
		fmt.Fprintf(&b, ", w=%d", c.weight)
	}
	if len(c.preferred) > 0 {
		b.WriteString(", preferred=" + evalList(c.evals, c.preferred))
	}
	if c.cost != costNormal {
		b.WriteString(", cost=" + c.cost.String())
	}
	if c.reopen != (c.weight > 0) {
		fmt.Fprintf(&b, ", reopen=%v", c.reopen)
	}
	if len(c.preferred) > 0 && c.boost != defaultBoost {
		fmt.Fprintf(&b, ", boost=%d", c.boost)
	}
	b.WriteString(")")
	return b.String()
}

func evalList(es []evalSpec, pick []int) string {
	var parts []string
	for i, e := range es {
		if pick == nil || slices.Contains(pick, i) {
			if pick != nil {
				parts = append(parts, e.name)
			} else {
				parts = append(parts, e.String())
			}
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// defaultBoost is the boost of LAMA's open lists.
const defaultBoost = 1000

// heuristicNames lists the evaluators by name.
var heuristicNames = []string{"ff", "add", "max", "lmcut", "lmcount", "goalcount", "blind"}

// resolveConfig turns Options into a search configuration: one of the
// aliases (lama, lazy, gbfs, wastar, astar) or a composition written in
// Fast Downward's style, such as
//
//	lazy_greedy([ff(cost=one), lmcount(cost=one)], preferred=[ff], cost=one)
//	lazy_wastar([ff, lmcount], w=3, preferred=[ff])
//	eager_greedy([add], preferred=[add])
//	eager_wastar([ff], w=5)
//	astar(lmcut)
func resolveConfig(t *Task, opts Options) (searchConfig, error) {
	h := opts.Heuristic
	pref := func(c searchConfig) searchConfig {
		if opts.NoPreferred {
			c.preferred = nil
		}
		return c
	}
	name := strings.TrimSpace(opts.Search)
	switch name {
	case "", "lama":
		// LAMA's first iteration (Fast Downward's lama-first): lazy greedy
		// search alternating FF and landmark-sum open lists, each with a
		// list of preferred successors, on unit costs.
		return pref(searchConfig{lazy: true, evals: []evalSpec{{"ff", costOne}, {"lmcount", costOne}},
			preferred: []int{0}, cost: costOne, boost: defaultBoost}), nil
	case "lazy", "gbfs":
		if h == "" {
			h = "ff"
		}
		if err := checkHeuristic(h); err != nil {
			return searchConfig{}, err
		}
		c := searchConfig{lazy: name == "lazy", evals: []evalSpec{{h, costNormal}}, boost: defaultBoost}
		if supportsPreferred(h) {
			c.preferred = []int{0}
		}
		return pref(c), nil
	case "wastar":
		if h == "" {
			h = "ff"
		}
		if err := checkHeuristic(h); err != nil {
			return searchConfig{}, err
		}
		w := int64(opts.Weight)
		if w <= 0 {
			w = 5
		}
		return searchConfig{evals: []evalSpec{{h, costNormal}}, weight: w, reopen: true}, nil
	case "astar":
		if h == "" {
			// LM-cut overestimates with conditional effects; h_max keeps
			// A* optimal there.
			h = "lmcut"
			if slices.ContainsFunc(t.Operators, func(o Operator) bool { return len(o.Cond) > 0 }) {
				h = "max"
			}
		}
		if err := checkHeuristic(h); err != nil {
			return searchConfig{}, err
		}
		return searchConfig{evals: []evalSpec{{h, costNormal}}, weight: 1, reopen: true}, nil
	}
	if !strings.Contains(name, "(") {
		return searchConfig{}, &OptionError{Option: "search", Value: opts.Search}
	}
	c, err := parseConfig(name)
	if err != nil {
		return searchConfig{}, &OptionError{Option: "search", Value: opts.Search, Reason: err.Error()}
	}
	return pref(c), nil
}

func checkHeuristic(name string) error {
	if !slices.Contains(heuristicNames, name) {
		return &OptionError{Option: "heuristic", Value: name}
	}
	return nil
}

func supportsPreferred(name string) bool { return name == "ff" || name == "lmcount" }

// parseConfig reads a composition: ALG(EVALS, key=value, ...), where ALG is
// lazy_greedy, eager_greedy, lazy_wastar, eager_wastar or astar, EVALS an
// evaluator or a bracketed list of them, and an evaluator NAME or
// NAME(cost=one|normal|plusone). Keys: preferred (evaluators, by name),
// w (weight), cost (of the search: one or normal), reopen (true|false),
// boost.
func parseConfig(src string) (searchConfig, error) {
	p := &specParser{src: src}
	alg := p.ident()
	if !p.eat('(') {
		return searchConfig{}, p.errorf("expected ( after %q", alg)
	}
	var c searchConfig
	switch alg {
	case "lazy_greedy", "lazy":
		c.lazy = true
	case "eager_greedy", "gbfs", "eager":
	case "lazy_wastar":
		c.lazy, c.weight, c.reopen = true, 5, true
	case "eager_wastar", "wastar":
		c.weight, c.reopen = 5, true
	case "astar":
		c.weight, c.reopen = 1, true
	default:
		return c, fmt.Errorf("unknown search algorithm %q (lazy_greedy, eager_greedy, lazy_wastar, eager_wastar, astar)", alg)
	}
	c.boost = defaultBoost
	evals, err := p.evals()
	if err != nil {
		return c, err
	}
	c.evals = evals
	var prefNames []string
	for p.eat(',') {
		key := p.ident()
		if !p.eat('=') {
			return c, p.errorf("expected = after %q", key)
		}
		switch key {
		case "preferred":
			es, err := p.evals()
			if err != nil {
				return c, err
			}
			for _, e := range es {
				prefNames = append(prefNames, e.name)
			}
		case "w", "weight":
			n, err := p.number()
			if err != nil || n < 1 {
				return c, p.errorf("w takes a positive integer")
			}
			if c.weight == 0 {
				return c, p.errorf("w applies to wastar searches")
			}
			c.weight = n
		case "boost":
			n, err := p.number()
			if err != nil || n < 0 {
				return c, p.errorf("boost takes a non-negative integer")
			}
			c.boost = n
		case "cost", "cost_type":
			v := p.ident()
			ct, ok := parseCostType(v)
			if !ok || ct == costPlusOne {
				return c, p.errorf("a search's cost is one or normal, not %q", v)
			}
			c.cost = ct
		case "reopen", "reopen_closed":
			switch v := p.ident(); v {
			case "true":
				c.reopen = true
			case "false":
				c.reopen = false
			default:
				return c, p.errorf("reopen takes true or false, not %q", v)
			}
		default:
			return c, p.errorf("unknown option %q", key)
		}
	}
	if !p.eat(')') {
		return c, p.errorf("expected , or )")
	}
	if p.skip(); p.pos < len(p.src) {
		return c, p.errorf("unexpected text after the search")
	}
	for _, n := range prefNames {
		i := slices.IndexFunc(c.evals, func(e evalSpec) bool { return e.name == n })
		if i < 0 {
			return c, fmt.Errorf("preferred evaluator %s is not among the search's evaluators", n)
		}
		if !supportsPreferred(n) {
			return c, fmt.Errorf("%s names no preferred operators (ff and lmcount do)", n)
		}
		if !slices.Contains(c.preferred, i) {
			c.preferred = append(c.preferred, i)
		}
	}
	return c, nil
}

type specParser struct {
	src string
	pos int
}

func (p *specParser) errorf(format string, args ...any) error {
	return fmt.Errorf("at offset %d: %s", p.pos, fmt.Sprintf(format, args...))
}

func (p *specParser) skip() {
	for p.pos < len(p.src) && unicode.IsSpace(rune(p.src[p.pos])) {
		p.pos++
	}
}

func (p *specParser) eat(c byte) bool {
	p.skip()
	if p.pos < len(p.src) && p.src[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

func (p *specParser) ident() string {
	p.skip()
	start := p.pos
	for p.pos < len(p.src) {
		c := rune(p.src[p.pos])
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) && c != '_' && c != '-' {
			break
		}
		p.pos++
	}
	return p.src[start:p.pos]
}

func (p *specParser) number() (int64, error) {
	return strconv.ParseInt(p.ident(), 10, 64)
}

// evals reads an evaluator or a bracketed list of them.
func (p *specParser) evals() ([]evalSpec, error) {
	var out []evalSpec
	one := func() error {
		name := p.ident()
		if err := checkHeuristic(name); err != nil {
			return p.errorf("unknown heuristic %q (%s)", name, strings.Join(heuristicNames, ", "))
		}
		e := evalSpec{name: name}
		if p.eat('(') {
			if !p.eat(')') {
				if key := p.ident(); key != "cost" && key != "cost_type" || !p.eat('=') {
					return p.errorf("a heuristic takes cost=one|normal|plusone")
				}
				v := p.ident()
				ct, ok := parseCostType(v)
				if !ok {
					return p.errorf("unknown cost type %q", v)
				}
				e.cost = ct
				if !p.eat(')') {
					return p.errorf("expected )")
				}
			}
		}
		out = append(out, e)
		return nil
	}
	if !p.eat('[') {
		return out, one()
	}
	for {
		if err := one(); err != nil {
			return nil, err
		}
		if p.eat(']') {
			return out, nil
		}
		if !p.eat(',') {
			return nil, p.errorf("expected , or ]")
		}
	}
}
