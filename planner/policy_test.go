package planner

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/registry"
)

const policyDir = "../examples/policies"

func loadPolicyExample(t *testing.T, rules ...string) *Planner {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(policyDir, "apis.json"))
	if err != nil {
		t.Fatal(err)
	}
	var apis []registry.API
	if err := json.Unmarshal(data, &apis); err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, r := range rules {
		lp, err := os.ReadFile(filepath.Join(policyDir, r))
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(lp))
	}
	p, err := New(apis, Options{Rules: texts})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func planFile(t *testing.T, p *Planner, name string) *Plan {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(policyDir, name))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := p.Plan(context.Background(), mustRequest(t, string(data)))
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

// TestPolicyExamples checks that each example policy changes the plan of its
// request as its README says.
func TestPolicyExamples(t *testing.T) {
	t.Run("international flights need a passport number", func(t *testing.T) {
		// The flight is the user's choice among the search's results in
		// every plan; the policy adds a question.
		before := planFile(t, loadPolicyExample(t), "request-international.json")
		after := planFile(t, loadPolicyExample(t, "international.lp"), "request-international.json")
		if qs, cs := asked(before); len(qs) != 0 || len(cs) != 1 || cs[0].Slot != "flight_id" {
			t.Fatalf("without the policy: %s", before.Text())
		}
		qs, _ := asked(after)
		if after.Status != StatusNeedsInfo || len(qs) != 1 || qs[0].Slot != "passport_number" {
			t.Fatalf("with the policy: want one question for passport_number, got %s", after.Text())
		}
		book := after.Steps[len(after.Steps)-1]
		if arg := book.Args["passport_number"]; arg.From != qs[0].ID {
			t.Errorf("Flights.Book passport_number = %+v, want the answer of %s", arg, qs[0].ID)
		}
		// A domestic flight needs no passport.
		p := loadPolicyExample(t, "international.lp")
		dom, err := p.Plan(context.Background(), mustRequest(t, `{"goals":["Flights.Book"],"known":{"city":"Boston","date":"2024-12-01","passenger":"Ada","country":"US"}}`))
		if qs, _ := asked(dom); err != nil || len(qs) != 0 {
			t.Fatalf("domestic flight: %v %s", err, dom.Text())
		}
	})
	t.Run("a payment may book first", func(t *testing.T) {
		before := planFile(t, loadPolicyExample(t), "request-payment.json")
		after := planFile(t, loadPolicyExample(t, "payments.lp"), "request-payment.json")
		if before.Status != StatusInfeasible || len(before.Steps) != 0 || !strings.Contains(before.Text(), "Flights.Book would") {
			t.Fatalf("without the policy, a booking must not be made to pay: %s", before.Text())
		}
		var calls, confirmed []string
		for _, s := range after.Steps {
			if s.API == GetInfo {
				continue
			}
			calls = append(calls, s.API)
			if s.Confirm {
				confirmed = append(confirmed, s.API)
			}
		}
		if strings.Join(calls, ",") != "Airports.Search,Flights.Search,Flights.Book,Payments.Pay" ||
			strings.Join(confirmed, ",") != "Flights.Book,Payments.Pay" {
			t.Errorf("with the policy: calls %v, confirmed %v; want the booking then the payment, both confirmed\n%s", calls, confirmed, after.Text())
		}
	})
	t.Run("never book on a blocked date", func(t *testing.T) {
		before := planFile(t, loadPolicyExample(t), "request-blocked.json")
		after := planFile(t, loadPolicyExample(t, "blocked.lp"), "request-blocked.json")
		if before.Status != StatusNeedsInfo || len(calls(before)) != 3 {
			t.Fatalf("without the policy: %s", before.Text())
		}
		if after.Status != StatusInfeasible || len(after.Issues) != 1 || after.Issues[0].Kind != IssueForbidden || after.Issues[0].API != "Flights.Book" {
			t.Fatalf("with the policy: want infeasible, Flights.Book forbidden; got %s", after.Text())
		}
	})
}

func TestPolicySyntaxError(t *testing.T) {
	// The error names the policy's own file and line, not the combined
	// program the planner solves.
	tests := []struct {
		opts Options
		want string
	}{
		{Options{Rules: []string{"forbidden(A, :- ."}}, "policy 1:1:"},
		{Options{Rules: []string{"ok.", "ok(1).\n\nforbidden(A :- x.\n"}, RuleNames: []string{"a.lp", "team.lp"}}, "team.lp:3:"},
		{Options{NamespaceRules: map[string]string{"cars": "ok.\nforbidden(A :- x.\n"}}, "namespace cars policy:2:"},
	}
	for _, tc := range tests {
		_, err := New(loadTravel(t), tc.opts)
		var pe *PolicyError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New with a broken policy: err = %v, want a *PolicyError at %s", err, tc.want)
		}
	}
}

// TestPolicyGroundingError: a policy that parses but cannot be grounded
// (an unsafe variable) fails the plan with a *PolicyError that names the
// policy's own file and line.
func TestPolicyGroundingError(t *testing.T) {
	p := newTravel(t, Options{Rules: []string{"ok.\nforbidden(A,R) :- api(A).\n"}, RuleNames: []string{"unsafe.lp"}})
	_, err := p.Plan(context.Background(), mustRequest(t, `{"goals":["Cars.Rent"]}`))
	var pe *PolicyError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "unsafe.lp:2:") {
		t.Errorf("plan with an unsafe policy: err = %v, want a *PolicyError at unsafe.lp:2", err)
	}
}

func TestPolicyConstraintRejects(t *testing.T) {
	p := newTravel(t, Options{Rules: []string{`:- goal("Cars.Rent").`}})
	plan, err := p.Plan(context.Background(), mustRequest(t, `{"goals":["Cars.Rent"]}`))
	if err != nil || plan.Status != StatusInfeasible || plan.Issues[0].Kind != IssueForbidden {
		t.Fatalf("plan = %+v, %v; want infeasible with a forbidden problem", plan, err)
	}
}

func TestNamespaceRules(t *testing.T) {
	apis := loadTravel(t)
	for i := range apis {
		if strings.HasPrefix(apis[i].Name, "Cars.") {
			apis[i].Namespace = "cars"
		}
	}
	p, err := New(apis, Options{NamespaceRules: map[string]string{"cars": `forbidden(A,"cars are off") :- namespace(A,"cars").`}})
	if err != nil {
		t.Fatal(err)
	}
	cars, _ := p.Plan(context.Background(), mustRequest(t, `{"goals":["Cars.Rent"],"known":{"city":"x","pickup_time":"9"}}`))
	if cars.Status != StatusInfeasible {
		t.Errorf("Cars.Rent under the cars namespace policy: %s", cars.Text())
	}
	hotel, _ := p.Plan(context.Background(), mustRequest(t, `{"goals":["Hotels.SearchLocation"],"known":{"city":"x"}}`))
	if hotel.Status != StatusOK {
		t.Errorf("the cars policy must not touch hotels: %s", hotel.Text())
	}
}
