package asp

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		src  string
		want string // every error, one a line
	}{
		{"a :- b, .", "t.lp:1:9: syntax error, unexpected ."},
		{"a :- b", "t.lp:1:7: syntax error, unexpected end of file, expecting ."},
		{"a, b.", "t.lp:1:2: ',' between head atoms (use ';' or '|') is not supported"},
		{"a | .", "t.lp:1:5: syntax error, unexpected ."},
		{"-(1,2).", "t.lp:1:1: syntax error, expecting an atom"},
		{"#script (python) x #end.", "t.lp:1:1: #script is not supported"},
		{"#project a/.", "t.lp:1:12: syntax error, unexpected ."},
		{"#external a. [maybe]", "t.lp:1:1: unknown value [maybe] of #external: use true, false, free or release"},
		{"#program step(t.", "t.lp:1:16: syntax error, unexpected ."},
		{"#heuristic a. [1]", "t.lp:1:17: syntax error, unexpected ]"},
		{"&diff{ x } <= 2.", "t.lp:1:1: theory atom is not supported"},
		{"#count{ X : p(X) } = 1 :- q.", "t.lp:1:1: head aggregate is not supported"},
		{"a :- { b } > 1.", "t.lp:1:6: a set aggregate in a body (use #count) is not supported"},
		{"p(\"abc).", "t.lp:1:3: syntax error, unterminated string\nt.lp:1:9: syntax error, unexpected end of file, expecting )"},
		{"p(1).\nq(2) :- $.\nr.", "t.lp:2:9: syntax error, unexpected $"},
		{"%* open comment", "t.lp:1:1: syntax error, unterminated block comment"},
		{"p(99999999999999999999).", "t.lp:1:3: integer 99999999999999999999 out of range"},
		{"X.", "t.lp:1:1: syntax error, expecting an atom"},
		{"a :- b.\n\n  c(X :- d.", "t.lp:3:7: syntax error, unexpected :-"},
	}
	for _, tt := range tests {
		_, err := Parse("t.lp", []byte(tt.src))
		if err == nil {
			t.Errorf("%q: no error, want %q", tt.src, tt.want)
			continue
		}
		var el ErrorList
		if !errors.As(err, &el) {
			t.Errorf("%q: error %T is not an ErrorList", tt.src, err)
			continue
		}
		if got := strings.TrimSuffix(el.Text(), "\n"); got != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

func TestParseRecoversAfterErrors(t *testing.T) {
	_, err := Parse("t.lp", []byte("a :- .\nb.\n&diff{ x } <= 2.\ne :- f(.\n"))
	var el ErrorList
	if !errors.As(err, &el) || len(el) != 3 {
		t.Fatalf("want 3 errors, got %v", err)
	}
	for i, line := range []int{1, 3, 4} {
		if el[i].Pos.Line != line {
			t.Errorf("error %d at line %d, want %d", i, el[i].Pos.Line, line)
		}
	}
}

func TestParsePositions(t *testing.T) {
	prog, err := Parse("p.lp", []byte("% comment\np(1).\n  q(X) :- p(X),\n     not r(X).\n#show q/1.\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(prog.Statements) != 3 {
		t.Fatalf("%d statements", len(prog.Statements))
	}
	r := prog.Statements[1].(*Rule)
	checks := []struct {
		got  Pos
		want string
	}{
		{prog.Statements[0].Position(), "p.lp:2:1"},
		{r.Position(), "p.lp:3:3"},
		{r.Head.Position(), "p.lp:3:3"},
		{r.Body[0].Position(), "p.lp:3:11"},
		{r.Body[1].Position(), "p.lp:4:6"},
		{r.Body[1].(*AtomLit).Atom.(*Func).Args[0].Position(), "p.lp:4:12"},
		{prog.Statements[2].Position(), "p.lp:5:1"},
	}
	for i, c := range checks {
		if c.got.String() != c.want {
			t.Errorf("check %d: position %s, want %s", i, c.got, c.want)
		}
	}
}

func TestParseTermsAndStatements(t *testing.T) {
	src := `#const n = 2*3.
p(1..n; a; "s\"q"; f(x, (1,)); (); #inf; #sup).
1 { c(X) : p(X), X > 1 } 2 :- not not q.
a :- #sum+{ X,Y : p(X), Y = X ** 2 } >= 3, 2 < #count{ 1 } .
b :- p(X) : p(X); |X - 1| != 0 : p(X).
:~ p(X). [X@2, X, a]
#maximize{ 1@1,x : a; 2 : b }.
#show. #show X : p(X).
#defined z/0.
#program base.
`
	prog, err := Parse("t.lp", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, s := range prog.Statements {
		switch s := s.(type) {
		case *Const:
			kinds = append(kinds, "const")
		case *Rule:
			switch s.Head.(type) {
			case nil:
				kinds = append(kinds, "constraint")
			case *ChoiceHead:
				kinds = append(kinds, "choice")
			default:
				kinds = append(kinds, "rule")
			}
		case *Optimise:
			kinds = append(kinds, "optimise")
		case *Show:
			kinds = append(kinds, "show")
		case *ShowTerm:
			kinds = append(kinds, "showterm")
		}
	}
	want := "const rule choice rule rule optimise optimise show showterm"
	if got := strings.Join(kinds, " "); got != want {
		t.Errorf("statements %q, want %q", got, want)
	}
	ch := prog.Statements[2].(*Rule).Head.(*ChoiceHead)
	if ch.Left.Op != ">=" || ch.Right.Op != "<=" {
		t.Errorf("choice guards %+v %+v", ch.Left, ch.Right)
	}
	agg := prog.Statements[3].(*Rule).Body[1].(*AggLit)
	if agg.Left.Op != ">" || agg.Fun != "count" {
		t.Errorf("aggregate %+v", agg)
	}
}

func TestParseTerm(t *testing.T) {
	tests := map[string]string{
		"42":            "42",
		"-3":            "-3",
		"2+3*4":         "14",
		"f(a,\"b\")":    `f(a,"b")`,
		"(1,)":          "(1,)",
		"(a,b)":         "(a,b)",
		"()":            "()",
		"#sup":          "#sup",
		"|-7|":          "7",
		"\"x\\\\y\"":    `"x\\y"`,
		"g(h(1),(2,3))": "g(h(1),(2,3))",
	}
	for in, want := range tests {
		s, err := ParseTerm(in)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if s.String() != want {
			t.Errorf("%s: %s, want %s", in, s, want)
		}
	}
	for _, bad := range []string{"X", "1..2", "f(", "1/0"} {
		if _, err := ParseTerm(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// FuzzParse checks that parsing (and grounding and solving what parses,
// with a time limit) never panics and that errors carry positions inside
// the input.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"p(1..3). q(X) :- p(X), not r(X).",
		"1 { a; b } 2 :- c. #minimize{ 1@2,x : a }.",
		"a :- #count{ X : p(X) } > 1, q(Y) : r(Y).",
		":~ p(X). [X@1, X]",
		"#show f(X) : p(X). #const n = 3.",
		"p((1;2), f(a;b)). x :- X = |-2| ** 3 \\ 5.",
		"%* c *% \"s\\\"\".",
		"a | -b :- c. c ; d. p(X) : q(X), not r(X) | s :- t. q(1..2). {r(1)}. t.",
		"#external e(X) : q(X). [free] #program step(t). x(t). #program base. q(-f(1)).",
		"#heuristic a : b. [1@2, level] #project a/0. #project p(X) : q(X). #show -p/1.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		prog, err := Parse("f.lp", []byte(src))
		if err != nil {
			var el ErrorList
			if !errors.As(err, &el) || len(el) == 0 {
				t.Fatalf("error %v is not a non-empty ErrorList", err)
			}
			for _, e := range el {
				if e.Pos.Line < 1 || e.Pos.Col < 1 || e.Pos.Line > strings.Count(src, "\n")+1 {
					t.Fatalf("error position %v outside the input", e.Pos)
				}
			}
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		gp, err := Ground(ctx, prog, GroundOptions{})
		if err != nil {
			return
		}
		_, _ = gp.Solve(ctx, SolveOptions{Models: 3, Project: true}, func(Model) bool { return true })
	})
}
