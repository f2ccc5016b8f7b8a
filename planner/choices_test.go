package planner

import (
	"testing"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// nestfulShop is a NESTFUL-format spec of our own: no methods, no response
// schemas, so nothing says which calls return lists. The effects come from
// the names' verbs (book, cancel, remove, delete, send: writes and
// destructive; the rest read).
const nestfulShop = `[
 {"name": "search_flights", "description": "Flights to a destination.",
  "arguments": {"destination": {"type": "string", "required": true}},
  "output_parameters": {"flight_id": {"type": "string"}, "price": {"type": "number"}}},
 {"name": "book_flight", "description": "Book a flight.",
  "arguments": {"flight_id": {"type": "string", "required": true}, "passenger": {"type": "string", "required": true}},
  "output_parameters": {"booking_id": {"type": "string"}}},
 {"name": "get_customer", "description": "A customer by email.",
  "arguments": {"email": {"type": "string", "required": true}},
  "output_parameters": {"name": {"type": "string"}, "order_id": {"type": "array", "description": "The customer's orders."}}},
 {"name": "cancel_order", "description": "Cancel an order.",
  "arguments": {"order_id": {"type": "string", "required": true}}},
 {"name": "get_user_followers", "description": "Who follows a user.",
  "arguments": {"username": {"type": "string", "required": true}},
  "output_parameters": {"follower_id": {"type": "string"}}},
 {"name": "remove_follower", "description": "Stop a follower following.",
  "arguments": {"follower_id": {"type": "string", "required": true}}},
 {"name": "get_order", "description": "An order by its number.",
  "arguments": {"order_number": {"type": "string", "required": true}},
  "output_parameters": {"customer_id": {"type": "string"}, "total": {"type": "number"}}},
 {"name": "delete_customer", "description": "Delete a customer account.",
  "arguments": {"customer_id": {"type": "string", "required": true}}},
 {"name": "search_hotels", "description": "Hotels in a city.",
  "arguments": {"city": {"type": "string", "required": true}},
  "output_parameters": {"hotel_id": {"type": "string"}}},
 {"name": "get_hotel_details", "description": "Details of a hotel.",
  "arguments": {"hotel_id": {"type": "string", "required": true}},
  "output_parameters": {"stars": {"type": "number"}}},
 {"name": "find_contact", "description": "A contact by name.",
  "arguments": {"name": {"type": "string", "required": true}},
  "output_parameters": {"phone_number": {"type": "string"}}},
 {"name": "get_greeting", "description": "A greeting for a person.",
  "arguments": {"person": {"type": "string", "required": true}},
  "output_parameters": {"message": {"type": "string"}}},
 {"name": "send_sms", "description": "Send a text message.",
  "arguments": {"phone_number": {"type": "string", "required": true}, "message": {"type": "string", "required": true}}}
]`

// TestChoicesWhereCardinalityIsUnknown: an identifying input of a write or
// destructive step never takes "the first result" of a call that may
// return several records — a search, a listing, a plural, an array — even
// where the spec cannot say that it returns a list: the user chooses. A
// lookup of one record feeds the write directly (its confirmation shows
// the value); reads keep their dataflow; values that identify nothing are
// bound as they are.
func TestChoicesWhereCardinalityIsUnknown(t *testing.T) {
	apis, err := registry.ParseAPIs("shop.json", []byte(nestfulShop))
	if err != nil {
		t.Fatal(err)
	}
	p := mustNew(t, apis, Options{})
	tests := []struct {
		name, request string
		goal          string
		input, from   string // the goal's input and the call it comes from
		choice        bool   // through a choice among that call's results
	}{
		{"a searched flight is chosen before booking", `{"goals":["book_flight"],"known":{"destination":"Oslo","passenger":"Ada"}}`,
			"book_flight", "flight_id", "search_flights", true},
		{"an order among an array of orders is chosen before cancelling", `{"goals":["cancel_order"],"known":{"email":"ada@example.org"}}`,
			"cancel_order", "order_id", "get_customer", true},
		{"one of a user's followers (a plural) is chosen before removing", `{"goals":["remove_follower"],"known":{"username":"ada"}}`,
			"remove_follower", "follower_id", "get_user_followers", true},
		{"the recipient found by a search is chosen before sending", `{"goals":["send_sms"],"known":{"name":"Ada","message":"hi"}}`,
			"send_sms", "phone_number", "find_contact", true},
		{"the customer of one order is taken as it is (confirmed with its value)", `{"goals":["delete_customer"],"known":{"order_number":"A-1"}}`,
			"delete_customer", "customer_id", "get_order", false},
		{"a read goal keeps the search's dataflow", `{"goals":["get_hotel_details"],"known":{"city":"Rome"}}`,
			"get_hotel_details", "hotel_id", "search_hotels", false},
		{"a message identifies nothing: it is bound as it is", `{"goals":["send_sms"],"known":{"phone_number":"+4712345678","person":"Ada"}}`,
			"send_sms", "message", "get_greeting", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := mustPlan(t, p, tt.request)
			if plan.Status != StatusOK && plan.Status != StatusNeedsInfo {
				t.Fatalf("status %s:\n%s", plan.Status, plan.Text())
			}
			goal, ok := stepOf(plan, tt.goal)
			if !ok {
				t.Fatalf("no %s step:\n%s", tt.goal, plan.Text())
			}
			if goal.Effect.SideEffect() != goal.Confirm {
				t.Errorf("%s: effect %s, confirm %v", tt.goal, goal.Effect, goal.Confirm)
			}
			from, ok := stepOf(plan, tt.from)
			if !ok {
				t.Fatalf("no %s step:\n%s", tt.from, plan.Text())
			}
			arg := goal.Args[tt.input]
			var via Step
			for _, s := range plan.Steps {
				if s.ID == arg.From {
					via = s
				}
			}
			switch {
			case tt.choice && (via.API != GetInfo || via.Options == nil || via.Options.From != from.ID || via.Options.Field != tt.input):
				t.Errorf("%s.%s = %+v, want a choice among %s's %s:\n%s", tt.goal, tt.input, arg, from.ID, tt.input, plan.Text())
			case !tt.choice && arg.From != from.ID:
				t.Errorf("%s.%s = %+v, want %s's output:\n%s", tt.goal, tt.input, arg, from.ID, plan.Text())
			}
		})
	}
}

