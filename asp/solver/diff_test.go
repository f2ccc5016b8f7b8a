package solver

import (
	"context"
	"fmt"
	"math/rand"
	"slices"
	"sort"
	"testing"
)

// decodeAtoms maps a model to its atom bitmask through outputs 0..NumAtoms-1.
func decodeAtoms(p *Program, shown []int) uint32 {
	var m uint32
	for _, i := range shown {
		if i < p.NumAtoms {
			m |= 1 << i
		}
	}
	return m
}

func lexLess(a, b []int64) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

func collect(p *Program, opts Options) (Result, []Model, error) {
	var ms []Model
	res, err := Solve(context.Background(), p, opts, func(m Model) bool {
		ms = append(ms, m)
		return true
	})
	return res, ms, err
}

// compare checks Solve against the oracle on p in every mode; it returns a
// description of the first mismatch.
func compare(p *Program, seed int64) error {
	want := bruteAnswerSets(p)
	wantSet := map[uint32]bool{}
	for _, m := range want {
		wantSet[m] = true
	}

	// Enumeration of all answer sets.
	res, ms, err := collect(p, Options{Models: 0, OptMode: OptIgnore, Seed: seed})
	if err != nil {
		return err
	}
	got := map[uint32]bool{}
	for _, m := range ms {
		a := decodeAtoms(p, m.Shown)
		if got[a] {
			return fmt.Errorf("enumeration: duplicate model %b", a)
		}
		got[a] = true
		if !wantSet[a] {
			return fmt.Errorf("enumeration: %b is not an answer set (want %b)", a, want)
		}
		if ws := bruteShown(p, a); !slices.Equal(ws, m.Shown) {
			return fmt.Errorf("model %b: shown %v, want %v", a, m.Shown, ws)
		}
		if m.Costs != nil {
			return fmt.Errorf("costs reported with OptIgnore")
		}
	}
	if len(got) != len(want) {
		return fmt.Errorf("enumeration: %d answer sets, want %d (%b)", len(got), len(want), want)
	}
	if !res.Exhausted || res.Models != len(want) || res.Satisfiable != (len(want) > 0) {
		return fmt.Errorf("enumeration result %+v, want %d models", res, len(want))
	}

	// Unfounded sets falsified with shared reasons instead of loop clauses.
	_, ms, err = collect(p, Options{OptMode: OptIgnore, Seed: seed, loopBudget: -1})
	if err != nil {
		return err
	}
	if len(ms) != len(want) {
		return fmt.Errorf("shared loop reasons: %d answer sets, want %d", len(ms), len(want))
	}
	for _, m := range ms {
		if !wantSet[decodeAtoms(p, m.Shown)] {
			return fmt.Errorf("shared loop reasons: %v is not an answer set", m.Shown)
		}
	}

	// A model limit.
	if len(want) > 1 {
		res, ms, err := collect(p, Options{Models: 1, OptMode: OptIgnore, Seed: seed})
		if err != nil {
			return err
		}
		if len(ms) != 1 || res.Models != 1 || res.Exhausted || !wantSet[decodeAtoms(p, ms[0].Shown)] {
			return fmt.Errorf("-n 1: %+v %v", res, ms)
		}
	}

	// Projection onto the extra outputs (and the odd atoms).
	proj := *p
	proj.Outputs = nil
	for i, o := range p.Outputs {
		if i >= p.NumAtoms || i%2 == 1 {
			proj.Outputs = append(proj.Outputs, o)
		}
	}
	wantProj := map[string]bool{}
	for _, m := range want {
		wantProj[shownKey(&proj, bruteShown(&proj, m))] = true
	}
	_, ms, err = collect(&proj, Options{Project: true, OptMode: OptIgnore, Seed: seed})
	if err != nil {
		return err
	}
	gotProj := map[string]bool{}
	for _, m := range ms {
		k := shownKey(&proj, m.Shown)
		if gotProj[k] || !wantProj[k] {
			return fmt.Errorf("projection: model %s duplicate or wrong (want %v)", k, wantProj)
		}
		gotProj[k] = true
	}
	if len(gotProj) != len(wantProj) {
		return fmt.Errorf("projection: %d models, want %d", len(gotProj), len(wantProj))
	}

	if bruteCost(p, 0) == nil {
		return nil
	}
	// Optimisation.
	var best []int64
	for _, m := range want {
		if c := bruteCost(p, m); best == nil || lexLess(c, best) {
			best = c
		}
	}
	res, ms, err = collect(p, Options{OptMode: OptFind, Seed: seed})
	if err != nil {
		return err
	}
	if len(want) == 0 {
		if len(ms) != 0 || res.Satisfiable || !res.Exhausted {
			return fmt.Errorf("opt: unsatisfiable program gave %+v", res)
		}
		return nil
	}
	for i, m := range ms {
		a := decodeAtoms(p, m.Shown)
		if !wantSet[a] {
			return fmt.Errorf("opt: %b is not an answer set", a)
		}
		if c := bruteCost(p, a); !slices.Equal(c, m.Costs) {
			return fmt.Errorf("opt: model %b costs %v, want %v", a, m.Costs, c)
		}
		if i > 0 && !lexLess(m.Costs, ms[i-1].Costs) {
			return fmt.Errorf("opt: costs %v do not improve on %v", m.Costs, ms[i-1].Costs)
		}
		if m.Optimal != (i == len(ms)-1) {
			return fmt.Errorf("opt: model %d Optimal=%v", i, m.Optimal)
		}
	}
	if last := ms[len(ms)-1]; !slices.Equal(last.Costs, best) || !res.OptimumProven || !res.Exhausted || !slices.Equal(res.Costs, best) {
		return fmt.Errorf("opt: final costs %v (res %+v), want %v", last.Costs, res, best)
	}

	// All optimal models.
	wantOpt := map[uint32]bool{}
	for _, m := range want {
		if slices.Equal(bruteCost(p, m), best) {
			wantOpt[m] = true
		}
	}
	res, ms, err = collect(p, Options{OptMode: OptAll, Seed: seed})
	if err != nil {
		return err
	}
	gotOpt := map[uint32]bool{}
	for _, m := range ms {
		if !m.Optimal {
			continue
		}
		a := decodeAtoms(p, m.Shown)
		if gotOpt[a] || !wantOpt[a] {
			return fmt.Errorf("optN: optimal model %b duplicate or wrong (want %v)", a, keys(wantOpt))
		}
		gotOpt[a] = true
	}
	if len(gotOpt) != len(wantOpt) || !res.OptimumProven || !res.Exhausted {
		return fmt.Errorf("optN: %d optimal models, want %d (%+v)", len(gotOpt), len(wantOpt), res)
	}
	return nil
}

