package planner

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/toolsmith-dev/toolsmith/asp"
	"github.com/toolsmith-dev/toolsmith/internal/testenv"
)

// diffReasoner solves every program with the in-process asp package and with
// clingo and records any difference in the shown atoms.
type diffReasoner struct {
	clingo clingoReasoner
	mu     sync.Mutex
	diffs  []string
	calls  int
}

func (d *diffReasoner) solve(ctx context.Context, pr *program) ([]asp.Symbol, bool, error) {
	got, gsat, gerr := aspReasoner{}.solve(ctx, pr)
	want, wsat, werr := d.clingo.solve(ctx, pr)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls++
	g, w := texts(got), texts(want)
	slices.Sort(g)
	slices.Sort(w)
	if (gerr != nil) != (werr != nil) || gsat != wsat || !slices.Equal(g, w) {
		d.diffs = append(d.diffs, "program:\n"+pr.text()+"\nasp:    "+strings.Join(g, " ")+"\nclingo: "+strings.Join(w, " "))
	}
	return got, gsat, gerr
}

func texts(atoms []asp.Symbol) []string {
	out := make([]string, len(atoms))
	for i, a := range atoms {
		out[i] = a.String()
	}
	return out
}

// TestReasonerMatchesClingo runs the planner's requests and the policy
// examples through both ASP engines.
func TestReasonerMatchesClingo(t *testing.T) {
	d := &diffReasoner{clingo: clingoReasoner{path: testenv.Clingo(t)}}
	var rules []string
	for _, f := range []string{"international.lp", "payments.lp", "blocked.lp"} {
		lp, err := os.ReadFile(filepath.Join(policyDir, f))
		if err != nil {
			t.Fatal(err)
		}
		rules = append(rules, string(lp))
	}
	p := newTravel(t, Options{Rules: rules})
	p.reasoner = d
	for _, r := range []string{
		`{"goals":["Cars.Rent"],"known":{"city":"San Diego","pickup_time":"10:00"}}`,
		`{"goals":["Cars.Rent"],"known":{"city":"San Diego","pickup_time":"10:00","pickup_time":"11:00","car_type":"limousine"}}`,
		`{"goals":["Flights.Search","Hotels.Search"],"known":{"city":"Paris","Hotels.Search.checkIn":"2024-01-02","date":5}}`,
		`{"goals":["Payments.Pay","Trains.Go"],"known":{"city":"Oslo","date":"2024-12-25","country":"NO"}}`,
		`{"goals":["Flights.Book"],"known":{"city":"Oslo","date":"2024-12-01","country":"NO","passenger":"A \"quoted\" name"}}`,
		`{"goals":["Weather.Get"],"failed":["Hotels.Search"]}`,
	} {
		if _, err := p.Plan(context.Background(), mustRequest(t, r)); err != nil {
			t.Fatalf("%s: %v", r, err)
		}
	}
	if d.calls == 0 {
		t.Fatal("no program was solved")
	}
	for _, diff := range d.diffs {
		t.Error(diff)
	}
}
