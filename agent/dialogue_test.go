package agent

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// dialogueScript answers a request that leaves two values missing, answers
// given together, a change of an earlier answer, and a malformed first
// translation.
const dialogueScript = `
rules:
  - role: translator
    when: 'User request: Rent a car in San Diego on Oct 5'
    tool_calls:
      - name: plan_request
        arguments: {goals: [RentalCars.ReserveCar], known: {city: San Diego, pickup_date: "2024-10-05"}}
  - role: translator
    when: '(?s)User request: Garbled.*rejected'
    tool_calls:
      - name: plan_request
        arguments: {goals: [RentalCars.ReserveCar], known: {city: San Diego, pickup_date: "2024-10-05", days: 2, pickup_time: "08:00"}}
  - role: translator
    when: 'User request: Garbled'
    tool_calls:
      - name: plan_request
        arguments: {goals: [Cars.DoesNotExist]}
  - role: translator
    when: 'User request: Nonsense'
    reply: I am not sure what you mean.
  - role: user
    when: '(?s)Phrase the questions.*- days:.*- pickup_time:'
    reply: '{"days": "For how many days?", "pickup_time": "At what time?"}'
  - role: user
    when: '(?s)Phrase the questions.*- pickup_time:.*- days:'
    reply: '{"days": "For how many days?", "pickup_time": "At what time?"}'
  - role: translator
    when: 'User message: 4 days, pick up at 9:00'
    tool_calls:
      - name: give_answers
        arguments: {days: 4, pickup_time: "09:00"}
  - role: translator
    when: 'User message: Actually make it 5 days'
    tool_calls:
      - name: give_answers
        arguments: {days: 5}
  - role: translator
    when: 'User message: car type: limo'
    tool_calls:
      - name: give_answers
        arguments: {car_type: limo}
  - role: user
    when: 'answer the user from the results'
    reply: Booked.
`

func TestTwoAnswersInOneMessageAndAChangedAnswer(t *testing.T) {
	ctx := context.Background()
	a := newTestAgent(t, dialogueScript, Options{})

	r, err := a.Turn(ctx, "d1", "Rent a car in San Diego on Oct 5")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusNeedsInfo || len(r.Questions) != 2 {
		t.Fatalf("want two questions at once, got %s %+v", r.Status, r.Questions)
	}
	ids := map[string]bool{}
	for _, q := range r.Questions {
		if q.ID == "" || ids[q.ID] || q.DataType == "" {
			t.Errorf("question without a distinct id or a type: %+v", q)
		}
		ids[q.ID] = true
	}

	r, err = a.Turn(ctx, "d1", "4 days, pick up at 9:00")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusNeedsConfirmation || len(r.Calls) != 1 || fmt.Sprint(r.Calls[0].Args["days"]) != "4" {
		t.Fatalf("after both answers: %s calls %+v (%s)", r.Status, r.Calls, r.Text)
	}

	// Changing an earlier answer replans from it: the search runs again with
	// the new value, and the confirmation is asked again for the new call.
	r, err = a.Turn(ctx, "d1", "Actually make it 5 days")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusNeedsConfirmation || len(r.Calls) != 1 || fmt.Sprint(r.Calls[0].Args["days"]) != "5" {
		t.Fatalf("after the change: %s calls %+v (%s)", r.Status, r.Calls, r.Text)
	}
	if got := fmt.Sprint(r.Confirm.Args["days"].Value); got != "5" {
		t.Errorf("confirmation asks about days=%s, want 5", got)
	}

	r, err = a.Turn(ctx, "d1", "yes")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusAnswered || len(r.Calls) != 1 || r.Calls[0].API != "RentalCars.ReserveCar" {
		t.Fatalf("after yes: %s calls %+v", r.Status, r.Calls)
	}
}

func TestInvalidAnswerIsAskedAgain(t *testing.T) {
	ctx := context.Background()
	a := newTestAgent(t, dialogueScript, Options{})
	if _, err := a.Turn(ctx, "d2", "Rent a car in San Diego on Oct 5"); err != nil {
		t.Fatal(err)
	}
	// car_type allows economy, compact, suv, van: "limo" is rejected (twice,
	// the retry gives the same), and the questions are asked again.
	r, err := a.Turn(ctx, "d2", "car type: limo")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusNeedsInfo || len(r.Questions) != 2 || !strings.Contains(r.Text, "not an allowed value") {
		t.Fatalf("got %s %q %+v", r.Status, r.Text, r.Questions)
	}
}

func TestMalformedTranslationGetsOneRetry(t *testing.T) {
	ctx := context.Background()
	a := newTestAgent(t, dialogueScript, Options{})
	r, err := a.Turn(ctx, "m1", "Garbled: car, San Diego, Oct 5, 2 days, 8am")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusNeedsConfirmation || len(r.Calls) != 1 {
		t.Fatalf("the corrected call was not used: %s %q", r.Status, r.Text)
	}
	r, err = a.Turn(ctx, "m2", "Nonsense")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusClarify {
		t.Fatalf("a reply with no call should ask to clarify, got %s %q", r.Status, r.Text)
	}
}

