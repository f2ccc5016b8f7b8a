package agent

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// stripeAPIs reads Stripe's catalogue (460 operations), copied into the
// planner's test data (see planner/testdata/README.md). The 4 MB document
// is parsed once for all the tests (seconds under the race detector); they
// only read the APIs.
func stripeAPIs(t testing.TB) []registry.API {
	t.Helper()
	apis, err := parsedStripe()
	if err != nil {
		t.Fatal(err)
	}
	return apis
}

var parsedStripe = sync.OnceValues(func() ([]registry.API, error) {
	data, err := os.ReadFile(filepath.Join("..", "registry", "testdata", "openapi", "stripe.yaml"))
	if err != nil {
		return nil, err
	}
	return registry.ParseAPIs("stripe.yaml", data)
})

// TestRelevantAPIsOverStripe checks that a message's view of the Stripe
// catalogue holds the API the message is about, within the budget.
func TestRelevantAPIsOverStripe(t *testing.T) {
	c := newCatalogue(stripeAPIs(t))
	tests := []struct {
		message string
		want    string
	}{
		{"Delete the coupon SUMMER10", "DeleteCouponsCoupon"},
		{"Refund the charge ch_3Nx for 5 dollars", "PostRefunds"},
		{"Cancel the subscription sub_123 of my customer", "DeleteSubscriptionsSubscriptionExposedId"},
		{"What is my balance?", "GetBalance"},
		{"Create a product called Blue T-shirt", "PostProducts"},
		{"Send the invoice in_42 to the customer", "PostInvoicesInvoiceSend"},
		{"Show me the payouts", "GetPayouts"},
		{"Which customer has the email ada@example.com?", "GetCustomers"},
	}
	for _, tc := range tests {
		prompt := "User request: " + tc.message
		fixed := promptSize(understandSystem, prompt)
		v := c.fit(tc.message, nil, nil, fixed, DefaultTranslatorBudget, requestSize)
		if size := fixed + requestSize(v); size > DefaultTranslatorBudget {
			t.Errorf("%q: request of %d bytes, over the budget of %d", tc.message, size, DefaultTranslatorBudget)
		}
		if !slices.Contains(v.names, tc.want) {
			t.Errorf("%q: %s is not among the %d APIs shown: %v", tc.message, tc.want, len(v.names), v.names)
		}
		for _, n := range v.names {
			for _, s := range c.inSlots[c.pos[n]] {
				if !slices.Contains(v.slots, s) {
					t.Errorf("%q: %s is shown without its slot %s", tc.message, n, s)
				}
			}
		}
	}
}

// TestSuppliersFollowTheirConsumer checks the backward relevance: an API
// that supplies a required input of a matching API is shown although the
// message does not mention it, and a write API is never shown as a
// supplier.
func TestSuppliersFollowTheirConsumer(t *testing.T) {
	apis := []registry.API{
		{Name: "Parcels.Ship", Description: "Ship a parcel to an address", Effect: registry.EffectWrite,
			Inputs: []registry.Input{{Name: "address_id", Required: true, NotAskable: true}, {Name: "weight", Required: true}}},
		{Name: "Addresses.Lookup", Description: "Look up a postal address by street and town",
			Inputs:  []registry.Input{{Name: "street", Required: true}, {Name: "town", Required: true}},
			Outputs: []registry.Output{{Name: "address_id"}}},
		{Name: "Addresses.Create", Description: "Register a new postal address", Effect: registry.EffectWrite,
			Inputs:  []registry.Input{{Name: "street", Required: true}},
			Outputs: []registry.Output{{Name: "address_id"}}},
	}
	for i := range 60 { // filler, so that the catalogue does not fit whole
		apis = append(apis, registry.API{Name: "Filler.Op" + string(rune('A'+i%26)) + string(rune('a'+i/26)),
			Description: strings.Repeat("unrelated words about weather and music ", 8)})
	}
	c := newCatalogue(apis)
	v := c.fit("ship my parcel", nil, nil, 0, 2000, requestSize)
	if !slices.Contains(v.names, "Parcels.Ship") || !slices.Contains(v.names, "Addresses.Lookup") {
		t.Fatalf("want the goal and its supplier, got %v", v.names)
	}
	if slices.Contains(v.names, "Addresses.Create") {
		t.Errorf("a write API is shown as a supplier: %v", v.names)
	}
	if !slices.Contains(v.slots, "street") || !slices.Contains(v.slots, "town") {
		t.Errorf("the supplier's slots are missing: %v", v.slots)
	}
	if all := c.fit("ship my parcel", nil, nil, 0, -1, requestSize); len(all.names) != len(apis) {
		t.Errorf("no budget: %d APIs shown, want all %d", len(all.names), len(apis))
	}
}

// fakeTranslator is an OpenAI-compatible chat-completions server: it
// records every request's body and answers function calls with reply
// (given the offered function's name and the request) and other calls
// with text. It reports no usage, so the meter estimates the tokens.
type fakeTranslator struct {
	mu    sync.Mutex
	reqs  []translatorRequest
	reply func(fn string, req translatorRequest) any
	text  string
}

// translatorRequest is a request as the provider received it.
type translatorRequest struct {
	size    int
	prompt  string
	fn      string
	goals   []string // the plan_request function's goal enum
	answers []string // the give_answers function's slots
}

