package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/toolsmith-dev/toolsmith/agent/agenttest"
	"github.com/toolsmith-dev/toolsmith/planner"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// choiceAPIs are a list of pets (found answers it) and the deletion of
// one.
func choiceAPIs(found map[string]any) []registry.API {
	return []registry.API{
		{Name: "Pets.Find", Description: "List the pets",
			Outputs: []registry.Output{{Name: "id", DataType: "integer"}, {Name: "name"}},
			Binding: &registry.Binding{Kind: registry.BindFixed, Response: found}},
		{Name: "Pets.Delete", Description: "Delete a pet", Effect: registry.EffectDestructive,
			Inputs:  []registry.Input{{Name: "id", DataType: "integer", Required: true}},
			Binding: &registry.Binding{Kind: registry.BindFixed, Response: map[string]any{}}},
	}
}

var twoPets = []any{
	map[string]any{"id": 1.0, "name": "Rex", "tag": "dog"},
	map[string]any{"id": 2.0, "name": "Tom", "tag": "cat"},
}

// choicePlanner plans the deletion as the safety rules want it: with no id
// known, list the pets and ask which one (a choice); with the id, delete
// it after confirmation. refDelete instead binds the id from the list (a
// plan a policy could allow), to test confirmations of computed values.
// slot, when set, names the choice's slot (default "id").
type choicePlanner struct {
	refDelete bool
	slot      string
	noConfirm bool // the delete does not wait for confirmation (a policy's no_confirm)
}

func (p choicePlanner) Plan(_ context.Context, req planner.Request) (*planner.Plan, error) {
	slot := p.slot
	if slot == "" {
		slot = "id"
	}
	del := planner.Step{ID: "s3", API: "Pets.Delete", Effect: registry.EffectDestructive, Confirm: !p.noConfirm}
	for _, k := range req.Known {
		if k.Key == slot {
			del.Args = map[string]planner.Arg{"id": {Value: k.Value}}
			return &planner.Plan{Status: planner.StatusOK, Steps: []planner.Step{del}, Cost: 1}, nil
		}
	}
	find := planner.Step{ID: "s1", API: "Pets.Find", Effect: registry.EffectRead}
	if p.refDelete {
		del.ID, del.Args = "s2", map[string]planner.Arg{"id": {From: "s1", Field: "id"}}
		return &planner.Plan{Status: planner.StatusOK, Steps: []planner.Step{find, del}, Cost: 2}, nil
	}
	ask := planner.Step{ID: "s2", API: planner.GetInfo, Slot: slot, Question: "Which pet?",
		Options: &planner.Choice{From: "s1", Field: "id"}}
	del.Args = map[string]planner.Arg{"id": {From: "s2", Field: slot}}
	return &planner.Plan{Status: planner.StatusNeedsInfo, Steps: []planner.Step{find, ask, del}, Cost: 7}, nil
}

const choiceScript = `
rules:
  - role: translator
    when: 'User request: Delete one of my pets'
    tool_calls: [{name: plan_request, arguments: {goals: [Pets.Delete]}}]
  - role: translator
    when: '(?s)Pending questions:.*User message: the hamster'
    tool_calls: [{name: give_answers, arguments: {id: 7}}]
  - role: translator
    when: '(?s)Pending questions:.*User message: the cat please'
    tool_calls: [{name: give_answers, arguments: {id: 2}}]
  - role: translator
    when: '(?s)Pending questions:.*User message: the feline'
    tool_calls: [{name: give_answers, arguments: {"pet@store": 2}}]
  - role: user
    when: '(?s)Phrase the questions.*- pet@store'
    reply: '{"pet@store": "Which pet should I delete?"}'
  - role: user
    when: 'Phrase the questions'
    reply: '{"id": "Which pet should I delete?"}'
  - role: user
    when: 'answer the user from the results'
    reply: Deleted.
`

