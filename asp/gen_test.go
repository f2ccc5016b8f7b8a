package asp

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/toolsmith-dev/toolsmith/internal/testenv"
)

// genProgram writes a random safe program over a small domain: facts,
// choice rules with conditions and bounds, normal rules with negation
// (recursive through negation and positively), integrity constraints,
// body aggregates, conditional literals and optimisation statements.
func genProgram(seed int64) string { return genSizedProgram(seed, 0) }

// genSizedProgram is genProgram with extra domain values and rules.
func genSizedProgram(seed int64, extra int) string {
	r := rand.New(rand.NewSource(seed))
	var b strings.Builder
	dom := 2 + r.Intn(2) + extra
	if r.Intn(4) == 0 {
		// Mixed symbols: ordering across kinds, #sum skipping non-integers,
		// undefined arithmetic.
		fmt.Fprintf(&b, "d(1..%d). d(a). d(\"s\"). d(f(b)).\n", dom-1)
	} else {
		fmt.Fprintf(&b, "d(1..%d).\n", dom)
	}
	npred := 3 + r.Intn(3)
	pred := func() string { return fmt.Sprintf("p%d", r.Intn(npred)) }
	ops := []string{"<", "<=", ">", ">=", "=", "!="}
	aggOps := ops[:5] // recursive aggregates with != are rejected (see checkRecursive)
	lit := func(v string) string {
		s := pred() + "(" + v + ")"
		if r.Intn(3) == 0 {
			return "not " + s
		}
		return s
	}
	agg := func() string {
		fn := []string{"#count", "#sum", "#min", "#max", "#sum+"}[r.Intn(5)]
		p := pred()
		elem := fmt.Sprintf("Y : %s(Y)", p)
		if r.Intn(3) == 0 {
			elem += fmt.Sprintf("; Y+1 : %s(Y), not %s(Y)", pred(), pred())
		}
		s := fmt.Sprintf("%s{ %s } %s %d", fn, elem, aggOps[r.Intn(len(aggOps))], r.Intn(dom+2))
		if r.Intn(4) == 0 {
			s = "not " + s
		}
		return s
	}
	body := func(v string) []string {
		var lits []string
		if v != "" {
			lits = append(lits, "d("+v+")")
		}
		for n := r.Intn(3); n > 0; n-- {
			switch r.Intn(6) {
			case 0:
				lits = append(lits, agg())
			case 1:
				if v != "" {
					lits = append(lits, fmt.Sprintf("%s < %d", v, 1+r.Intn(dom)))
				}
			case 2:
				lits = append(lits, fmt.Sprintf("%s(Z) : d(Z)", pred()))
			default:
				arg := v
				if arg == "" || r.Intn(3) == 0 {
					arg = fmt.Sprint(1 + r.Intn(dom))
				}
				lits = append(lits, lit(arg))
			}
		}
		return lits
	}
	rule := func(head string, lits []string) {
		if len(lits) == 0 && head == "" {
			return
		}
		if len(lits) == 0 {
			fmt.Fprintf(&b, "%s.\n", head)
			return
		}
		// ";" separates body literals so that conditions end.
		fmt.Fprintf(&b, "%s :- %s.\n", head, strings.Join(lits, "; "))
	}
	for n := 1 + r.Intn(2); n > 0; n-- {
		head := fmt.Sprintf("{ %s(X) : d(X) }", pred())
		switch r.Intn(4) {
		case 0:
			head = fmt.Sprintf("%d %s", r.Intn(2), head)
		case 1:
			head = fmt.Sprintf("%s %d", head, 1+r.Intn(dom))
		}
		rule(head, body(""))
	}
	for n := 2 + r.Intn(4) + 2*extra; n > 0; n-- {
		if r.Intn(3) == 0 {
			rule(fmt.Sprintf("%s(%d)", pred(), 1+r.Intn(dom)), body(""))
		} else {
			rule(pred()+"(X)", body("X"))
		}
	}
	for n := r.Intn(3); n > 0; n-- {
		if r.Intn(2) == 0 {
			rule("", body("X"))
		} else {
			rule("", body(""))
		}
	}
	if r.Intn(3) == 0 {
		// A binary predicate joined from two unary ones, negation over it.
		fmt.Fprintf(&b, "e(X,Y) :- %s(X), %s(Y), X != Y.\n", pred(), pred())
		fmt.Fprintf(&b, "%s(X) :- d(X), not e(X,_).\n", pred())
	}
	if r.Intn(4) == 0 {
		fn := []string{"#count", "#sum", "#min", "#max"}[r.Intn(4)]
		fmt.Fprintf(&b, "v(N) :- N = %s{ Y : %s(Y) }.\n", fn, pred())
	}
	if r.Intn(4) == 0 {
		fmt.Fprintf(&b, "{ %s((1;2)); %s(1..%d) } = 1.\n", pred(), pred(), dom)
	}
	if r.Intn(3) == 0 {
		fmt.Fprintf(&b, "#minimize{ %d@%d,X : %s(X); X@%d,X : %s(X) }.\n", 1+r.Intn(3), r.Intn(2), pred(), r.Intn(2), pred())
	}
	if r.Intn(5) == 0 {
		fmt.Fprintf(&b, "#maximize{ X,f(X) : %s(X) }.\n", pred())
	}
	if r.Intn(4) == 0 {
		fmt.Fprintf(&b, ":~ %s(X), d(X). [X@%d]\n", pred(), r.Intn(2))
	}
	switch r.Intn(6) {
	case 0, 1:
		fmt.Fprintf(&b, "#show %s/1.\n", pred())
	case 2:
		fmt.Fprintf(&b, "#show. #show t(X,\"x\") : %s(X), not %s(X).\n", pred(), pred())
	case 3:
		// Projection onto a part of the atoms.
		fmt.Fprintf(&b, "%% args: --project\n#show %s/1.\n", pred())
	}
	return strings.ReplaceAll(b.String(), " :- .", ".")
}

