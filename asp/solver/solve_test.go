package solver

import (
	"context"
	"errors"
	"slices"
	"sort"
	"testing"
	"time"
)

// prog builds programs in tests: atoms are named by their show texts.
type prog struct {
	p     Program
	names map[string]Atom
}

func newProg(names ...string) *prog {
	b := &prog{names: map[string]Atom{}}
	for _, n := range names {
		b.p.NumAtoms++
		b.names[n] = Atom(b.p.NumAtoms)
		b.p.Outputs = append(b.p.Outputs, Output{Text: n, Cond: []Lit{Lit(b.p.NumAtoms)}})
	}
	return b
}

// l parses "a" or "-a" (not a).
func (b *prog) l(s string) Lit {
	if s[0] == '-' {
		return -Lit(b.names[s[1:]])
	}
	return Lit(b.names[s])
}

func (b *prog) body(lits []string) []WeightedLit {
	var out []WeightedLit
	for _, s := range lits {
		out = append(out, WeightedLit{Lit: b.l(s), Weight: 1})
	}
	return out
}

func (b *prog) rule(head string, body ...string) *prog {
	r := Rule{Body: b.body(body)}
	if head != "" {
		r.Head = []Atom{b.names[head]}
	}
	b.p.Rules = append(b.p.Rules, r)
	return b
}

func (b *prog) choice(heads []string, body ...string) *prog {
	r := Rule{HeadKind: Choice, Body: b.body(body)}
	for _, h := range heads {
		r.Head = append(r.Head, b.names[h])
	}
	b.p.Rules = append(b.p.Rules, r)
	return b
}

// weight adds "head :- bound <= {w:l, ...}"; elems alternate weight and literal.
func (b *prog) weight(head string, bound int64, elems ...any) *prog {
	r := Rule{BodyKind: Weight, Bound: bound}
	if head != "" {
		r.Head = []Atom{b.names[head]}
	}
	for i := 0; i < len(elems); i += 2 {
		r.Body = append(r.Body, WeightedLit{Weight: int64(elems[i].(int)), Lit: b.l(elems[i+1].(string))})
	}
	b.p.Rules = append(b.p.Rules, r)
	return b
}

func (b *prog) minimize(prio int, elems ...any) *prog {
	m := Minimize{Priority: prio}
	for i := 0; i < len(elems); i += 2 {
		m.Lits = append(m.Lits, WeightedLit{Weight: int64(elems[i].(int)), Lit: b.l(elems[i+1].(string))})
	}
	b.p.Minimize = append(b.p.Minimize, m)
	return b
}

// texts renders a model as sorted shown texts joined by spaces.
func texts(p *Program, m Model) string {
	var ts []string
	for _, i := range m.Shown {
		ts = append(ts, p.Outputs[i].Text)
	}
	sort.Strings(ts)
	s := "{"
	for i, t := range ts {
		if i > 0 {
			s += " "
		}
		s += t
	}
	return s + "}"
}

