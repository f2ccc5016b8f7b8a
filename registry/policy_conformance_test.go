package registry

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

const internationalLP = `home_country("US").
international(A) :- tag(A,"flight"), tag(A,"booking"), value(A,"country",C), not home_country(C).
require(A,"passport_number") :- international(A).
`

// testPolicies is part of the conformance suite: policies are stored,
// replaced, listed by name, deleted, validated, versioned and announced the
// same way on every backend, and stay within their namespace.
func testPolicies(t *testing.T, s Store) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, err := s.Subscribe(ctx, "team-a")
	if err != nil {
		t.Fatal(err)
	}
	before := time.Now().Add(-time.Second)
	p := &Policy{Name: "international", Namespace: "team-a", Source: internationalLP, Description: "passports abroad"}
	if err := s.PutPolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	if p.SchemaVersion != SchemaVersion || p.UpdatedAt.Before(before) {
		t.Fatalf("PutPolicy did not set schema version and time: %+v", p)
	}
	got, err := s.GetPolicy(ctx, "team-a", "international")
	if err != nil {
		t.Fatal(err)
	}
	if got.Source != internationalLP || got.Description != "passports abroad" || got.Namespace != "team-a" || !got.UpdatedAt.Equal(p.UpdatedAt) {
		t.Fatalf("round trip: %+v", got)
	}
	if err := s.PutPolicy(ctx, &Policy{Name: "blocked", Namespace: "team-a", Source: `blocked("2024-12-25").`}); err != nil {
		t.Fatal(err)
	}
	// Replacing keeps one record.
	if err := s.PutPolicy(ctx, &Policy{Name: "international", Namespace: "team-a", Source: internationalLP + "% v2\n"}); err != nil {
		t.Fatal(err)
	}
	list, err := s.ListPolicies(ctx, "team-a")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Name != "blocked" || list[1].Name != "international" || !strings.HasSuffix(list[1].Source, "% v2\n") {
		t.Fatalf("list = %+v", list)
	}
	if v, err := s.Version(ctx, "team-a", CollPolicies); err != nil || v != 3 {
		t.Fatalf("policies version = %d, %v; want 3", v, err)
	}
	if v, _ := s.Version(ctx, "team-a", CollAPIs); v != 0 {
		t.Fatalf("a policy write moved the apis version to %d", v)
	}
	// Namespaces are separate.
	if l, err := s.ListPolicies(ctx, ""); err != nil || len(l) != 0 {
		t.Fatalf("default namespace sees %d policies, %v", len(l), err)
	}
	_, err = s.GetPolicy(ctx, "", "international")
	wantNotFound(t, err, "policy of another namespace")

	if err := s.DeletePolicy(ctx, "team-a", "blocked"); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetPolicy(ctx, "team-a", "blocked")
	wantNotFound(t, err, "deleted policy")
	var nf *NotFoundError
	if err := s.DeletePolicy(ctx, "team-a", "blocked"); !errors.As(err, &nf) || nf.Kind != "policy" || nf.Namespace != "team-a" {
		t.Fatalf("delete twice: %v", err)
	}
	if l, _ := s.ListPolicies(ctx, "team-a"); len(l) != 1 {
		t.Fatalf("after delete %d policies", len(l))
	}
	want := []Change{
		{Namespace: "team-a", Collection: CollPolicies, Name: "international", Version: 1},
		{Namespace: "team-a", Collection: CollPolicies, Name: "blocked", Version: 2},
		{Namespace: "team-a", Collection: CollPolicies, Name: "international", Version: 3},
		{Namespace: "team-a", Collection: CollPolicies, Name: "blocked", Version: 4},
	}
	wantChanges(t, ch, want)

	// Invalid policies are rejected field by field and write nothing.
	var ve *ValidationError
	err = s.PutPolicy(ctx, &Policy{Name: "bad name", Namespace: "team-a", Source: " \n", Description: strings.Repeat("d", MaxDescriptionLen+1)})
	if !errors.As(err, &ve) || ve.Kind != "policy" || !ve.HasField("name") || !ve.HasField("source") || !ve.HasField("description") {
		t.Fatalf("invalid policy: %v", err)
	}
	err = s.PutPolicy(ctx, &Policy{Name: "huge", Namespace: "team-a", Source: strings.Repeat("a.\n", MaxPolicySource/3+1)})
	if !errors.As(err, &ve) || !ve.HasField("source") {
		t.Fatalf("oversized policy: %v", err)
	}
	if err := s.PutPolicy(ctx, &Policy{Name: "x", Namespace: "bad ns", Source: "a."}); !errors.As(err, &ve) || !ve.HasField("namespace") {
		t.Fatalf("bad namespace: %v", err)
	}
	if v, _ := s.Version(ctx, "team-a", CollPolicies); v != 4 {
		t.Fatalf("rejected policies moved the version to %d", v)
	}
}

func TestPolicyValidate(t *testing.T) {
	tests := []struct {
		name   string
		p      Policy
		fields []string
	}{
		{"valid", Policy{Name: "payments.confirm", Source: "a."}, nil},
		{"no name", Policy{Source: "a."}, []string{"name"}},
		{"no source", Policy{Name: "p"}, []string{"source"}},
		{"at the limit", Policy{Name: "p", Source: strings.Repeat("%", MaxPolicySource)}, nil},
		{"over the limit", Policy{Name: "p", Source: strings.Repeat("%", MaxPolicySource+1)}, []string{"source"}},
		{"newer schema", Policy{Name: "p", Source: "a.", SchemaVersion: SchemaVersion + 1}, []string{"schema_version"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.p.Validate()
			if tc.fields == nil {
				if err != nil {
					t.Fatalf("got %v, want valid", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("got %v, want a *ValidationError", err)
			}
			for _, f := range tc.fields {
				if !ve.HasField(f) {
					t.Errorf("%v: field %s not reported", err, f)
				}
			}
		})
	}
	if _, err := decodeRecord[Policy]("policy", "p", []byte(`{"schema_version": 99, "name": "p"}`)); err == nil {
		t.Fatal("a policy of a newer schema decoded")
	}
}