// TestRandomProgramsAgainstClingo compares a few hundred random programs
// with clingo.
func TestRandomProgramsAgainstClingo(t *testing.T) {
	testenv.Clingo(t)
	first, n := int64(1), int64(300)
	if v, err := strconv.ParseInt(os.Getenv("ASP_RANDOM_SEEDS"), 10, 64); err == nil {
		n = v // a longer sweep: ASP_RANDOM_SEEDS=5000 go test -run TestRandom ./asp
	}
	if v, err := strconv.ParseInt(os.Getenv("ASP_RANDOM_FIRST"), 10, 64); err == nil {
		first = v
	}
	extra := 0 // ASP_RANDOM_EXTRA=1 makes larger programs
	if v, err := strconv.Atoi(os.Getenv("ASP_RANDOM_EXTRA")); err == nil {
		extra = v
	}
	for seed := first; seed < first+n; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			src := genSizedProgram(seed, extra)
			compareOutcomes(t, fmt.Sprintf("random-%d.lp", seed), src)
		})
	}
}

// FuzzRandomPrograms compares random programs from fuzzed seeds with
// clingo.
func FuzzRandomPrograms(f *testing.F) {
	for _, s := range []int64{1, 2, 3, 42} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seed int64) {
		compareOutcomes(t, fmt.Sprintf("random-%d.lp", seed), genProgram(seed))
	})
}

// genDisjunctiveProgram is genProgram with disjunctive rules, classical
// negation and #project statements added, from a random source of their own (so genProgram's
// programs stay as they were).
func genDisjunctiveProgram(seed int64) string {
	r := rand.New(rand.NewSource(seed ^ 0x5eed))
	var b strings.Builder
	b.WriteString(genProgram(seed))
	p := func() string { return fmt.Sprintf("p%d", r.Intn(5)) }
	for n := 1 + r.Intn(2); n > 0; n-- {
		switch r.Intn(5) {
		case 4:
			// Conditions over d only: with conditions over predicates that
			// also occur in disjunctive heads, clingo 5.4.1 loses answer
			// sets (p0(X) : p2(X) | p0(1) :- p0(2). p4(X) : p2(X) | p2(1) :-
			// p0(2). with {p0(1..2)} and p2(1..2) loses {p0(2)}), so
			// undecided conditions are checked on the corpus instead.
			h, o := r.Intn(5), r.Intn(4)
			if o >= h {
				o++
			}
			fmt.Fprintf(&b, "p%d(X) : d(X), X != %d | p%d(1) :- %s(2).\n", h, 1+r.Intn(3), o, p())
		case 0:
			fmt.Fprintf(&b, "%s(X) | %s(X) :- d(X), not %s(X).\n", p(), p(), p())
		case 1:
			fmt.Fprintf(&b, "%s(X) ; -%s(X) :- d(X), X < %d.\n", p(), p(), 1+r.Intn(3))
		case 2:
			fmt.Fprintf(&b, "%s(1) | %s(2) | %s(3) :- %s(1).\n", p(), p(), p(), p())
		default:
			fmt.Fprintf(&b, "-%s(X) :- d(X), not %s(X). %s(X) :- -%s(X), d(X).\n", p(), p(), p(), p())
		}
	}
	if r.Intn(4) == 0 {
		// Projection onto atoms a choice leaves free: where every
		// projection atom is decided, which models clingo tells apart
		// depends on what its preprocessing removed.
		fmt.Fprintf(&b, "%% args: --project\n{ pp(X) : d(X), X != %d }.\n#project pp/1.\n#project pp(X) : d(X), X != %d.\n", 1+r.Intn(3), 1+r.Intn(3))
	}
	return b.String()
}

// TestRandomDisjunctiveProgramsAgainstClingo compares random programs with
// disjunctive heads and classical negation with clingo. Programs that are
// not head-cycle-free, or whose head conditions depend on their own head,
// are refused with an error, and skipped here.
func TestRandomDisjunctiveProgramsAgainstClingo(t *testing.T) {
	testenv.Clingo(t)
	n := int64(200)
	if v, err := strconv.ParseInt(os.Getenv("ASP_RANDOM_SEEDS"), 10, 64); err == nil {
		n = v
	}
	refused := 0
	var mu sync.Mutex
	t.Cleanup(func() {
		if refused > int(n)/2 {
			t.Errorf("%d of %d programs refused as not head-cycle-free: the generator tests too little", refused, n)
		}
	})
	for seed := int64(1); seed <= n; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			src := genDisjunctiveProgram(seed)
			name := fmt.Sprintf("random-disjunctive-%d.lp", seed)
			prog, err := Parse(name, []byte(src))
			if err != nil {
				t.Fatalf("parse: %v\n%s", err, src)
			}
			if _, err := Ground(context.Background(), prog, GroundOptions{}); err != nil && strings.Contains(err.Error(), "positively on") {
				mu.Lock()
				refused++
				mu.Unlock()
				t.Skip("refused: not head-cycle-free")
			}
			compareOutcomes(t, name, src)
		})
	}
}
