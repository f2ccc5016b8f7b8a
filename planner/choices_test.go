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

// clusterService is an OpenAPI document of our own in the style of
// DigitalOcean's and GitHub's: one schema for a new cluster and the
// listed ones, and a task listing whose "owner" is an object while a
// repository's path takes the owner's login.
const clusterService = `openapi: 3.0.3
servers: [{url: 'https://api.example.com'}]
paths:
  /clusters:
    get:
      operationId: listClusters
      responses:
        '200':
          content:
            application/json:
              schema:
                type: object
                properties:
                  clusters: {type: array, items: {$ref: '#/components/schemas/Cluster'}}
                  total: {type: integer}
    post:
      operationId: createCluster
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Cluster'}
      responses:
        '201': {content: {application/json: {schema: {$ref: '#/components/schemas/Cluster'}}}}
  /tasks:
    get:
      operationId: listTasks
      responses:
        '200':
          content:
            application/json:
              schema:
                type: array
                items:
                  type: object
                  properties:
                    title: {type: string}
                    owner: {properties: {login: {type: string}}}
  /repos/{owner}/{repo}:
    delete:
      operationId: deleteRepo
      parameters:
        - {name: owner, in: path, required: true, schema: {type: string}}
        - {name: repo, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: deleted}
components:
  schemas:
    Cluster:
      type: object
      required: [name, size, region]
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
        size: {type: string}
        region: {type: string}
        project_id: {type: string}
        tags: {type: array, items: {type: string}}
        created_at: {type: string, readOnly: true}
`

// TestWritesTakeNothingFromListings: a write takes no value from a call
// that lists records unless the user chose it. Required values that
// identify nothing are asked (a new cluster's size is not the first
// cluster's), optional ones are left out (never the first record's
// project), and a listing that then feeds nothing is not called. A value
// flows by name only between values of one shape: an object "owner" never
// stands for the login a path takes.
func TestWritesTakeNothingFromListings(t *testing.T) {
	apis, err := registry.ParseAPIs("clusters.yaml", []byte(clusterService))
	if err != nil {
		t.Fatal(err)
	}
	p := mustNew(t, apis, Options{})
	tests := []struct {
		name, request string
		goal          string
		args          map[string]string // input -> the slot of the question that binds it
		left          []string          // inputs left out
		absent        string            // an API the plan never calls
	}{
		{"a new cluster's values are asked, not copied from a listing", `{"goals":["createCluster"]}`,
			"createCluster", map[string]string{"name": "Cluster.name", "size": "Cluster.size", "region": "Cluster.region"},
			[]string{"project_id", "tags", "id", "created_at"}, "listClusters"},
		{"an object owner is not a login", `{"goals":["deleteRepo"]}`,
			"deleteRepo", map[string]string{"owner": "owner", "repo": "repo"}, nil, "listTasks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := mustPlan(t, p, tt.request)
			if plan.Status != StatusNeedsInfo {
				t.Fatalf("status %s:\n%s", plan.Status, plan.Text())
			}
			if _, ok := stepOf(plan, tt.absent); ok {
				t.Errorf("the plan calls %s:\n%s", tt.absent, plan.Text())
			}
			goal, ok := stepOf(plan, tt.goal)
			if !ok || !goal.Confirm {
				t.Fatalf("no confirmed %s step:\n%s", tt.goal, plan.Text())
			}
			asked := map[string]Step{}
			for _, s := range plan.Steps {
				if s.API == GetInfo {
					asked[s.ID] = s
				}
			}
			for in, slot := range tt.args {
				q, ok := asked[goal.Args[in].From]
				if !ok || q.Slot != slot || q.Options != nil {
					t.Errorf("%s: bound to %+v, want the answer to a question for %s:\n%s", in, goal.Args[in], slot, plan.Text())
				}
			}
			for _, in := range tt.left {
				if a, ok := goal.Args[in]; ok {
					t.Errorf("%s is bound (%+v), want it left out:\n%s", in, a, plan.Text())
				}
			}
		})
	}
}

// queueService is an OpenAPI document of our own in Twilio's style:
// accounts, their queues and the queues' members, each listed, and a
// write on one member.
const queueService = `openapi: 3.0.1
servers: [{url: 'https://api.example.com'}]
paths:
  /Accounts.json:
    get:
      operationId: ListAccount
      responses:
        '200': {content: {application/json: {schema: {type: object, properties: {accounts: {type: array, items: {$ref: '#/components/schemas/account'}}, page: {type: integer}}}}}}
  /Accounts/{AccountSid}/Queues.json:
    get:
      operationId: ListQueue
      parameters:
        - {name: AccountSid, in: path, required: true, schema: {type: string}}
      responses:
        '200': {content: {application/json: {schema: {type: object, properties: {queues: {type: array, items: {$ref: '#/components/schemas/queue'}}, page: {type: integer}}}}}}
  /Accounts/{AccountSid}/Queues/{QueueSid}/Members.json:
    get:
      operationId: ListMember
      parameters:
        - {name: AccountSid, in: path, required: true, schema: {type: string}}
        - {name: QueueSid, in: path, required: true, schema: {type: string}}
      responses:
        '200': {content: {application/json: {schema: {type: object, properties: {members: {type: array, items: {$ref: '#/components/schemas/member'}}, page: {type: integer}}}}}}
  /Accounts/{AccountSid}/Queues/{QueueSid}/Members/{CallSid}.json:
    post:
      operationId: UpdateMember
      parameters:
        - {name: AccountSid, in: path, required: true, schema: {type: string}}
        - {name: QueueSid, in: path, required: true, schema: {type: string}}
        - {name: CallSid, in: path, required: true, schema: {type: string}}
      responses:
        '200': {content: {application/json: {schema: {$ref: '#/components/schemas/member'}}}}
components:
  schemas:
    account: {type: object, properties: {sid: {type: string}}}
    queue: {type: object, properties: {sid: {type: string}, account_sid: {type: string}}}
    member: {type: object, properties: {call_sid: {type: string}, queue_sid: {type: string}}}
`

