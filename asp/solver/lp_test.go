package solver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/internal/testenv"
)

// toLP prints p as a clingo program over atoms a(1..NumAtoms). Output texts
// must be clingo terms.
func toLP(p *Program) string {
	var sb strings.Builder
	litStr := func(l Lit) string {
		if l < 0 {
			return fmt.Sprintf("not a(%d)", -l)
		}
		return fmt.Sprintf("a(%d)", l)
	}
	for _, r := range p.Rules {
		var body []string
		if r.BodyKind == Weight {
			var elems []string
			for i, wl := range r.Body {
				elems = append(elems, fmt.Sprintf("%d,%d:%s", wl.Weight, i, litStr(wl.Lit)))
			}
			body = append(body, fmt.Sprintf("#sum{%s} >= %d", strings.Join(elems, ";"), r.Bound))
		} else {
			for _, wl := range r.Body {
				body = append(body, litStr(wl.Lit))
			}
		}
		var head string
		switch {
		case r.HeadKind == Choice:
			var hs []string
			for _, h := range r.Head {
				hs = append(hs, litStr(Lit(h)))
			}
			head = "{" + strings.Join(hs, ";") + "}"
		case len(r.Head) == 1:
			head = litStr(Lit(r.Head[0]))
		}
		if len(body) == 0 {
			if head == "" {
				body = []string{"#true"}
			} else {
				sb.WriteString(head + ".\n")
				continue
			}
		}
		sb.WriteString(head + " :- " + strings.Join(body, ", ") + ".\n")
	}
	id := 0
	for _, m := range p.Minimize {
		var elems []string
		for _, wl := range m.Lits {
			elems = append(elems, fmt.Sprintf("%d@%d,%d:%s", wl.Weight, m.Priority, id, litStr(wl.Lit)))
			id++
		}
		sb.WriteString("#minimize{" + strings.Join(elems, ";") + "}.\n")
	}
	sb.WriteString("#show.\n")
	for _, o := range p.Outputs {
		var cs []string
		for _, l := range o.Cond {
			cs = append(cs, litStr(l))
		}
		if len(cs) == 0 {
			cs = []string{"#true"}
		}
		sb.WriteString("#show " + o.Text + " : " + strings.Join(cs, ", ") + ".\n")
	}
	return sb.String()
}

type clingoOut struct {
	Result string
	Call   []struct {
		Witnesses []struct {
			Value []string
			Costs []int64
		}
	}
	Models struct {
		Costs   []int64
		Optimal int
	}
}

func runClingo(ctx context.Context, path, lp string, args ...string) (*clingoOut, error) {
	cmd := exec.CommandContext(ctx, path, append([]string{"--outf=2"}, args...)...)
	cmd.Stdin = strings.NewReader(lp)
	out, err := cmd.Output()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) { // clingo exits 10/20/30
		return nil, err
	}
	var res clingoOut
	if err := json.Unmarshal(out, &res); err != nil {
		return nil, fmt.Errorf("clingo output: %w\n%s", err, out)
	}
	return &res, nil
}

func witnessKey(v []string) string {
	v = slices.Clone(v)
	sort.Strings(v)
	return fmt.Sprint(v)
}

// TestOracleAgainstClingo checks that the brute-force oracle used by the
// other tests agrees with clingo on random programs, and so does Solve.
func TestOracleAgainstClingo(t *testing.T) {
	path := testenv.Clingo(t)
	r := rand.New(rand.NewSource(99))
	for i := 0; i < 120; i++ {
		p := randomProgram(r, genConfig{atoms: 7, rules: 12, minimize: i%2 == 0})
		lp := toLP(p)
		cl, err := runClingo(context.Background(), path, lp, "-n", "0", "--opt-mode=ignore")
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{}
		for _, m := range bruteAnswerSets(p) {
			want[shownKey(p, bruteShown(p, m))] = true
		}
		got := map[string]bool{}
		for _, w := range cl.Call[0].Witnesses {
			got[witnessKey(w.Value)] = true
		}
		_, ms, err := collect(p, Options{OptMode: OptIgnore})
		if err != nil {
			t.Fatal(err)
		}
		mine := map[string]bool{}
		for _, m := range ms {
			mine[shownKey(p, m.Shown)] = true
		}
		if fmt.Sprint(keysS(want)) != fmt.Sprint(keysS(got)) || fmt.Sprint(keysS(mine)) != fmt.Sprint(keysS(got)) {
			t.Fatalf("program %d:\n%s\nclingo %v\noracle %v\nsolver %v", i, lp, keysS(got), keysS(want), keysS(mine))
		}
		// Projection onto the extra outputs and the odd atoms.
		proj := *p
		proj.Outputs = nil
		for k, o := range p.Outputs {
			if k >= p.NumAtoms || k%2 == 1 {
				proj.Outputs = append(proj.Outputs, o)
			}
		}
		cl, err = runClingo(context.Background(), path, toLP(&proj), "-n", "0", "--opt-mode=ignore", "--project")
		if err != nil {
			t.Fatal(err)
		}
		var clProj, myProj []string
		for _, w := range cl.Call[0].Witnesses {
			clProj = append(clProj, witnessKey(w.Value))
		}
		_, ms, err = collect(&proj, Options{OptMode: OptIgnore, Project: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			myProj = append(myProj, shownKey(&proj, m.Shown))
		}
		sort.Strings(clProj)
		sort.Strings(myProj)
		if !slices.Equal(clProj, myProj) {
			t.Fatalf("program %d projected:\n%s\nclingo %v\nsolver %v", i, toLP(&proj), clProj, myProj)
		}
		if len(p.Minimize) == 0 || len(got) == 0 {
			continue
		}
		cl, err = runClingo(context.Background(), path, lp, "-n", "0")
		if err != nil {
			t.Fatal(err)
		}
		res, _, err := collect(p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		// clingo drops the levels whose literals are all simplified away:
		// compare the non-zero costs.
		nz := func(c []int64) []int64 {
			return slices.DeleteFunc(slices.Clone(c), func(x int64) bool { return x == 0 })
		}
		if !slices.Equal(nz(cl.Models.Costs), nz(res.Costs)) {
			t.Fatalf("program %d:\n%s\nclingo optimum %v, solver %v", i, lp, cl.Models.Costs, res.Costs)
		}
		// All optimal models: clingo prints them last.
		cl, err = runClingo(context.Background(), path, lp, "-n", "0", "--opt-mode=optN")
		if err != nil {
			t.Fatal(err)
		}
		if len(cl.Models.Costs) == 0 {
			continue // clingo simplified the objective away
		}
		ws := cl.Call[0].Witnesses
		var clOpt, myOpt []string
		for _, w := range ws[len(ws)-cl.Models.Optimal:] {
			clOpt = append(clOpt, witnessKey(w.Value))
		}
		_, ms, err = collect(p, Options{OptMode: OptAll})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.Optimal {
				myOpt = append(myOpt, shownKey(p, m.Shown))
			}
		}
		sort.Strings(clOpt)
		sort.Strings(myOpt)
		if !slices.Equal(clOpt, myOpt) {
			t.Fatalf("program %d optN:\n%s\nclingo %v\nsolver %v", i, lp, clOpt, myOpt)
		}
	}
}

func keysS(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
