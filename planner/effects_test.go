package planner

import (
	"context"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// shop is a small spec of our own: a product search (read), an order
// (write: its name's verb), a cancellation (destructive) and a coupon API
// whose creation is a POST (write) that happens to return a discount code
// another call takes. The orders declare the types they share with the
// other services (product_id, discount_code): names alone link only within
// a service.
func shop() []registry.API {
	return []registry.API{
		{Name: "Products.Search", Inputs: []registry.Input{{Name: "query", Required: true}},
			Outputs: []registry.Output{{Name: "product_id"}, {Name: "price"}}},
		{Name: "Orders.Place", Effect: registry.EffectWrite, Inputs: []registry.Input{{Name: "product_id", Type: "product_id", Required: true, NotAskable: true}, {Name: "discount_code", Type: "discount_code"}},
			Outputs: []registry.Output{{Name: "order_id"}}},
		{Name: "Orders.Cancel", Inputs: []registry.Input{{Name: "order_id", Required: true}}},
		{Name: "Coupons.Create", Binding: &registry.Binding{Kind: registry.BindHTTP, Method: "POST", URL: "https://shop.example/coupons"},
			Inputs: []registry.Input{{Name: "percent", Required: true}}, Outputs: []registry.Output{{Name: "discount_code"}, {Name: "order_id"}}},
		{Name: "Orders.Quote", Inputs: []registry.Input{{Name: "product_id", Type: "product_id", Required: true, NotAskable: true}, {Name: "discount_code", Type: "discount_code", Required: true}},
			Outputs: []registry.Output{{Name: "total"}}},
	}
}

func mustPlan(t *testing.T, p *Planner, req string) *Plan {
	t.Helper()
	plan, err := p.Plan(context.Background(), mustRequest(t, req))
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

func calls(p *Plan) []string {
	var out []string
	for _, s := range p.Steps {
		if s.API != GetInfo {
			out = append(out, instanceName(s.API, s.Instance))
		}
	}
	return out
}

// asked returns the get_info steps of p that ask for a value, and chosen
// those that ask the user to choose among an earlier step's results.
func asked(p *Plan) (asked, chosen []Step) {
	for _, s := range p.Questions() {
		if s.Options == nil {
			asked = append(asked, s)
		} else {
			chosen = append(chosen, s)
		}
	}
	return asked, chosen
}

func TestEffects(t *testing.T) {
	p, err := New(shop(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	// A quote needs a discount code that only a write API returns: the
	// plan asks for it rather than creating a coupon.
	quote := mustPlan(t, p, `{"goals":["Orders.Quote"],"known":{"query":"lamp"}}`)
	if got := strings.Join(calls(quote), ","); got != "Products.Search,Orders.Quote" {
		t.Fatalf("quote calls %s, want the search and the quote only:\n%s", got, quote.Text())
	}
	if qs := quote.Questions(); len(qs) != 1 || qs[0].Slot != "discount_code" {
		t.Fatalf("quote: want one question for the discount code:\n%s", quote.Text())
	}
	for _, s := range quote.Steps {
		if s.API != GetInfo && (s.Effect != registry.EffectRead || s.Confirm) {
			t.Errorf("read step %s: effect %q confirm %v", s.API, s.Effect, s.Confirm)
		}
	}
	// The order is the goal: it is called and waits for confirmation.
	order := mustPlan(t, p, `{"goals":["Orders.Place"],"known":{"query":"lamp"}}`)
	last := order.Steps[len(order.Steps)-1]
	if last.API != "Orders.Place" || !last.Confirm || last.Effect != registry.EffectWrite {
		t.Fatalf("order step: %+v\n%s", last, order.Text())
	}
	// Cancelling needs an order id: never by placing an order or creating
	// a coupon; it is asked for, and the cancellation is confirmed.
	cancel := mustPlan(t, p, `{"goals":["Orders.Cancel"]}`)
	if got := strings.Join(calls(cancel), ","); got != "Orders.Cancel" || len(cancel.Questions()) != 1 {
		t.Fatalf("cancel: %s", cancel.Text())
	}
	if c := cancel.Steps[len(cancel.Steps)-1]; !c.Confirm || c.Effect != registry.EffectDestructive {
		t.Fatalf("cancel step: %+v", c)
	}
	// Placing and cancelling in one request: the user chooses the product
	// among the search's results (a search may return several: never the
	// first), the placed order feeds the cancellation, both confirmed.
	both := mustPlan(t, p, `{"goals":["Orders.Place","Orders.Cancel"],"known":{"query":"lamp"}}`)
	qs := both.Questions()
	if got := strings.Join(calls(both), ","); got != "Products.Search,Orders.Place,Orders.Cancel" || len(qs) != 1 ||
		qs[0].Options == nil || qs[0].Options.From != both.Steps[0].ID || qs[0].Options.Field != "product_id" {
		t.Fatalf("place and cancel: %s", both.Text())
	}
}

// TestEffectPolicies: allow_means lets a policy use a write as a means,
// which still never replaces a question (its cost includes one per slot it
// provides); no_confirm exempts a step from confirmation.
func TestEffectPolicies(t *testing.T) {
	allow, err := New(shop(), Options{Rules: []string{`allow_means("Coupons.Create").`}})
	if err != nil {
		t.Fatal(err)
	}
	// The discount code can be asked: asking wins over creating a coupon.
	quote := mustPlan(t, allow, `{"goals":["Orders.Quote"],"known":{"query":"lamp","percent":10}}`)
	if got := strings.Join(calls(quote), ","); got != "Products.Search,Orders.Quote" {
		t.Fatalf("allowed write traded for a question: %s", quote.Text())
	}
	exempt, err := New(shop(), Options{Rules: []string{`no_confirm(A) :- effect(A,"destructive").`}})
	if err != nil {
		t.Fatal(err)
	}
	cancel := mustPlan(t, exempt, `{"goals":["Orders.Cancel"],"known":{"order_id":"o1"}}`)
	if c := cancel.Steps[0]; c.Confirm || c.Effect != registry.EffectDestructive {
		t.Fatalf("no_confirm: %+v", c)
	}
}

// TestCostsAndFixedInputs: read, write and question costs are options (a
// namespace's settings), and inputs fixed as account settings are bound
// and never asked.
func TestCostsAndFixedInputs(t *testing.T) {
	st := &registry.Settings{Costs: registry.Costs{Read: 2, Write: 3, Ask: 7}, Inputs: map[string]any{"Orders.Quote.discount_code": "STAFF"}}
	p, err := New(shop(), Options{}.WithSettings(st))
	if err != nil {
		t.Fatal(err)
	}
	quote := mustPlan(t, p, `{"goals":["Orders.Quote"]}`)
	if qs := quote.Questions(); len(qs) != 1 || qs[0].Slot != "query" || quote.Cost != 2+2+7 {
		t.Fatalf("quote with costs 2/3/7 and a fixed discount code: %s", quote.Text())
	}
	if a := quote.Steps[len(quote.Steps)-1].Args["discount_code"]; a.Value != "STAFF" {
		t.Fatalf("fixed input bound to %+v", a)
	}
	// The search's product is the user's choice, a question.
	order := mustPlan(t, p, `{"goals":["Orders.Place"],"known":{"query":"lamp"}}`)
	if order.Cost != 2+7+3 {
		t.Fatalf("order cost %d, want read 2 + choice 7 + write 3:\n%s", order.Cost, order.Text())
	}
}