func TestResumeFromAnotherAgentCallsNothingTwice(t *testing.T) {
	ctx := context.Background()
	store, err := registry.Open(ctx, filepath.Join(t.TempDir(), "t.db"), registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var calls atomic.Int32
	counting := InvokerFunc(func(ctx context.Context, inv Invocation) (map[string]any, error) {
		calls.Add(1)
		return fixedInvoker{}.Invoke(ctx, inv)
	})
	opts := Options{Store: store, Invokers: map[registry.BindingKind]Invoker{registry.BindFixed: counting}}
	script := travelScript(t)

	first := newTestAgent(t, script, opts)
	if _, err := first.Turn(ctx, "r1", "Book me a rental car in San Diego from Oct 5 for 3 days"); err != nil {
		t.Fatal(err)
	}
	if _, err := first.Turn(ctx, "r1", "10:30"); err != nil {
		t.Fatal(err)
	}
	// A new agent over the same store (another replica, or the process
	// restarted) picks the session up where it stood.
	second := newTestAgent(t, script, opts)
	r, err := second.Turn(ctx, "r1", "yes")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusAnswered {
		t.Fatalf("resumed session: %s %q", r.Status, r.Text)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("%d API calls, want 2 (search once, reserve once)", n)
	}
}

func TestFailingAPIIsRetriedThenPlannedAround(t *testing.T) {
	ctx := context.Background()
	var attempts atomic.Int32
	failing := InvokerFunc(func(ctx context.Context, inv Invocation) (map[string]any, error) {
		if inv.API.Name == "RentalCars.GetCarsAvailable" {
			attempts.Add(1)
			return nil, errors.New("503 service unavailable")
		}
		return fixedInvoker{}.Invoke(ctx, inv)
	})
	a := newTestAgent(t, travelScript(t), Options{Invokers: map[registry.BindingKind]Invoker{registry.BindFixed: failing}})
	if _, err := a.Turn(ctx, "f1", "Book me a rental car in San Diego from Oct 5 for 3 days"); err != nil {
		t.Fatal(err)
	}
	r, err := a.Turn(ctx, "f1", "10:30")
	if err != nil {
		t.Fatal(err)
	}
	if attempts.Load() != 2 {
		t.Errorf("%d attempts, want 2 (one retry)", attempts.Load())
	}
	if r.Status != StatusFailed || !strings.Contains(r.Text, "RentalCars.GetCarsAvailable") {
		t.Fatalf("want a plain failure naming the API, got %s %q", r.Status, r.Text)
	}
}

func TestConcurrentSessionsAreIsolated(t *testing.T) {
	ctx := context.Background()
	a := newTestAgent(t, travelScript(t), Options{})
	const n = 100
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			id := fmt.Sprintf("c%d", i)
			for _, msg := range []string{"Book me a rental car in San Diego from Oct 5 for 3 days", "10:30", "yes"} {
				if _, err := a.Turn(ctx, id, msg); err != nil {
					errs <- err
					return
				}
			}
			st, err := a.State(ctx, id)
			if err != nil {
				errs <- err
				return
			}
			if st.Status != StatusAnswered || len(st.Calls) != 2 {
				errs <- fmt.Errorf("session %s: %s with %d calls", id, st.Status, len(st.Calls))
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

type fakeTools struct{ calls int }

func (f *fakeTools) SolveTask(_ context.Context, input string) (string, bool, error) {
	f.calls++
	if strings.HasPrefix(input, "Sort the following words") {
		return "apple banana", true, nil
	}
	return "", false, nil
}

func TestToolTasksGoToTheToolmaker(t *testing.T) {
	ctx := context.Background()
	tools := &fakeTools{}
	a := newTestAgent(t, travelScript(t), Options{Tools: tools})
	r, err := a.Turn(ctx, "t1", "Sort the following words alphabetically: List: banana apple")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusAnswered || r.Text != "apple banana" || r.Cost.Calls != 0 {
		t.Fatalf("tool task: %s %q with %d model calls", r.Status, r.Text, r.Cost.Calls)
	}
	// Other requests still plan API calls.
	r, err = a.Turn(ctx, "t2", "Book me a rental car in San Diego from Oct 5 for 3 days")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusNeedsInfo {
		t.Fatalf("API request: %s %q", r.Status, r.Text)
	}
}

func TestApproveShowsThePlanFirst(t *testing.T) {
	ctx := context.Background()
	a := newTestAgent(t, travelScript(t), Options{Approve: true})
	if _, err := a.Turn(ctx, "ap", "Book me a rental car in San Diego from Oct 5 for 3 days"); err != nil {
		t.Fatal(err)
	}
	r, err := a.Turn(ctx, "ap", "10:30")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusNeedsConfirmation || len(r.Calls) != 0 || !strings.Contains(r.Text, "Here is the plan") {
		t.Fatalf("want the plan shown before any call: %s %d calls %q", r.Status, len(r.Calls), r.Text)
	}
	// The reservation's car comes from the search, which the plan could
	// not show: it is confirmed on its own, with the value found.
	r, err = a.Turn(ctx, "ap", "yes")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusNeedsConfirmation || len(r.Calls) != 1 || !strings.Contains(r.Text, "SD-ECO-42") {
		t.Fatalf("after approval: %s with %d calls (%q)", r.Status, len(r.Calls), r.Text)
	}
	r, err = a.Turn(ctx, "ap", "yes")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusAnswered || len(r.Calls) != 1 || r.Calls[0].API != "RentalCars.ReserveCar" {
		t.Fatalf("after the confirmation: %s with calls %+v (%q)", r.Status, r.Calls, r.Text)
	}

	if _, err := a.Turn(ctx, "ap2", "Book me a rental car in San Diego from Oct 5 for 3 days"); err != nil {
		t.Fatal(err)
	}
	a.Turn(ctx, "ap2", "10:30")
	r, err = a.Turn(ctx, "ap2", "no")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusFailed || len(r.Calls) != 0 {
		t.Fatalf("refused plan: %s with %d calls", r.Status, len(r.Calls))
	}
}
