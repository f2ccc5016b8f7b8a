package agent

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// newTestAgent builds an agent over the travel example's APIs (unless
// opts.APIs), answering from script (unless opts.Models), with a bbolt
// store in a temporary directory.
func newTestAgent(t testing.TB, script string, opts Options) *Agent {
	t.Helper()
	ctx := context.Background()
	data, err := os.ReadFile(filepath.Join("..", "examples", "travel", "apis.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	apis, err := registry.ParseAPIs("apis.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if opts.Models == nil {
		sc, err := llm.ParseScript([]byte(script))
		if err != nil {
			t.Fatal(err)
		}
		if opts.Models, err = llm.Open(ctx, llm.Config{Script: sc}); err != nil {
			t.Fatal(err)
		}
	}
	if opts.Store == nil {
		store, err := registry.Open(ctx, filepath.Join(t.TempDir(), "t.db"), registry.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { store.Close() })
		opts.Store = store
	}
	if opts.APIs == nil {
		opts.APIs = apis
	}
	a, err := New(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func travelScript(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "examples", "travel", "scripted.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestTravelGetInfoRoundTrip(t *testing.T) {
	ctx := context.Background()
	a := newTestAgent(t, travelScript(t), Options{})

	r, err := a.Turn(ctx, "s1", "Book me a rental car in San Diego from Oct 5 for 3 days")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusNeedsInfo || len(r.Questions) != 1 || r.Questions[0].Slot != "pickup_time" {
		t.Fatalf("turn 1: status %s questions %+v text %q", r.Status, r.Questions, r.Text)
	}
	if !strings.Contains(r.Questions[0].Text, "What time on October 5") || r.Questions[0].ID == "" {
		t.Errorf("question not phrased by the model: %+v", r.Questions[0])
	}
	if len(r.Calls) != 0 {
		t.Errorf("calls before the question was answered: %+v", r.Calls)
	}

	r, err = a.Turn(ctx, "s1", "10:30 would be great")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusNeedsConfirmation || r.Confirm == nil || r.Confirm.API != "RentalCars.ReserveCar" {
		t.Fatalf("turn 2: status %s confirm %+v text %q", r.Status, r.Confirm, r.Text)
	}
	if len(r.Calls) != 1 || r.Calls[0].API != "RentalCars.GetCarsAvailable" || r.Calls[0].Args["pickup_time"] != "10:30" {
		t.Fatalf("turn 2 calls: %+v", r.Calls)
	}

	r, err = a.Turn(ctx, "s1", "yes")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusAnswered || !strings.Contains(r.Text, "R-77031") {
		t.Fatalf("turn 3: status %s text %q", r.Status, r.Text)
	}
	if len(r.Calls) != 1 || r.Calls[0].API != "RentalCars.ReserveCar" || r.Calls[0].Args["car_id"] != "SD-ECO-42" {
		t.Fatalf("turn 3 calls: %+v", r.Calls)
	}
	if r.Cost.Calls == 0 {
		t.Errorf("no model usage metered for the turn: %+v", r.Cost)
	}

	st, err := a.State(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, e := range st.History {
		kinds[e.Kind]++
	}
	for _, k := range []string{EventMessage, EventPlan, EventQuestions, EventAnswers, EventConfirm, EventCall, EventReply} {
		if kinds[k] == 0 {
			t.Errorf("history has no %s event: %v", k, kinds)
		}
	}
}
