package asp

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func solveAll(t *testing.T, prog *Program, opts SolveOptions) ([]string, Result) {
	t.Helper()
	var models []string
	res, err := Solve(context.Background(), prog, opts, func(m Model) bool {
		models = append(models, m.Text())
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	return models, res
}

func TestAddFactFromGoValues(t *testing.T) {
	prog, err := Parse("rules.lp", []byte(`
		expensive(H) :- hotel(H, P), P > 100.
		ok(H) :- hotel(H, _), not expensive(H).
		#show ok/1.`))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []struct {
		name  string
		price int64
	}{{`Grand "Palace"`, 250}, {"Inn\\Side", 80}} {
		if err := prog.AddFact("hotel", String(h.name), Number(h.price)); err != nil {
			t.Fatal(err)
		}
	}
	if err := prog.AddFact("Hotel"); err == nil {
		t.Error("AddFact accepted an invalid predicate name")
	}
	models, res := solveAll(t, prog, SolveOptions{})
	if len(models) != 1 || models[0] != `ok("Inn\\Side")` || !res.Satisfiable {
		t.Fatalf("models %q", models)
	}
	var syms []Symbol
	Solve(context.Background(), prog, SolveOptions{}, func(m Model) bool { syms = m.Symbols(); return false })
	if len(syms) != 1 || syms[0].Name() != "ok" || syms[0].Args()[0].Name() != `Inn\Side` || syms[0].Args()[0].Kind() != KindString {
		t.Errorf("symbols %v", syms)
	}
}

func TestSolveOptionsAndResults(t *testing.T) {
	prog, err := Parse("t.lp", []byte("{ a; b; c }. :- not a, not b. #minimize{ 1 : a; 2 : b; 1 : c }. #show a/0. #show b/0."))
	if err != nil {
		t.Fatal(err)
	}
	models, res := solveAll(t, prog, SolveOptions{OptMode: OptAll})
	if !res.OptimumProven || fmt.Sprint(res.Costs) != "[1]" {
		t.Errorf("result %+v", res)
	}
	if last := models[len(models)-1]; last != "a" {
		t.Errorf("optimal model %q, want a", last)
	}
	// Ignoring the objective enumerates all 5 answer sets, 4 of them
	// distinct on the shown atoms.
	all, _ := solveAll(t, prog, SolveOptions{OptMode: OptIgnore})
	proj, _ := solveAll(t, prog, SolveOptions{OptMode: OptIgnore, Project: true})
	if len(all) != 6 || len(proj) != 3 {
		t.Errorf("%d answer sets, %d projected; want 6 and 3", len(all), len(proj))
	}
	// Constants are overridden per call.
	p2, _ := Parse("c.lp", []byte("#const k = 1. v(k)."))
	m, _ := solveAll(t, p2, SolveOptions{Consts: map[string]Symbol{"k": Tuple(Number(1), Function("x"))}})
	if len(m) != 1 || m[0] != "v((1,x))" {
		t.Errorf("models %q", m)
	}
}

func TestGroundSimplifiesFactsAndDecidedLiterals(t *testing.T) {
	prog, err := Parse("t.lp", []byte(`
		p(1..3). q(X) :- p(X), not r(X). r(2).
		s :- q(1), not q(2).
		{ t } :- s.`))
	if err != nil {
		t.Fatal(err)
	}
	gp, err := Ground(context.Background(), prog, GroundOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Everything but the choice of t is decided while grounding: one choice
	// rule with an empty body, nothing else.
	if len(gp.Program.Rules) != 1 || len(gp.Program.Rules[0].Body) != 0 {
		t.Errorf("rules %+v", gp.Program.Rules)
	}
	var texts []string
	for i, o := range gp.Program.Outputs {
		texts = append(texts, o.Text)
		if gp.Output(i).String() != o.Text {
			t.Errorf("output %d: symbol %v, text %q", i, gp.Output(i), o.Text)
		}
	}
	if got := strings.Join(texts, " "); got != "s t p(1) p(2) p(3) q(1) q(3) r(2)" {
		t.Errorf("outputs %q", got)
	}
}

func TestGroundErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"p(X) :- q.", "t.lp:1:1: unsafe variables in rule: X"},
		{"p(X) :- q(Y), X < Y.", "t.lp:1:1: unsafe variables in rule: X"},
		{"a :- not p(X).", "t.lp:1:1: unsafe variables in rule: X"},
		{"a :- #count{ X : p(X) } > Y.", "t.lp:1:1: unsafe variables in rule: Y"},
		{"{ p(X) : q(Y) }.", "t.lp:1:1: unsafe variables in rule: X"},
		{"a :- p(X,Y) : q(X).", "t.lp:1:1: unsafe variables in rule: Y"},
		{"#const n = X.", "t.lp:1:1: constant n must be defined by a ground term"},
		{"d(1..3). p(1). p(X) :- d(X), #count{ Z : p(Z) } != 2.", "t.lp:1:30: recursive aggregate with != is not supported"},
		{"a | b. a :- b. b :- a.", "t.lp:1:1: a and b of this disjunctive head depend positively on each other: disjunctive programs that are not head-cycle-free are not supported"},
		{"n(1..2). {m(1..2)}. p(X) : n(X), m(X). m(X) :- p(Y), n(X), X != Y.", "t.lp:1:21: p(1) and p(2) of this disjunctive head depend positively on each other: disjunctive programs that are not head-cycle-free are not supported"},
		{"p(X) | q :- r.", "t.lp:1:1: unsafe variables in rule: X"},
		{"d(1..2). p(X) : d(X), p(X) | q.", "t.lp:1:10: a condition in this disjunctive head mentions p/1, a predicate of the head: not supported"},
	}
	for _, tt := range tests {
		prog, err := Parse("t.lp", []byte(tt.src))
		if err != nil {
			t.Fatalf("%q: %v", tt.src, err)
		}
		_, err = Ground(context.Background(), prog, GroundOptions{})
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q: error %v, want %s", tt.src, err, tt.want)
		}
	}
}