func (f *fakeTranslator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var in struct {
		Messages []struct {
			Content any `json:"content"`
		} `json:"messages"`
		Tools []struct {
			Function struct {
				Name       string `json:"name"`
				Parameters struct {
					Properties map[string]json.RawMessage `json:"properties"`
				} `json:"parameters"`
			} `json:"function"`
		} `json:"tools"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req := translatorRequest{size: len(body)}
	for _, m := range in.Messages {
		req.prompt += fmtContent(m.Content) + "\n"
	}
	if len(in.Tools) == 1 {
		fn := in.Tools[0].Function
		req.fn = fn.Name
		if g, ok := fn.Parameters.Properties["goals"]; ok {
			var goals struct {
				Items struct {
					Enum []string `json:"enum"`
				} `json:"items"`
			}
			json.Unmarshal(g, &goals)
			req.goals = goals.Items.Enum
		} else {
			for s := range fn.Parameters.Properties {
				req.answers = append(req.answers, s)
			}
		}
	}
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	f.mu.Unlock()
	msg := map[string]any{"role": "assistant", "content": f.text}
	if req.fn != "" {
		args, _ := json.Marshal(f.reply(req.fn, req))
		msg = map[string]any{"role": "assistant", "content": nil, "tool_calls": []any{map[string]any{
			"id": "call_1", "type": "function", "function": map[string]any{"name": req.fn, "arguments": string(args)}}}}
	}
	json.NewEncoder(w).Encode(map[string]any{
		"id": "c1", "object": "chat.completion", "created": 1, "model": "m",
		"choices": []any{map[string]any{"index": 0, "message": msg, "finish_reason": "stop"}},
	})
}

func fmtContent(c any) string {
	if s, ok := c.(string); ok {
		return s
	}
	raw, _ := json.Marshal(c)
	return string(raw)
}

// last returns the latest request offering fn.
func (f *fakeTranslator) last(fn string) translatorRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.reqs) - 1; i >= 0; i-- {
		if f.reqs[i].fn == fn {
			return f.reqs[i]
		}
	}
	return translatorRequest{}
}

// fakeModels opens models of every role served by f.
func fakeModels(t testing.TB, f *fakeTranslator) *llm.Models {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	spec := "openai-compatible:m@" + srv.URL + "/v1"
	ms, err := llm.Open(context.Background(), llm.Config{MakerModel: spec, UserModel: spec, Retries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// TestTranslatorRequestsOverStripe runs a conversation over the Stripe
// catalogue through an OpenAI-compatible Translator and checks every
// request it received: at most 32 KB, and showing what the turn needs — the
// API asked about, the slot a question waits for, and on a follow-up both
// the earlier request's API and the new one.
func TestTranslatorRequestsOverStripe(t *testing.T) {
	ctx := context.Background()
	f := &fakeTranslator{text: `{"customer": "Which customer?"}`}
	f.reply = func(fn string, req translatorRequest) any {
		switch {
		case fn == fnGiveAnswers:
			return map[string]any{"customer.id": "cus_42"}
		case strings.Contains(req.prompt, "User request: Show me the customer"):
			return map[string]any{"goals": []string{"GetCustomersCustomer"}, "known": map[string]any{"GetCustomersCustomer.customer": nil}}
		default:
			return map[string]any{"goals": []string{"GetCustomersCustomerBalanceTransactions"}}
		}
	}
	var calls []string
	record := InvokerFunc(func(_ context.Context, inv Invocation) (map[string]any, error) {
		calls = append(calls, inv.API.Name)
		return map[string]any{"id": "cus_42", "email": "ada@example.com"}, nil
	})
	a := newTestAgent(t, "", Options{APIs: stripeAPIs(t), Models: fakeModels(t, f),
		Invokers: map[registry.BindingKind]Invoker{registry.BindHTTP: record}})

	r, err := a.Turn(ctx, "s", "Show me the customer")
	if err != nil {
		t.Fatal(err)
	}
	first := f.last(fnPlanRequest)
	if !slices.Contains(first.goals, "GetCustomersCustomer") {
		t.Errorf("the first request does not offer GetCustomersCustomer: %v", first.goals)
	}
	if r.Status != StatusNeedsInfo || len(r.Questions) != 1 || r.Questions[0].Slot != "customer.id" {
		t.Fatalf("want the customer asked for, got %s %+v (%s)", r.Status, r.Questions, r.Text)
	}

	if r, err = a.Turn(ctx, "s", "cus_42"); err != nil {
		t.Fatal(err)
	}
	answers := f.last(fnGiveAnswers)
	if !slices.Contains(answers.answers, "customer.id") {
		t.Errorf("the answers request does not offer the pending slot: %v", answers.answers)
	}
	if r.Status != StatusAnswered || !slices.Equal(calls, []string{"GetCustomersCustomer"}) {
		t.Fatalf("after the answer: %s, calls %v (%s)", r.Status, calls, r.Text)
	}

	if _, err = a.Turn(ctx, "s", "and also list the balance transactions of that customer"); err != nil {
		t.Fatal(err)
	}
	follow := f.last(fnPlanRequest)
	for _, want := range []string{"GetCustomersCustomer", "GetCustomersCustomerBalanceTransactions"} {
		if !slices.Contains(follow.goals, want) {
			t.Errorf("the follow-up request does not offer %s: %v", want, follow.goals)
		}
	}
	if !strings.Contains(follow.prompt, "customer.id = cus_42") {
		t.Errorf("the follow-up request does not recall the earlier values:\n%s", follow.prompt)
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	for i, req := range f.reqs {
		t.Logf("request %d: %s, %d bytes", i, req.fn, req.size)
		if req.fn != "" && req.size > DefaultTranslatorBudget {
			t.Errorf("request %d (%s) is %d bytes, over %d", i, req.fn, req.size, DefaultTranslatorBudget)
		}
	}
}