// newChoiceAgent builds an agent over choiceAPIs with choicePlanner,
// recording the API calls made.
func newChoiceAgent(t *testing.T, found map[string]any, p choicePlanner, opts Options) (*Agent, *[]string) {
	var mu sync.Mutex
	calls := &[]string{}
	opts.APIs = choiceAPIs(found)
	opts.Invokers = map[registry.BindingKind]Invoker{registry.BindFixed: InvokerFunc(func(ctx context.Context, inv Invocation) (map[string]any, error) {
		mu.Lock()
		*calls = append(*calls, fmt.Sprintf("%s %v", inv.API.Name, inv.Args))
		mu.Unlock()
		return fixedInvoker{}.Invoke(ctx, inv)
	})}
	a := newTestAgent(t, choiceScript, opts)
	a.planner = p
	return a, calls
}

// TestChoiceRoundTrip checks that a choice runs the read first, offers its
// actual values with labels, takes a pick in any usual form, and deletes
// only the chosen pet after confirmation.
func TestChoiceRoundTrip(t *testing.T) {
	ctx := context.Background()
	for _, answer := range []string{"2", "the second one", "Tom", "the cat please", "#2", "2nd", "the last one"} {
		t.Run(answer, func(t *testing.T) {
			a, calls := newChoiceAgent(t, map[string]any{"result": twoPets}, choicePlanner{}, Options{})
			r, err := a.Turn(ctx, "c", "Delete one of my pets")
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != StatusNeedsInfo || len(r.Questions) != 1 {
				t.Fatalf("want a choice, got %s %q", r.Status, r.Text)
			}
			q := r.Questions[0]
			want := []Option{{Value: 1.0, Label: "name: Rex, tag: dog"}, {Value: 2.0, Label: "name: Tom, tag: cat"}}
			if fmt.Sprint(q.Options) != fmt.Sprint(want) || fmt.Sprint(q.Allowed) != "[1 2]" {
				t.Errorf("options %+v allowed %v, want %+v", q.Options, q.Allowed, want)
			}
			if !strings.Contains(r.Text, "Which pet should I delete?\n  1. 1 (name: Rex, tag: dog)\n  2. 2 (name: Tom, tag: cat)") {
				t.Errorf("text %q does not list the options", r.Text)
			}
			if !slices.Equal(*calls, []string{"Pets.Find map[]"}) {
				t.Fatalf("calls before the choice: %v", *calls)
			}

			if r, err = a.Turn(ctx, "c", answer); err != nil {
				t.Fatal(err)
			}
			if r.Status != StatusNeedsConfirmation || r.Confirm == nil || fmt.Sprint(r.Confirm.Args["id"].Value) != "2" {
				t.Fatalf("after %q: %s %q", answer, r.Status, r.Text)
			}
			if r, err = a.Turn(ctx, "c", "yes"); err != nil {
				t.Fatal(err)
			}
			if r.Status != StatusAnswered || !slices.Equal(*calls, []string{"Pets.Find map[]", "Pets.Delete map[id:2]"}) {
				t.Fatalf("after yes: %s, calls %v", r.Status, *calls)
			}
		})
	}
}

// TestChoiceOfOneIsTheConfirmation: a list of one pet offers no choice;
// the delete's confirmation, which shows the pet's id, stands for it. A
// delete that does not wait for confirmation still gets the choice asked.
func TestChoiceOfOneIsTheConfirmation(t *testing.T) {
	ctx := context.Background()
	onePet := map[string]any{"result": twoPets[:1]}
	a, calls := newChoiceAgent(t, onePet, choicePlanner{}, Options{})
	r, err := a.Turn(ctx, "one", "Delete one of my pets")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusNeedsConfirmation || len(r.Questions) != 0 || r.Confirm == nil || !strings.Contains(r.Text, `{"id":1}`) {
		t.Fatalf("want the delete of pet 1 confirmed, got %s %q", r.Status, r.Text)
	}
	if r, err = a.Turn(ctx, "one", "yes"); err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusAnswered || !slices.Equal(*calls, []string{"Pets.Find map[]", "Pets.Delete map[id:1]"}) {
		t.Fatalf("after yes: %s, calls %v", r.Status, *calls)
	}

	a, calls = newChoiceAgent(t, onePet, choicePlanner{noConfirm: true}, Options{})
	if r, err = a.Turn(ctx, "unconfirmed", "Delete one of my pets"); err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusNeedsInfo || len(r.Questions) != 1 || len(r.Questions[0].Options) != 1 || len(*calls) != 1 {
		t.Fatalf("want the choice of one asked before an unconfirmed delete, got %s %q calls %v", r.Status, r.Text, *calls)
	}
}