func keys(m map[uint32]bool) []uint32 {
	var out []uint32
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func TestRandomProgramsAgainstOracle(t *testing.T) {
	cfgs := []genConfig{
		{atoms: 4, rules: 6},
		{atoms: 6, rules: 10, minimize: true},
		{atoms: 8, rules: 14},
		{atoms: 10, rules: 18, minimize: true},
		{atoms: 12, rules: 24},
	}
	n := 800
	cfgs = append(cfgs, genConfig{atoms: 14, rules: 30, minimize: true})
	for ci, cfg := range cfgs {
		r := rand.New(rand.NewSource(int64(ci + 1)))
		count := n
		if cfg.atoms > 12 {
			count = n / 10 // 2^14 interpretations each
		}
		for i := 0; i < count; i++ {
			p := randomProgram(r, cfg)
			if err := compare(p, int64(i%3)); err != nil {
				t.Fatalf("config %d program %d: %v\n%s", ci, i, err, dump(p))
			}
		}
	}
}

// dump prints a program in a readable form for failure messages.
func dump(p *Program) string {
	s := fmt.Sprintf("atoms %d\n", p.NumAtoms)
	for _, r := range p.Rules {
		kind := ""
		if r.HeadKind == Choice {
			kind = "choice"
		}
		if r.BodyKind == Weight {
			s += fmt.Sprintf("%s%v :- %d <= %v\n", kind, r.Head, r.Bound, r.Body)
		} else {
			var ls []Lit
			for _, wl := range r.Body {
				ls = append(ls, wl.Lit)
			}
			s += fmt.Sprintf("%s%v :- %v\n", kind, r.Head, ls)
		}
	}
	for _, m := range p.Minimize {
		s += fmt.Sprintf("minimize@%d %v\n", m.Priority, m.Lits)
	}
	for _, o := range p.Outputs {
		s += fmt.Sprintf("show %s : %v\n", o.Text, o.Cond)
	}
	return s
}
