package planner

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// The failure stories of issue 12, each on a small spec of our own.

func mustNew(t *testing.T, apis []registry.API, opts Options) *Planner {
	t.Helper()
	p, err := New(apis, opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func askedSlots(p *Plan) []string {
	var out []string
	for _, q := range p.Questions() {
		out = append(out, q.Slot)
	}
	slices.Sort(out)
	return out
}

func stepOf(p *Plan, api string) (Step, bool) {
	for _, s := range p.Steps {
		if s.API == api {
			return s, true
		}
	}
	return Step{}, false
}

// TestMusicGenreIsNotAMovieGenre: a music lookup's "genre" output never
// feeds a movie search's "genre" input — different services, same name.
// Declaring the type links them, and so does a known value.
func TestMusicGenreIsNotAMovieGenre(t *testing.T) {
	spec := []byte(`[
	 {"name": "Music.Lookup", "description": "Genre of a song.",
	  "arguments": {"song": {"type": "string", "required": true}},
	  "output_parameters": {"genre": {"type": "string"}}},
	 {"name": "Movies.Search", "description": "Movies of a genre.",
	  "arguments": {"genre": {"type": "string", "required": true}},
	  "output_parameters": {"title": {"type": "string"}}}]`)
	apis, err := registry.ParseAPIs("genres.json", spec)
	if err != nil {
		t.Fatal(err)
	}
	p := mustNew(t, apis, Options{})
	plan := mustPlan(t, p, `{"goals":["Movies.Search"],"known":{"song":"Blue in Green"}}`)
	if got := strings.Join(calls(plan), ","); got != "Movies.Search" || !slices.Equal(askedSlots(plan), []string{"genre"}) {
		t.Fatalf("the movie genre must be asked, not looked up in music:\n%s", plan.Text())
	}
	// A known genre fills the movie search.
	plan = mustPlan(t, p, `{"goals":["Movies.Search"],"known":{"genre":"jazz"}}`)
	if s, _ := stepOf(plan, "Movies.Search"); plan.Status != StatusOK || s.Args["genre"].Value != "jazz" {
		t.Fatalf("known genre: %s", plan.Text())
	}
	// A declared alias says the two are the same thing.
	apis[1].Inputs[0].Aliases = []string{"genre"}
	plan = mustPlan(t, mustNew(t, apis, Options{}), `{"goals":["Movies.Search"],"known":{"song":"Blue in Green"}}`)
	if got := strings.Join(calls(plan), ","); got != "Music.Lookup,Movies.Search" {
		t.Fatalf("with the alias, the music genre feeds the movie search:\n%s", plan.Text())
	}
}

// TestInvalidOptionalFilterIsAskedNotBound: "4 or 5" stars is not an
// allowed value of the search's optional filter. It is reported and asked
// of the user; the booking is not run before the search to bind the filter
// from its output.
func TestInvalidOptionalFilterIsAskedNotBound(t *testing.T) {
	apis := []registry.API{
		{Name: "Hotels.Search", Inputs: []registry.Input{
			{Name: "city", Required: true},
			{Name: "stars", Allowed: []any{"1", "2", "3", "4", "5"}},
		}, Outputs: []registry.Output{{Name: "hotel_id"}}, List: true},
		{Name: "Hotels.Book", Inputs: []registry.Input{{Name: "hotel_id", Required: true, NotAskable: true}},
			Outputs: []registry.Output{{Name: "booking_id"}, {Name: "stars"}}},
	}
	p := mustNew(t, apis, Options{})
	plan := mustPlan(t, p, `{"goals":["Hotels.Search","Hotels.Book"],"known":{"city":"Paris","stars":"4 or 5"}}`)
	search, _ := stepOf(plan, "Hotels.Search")
	book, _ := stepOf(plan, "Hotels.Book")
	var order []string
	for _, s := range plan.Steps {
		order = append(order, s.API)
	}
	if strings.Join(order, ",") != "get_info,Hotels.Search,get_info,Hotels.Book" {
		t.Fatalf("want the stars asked, the search, the choice of hotel, the booking; got %v\n%s", order, plan.Text())
	}
	ask := plan.Steps[0]
	if ask.Slot != "stars" || search.Args["stars"].From != ask.ID || !strings.Contains(ask.Question, `"4 or 5" is not accepted`) {
		t.Fatalf("the filter must be the user's answer: %+v\n%s", search.Args["stars"], plan.Text())
	}
	if len(plan.Issues) != 1 || plan.Issues[0].Kind != IssueInvalidValue || plan.Issues[0].Input != "stars" {
		t.Fatalf("problems: %+v", plan.Issues)
	}
	if choice := plan.Steps[2]; choice.Options == nil || choice.Options.From != search.ID || book.Args["hotel_id"].From != choice.ID {
		t.Fatalf("the hotel must be chosen among the results:\n%s", plan.Text())
	}
	// When the filter cannot be asked, it is left out, not bound.
	apis[0].Inputs[1].NotAskable = true
	plan = mustPlan(t, mustNew(t, apis, Options{}), `{"goals":["Hotels.Search","Hotels.Book"],"known":{"city":"Paris","stars":"4 or 5"}}`)
	search, _ = stepOf(plan, "Hotels.Search")
	if _, bound := search.Args["stars"]; bound || plan.Steps[0].API != "Hotels.Search" {
		t.Fatalf("an unaskable invalid filter must be dropped:\n%s", plan.Text())
	}
}

// TestAllowedValuesMatchAfterNormalisation: "3D" is the allowed "3d",
// "True" the allowed true, 5 the allowed "5".
func TestAllowedValuesMatchAfterNormalisation(t *testing.T) {
	apis := []registry.API{{Name: "Cinema.Showtimes", Inputs: []registry.Input{
		{Name: "format", Required: true, Allowed: []any{"2d", "3d", "imax"}},
		{Name: "subtitles", Allowed: []any{true, false}},
		{Name: "seats", Allowed: []any{"1", "5"}},
	}}}
	p := mustNew(t, apis, Options{})
	plan := mustPlan(t, p, `{"goals":["Cinema.Showtimes"],"known":{"format":" 3D ","subtitles":"True","seats":5}}`)
	if plan.Status != StatusOK || len(plan.Issues) != 0 {
		t.Fatalf("normalised values were refused:\n%s", plan.Text())
	}
	args := plan.Steps[0].Args
	if args["format"].Value != "3d" || args["subtitles"].Value != true || args["seats"].Value != "5" {
		t.Fatalf("args %+v, want the allowed values", args)
	}
	plan = mustPlan(t, p, `{"goals":["Cinema.Showtimes"],"known":{"format":"4D"}}`)
	if plan.Status != StatusNeedsInfo || len(plan.Issues) != 1 || plan.Issues[0].Kind != IssueInvalidValue {
		t.Fatalf("4D must be reported and asked:\n%s", plan.Text())
	}
}

// twilio is a small Twilio-like spec of our own: calls and messages have
// a Sid each, under an account.
func twilio(t *testing.T) []registry.API {
	doc := []byte(`openapi: 3.0.3
info: {title: Telephony, version: "1"}
servers: [{url: "https://api.tel.example/2010-04-01"}]
components:
  securitySchemes:
    accountAuth: {type: http, scheme: basic}
  schemas:
    Call:
      type: object
      properties: {sid: {type: string}, to: {type: string}, status: {type: string}}
    Message:
      type: object
      properties: {sid: {type: string}, body: {type: string}}
security: [{accountAuth: []}]
paths:
  /Accounts/{AccountSid}/Calls/{Sid}.json:
    parameters:
      - {name: AccountSid, in: path, required: true, schema: {type: string}}
      - {name: Sid, in: path, required: true, schema: {type: string}}
    get:
      operationId: FetchCall
      responses: {"200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Call"}}}}}
  /Accounts/{AccountSid}/Messages.json:
    parameters:
      - {name: AccountSid, in: path, required: true, schema: {type: string}}
    get:
      operationId: ListMessages
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  messages: {type: array, items: {$ref: "#/components/schemas/Message"}}
                  page: {type: integer}
  /Accounts/{AccountSid}/Messages/{Sid}.json:
    parameters:
      - {name: AccountSid, in: path, required: true, schema: {type: string}}
      - {name: Sid, in: path, required: true, schema: {type: string}}
    get:
      operationId: FetchMessage
      responses: {"200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Message"}}}}}
    delete:
      operationId: DeleteMessage
      responses: {"204": {description: deleted}}
`)
	apis, err := registry.ParseAPIs("telephony.yaml", doc)
	if err != nil {
		t.Fatal(err)
	}
	return apis
}

// TestCallSidIsNotAMessageSid: a call's Sid never fills a message's Sid —
// neither from the call's output nor from a value given for the call —
// and a plain "Sid" naming both is ambiguous, not used. The account is a
// namespace setting: never asked. The credential is the binding's auth.
func TestCallSidIsNotAMessageSid(t *testing.T) {
	apis := twilio(t)
	for _, a := range apis {
		if au := a.Binding.Auth; au == nil || au.Scheme != "basic" || au.Secret != "TELEPHONY_ACCOUNT_AUTH" {
			t.Fatalf("%s auth = %+v", a.Name, au)
		}
	}
	p := mustNew(t, apis, Options{}.WithSettings(&registry.Settings{Inputs: map[string]any{"AccountSid": "AC1"}}))
	plan := mustPlan(t, p, `{"goals":["FetchCall","DeleteMessage"],"known":{"FetchCall.Sid":"CA1"}}`)
	del, _ := stepOf(plan, "DeleteMessage")
	fetch, _ := stepOf(plan, "FetchCall")
	if fetch.Args["Sid"].Value != "CA1" || fetch.Args["AccountSid"].Value != "AC1" || del.Args["AccountSid"].Value != "AC1" {
		t.Fatalf("given and fixed values: %s", plan.Text())
	}
	if a := del.Args["Sid"]; a.Value == "CA1" || (a.IsRef() && a.From == fetch.ID) || !del.Confirm {
		t.Fatalf("the message Sid must not come from the call:\n%s", plan.Text())
	}
	if slices.Contains(askedSlots(plan), "AccountSid") {
		t.Fatalf("the account is a setting, never asked:\n%s", plan.Text())
	}
	// The message is chosen among the account's messages, not taken first.
	if q := plan.Questions(); len(q) != 1 || q[0].Options == nil || del.Args["Sid"].From != q[0].ID {
		t.Fatalf("want a choice among the messages:\n%s", plan.Text())
	}
	plan = mustPlan(t, p, `{"goals":["FetchCall","FetchMessage"],"known":{"Sid":"CA1"}}`)
	if len(plan.Issues) != 1 || plan.Issues[0].Kind != IssueAmbiguous || len(plan.Questions()) != 2 {
		t.Fatalf("a plain Sid names two things: want it reported and both asked:\n%s", plan.Text())
	}
}

// TestCaseAndStyleVariantsDoNotLinkByThemselves: "customerId" and
// "customer_id" are different names unless an alias joins them.
func TestCaseAndStyleVariantsDoNotLinkByThemselves(t *testing.T) {
	apis := []registry.API{
		{Name: "Shop.FindCustomer", Inputs: []registry.Input{{Name: "email", Required: true}}, Outputs: []registry.Output{{Name: "customerId"}}},
		{Name: "Shop.Orders", Inputs: []registry.Input{{Name: "customer_id", Required: true}}, Outputs: []registry.Output{{Name: "orders"}}},
	}
	plan := mustPlan(t, mustNew(t, apis, Options{}), `{"goals":["Shop.Orders"],"known":{"email":"ada@example.org"}}`)
	if got := strings.Join(calls(plan), ","); got != "Shop.Orders" {
		t.Fatalf("customerId must not feed customer_id by itself:\n%s", plan.Text())
	}
	apis[1].Inputs[0].Aliases = []string{"customerId"}
	plan = mustPlan(t, mustNew(t, apis, Options{}), `{"goals":["Shop.Orders"],"known":{"email":"ada@example.org"}}`)
	if got := strings.Join(calls(plan), ","); got != "Shop.FindCustomer,Shop.Orders" || plan.Status != StatusOK {
		t.Fatalf("with the alias they link:\n%s", plan.Text())
	}
}

// TestTranslatorIndependentPlanOverStripe plans from a known customer id
// keyed by its plain name: the id fills the path parameter typed
// customer.id, and deleting asks nothing more.
func TestKnownIdByPlainName(t *testing.T) {
	p, _ := openAPIPlanner(t, "petstore-expanded.yaml")
	plan, err := p.Plan(context.Background(), mustRequest(t, `{"goals":["deletePet"],"known":{"id":7}}`))
	if err != nil {
		t.Fatal(err)
	}
	if plan.Status != StatusOK || len(plan.Steps) != 1 || plan.Steps[0].Args["id"].Value == nil {
		t.Fatalf("a plain id fills Pet.id:\n%s", plan.Text())
	}
}
