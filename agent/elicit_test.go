package agent

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// askingInvoker serves GetCarsAvailable like an MCP tool that asks the user
// for a loyalty number during the call.
type askingInvoker struct{ calls, asked int }

func (a *askingInvoker) Invoke(ctx context.Context, inv Invocation) (map[string]any, error) {
	a.calls++
	if inv.API.Name != "RentalCars.GetCarsAvailable" {
		return map[string]any{"reservation_id": "R-77031", "car_id": inv.Args["car_id"]}, nil
	}
	a.asked++
	r, err := inv.Elicit(ctx, Elicitation{Message: "Your loyalty number?", Fields: []Question{{Slot: "loyalty", Text: "Loyalty number", DataType: "integer"}}})
	if err != nil {
		return nil, err
	}
	if r.Action != ElicitAccept {
		return map[string]any{"car_id": "none"}, nil
	}
	return map[string]any{"car_id": "SD-ECO-42", "price": 187.5, "cars": r.Values["loyalty"]}, nil
}

func withAsking(t *testing.T, inv *askingInvoker, opts Options) *Agent {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "examples", "travel", "apis.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	apis, err := registry.ParseAPIs("apis.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	for i := range apis {
		apis[i].Binding = &registry.Binding{Kind: "asking"}
	}
	opts.APIs = apis
	opts.Invokers = map[registry.BindingKind]Invoker{"asking": inv}
	return newTestAgent(t, travelScript(t), opts)
}

func TestRemoteElicitationBecomesAQuestion(t *testing.T) {
	ctx := context.Background()
	inv := &askingInvoker{}
	a := withAsking(t, inv, Options{})
	reply, err := a.Turn(ctx, "s", "Book me a rental car in San Diego from Oct 5 for 3 days")
	if err != nil {
		t.Fatal(err)
	}
	if reply.Status != StatusNeedsInfo {
		t.Fatalf("status %s: %s", reply.Status, reply.Text)
	}
	reply, err = a.Answer(ctx, "s", map[string]any{"pickup_time": "10:30"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The tool asked during the call; nobody could answer then: it is a
	// question now, and the call did not count.
	if reply.Status != StatusNeedsInfo || len(reply.Questions) != 1 || reply.Questions[0].Slot != "loyalty" || reply.Questions[0].Elicit == "" {
		t.Fatalf("want the tool's question, got %s %+v", reply.Status, reply.Questions)
	}
	if !strings.Contains(reply.Text, "Your loyalty number?") {
		t.Fatalf("text %q", reply.Text)
	}
	// A wrong type is asked again.
	if reply, err = a.Turn(ctx, "s", "many"); err != nil || reply.Status != StatusNeedsInfo {
		t.Fatalf("a non-number was taken: %v %+v", err, reply)
	}
	reply, err = a.Turn(ctx, "s", "1234")
	if err != nil {
		t.Fatal(err)
	}
	if reply.Status != StatusNeedsConfirmation {
		t.Fatalf("status %s: %s", reply.Status, reply.Text)
	}
	if inv.asked != 2 {
		t.Fatalf("the tool was called %d times, want 2 (cancelled, then answered)", inv.asked)
	}
	st, _ := a.State(ctx, "s")
	got := false
	for _, d := range st.Done {
		if d.API == "RentalCars.GetCarsAvailable" {
			got = d.Outputs["cars"] == float64(1234)
		}
	}
	if !got {
		t.Fatalf("the answer did not reach the tool: %+v", st.Done)
	}
}

func TestRemoteElicitationAskedLive(t *testing.T) {
	inv := &askingInvoker{}
	a := withAsking(t, inv, Options{})
	var asked []string
	ctx := WithElicitor(context.Background(), func(_ context.Context, e Elicitation) (ElicitResult, error) {
		asked = append(asked, e.API+": "+e.Message)
		return ElicitResult{Action: ElicitAccept, Values: map[string]any{"loyalty": float64(7)}}, nil
	})
	if _, err := a.Turn(ctx, "s", "Book me a rental car in San Diego from Oct 5 for 3 days"); err != nil {
		t.Fatal(err)
	}
	reply, err := a.Answer(ctx, "s", map[string]any{"pickup_time": "10:30"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if reply.Status != StatusNeedsConfirmation || inv.asked != 1 || len(asked) != 1 || asked[0] != "RentalCars.GetCarsAvailable: Your loyalty number?" {
		t.Fatalf("status %s, tool asked %d times, user asked %v", reply.Status, inv.asked, asked)
	}
}
