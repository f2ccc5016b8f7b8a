package agent

import (
	"context"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// benchMessages are requests a Stripe user might type, for the
// understanding benchmarks.
var benchMessages = []string{
	"Delete the coupon SUMMER10",
	"Refund the charge ch_3Nx for 5 dollars",
	"Cancel the subscription sub_123 of my customer",
	"What is my balance?",
	"Create a product called Blue T-shirt",
	"Send the invoice in_42 to the customer",
	"Show me the payouts",
	"Which customer has the email ada@example.com?",
	"Create a customer for Ada Lovelace",
	"List the disputes opened this month",
	"Update the price of the product prod_9 to 20 euros",
	"Show the balance transactions of customer cus_1",
}

// BenchmarkUnderstandStripe runs the understanding step of a new request
// over the Stripe catalogue against a local OpenAI-compatible Translator:
// choosing the APIs shown, building and sending the request, reading the
// call. "whole" shows the whole catalogue (no budget), the behaviour
// before the budget. It reports the request's bytes (median over the
// messages) and the meter's token estimate.
//
//	go test ./agent -run '^$' -bench UnderstandStripe -benchtime 60x
func BenchmarkUnderstandStripe(b *testing.B) {
	apis := stripeAPIs(b)
	for _, mode := range []struct {
		name   string
		budget int
	}{{"budget", 0}, {"whole", -1}} {
		b.Run(mode.name, func(b *testing.B) {
			f := &fakeTranslator{text: "{}"}
			f.reply = func(fn string, req translatorRequest) any {
				return map[string]any{"goals": req.goals[:1]}
			}
			a := newTestAgent(b, "", Options{APIs: apis, Models: fakeModels(b, f), TranslatorBudget: mode.budget})
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t := &turn{a: a, st: &State{}, reply: &Reply{}}
				if _, err := t.understand(ctx, benchMessages[i%len(benchMessages)]); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			var sizes []int
			for _, r := range f.reqs {
				sizes = append(sizes, r.size)
			}
			sort.Ints(sizes)
			b.ReportMetric(float64(sizes[len(sizes)/2]), "req-bytes")
			b.ReportMetric(float64(sizes[len(sizes)-1]), "max-req-bytes")
			in := a.opts.Models.Meter.Total().InputTokens
			b.ReportMetric(float64(in)/float64(b.N), "in-tokens")
		})
	}
}

// BenchmarkUnderstandOpenAPI is BenchmarkUnderstandStripe over any OpenAPI
// document (a large one the repository does not hold, such as GitHub's
// 1,200 operations from the npm package @octokit/openapi), named by
// TOOLSMITH_BENCH_OPENAPI; without it the benchmark is skipped. The
// messages are the summaries of up to 60 of the document's operations,
// spread over it; it reports the request's bytes (median and largest) and
// the share of messages whose operation the Translator was offered.
//
//	TOOLSMITH_BENCH_OPENAPI=FILE go test ./agent -run '^$' -bench UnderstandOpenAPI -benchtime 60x
func BenchmarkUnderstandOpenAPI(b *testing.B) {
	file := os.Getenv("TOOLSMITH_BENCH_OPENAPI")
	if file == "" {
		b.Skip("TOOLSMITH_BENCH_OPENAPI names no document")
	}
	data, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	apis, err := registry.ParseAPIs(file, data)
	if err != nil {
		b.Fatal(err)
	}
	type message struct{ text, api string }
	var msgs []message
	for i := 0; i < len(apis) && len(msgs) < 60; i += max(1, len(apis)/60) {
		text, _, _ := strings.Cut(apis[i].Description, ".")
		if text = strings.TrimSpace(text); text != "" {
			msgs = append(msgs, message{text, apis[i].Name})
		}
	}
	if len(msgs) == 0 {
		b.Fatal("no operation has a summary")
	}
	f := &fakeTranslator{text: "{}"}
	f.reply = func(fn string, req translatorRequest) any {
		return map[string]any{"goals": req.goals[:1]}
	}
	a := newTestAgent(b, "", Options{APIs: apis, Models: fakeModels(b, f)})
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t := &turn{a: a, st: &State{}, reply: &Reply{}}
		if _, err := t.understand(ctx, msgs[i%len(msgs)].text); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var sizes []int
	shown := 0
	for i, r := range f.reqs {
		sizes = append(sizes, r.size)
		if slices.Contains(r.goals, msgs[i%len(msgs)].api) {
			shown++
		}
	}
	sort.Ints(sizes)
	b.ReportMetric(float64(sizes[len(sizes)/2]), "req-bytes")
	b.ReportMetric(float64(sizes[len(sizes)-1]), "max-req-bytes")
	b.ReportMetric(float64(shown)/float64(len(f.reqs)), "goal-shown")
}