func TestSolveCancellation(t *testing.T) {
	prog, err := Parse("big.lp", []byte("p(1..100000000)."))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = Solve(ctx, prog, SolveOptions{}, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v, want deadline exceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancellation took %v", d)
	}
}

// TestConcurrentSolves grounds and solves separate programs concurrently
// (run with -race).
func TestConcurrentSolves(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			prog, err := Parse("q.lp", []byte(fmt.Sprintf(`#const n = %d.
				{ q(I,J) : J = 1..n } = 1 :- I = 1..n.
				{ q(I,J) : I = 1..n } = 1 :- J = 1..n.
				:- q(I,J), q(I2,J2), I < I2, |I2-I| = |J2-J|.`, 4+n%3)))
			if err != nil {
				errs <- err
				return
			}
			count := 0
			if _, err := Solve(context.Background(), prog, SolveOptions{}, func(Model) bool { count++; return true }); err != nil {
				errs <- err
				return
			}
			want := map[int]int{4: 2, 5: 10, 6: 4}[4+n%3]
			if count != want {
				errs <- fmt.Errorf("%d-queens: %d models, want %d", 4+n%3, count, want)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestSymbolOrderAndPrinting(t *testing.T) {
	// clingo's order: #inf < numbers < constants < strings < functions (by
	// arity, then name, then classical negation, then arguments) < #sup.
	ordered := []Symbol{
		Infimum(), Number(-3), Number(2), Tuple(), Function("a"), Function("-a"), Function("b"), String("a"), String("b"),
		Tuple(Number(1)), Function("f", Function("a")), Function("f", Function("b")), Function("-f", Number(1)), Function("g", Number(1)),
		Tuple(Number(1), Number(2)), Function("g", Function("a"), Function("b")), Supremum(),
	}
	for i := range ordered {
		for j := range ordered {
			want := cmpInt(int64(i), int64(j))
			if got := Compare(ordered[i], ordered[j]); got != want {
				t.Errorf("Compare(%v, %v) = %d, want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
	prints := map[string]Symbol{
		"()": Tuple(), "(1,)": Tuple(Number(1)), "f(a,(1,2),\"x\\\"y\")": Function("f", Function("a"), Tuple(Number(1), Number(2)), String("x\"y")),
		"#inf": Infimum(), "-5": Number(-5),
	}
	for want, s := range prints {
		if s.String() != want {
			t.Errorf("%#v prints %s, want %s", s, s, want)
		}
	}
	// clingo --outf=2: string quotes as \", contents escaped once more.
	jsons := map[string]Symbol{
		`"f(\"a\"b\\c\\nd\",(1,))"`: Function("f", String("a\"b\\c\nd"), Tuple(Number(1))),
		`"#sup"`:                    Supremum(), `"-5"`: Number(-5), `"()"`: Tuple(),
	}
	for want, s := range jsons {
		if got := s.JSONString(); got != want {
			t.Errorf("%#v JSONString = %s, want %s", s, got, want)
		}
	}
}

func TestAddFileIncludes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("main.lp", "#include \"lib/rules.lp\".\n#include \"facts.lp\".\n")
	write("lib/rules.lp", "q(X) :- p(X).\n#include \"../facts.lp\".\n")
	write("facts.lp", "p(1..2).\n")
	write("bad.lp", "#include \"missing.lp\".\n")
	prog := &Program{}
	if err := prog.AddFile(filepath.Join(dir, "main.lp")); err != nil {
		t.Fatal(err)
	}
	models, _ := solveAll(t, prog, SolveOptions{})
	if len(models) != 1 || models[0] != "p(1) p(2) q(1) q(2)" {
		t.Errorf("models %q", models)
	}
	err := (&Program{}).AddFile(filepath.Join(dir, "bad.lp"))
	if err == nil || !strings.Contains(err.Error(), "bad.lp:1:1: cannot include \"missing.lp\"") {
		t.Errorf("error %v", err)
	}
	text, _ := Parse("t.lp", []byte("#include \"x.lp\"."))
	if _, err := Ground(context.Background(), text, GroundOptions{}); err == nil {
		t.Error("#include in text grounded without error")
	}
}

// TestSharedProgramConcurrentGround grounds one parsed program from several
// goroutines (the AST is only read; run with -race).
func TestSharedProgramConcurrentGround(t *testing.T) {
	prog, err := Parse("s.lp", []byte(`n(1..6). { p(X) : n(X) } = 2. :- p(X), p(X+1). s(S) :- S = #sum{ X : p(X) }. #show s/1.`))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	counts := make([]int, 6)
	for i := range counts {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			Solve(context.Background(), prog, SolveOptions{}, func(Model) bool { counts[i]++; return true })
		}(i)
	}
	wg.Wait()
	for i, c := range counts {
		if c != 10 { // pairs of non-adjacent numbers in 1..6
			t.Errorf("goroutine %d: %d models, want 10", i, c)
		}
	}
}
