package registry

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// testSettings is part of the conformance suite: a namespace's settings
// read as the zero Settings until stored, round-trip, replace the earlier
// record, are validated, versioned and announced, and stay in their
// namespace.
func testSettings(t *testing.T, s Store) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got, err := s.GetSettings(ctx, "team-s")
	if err != nil {
		t.Fatal(err)
	}
	if got.Namespace != "team-s" || got.BaseURL != "" || len(got.Secrets) != 0 || !got.UpdatedAt.IsZero() {
		t.Fatalf("settings before any were stored: %+v", got)
	}
	ch, err := s.Subscribe(ctx, "team-s")
	if err != nil {
		t.Fatal(err)
	}
	before := time.Now().Add(-time.Second)
	st := &Settings{
		Namespace: "team-s",
		BaseURL:   "https://api.example.com/v1",
		Costs:     Costs{Read: 1, Write: 3, Ask: 4},
		Inputs:    map[string]any{"AccountSid": "AC123", "Calls.Fetch.Region": "eu"},
		Secrets:   map[string]Secret{"stripe": {Env: "STRIPE_KEY"}, "legacy": {Value: "s3cr3t"}},
	}
	if err := s.PutSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
	if st.SchemaVersion != SchemaVersion || st.UpdatedAt.Before(before) {
		t.Fatalf("PutSettings did not set schema version and time: %+v", st)
	}
	got, err = s.GetSettings(ctx, "team-s")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Inputs, st.Inputs) || !reflect.DeepEqual(got.Secrets, st.Secrets) ||
		got.Costs != st.Costs || got.BaseURL != st.BaseURL || !got.UpdatedAt.Equal(st.UpdatedAt) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, st)
	}
	// Replacing writes the whole record.
	if err := s.PutSettings(ctx, &Settings{Namespace: "team-s", BaseURL: "http://localhost:8080"}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.GetSettings(ctx, "team-s")
	if got.BaseURL != "http://localhost:8080" || len(got.Secrets) != 0 || got.Costs != (Costs{}) {
		t.Fatalf("after replace: %+v", got)
	}
	if other, err := s.GetSettings(ctx, ""); err != nil || other.BaseURL != "" || other.Namespace != DefaultNamespace {
		t.Fatalf("default namespace sees %+v, %v", other, err)
	}
	if v, err := s.Version(ctx, "team-s", CollSettings); err != nil || v != 2 {
		t.Fatalf("settings version = %d, %v; want 2", v, err)
	}
	wantChanges(t, ch, []Change{
		{Namespace: "team-s", Collection: CollSettings, Name: "settings", Version: 1},
		{Namespace: "team-s", Collection: CollSettings, Name: "settings", Version: 2},
	})
	var ve *ValidationError
	err = s.PutSettings(ctx, &Settings{Namespace: "team-s", BaseURL: "api.example.com", Costs: Costs{Ask: -1},
		Secrets: map[string]Secret{"both": {Env: "A", Value: "b"}}})
	if !errors.As(err, &ve) || !ve.HasField("base_url") || !ve.HasField("costs.ask") || !ve.HasField("secrets.both") {
		t.Fatalf("invalid settings: %v", err)
	}
	if v, _ := s.Version(ctx, "team-s", CollSettings); v != 2 {
		t.Fatalf("rejected settings moved the version to %d", v)
	}
}

func TestSettingsSecret(t *testing.T) {
	env := map[string]string{"STRIPE_KEY": "sk_test_1", "twilio": "tw"}
	getenv := func(k string) string { return env[k] }
	st := &Settings{Namespace: "pay", Secrets: map[string]Secret{
		"stripe": {Env: "STRIPE_KEY"}, "stored": {Value: "clear"}, "unset": {Env: "NOT_SET"},
	}}
	tests := []struct {
		name, want, errHas string
	}{
		{"stripe", "sk_test_1", ""},
		{"stored", "clear", ""},
		{"twilio", "tw", ""}, // not configured: the variable of that name
		{"unset", "", "environment variable NOT_SET is not set"},
		{"missing", "", "not configured and environment variable missing is not set"},
	}
	for _, tc := range tests {
		got, err := st.Secret(tc.name, getenv)
		if tc.errHas != "" {
			var se *SecretError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.errHas) || strings.Contains(err.Error(), "clear") {
				t.Errorf("Secret(%s) = %q, %v; want a *SecretError with %q", tc.name, got, err, tc.errHas)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Secret(%s) = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	m := st.Masked()
	if m.Secrets["stored"].Value != "****" || m.Secrets["stripe"].Env != "STRIPE_KEY" || st.Secrets["stored"].Value != "clear" {
		t.Fatalf("Masked: %+v (original %+v)", m.Secrets, st.Secrets)
	}
	if s := (Secret{Value: "clear"}).String(); strings.Contains(s, "clear") {
		t.Fatalf("Secret.String shows the value: %s", s)
	}
}

func TestSettingsResolveURL(t *testing.T) {
	withServer := &API{Name: "a", Binding: &Binding{Kind: BindHTTP, URL: "https://api.stripe.com/v1/charges"}}
	bare := &API{Name: "listPets", Binding: &Binding{Kind: BindHTTP, URL: "/pets/{id}"}}
	none := &Settings{Namespace: "pets"}
	if u, err := none.ResolveURL(withServer); err != nil || u != "https://api.stripe.com/v1/charges" {
		t.Fatalf("absolute URL: %q, %v", u, err)
	}
	_, err := none.ResolveURL(bare)
	var be *BaseURLError
	if !errors.As(err, &be) || !strings.Contains(err.Error(), "base_url=") || be.API != "listPets" {
		t.Fatalf("bare path without base URL: %v", err)
	}
	set := &Settings{Namespace: "pets", BaseURL: "http://localhost:8080/api/"}
	if u, err := set.ResolveURL(bare); err != nil || u != "http://localhost:8080/api/pets/{id}" {
		t.Fatalf("with base URL: %q, %v", u, err)
	}
}

func TestSettingsFixedInput(t *testing.T) {
	st := &Settings{Inputs: map[string]any{"AccountSid": "AC1", "Calls.Fetch.AccountSid": "AC2"}}
	if v, ok := st.FixedInput("Calls.Fetch", "AccountSid"); !ok || v != "AC2" {
		t.Fatalf("Api.input key: %v %v", v, ok)
	}
	if v, ok := st.FixedInput("Messages.List", "AccountSid"); !ok || v != "AC1" {
		t.Fatalf("input-name key: %v %v", v, ok)
	}
	if _, ok := st.FixedInput("Messages.List", "To"); ok {
		t.Fatal("unset input is fixed")
	}
}
