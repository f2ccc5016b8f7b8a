package solver

import (
	"fmt"
	"math/rand"
	"slices"
	"sort"
)

// The oracle: answer sets by the definition, enumerating every interpretation
// of a small program. An interpretation is a bitmask over atoms 1..NumAtoms
// (bit a-1 for atom a).

func holdsIn(l Lit, m uint32) bool {
	in := m&(1<<(l.Atom()-1)) != 0
	return in == l.Positive()
}

// bodyHolds evaluates a rule body, normal or weight, taking each literal's
// value from holds.
func bodyHolds(r *Rule, holds func(Lit) bool) bool {
	if r.BodyKind == Normal {
		for _, wl := range r.Body {
			if !holds(wl.Lit) {
				return false
			}
		}
		return true
	}
	var sum int64
	for _, wl := range r.Body {
		if holds(wl.Lit) {
			sum += wl.Weight
		}
	}
	return sum >= r.Bound
}

// reductHolds evaluates the body of the reduct w.r.t. m under lm: negative
// literals are evaluated in m, positive ones in lm (weights positive).
func reductHolds(r *Rule, m, lm uint32) bool {
	return bodyHolds(r, func(l Lit) bool {
		if l.Positive() {
			return holdsIn(l, lm)
		}
		return holdsIn(l, m)
	})
}

// isAnswerSet reports whether m is the least model of the reduct of p
// relative to m and satisfies every integrity constraint.
func isAnswerSet(p *Program, m uint32) bool {
	for i := range p.Rules {
		r := &p.Rules[i]
		if r.HeadKind == Disjunctive && len(r.Head) == 0 && bodyHolds(r, func(l Lit) bool { return holdsIn(l, m) }) {
			return false
		}
	}
	var lm uint32
	for changed := true; changed; {
		changed = false
		for i := range p.Rules {
			r := &p.Rules[i]
			if len(r.Head) == 0 || !reductHolds(r, m, lm) {
				continue
			}
			for _, h := range r.Head {
				bit := uint32(1) << (h - 1)
				if r.HeadKind == Choice && m&bit == 0 {
					continue
				}
				if lm&bit == 0 {
					lm |= bit
					changed = true
				}
			}
		}
	}
	return lm == m
}

func bruteAnswerSets(p *Program) []uint32 {
	var out []uint32
	for m := uint32(0); m < 1<<p.NumAtoms; m++ {
		if isAnswerSet(p, m) {
			out = append(out, m)
		}
	}
	return out
}

// bruteCost is the objective of m, highest priority first.
func bruteCost(p *Program, m uint32) []int64 {
	var prios []int
	for _, mz := range p.Minimize {
		if len(mz.Lits) > 0 && !slices.Contains(prios, mz.Priority) {
			prios = append(prios, mz.Priority)
		}
	}
	if len(prios) == 0 {
		return nil
	}
	sort.Sort(sort.Reverse(sort.IntSlice(prios)))
	c := make([]int64, len(prios))
	for _, mz := range p.Minimize {
		k := slices.Index(prios, mz.Priority)
		if k < 0 {
			continue
		}
		for _, wl := range mz.Lits {
			if holdsIn(wl.Lit, m) {
				c[k] += wl.Weight
			}
		}
	}
	return c
}

// bruteShown is the sorted list of shown indices of m.
func bruteShown(p *Program, m uint32) []int {
	var out []int
	seen := map[string]bool{}
next:
	for i, o := range p.Outputs {
		if seen[o.Text] {
			continue
		}
		for _, l := range o.Cond {
			if !holdsIn(l, m) {
				continue next
			}
		}
		seen[o.Text] = true
		out = append(out, i)
	}
	return out
}

// shownKey names the set of texts shown by a model.
func shownKey(p *Program, shown []int) string {
	var ts []string
	for _, i := range shown {
		ts = append(ts, p.Outputs[i].Text)
	}
	sort.Strings(ts)
	return fmt.Sprint(ts)
}

// genConfig shapes random programs.
type genConfig struct {
	atoms, rules int
	minimize     bool
}

// randomProgram draws a small ground program. Outputs 0..NumAtoms-1 show each
// atom as "a<i>" so that models can be decoded; a few more outputs with
// conditions and repeated texts follow.
func randomProgram(r *rand.Rand, cfg genConfig) *Program {
	n := 1 + r.Intn(cfg.atoms)
	p := &Program{NumAtoms: n}
	lit := func() Lit {
		l := Lit(1 + r.Intn(n))
		if r.Intn(3) == 0 {
			l = -l
		}
		return l
	}
	nr := r.Intn(cfg.rules + 1)
	for i := 0; i < nr; i++ {
		var rule Rule
		switch k := r.Intn(20); {
		case k < 12:
			rule.Head = []Atom{Atom(1 + r.Intn(n))}
		case k < 15:
		default:
			rule.HeadKind = Choice
			for j := r.Intn(3) + 1; j > 0; j-- {
				rule.Head = append(rule.Head, Atom(1+r.Intn(n)))
			}
		}
		if r.Intn(5) == 0 {
			rule.BodyKind = Weight
			for j := r.Intn(4) + 1; j > 0; j-- {
				rule.Body = append(rule.Body, WeightedLit{Lit: lit(), Weight: int64(r.Intn(4))})
			}
			rule.Bound = int64(r.Intn(7)) - 1
		} else {
			for j := r.Intn(4); j > 0; j-- {
				rule.Body = append(rule.Body, WeightedLit{Lit: lit(), Weight: 1})
			}
		}
		p.Rules = append(p.Rules, rule)
	}
	for a := 1; a <= n; a++ {
		p.Outputs = append(p.Outputs, Output{Text: fmt.Sprintf("a%d", a), Cond: []Lit{Lit(a)}})
	}
	for j := r.Intn(4); j > 0; j-- {
		o := Output{Text: fmt.Sprintf("t%d", r.Intn(3))}
		for k := r.Intn(3); k > 0; k-- {
			o.Cond = append(o.Cond, lit())
		}
		p.Outputs = append(p.Outputs, o)
	}
	if cfg.minimize {
		for j := r.Intn(3) + 1; j > 0; j-- {
			mz := Minimize{Priority: r.Intn(3)}
			for k := r.Intn(4); k > 0; k-- {
				mz.Lits = append(mz.Lits, WeightedLit{Lit: lit(), Weight: int64(r.Intn(6) - 2)})
			}
			p.Minimize = append(p.Minimize, mz)
		}
	}
	return p
}