// TestCallsFollowTheUsersChoice: once the user chooses a record among a
// listing's results, every call that took that record from the listing
// takes the user's choice instead — the members listed are those of the
// queue the user chose, not of the first queue — and one choice serves
// every input that needs it.
func TestCallsFollowTheUsersChoice(t *testing.T) {
	apis, err := registry.ParseAPIs("queues.yaml", []byte(queueService))
	if err != nil {
		t.Fatal(err)
	}
	p := mustNew(t, apis, Options{})
	plan := mustPlan(t, p, `{"goals":["UpdateMember"]}`)
	byID := map[string]Step{}
	choices := map[string]string{} // the listing a choice offers -> the choice
	for _, s := range plan.Steps {
		byID[s.ID] = s
		if s.Options != nil {
			if prev, dup := choices[byID[s.Options.From].API]; dup {
				t.Errorf("two choices among the results of %s: %s and %s", byID[s.Options.From].API, prev, s.ID)
			}
			choices[byID[s.Options.From].API] = s.ID
		}
	}
	for _, c := range []struct{ step, input, listing string }{
		{"ListQueue", "AccountSid", "ListAccount"},
		{"ListMember", "AccountSid", "ListAccount"},
		{"ListMember", "QueueSid", "ListQueue"},
		{"UpdateMember", "AccountSid", "ListAccount"},
		{"UpdateMember", "QueueSid", "ListQueue"},
		{"UpdateMember", "CallSid", "ListMember"},
	} {
		s, ok := stepOf(plan, c.step)
		if !ok {
			t.Fatalf("no %s step:\n%s", c.step, plan.Text())
		}
		if got, want := s.Args[c.input].From, choices[c.listing]; got != want || want == "" {
			t.Errorf("%s.%s comes from %s, want the choice among the results of %s (%s):\n%s", c.step, c.input, got, c.listing, want, plan.Text())
		}
	}
}

// TestReadsOnTheWayToAWriteAsk: a read that leads to a write takes the
// record it identifies from a declared list only through the user's
// choice — the assets offered for deletion are those of the release the
// user chose, not of the first release listed.
func TestReadsOnTheWayToAWriteAsk(t *testing.T) {
	const doc = `openapi: 3.0.3
servers: [{url: 'https://api.example.com'}]
paths:
  /releases:
    get:
      operationId: listReleases
      responses:
        '200': {content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/release'}}}}}
  /releases/{release_id}/assets:
    get:
      operationId: listAssets
      parameters:
        - {name: release_id, in: path, required: true, schema: {type: integer}}
      responses:
        '200': {content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/asset'}}}}}
  /assets/{asset_id}:
    get:
      operationId: getAsset
      parameters:
        - {name: asset_id, in: path, required: true, schema: {type: integer}}
      responses:
        '200': {content: {application/json: {schema: {$ref: '#/components/schemas/asset'}}}}
    delete:
      operationId: deleteAsset
      parameters:
        - {name: asset_id, in: path, required: true, schema: {type: integer}}
      responses:
        '204': {description: deleted}
components:
  schemas:
    release: {type: object, properties: {id: {type: integer}, name: {type: string}}}
    asset: {type: object, properties: {id: {type: integer}, name: {type: string}}}
`
	apis, err := registry.ParseAPIs("releases.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	p := mustNew(t, apis, Options{})
	plan := mustPlan(t, p, `{"goals":["deleteAsset"]}`)
	byID := map[string]Step{}
	for _, s := range plan.Steps {
		byID[s.ID] = s
	}
	for _, c := range []struct{ step, input, listing string }{
		{"listAssets", "release_id", "listReleases"},
		{"deleteAsset", "asset_id", "listAssets"},
	} {
		s, ok := stepOf(plan, c.step)
		if !ok {
			t.Fatalf("no %s step:\n%s", c.step, plan.Text())
		}
		choice := byID[s.Args[c.input].From]
		if choice.API != GetInfo || choice.Options == nil || byID[choice.Options.From].API != c.listing {
			t.Errorf("%s.%s is not the user's choice among the results of %s:\n%s", c.step, c.input, c.listing, plan.Text())
		}
	}
}