func TestHandWritten(t *testing.T) {
	cases := []struct {
		name string
		p    *prog
		opts Options
		want []string // models as texts, sorted
		opt  []int64  // optimum
	}{
		{name: "positive loop does not support itself",
			p: newProg("a", "b").rule("a", "b").rule("b", "a"), want: []string{"{}"}},
		{name: "positive loop with external support",
			p:    newProg("a", "b", "c").rule("a", "b").rule("b", "a").choice([]string{"c"}).rule("a", "c"),
			want: []string{"{a b c}", "{}"}},
		{name: "self loop", p: newProg("a").rule("a", "a"), want: []string{"{}"}},
		{name: "even negative loop",
			p: newProg("a", "b").rule("a", "-b").rule("b", "-a"), want: []string{"{a}", "{b}"}},
		{name: "odd negative loop", p: newProg("a").rule("a", "-a"), want: nil},
		{name: "odd loop of three",
			p: newProg("a", "b", "c").rule("a", "-b").rule("b", "-c").rule("c", "-a"), want: nil},
		{name: "choice with bounds 1..2",
			p: newProg("a", "b", "c").choice([]string{"a", "b", "c"}).
				weight("", 3, 1, "-a", 1, "-b", 1, "-c").weight("", 3, 1, "a", 1, "b", 1, "c"),
			want: []string{"{a b}", "{a c}", "{a}", "{b c}", "{b}", "{c}"}},
		{name: "weight body",
			p: newProg("a", "b", "c", "d").choice([]string{"a", "b", "c"}).weight("d", 3, 2, "a", 1, "b", 2, "c").
				rule("", "-d"),
			want: []string{"{a b c d}", "{a b d}", "{a c d}", "{b c d}"}},
		{name: "weight body in a positive loop",
			p:    newProg("a", "b", "c").choice([]string{"c"}).weight("a", 2, 1, "b", 1, "c").rule("b", "a"),
			want: []string{"{c}", "{}"}},
		{name: "constraint",
			p:    newProg("a", "b").choice([]string{"a", "b"}).rule("", "a", "b").rule("", "-a", "-b"),
			want: []string{"{a}", "{b}"}},
		{name: "facts and derived", p: newProg("a", "b").rule("a").rule("b", "a"), want: []string{"{a b}"}},
		{name: "optimisation with priorities",
			p: newProg("a", "b", "c").choice([]string{"a", "b", "c"}).rule("", "-a", "-b").
				minimize(2, 1, "a", 1, "b").minimize(1, 1, "c", -1, "a"),
			opts: Options{OptMode: OptAll}, want: []string{"{a}"}, opt: []int64{1, -1}},
		{name: "maximize through negative weights",
			p:    newProg("a", "b").choice([]string{"a", "b"}).rule("", "a", "b").minimize(0, -2, "a", -3, "b"),
			opts: Options{OptMode: OptAll}, want: []string{"{b}"}, opt: []int64{-3}},
		{name: "all optimal models",
			p: newProg("a", "b", "c").choice([]string{"a", "b", "c"}).weight("", 3, 1, "-a", 1, "-b", 1, "-c").
				minimize(0, 1, "a", 1, "b", 1, "c"),
			opts: Options{OptMode: OptAll}, want: []string{"{a}", "{b}", "{c}"}, opt: []int64{1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, ms, err := collect(&c.p.p, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range ms {
				if c.opt != nil && !m.Optimal {
					continue
				}
				got = append(got, texts(&c.p.p, m))
			}
			sort.Strings(got)
			want := append([]string(nil), c.want...)
			sort.Strings(want)
			if !slices.Equal(got, want) {
				t.Errorf("models %v, want %v", got, want)
			}
			if res.Satisfiable != (len(want) > 0) || !res.Exhausted {
				t.Errorf("result %+v", res)
			}
			if c.opt != nil && (!slices.Equal(res.Costs, c.opt) || !res.OptimumProven) {
				t.Errorf("costs %v proven %v, want %v", res.Costs, res.OptimumProven, c.opt)
			}
		})
	}
}

func TestProjection(t *testing.T) {
	b := newProg("a", "b", "c").choice([]string{"a", "b", "c"})
	b.p.Outputs = b.p.Outputs[:1] // show a only
	_, ms, err := collect(&b.p, Options{Project: true, Models: 0})
	if err != nil {
		t.Fatal(err)
	}
	_, all, _ := collect(&b.p, Options{Models: 0})
	if len(all) != 8 {
		t.Fatalf("without projection: %d models, want 8", len(all))
	}
	seen := map[string]bool{}
	for _, m := range ms {
		seen[texts(&b.p, m)] = true
	}
	if len(ms) != 2 || len(seen) != 2 {
		t.Fatalf("projected models %v, want {a} and {}", ms)
	}
}

func TestShownDeduplicatedByText(t *testing.T) {
	b := newProg("a", "b").rule("a").rule("b")
	b.p.Outputs = append(b.p.Outputs, Output{Text: "x", Cond: []Lit{-1}}, Output{Text: "x", Cond: []Lit{2}},
		Output{Text: "x", Cond: []Lit{1, 2}}, Output{Text: "y"})
	_, ms, err := collect(&b.p, Options{})
	if err != nil || len(ms) != 1 {
		t.Fatal(err, ms)
	}
	if want := []int{0, 1, 3, 5}; !slices.Equal(ms[0].Shown, want) {
		t.Errorf("shown %v, want %v", ms[0].Shown, want)
	}
}

func TestModelLimitAndStop(t *testing.T) {
	b := newProg("a", "b", "c", "d").choice([]string{"a", "b", "c", "d"})
	res, ms, _ := collect(&b.p, Options{Models: 3})
	if len(ms) != 3 || res.Models != 3 || res.Exhausted {
		t.Errorf("limit 3: %d models, %+v", len(ms), res)
	}
	n := 0
	res, err := Solve(context.Background(), &b.p, Options{}, func(Model) bool { n++; return n < 5 })
	if err != nil || n != 5 || res.Exhausted {
		t.Errorf("stop after 5: %d %+v %v", n, res, err)
	}
	res, _, _ = collect(&b.p, Options{})
	if res.Models != 16 || !res.Exhausted {
		t.Errorf("all: %+v", res)
	}
}

func TestOptFindLimit(t *testing.T) {
	b := newProg("a", "b", "c", "d").choice([]string{"a", "b", "c", "d"}).
		minimize(0, -1, "a", -1, "b", -1, "c", -1, "d")
	res, ms, _ := collect(&b.p, Options{Models: 1})
	if len(ms) != 1 || ms[0].Optimal || res.OptimumProven {
		t.Errorf("-n 1 with optimisation: %v %+v", ms, res)
	}
	res, ms, _ = collect(&b.p, Options{})
	if last := ms[len(ms)-1]; !last.Optimal || last.Costs[0] != -4 || !res.OptimumProven {
		t.Errorf("optimum: %v %+v", ms, res)
	}
}

func TestCancel(t *testing.T) {
	p := pigeonhole(11, 10)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := Solve(ctx, p, Options{}, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want deadline exceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancellation took %v", d)
	}
}

func TestInvalidPrograms(t *testing.T) {
	bad := []*Program{
		// a | b. a :- b. b :- a. (not head-cycle-free)
		{NumAtoms: 2, Rules: []Rule{{Head: []Atom{1, 2}}, {Head: []Atom{1}, Body: []WeightedLit{{Lit: 2, Weight: 1}}}, {Head: []Atom{2}, Body: []WeightedLit{{Lit: 1, Weight: 1}}}}},
		{NumAtoms: 1, Rules: []Rule{{Head: []Atom{2}}}},
		{NumAtoms: 1, Rules: []Rule{{Head: []Atom{1}, Body: []WeightedLit{{Lit: -3, Weight: 1}}}}},
		{NumAtoms: 1, Rules: []Rule{{Head: []Atom{1}, BodyKind: Weight, Body: []WeightedLit{{Lit: 1, Weight: -1}}}}},
		{NumAtoms: 1, Outputs: []Output{{Text: "x", Cond: []Lit{0}}}},
	}
	for i, p := range bad {
		var e *Error
		if _, err := Solve(context.Background(), p, Options{}, nil); !errors.As(err, &e) {
			t.Errorf("program %d: err %v, want *Error", i, err)
		}
	}
}

func TestDeterministic(t *testing.T) {
	p := graphColouring(40, 3, 0.15, 7)
	for _, seed := range []int64{0, 5} {
		_, a, _ := collect(p, Options{Models: 20, Seed: seed})
		_, b, _ := collect(p, Options{Models: 20, Seed: seed})
		for i := range a {
			if !slices.Equal(a[i].Shown, b[i].Shown) {
				t.Fatalf("seed %d: model %d differs between runs", seed, i)
			}
		}
	}
}

func TestConcurrentSolves(t *testing.T) {
	p := queens(6)
	want, _, _ := collect(p, Options{})
	done := make(chan Result)
	for i := 0; i < 4; i++ {
		go func(seed int64) {
			res, _ := Solve(context.Background(), p, Options{Seed: seed}, nil)
			done <- res
		}(int64(i))
	}
	for i := 0; i < 4; i++ {
		if res := <-done; res.Models != want.Models || !res.Exhausted {
			t.Errorf("concurrent solve: %d models, want %d", res.Models, want.Models)
		}
	}
}

// TestLimitReachedAtLastModel: like clingo, reaching the model limit with
// the last model reports an exhausted search when nothing is left.
func TestLimitReachedAtLastModel(t *testing.T) {
	b := newProg("a", "b").choice([]string{"a", "b"}).rule("", "a", "b")
	res, _, _ := collect(&b.p, Options{Models: 3})
	if res.Models != 3 || !res.Exhausted {
		t.Errorf("-n 3 of 3 models: %+v", res)
	}
	res, _, _ = collect(&b.p, Options{Models: 2})
	if res.Models != 2 || res.Exhausted {
		t.Errorf("-n 2 of 3 models: %+v", res)
	}
}

// TestOptAllLimit: with optN and a limit, the optimum is proven but the
// enumeration of optimal models is not exhausted (clingo exits 10).
func TestOptAllLimit(t *testing.T) {
	b := newProg("a", "b", "c", "d").choice([]string{"a", "b", "c", "d"}).rule("", "-a", "-b").
		minimize(0, 1, "a", 1, "b", 2, "c")
	res, ms, err := collect(&b.p, Options{OptMode: OptAll, Models: 2})
	if err != nil {
		t.Fatal(err)
	}
	optimal := 0
	for _, m := range ms {
		if m.Optimal {
			optimal++
		}
	}
	if optimal != 2 || !res.OptimumProven || res.Exhausted || res.Costs[0] != 1 {
		t.Errorf("optN -n 2: %d optimal models, %+v", optimal, res)
	}
	res, ms, _ = collect(&b.p, Options{OptMode: OptAll})
	optimal = 0
	for _, m := range ms {
		if m.Optimal {
			optimal++
		}
	}
	if optimal != 4 || !res.Exhausted {
		t.Errorf("optN -n 0: %d optimal models (want 4), %+v", optimal, res)
	}
}

func TestDegeneratePrograms(t *testing.T) {
	cases := []struct {
		name   string
		p      Program
		models int
	}{
		{"empty", Program{}, 1},
		{"empty constraint", Program{Rules: []Rule{{}}}, 0},
		{"empty choice head", Program{NumAtoms: 1, Rules: []Rule{{HeadKind: Choice}}}, 1},
		{"unreachable atoms", Program{NumAtoms: 3, Rules: []Rule{{Head: []Atom{1}, Body: []WeightedLit{{Lit: 2, Weight: 1}}}}}, 1},
		{"trivial weight body", Program{NumAtoms: 1, Rules: []Rule{{Head: []Atom{1}, BodyKind: Weight, Bound: 0}}}, 1},
		{"constraint with a weight body that always holds", Program{NumAtoms: 2, Rules: []Rule{{BodyKind: Weight, Bound: 2, Body: []WeightedLit{{Lit: -1, Weight: 1}, {Lit: -2, Weight: 1}}}}}, 0},
	}
	for _, c := range cases {
		res, err := Solve(context.Background(), &c.p, Options{}, nil)
		if err != nil || res.Models != c.models || !res.Exhausted {
			t.Errorf("%s: %+v %v, want %d models", c.name, res, err, c.models)
		}
	}
}

func TestCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, p := range []*Program{facts(20000), pigeonhole(9, 8)} {
		if _, err := Solve(ctx, p, Options{}, nil); !errors.Is(err, context.Canceled) {
			t.Errorf("err %v, want context.Canceled", err)
		}
	}
}

