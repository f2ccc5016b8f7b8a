package registry

import (
	"errors"
	"slices"
	"testing"
)

func TestNameEffect(t *testing.T) {
	tests := []struct {
		name string
		want Effect
	}{
		{"Flights.Book", EffectWrite},
		{"book_flight", EffectWrite},
		{"Book.Get", EffectRead},
		{"search_book_reviews", EffectRead},
		{"Payments.Pay", EffectWrite},
		{"send_sms", EffectWrite},
		{"create_todo", EffectWrite},
		{"Orders.Cancel", EffectDestructive},
		{"Order.Get", EffectRead},
		{"deletePet", EffectDestructive},
		{"RemoveMember", EffectDestructive},
		{"updateUser", EffectWrite},
		{"Cars.Rent", EffectWrite},
		{"play_music", EffectWrite},
		{"TripadvisorSearchHotels", EffectRead},
		{"Get_Country_Details_By_Country_Name", EffectRead},
		{"Instagram_Followers", EffectRead},
		{"calculate_tip", EffectRead},
		{"Weather", EffectRead},
		{"", EffectRead},
	}
	for _, tc := range tests {
		if got := NameEffect(tc.name); got != tc.want {
			t.Errorf("NameEffect(%q) = %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestNameWords(t *testing.T) {
	tests := map[string][]string{
		"customerId":          {"customer", "id"},
		"customer_id":         {"customer", "id"},
		"HTTPServer":          {"http", "server"},
		"Flights.Book":        {"flights", "book"},
		"3D":                  {"3d"},
		"AccountSid":          {"account", "sid"},
		"Exchange Rate":       {"exchange", "rate"},
		"get-user-by-id/v2":   {"get", "user", "by", "id", "v2"},
		"SkyScrapperSearchAP": {"sky", "scrapper", "search", "ap"},
	}
	for in, want := range tests {
		if got := NameWords(in); !slices.Equal(got, want) {
			t.Errorf("NameWords(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEffectOf(t *testing.T) {
	tests := []struct {
		name string
		api  API
		want Effect
	}{
		{"set wins", API{Name: "deleteThing", Effect: EffectRead}, EffectRead},
		{"method", API{Name: "search", Binding: &Binding{Kind: BindHTTP, Method: "POST", URL: "/search"}}, EffectWrite},
		{"delete method", API{Name: "things", Binding: &Binding{Kind: BindHTTP, Method: "delete", URL: "/t"}}, EffectDestructive},
		{"name verb without method", API{Name: "Flights.Book", Binding: &Binding{Kind: BindFunc, Func: "f"}}, EffectWrite},
		{"name verb", API{Name: "Flights.Search"}, EffectRead},
	}
	for _, tc := range tests {
		if got := EffectOf(&tc.api); got != tc.want {
			t.Errorf("%s: EffectOf = %s, want %s", tc.name, got, tc.want)
		}
	}
	for m, want := range map[string]Effect{"GET": EffectRead, "head": EffectRead, "POST": EffectWrite, "PUT": EffectWrite, "PATCH": EffectWrite, "DELETE": EffectDestructive} {
		if got := MethodEffect(m); got != want {
			t.Errorf("MethodEffect(%s) = %s, want %s", m, got, want)
		}
	}
}

// TestOpenAPIEffects: methods give the default effect and idempotence; the
// x-toolsmith-effect and x-toolsmith-idempotent extensions override them;
// an unknown effect is a validation error naming the field.
func TestOpenAPIEffects(t *testing.T) {
	doc := `openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: "https://x.example"}]
paths:
  /search:
    post:
      operationId: searchThings
      x-toolsmith-effect: read
      x-toolsmith-idempotent: true
      responses: {"200": {description: ok}}
  /things/{id}:
    put:
      operationId: putThing
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}}
    delete:
      operationId: deleteThing
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"204": {description: gone}}
`
	apis, err := ParseAPIs("effects.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]API{}
	for _, a := range apis {
		got[a.Name] = a
	}
	for name, want := range map[string]struct {
		e    Effect
		idem bool
	}{"searchThings": {EffectRead, true}, "putThing": {EffectWrite, true}, "deleteThing": {EffectDestructive, true}} {
		if a := got[name]; a.Effect != want.e || a.Idempotent != want.idem {
			t.Errorf("%s: effect %s idempotent %v, want %s %v", name, a.Effect, a.Idempotent, want.e, want.idem)
		}
	}
	bad := `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /x:
    get:
      operationId: x
      x-toolsmith-effect: harmless
      responses: {"200": {description: ok}}
`
	_, err = ParseAPIs("bad.yaml", []byte(bad))
	var ve *ValidationError
	if !errors.As(err, &ve) || !ve.HasField("apis[0].effect") {
		t.Fatalf("unknown effect: %v", err)
	}
}