// TestChoiceOverADoneList: replanning after the list call ran (and before
// the user chose) still asks the user to choose among its results, never
// takes its first.
func TestChoiceOverADoneList(t *testing.T) {
	p, _ := openAPIPlanner(t, "petstore-expanded.yaml")
	plan := mustPlan(t, p, `{"goals":["deletePet"],"done":[{"id":"s1","api":"findPets"}]}`)
	_, chosen := asked(plan)
	del, ok := stepOf(plan, "deletePet")
	if len(chosen) != 1 || chosen[0].Options.From != "s1" || !ok || del.Args["id"].From != chosen[0].ID {
		t.Fatalf("want a choice among the done step s1's results:\n%s", plan.Text())
	}
}

// TestIdentifying: inputs that name the record or the party a call acts
// on, and inputs that do not.
func TestIdentifying(t *testing.T) {
	a := &registry.API{Name: "x", Binding: &registry.Binding{Kind: registry.BindHTTP, In: map[string]string{"pet": "path"}}}
	for name, want := range map[string]bool{
		"id": true, "customerId": true, "api_key": true, "pet": true, "username": true, "email": true, "to": true,
		"phone_number": true, "orderNumber": true, "email_address": true, "recipients": true,
		"message": false, "amount": false, "number_of_guests": false, "email_subject": false, "date": false, "city": false,
	} {
		if got := identifying(a, registry.Input{Name: name}); got != want {
			t.Errorf("identifying(%s) = %v, want %v", name, got, want)
		}
	}
}

// TestSeveralRecords: what says that a call may return several records.
func TestSeveralRecords(t *testing.T) {
	for _, tt := range []struct {
		api   registry.API
		field string
		want  bool
	}{
		{registry.API{Name: "Pets.Get", List: true}, "id", true},
		{registry.API{Name: "get_customer", Outputs: []registry.Output{{Name: "order_id", DataType: "array"}}}, "order_id", true},
		{registry.API{Name: "search_flights"}, "flight_id", true},
		{registry.API{Name: "Flights.Search#return"}, "flight_id", true},
		{registry.API{Name: "get_all_users"}, "id", true},
		{registry.API{Name: "GetPets"}, "id", true},
		{registry.API{Name: "get_user_followers_by_name"}, "id", true},
		{registry.API{Name: "RentalCars.GetCarsAvailable"}, "car_id", true},
		{registry.API{Name: "get_offers", Description: "Search results for a query."}, "id", true},
		{registry.API{Name: "get_order"}, "customer_id", false},
		{registry.API{Name: "GetUserDetails"}, "id", false},
		{registry.API{Name: "get_news"}, "id", false},
		{registry.API{Name: "get_status"}, "id", false},
		{registry.API{Name: "Weather.Get"}, "station", false},
		{registry.API{Name: "Orders.Place"}, "order_id", false},
		{registry.API{Name: "Stats.GetDetails"}, "id", false},
	} {
		if got := severalRecords(&tt.api, tt.field); got != tt.want {
			t.Errorf("severalRecords(%s, %s) = %v, want %v", tt.api.Name, tt.field, got, tt.want)
		}
	}
}
