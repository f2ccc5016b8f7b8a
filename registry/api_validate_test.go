package registry

import (
	"errors"
	"testing"
)

func TestAPIValidateEffectsAndBinding(t *testing.T) {
	http := func(mod func(*Binding)) *Binding {
		b := &Binding{Kind: BindHTTP, URL: "https://example.com/x"}
		mod(b)
		return b
	}
	tests := []struct {
		name  string
		api   API
		field string // "" means valid
	}{
		{"read", API{Name: "A", Effect: EffectRead}, ""},
		{"destructive idempotent", API{Name: "A", Effect: EffectDestructive, Idempotent: true}, ""},
		{"unknown effect", API{Name: "A", Effect: "delete"}, "effect"},
		{"idempotency key", API{Name: "A", Binding: http(func(b *Binding) { b.Idempotency = IdempotencyKey })}, ""},
		{"unknown idempotency", API{Name: "A", Binding: http(func(b *Binding) { b.Idempotency = "yes" })}, "binding.idempotency"},
		{"form body", API{Name: "A", Binding: http(func(b *Binding) { b.Encoding = "form" })}, ""},
		{"unknown encoding", API{Name: "A", Binding: http(func(b *Binding) { b.Encoding = "xml" })}, "binding.encoding"},
		{"api key", API{Name: "A", Binding: http(func(b *Binding) {
			b.Auth = &Auth{Scheme: "apikey", In: "header", Name: "X-Key", Secret: "SVC_KEY"}
		})}, ""},
		{"api key without name", API{Name: "A", Binding: http(func(b *Binding) {
			b.Auth = &Auth{Scheme: "apikey", In: "header"}
		})}, "binding.auth.name"},
		{"api key in body", API{Name: "A", Binding: http(func(b *Binding) {
			b.Auth = &Auth{Scheme: "apikey", In: "body", Name: "k"}
		})}, "binding.auth.in"},
		{"bearer", API{Name: "A", Binding: http(func(b *Binding) { b.Auth = &Auth{Scheme: "bearer", Secret: "TOKEN"} })}, ""},
		{"unknown scheme", API{Name: "A", Binding: http(func(b *Binding) { b.Auth = &Auth{Scheme: "oauth9"} })}, "binding.auth.scheme"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.api.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || !ve.HasField(tt.field) {
				t.Fatalf("Validate = %v, want an error on %s", err, tt.field)
			}
		})
	}
	if !EffectWrite.SideEffect() || !EffectDestructive.SideEffect() || EffectRead.SideEffect() || Effect("").SideEffect() {
		t.Error("SideEffect: only write and destructive change the world")
	}
}