// TestChoiceOnASlotOutsideTheCatalogue checks a choice whose slot no
// input of the catalogue has (a planner's scoped or typed slot): the
// Translator's answer is checked against the options alone.
func TestChoiceOnASlotOutsideTheCatalogue(t *testing.T) {
	ctx := context.Background()
	a, calls := newChoiceAgent(t, map[string]any{"result": twoPets}, choicePlanner{slot: "pet@store"}, Options{})
	if r, err := a.Turn(ctx, "o", "Delete one of my pets"); err != nil || r.Status != StatusNeedsInfo || r.Degraded {
		t.Fatalf("want a choice phrased by the model: %v %+v", err, r)
	}
	r, err := a.Turn(ctx, "o", "the feline")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusNeedsConfirmation || fmt.Sprint(r.Confirm.Args["id"].Value) != "2" {
		t.Fatalf("after the answer: %s %q (calls %v)", r.Status, r.Text, *calls)
	}
}

// TestChoiceAnsweredByForm checks a choice answered with structured
// values (an MCP form): one of the options is taken, another value is
// refused and the choice asked again.
func TestChoiceAnsweredByForm(t *testing.T) {
	ctx := context.Background()
	a, calls := newChoiceAgent(t, map[string]any{"result": twoPets}, choicePlanner{slot: "pet@store"}, Options{})
	if _, err := a.Turn(ctx, "f", "Delete one of my pets"); err != nil {
		t.Fatal(err)
	}
	r, err := a.Answer(ctx, "f", map[string]any{"pet@store": 7.0}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusNeedsInfo || len(r.Questions) != 1 || len(r.Questions[0].Options) != 2 || r.Questions[0].DataType != "integer" {
		t.Fatalf("a value not offered: %s %q %+v", r.Status, r.Text, r.Questions)
	}
	if r, err = a.Answer(ctx, "f", map[string]any{"pet@store": 2.0}, nil); err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusNeedsConfirmation || r.Confirm.Args["id"].Value != 2.0 {
		t.Fatalf("an offered value: %s %q (calls %v)", r.Status, r.Text, *calls)
	}
}

// TestChoiceRejectsOtherValues checks that an answer outside the options
// is refused and the choice asked again, and that an empty list ends the
// request without calling the write.
func TestChoiceRejectsOtherValues(t *testing.T) {
	ctx := context.Background()
	a, calls := newChoiceAgent(t, map[string]any{"result": twoPets}, choicePlanner{}, Options{})
	if _, err := a.Turn(ctx, "r", "Delete one of my pets"); err != nil {
		t.Fatal(err)
	}
	r, err := a.Turn(ctx, "r", "the hamster")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusNeedsInfo || !strings.Contains(r.Text, "7 is not one of the values offered for id (1, 2)") ||
		len(r.Questions) != 1 || len(r.Questions[0].Options) != 2 {
		t.Fatalf("want the choice asked again, got %s %q", r.Status, r.Text)
	}
	if !slices.Equal(*calls, []string{"Pets.Find map[]"}) {
		t.Errorf("calls %v, want only the list", *calls)
	}

	a, calls = newChoiceAgent(t, map[string]any{"result": []any{}}, choicePlanner{}, Options{})
	if r, err = a.Turn(ctx, "e", "Delete one of my pets"); err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusFailed || !strings.Contains(r.Text, "nothing to choose from: Pets.Find returned no id") ||
		!slices.Equal(*calls, []string{"Pets.Find map[]"}) {
		t.Fatalf("empty list: %s %q calls %v", r.Status, r.Text, *calls)
	}
}

// TestApproveAndConfirmations checks --approve with writes: an approved
// plan covers a confirmation only for values the plan showed; a value
// computed by an earlier call is confirmed on its own, and a plan made
// after a choice is shown for approval again.
func TestApproveAndConfirmations(t *testing.T) {
	ctx := context.Background()
	say := func(a *Agent, id, msg string) *Reply {
		t.Helper()
		r, err := a.Turn(ctx, id, msg)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}

	// A computed id: approval, the read, then the delete's own confirmation.
	a, calls := newChoiceAgent(t, map[string]any{"id": 1.0, "name": "Rex"}, choicePlanner{refDelete: true}, Options{Approve: true})
	if r := say(a, "a", "Delete one of my pets"); r.Status != StatusNeedsConfirmation || !strings.Contains(r.Text, "Here is the plan") {
		t.Fatalf("want the plan for approval, got %s %q", r.Status, r.Text)
	}
	r := say(a, "a", "yes")
	if r.Status != StatusNeedsConfirmation || r.Confirm == nil || r.Confirm.API != "Pets.Delete" || !strings.Contains(r.Text, `{"id":1}`) {
		t.Fatalf("want the delete confirmed with its value, got %s %q", r.Status, r.Text)
	}
	if r = say(a, "a", "yes"); r.Status != StatusAnswered || len(*calls) != 2 {
		t.Fatalf("after the confirmation: %s calls %v", r.Status, *calls)
	}

	// A choice: approval, the read and the choice, then the new plan (with
	// the chosen id) for approval, which covers the delete it shows.
	a, calls = newChoiceAgent(t, map[string]any{"result": twoPets}, choicePlanner{}, Options{Approve: true})
	say(a, "b", "Delete one of my pets")
	if r = say(a, "b", "yes"); r.Status != StatusNeedsInfo || len(r.Questions[0].Options) != 2 {
		t.Fatalf("want the choice after approval, got %s %q", r.Status, r.Text)
	}
	r = say(a, "b", "1")
	if r.Status != StatusNeedsConfirmation || !strings.Contains(r.Text, "Here is the plan") || !strings.Contains(r.Text, "Pets.Delete(id=1)") {
		t.Fatalf("want the new plan for approval, got %s %q", r.Status, r.Text)
	}
	if r = say(a, "b", "yes"); r.Status != StatusAnswered || !slices.Equal(*calls, []string{"Pets.Find map[]", "Pets.Delete map[id:1]"}) {
		t.Fatalf("after approval: %s %q calls %v", r.Status, r.Text, *calls)
	}
}

func TestPick(t *testing.T) {
	q := Question{Options: []Option{{Value: 41.0, Label: "name: Rex"}, {Value: 2.0, Label: "name: Tom"}, {Value: "x-9", Label: "name: Rexa"}}}
	tests := []struct {
		msg  string
		want any // nil: no pick
	}{
		{"41", 41.0}, {"2", 2.0}, {"3", "x-9"}, {"X-9", "x-9"}, {"#1", 41.0}, {"option 3", "x-9"},
		{"the first one", 41.0}, {"the 3rd", "x-9"}, {"the last", "x-9"}, {"name: Tom", 2.0},
		{"delete Tom please", 2.0}, {"Rex", 41.0}, {"rexa", "x-9"},
		{"4", nil}, {"the first or the second", nil}, {"the fifth", nil}, {"a dog", nil}, {"", nil},
	}
	for _, tc := range tests {
		got, ok := pick(q, tc.msg)
		if tc.want == nil && ok || tc.want != nil && (!ok || got != tc.want) {
			t.Errorf("pick(%q) = %v %v, want %v", tc.msg, got, ok, tc.want)
		}
	}
}

func TestOptionsFrom(t *testing.T) {
	tests := []struct {
		outs  map[string]any
		field string
		want  string
	}{
		{map[string]any{"id": 3.0}, "id", "[{3 }]"},
		{map[string]any{"id": []any{1.0, 2.0, 1.0}}, "id", "[{1 } {2 }]"},
		{map[string]any{"result": twoPets}, "id", "[{1 name: Rex, tag: dog} {2 name: Tom, tag: cat}]"},
		{map[string]any{"object": "list", "data": []any{map[string]any{"id": "cus_1", "email": "a@b.c", "metadata": map[string]any{}}}}, "id", "[{cus_1 email: a@b.c}]"},
		{map[string]any{"result": []any{}}, "id", "[]"},
		{map[string]any{"count": 2.0}, "id", "[]"},
	}
	for _, tc := range tests {
		if got := fmt.Sprint(optionsFrom(tc.outs, tc.field)); got != tc.want {
			t.Errorf("optionsFrom(%v, %s) = %s, want %s", tc.outs, tc.field, got, tc.want)
		}
	}
}

// TestChoiceJSON checks a choice as serve sends it: the options with their
// labels, and the values again as allowed (an enum for form clients).
func TestChoiceJSON(t *testing.T) {
	a, _ := newChoiceAgent(t, map[string]any{"result": twoPets}, choicePlanner{}, Options{})
	r, err := a.Turn(context.Background(), "j", "Delete one of my pets")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(r.Questions)
	want := `[{"id":"q1","slot":"id","text":"Which pet should I delete?","type":"integer","allowed":[1,2],` +
		`"options":[{"value":1,"label":"name: Rex, tag: dog"},{"value":2,"label":"name: Tom, tag: cat"}]}]`
	if string(raw) != want {
		t.Errorf("questions\n got %s\nwant %s", raw, want)
	}
}

// TestSummarySaysWhatWasDone checks the answer written without a model:
// a write is reported as done, with its values.
func TestSummarySaysWhatWasDone(t *testing.T) {
	got := summary([]result{
		{API: "Pets.Find", Effect: registry.EffectRead, Outputs: map[string]any{"count": 2}},
		{API: "Pets.Delete", Effect: registry.EffectDestructive, Args: map[string]any{"id": 2}},
	})
	want := "Done.\n  Pets.Find gave count=2\n  Pets.Delete (destructive) was called with {\"id\":2}"
	if got != want {
		t.Errorf("summary\n got %q\nwant %q", got, want)
	}
}

// TestChoiceOverHTTP runs a choice end to end with the real planner and
// HTTP invoker over agenttest's pet service: the list is read, the user
// picks a pet, and only that pet is deleted, after confirmation.
func TestChoiceOverHTTP(t *testing.T) {
	ctx := context.Background()
	pets := &agenttest.PetStore{}
	srv := httptest.NewServer(pets)
	defer srv.Close()
	apis, err := registry.ParseAPIs("pets.yaml", agenttest.PetsOpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	store, err := registry.Open(ctx, filepath.Join(t.TempDir(), "t.db"), registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.PutSettings(ctx, &registry.Settings{BaseURL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	a := newTestAgent(t, string(agenttest.PetsScript()), Options{APIs: apis, Store: store})
	r, err := a.Turn(ctx, "h", "Delete one of my pets")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusNeedsInfo || len(r.Questions) != 1 || len(r.Questions[0].Options) != 2 ||
		!strings.Contains(r.Text, "Which pet should I delete?\n  1. 1 (name: Rex, tag: dog)\n  2. 2 (name: Tom)") {
		t.Fatalf("want a choice of two pets, got %s %q %+v", r.Status, r.Text, r.Questions)
	}
	if r, err = a.Turn(ctx, "h", "Tom"); err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusNeedsConfirmation || !strings.Contains(r.Text, `deletePet with {"petId":2}`) {
		t.Fatalf("want the deletion of pet 2 confirmed, got %s %q", r.Status, r.Text)
	}
	if d := pets.Deleted(); len(d) != 0 {
		t.Fatalf("deleted %v before the confirmation", d)
	}
	if r, err = a.Turn(ctx, "h", "yes"); err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusAnswered || !slices.Equal(pets.Deleted(), []string{"2"}) {
		t.Fatalf("after yes: %s %q, deleted %v", r.Status, r.Text, pets.Deleted())
	}
}