// TestDisjunctionsAreShifted: head-cycle-free disjunctions have their
// minimal models, with normal and weight bodies.
func TestDisjunctionsAreShifted(t *testing.T) {
	tests := []struct {
		name string
		p    *Program
		want int // number of answer sets
	}{
		// a | b.
		{"fact", &Program{NumAtoms: 2, Rules: []Rule{{Head: []Atom{1, 2}}}}, 2},
		// a | b | c :- d. {d}.
		{"body", &Program{NumAtoms: 4, Rules: []Rule{
			{Head: []Atom{1, 2, 3}, Body: []WeightedLit{{Lit: 4, Weight: 1}}},
			{Head: []Atom{4}, HeadKind: Choice},
		}}, 4},
		// a | b :- 2 {c; d; e}. {c; d; e}. (4 subsets of size >= 2, two ways each, plus 4 without)
		{"weight body", &Program{NumAtoms: 5, Rules: []Rule{
			{Head: []Atom{1, 2}, BodyKind: Weight, Bound: 2, Body: []WeightedLit{{Lit: 3, Weight: 1}, {Lit: 4, Weight: 1}, {Lit: 5, Weight: 1}}},
			{Head: []Atom{3, 4, 5}, HeadKind: Choice},
		}}, 12},
		// a | b. a :- b. (minimal: only {a})
		{"minimal", &Program{NumAtoms: 2, Rules: []Rule{{Head: []Atom{1, 2}}, {Head: []Atom{1}, Body: []WeightedLit{{Lit: 2, Weight: 1}}}}}, 1},
	}
	for _, tt := range tests {
		n := 0
		if _, err := Solve(context.Background(), tt.p, Options{}, func(Model) bool { n++; return true }); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if n != tt.want {
			t.Errorf("%s: %d answer sets, want %d", tt.name, n, tt.want)
		}
	}
}
