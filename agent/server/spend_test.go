package server

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/toolsmith-dev/toolsmith/registry/registrytest"
)

// TestFailedTurnsAreCharged: a turn that fails after calling an API (here it
// runs past the server's turn timeout while the booking is made) is charged
// to the namespace's daily budget like a completed one, so that failing turns
// cannot be used to get round it.
func TestFailedTurnsAreCharged(t *testing.T) {
	store := registrytest.Bolt(t)
	srv, _ := travelServer(t, store, 1500*time.Millisecond)
	srv.DefaultNamespace = "travel-failed"
	if err := store.PutAPIs(context.Background(), "travel-failed", mustAPIs(t, store)); err != nil {
		t.Fatal(err)
	}
	srv.Limits = Limits{DailyAPICalls: 2}
	srv.TurnTimeout = 500 * time.Millisecond
	c := serveTest(t, srv)
	c.say("f1", "Book me a rental car in San Diego from Oct 5 for 3 days")
	c.say("f1", "10:30") // the search: one call
	code, raw := c.do("POST", "/v1/sessions/f1/messages", `{"text": "yes"}`)
	if code == http.StatusOK {
		t.Fatalf("the booking outlived the turn timeout but the turn succeeded: %s", raw)
	}
	// The booking was attempted: the budget of two calls is spent.
	code, raw = c.do("POST", "/v1/sessions/f2/messages", `{"text": "Book me a rental car in San Diego from Oct 5 for 3 days"}`)
	var body struct{ Limit string }
	json.Unmarshal(raw, &body)
	if code != http.StatusTooManyRequests || body.Limit != "daily_api_calls" {
		t.Fatalf("after a failed turn that made a call: %d %s, want 429 daily_api_calls", code, raw)
	}
}
