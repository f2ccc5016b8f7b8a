package llm

import (
	"fmt"
	"net/url"
	"strings"
)

// Provider names a model provider in a model spec.
type Provider string

// The providers a model spec may name.
const (
	OpenAI           Provider = "openai"
	Anthropic        Provider = "anthropic"
	Ollama           Provider = "ollama"
	GoogleAI         Provider = "googleai"
	Mistral          Provider = "mistral"
	OpenAICompatible Provider = "openai-compatible"
	// Scripted is the provider of models that answer from a scripted-model
	// file; it cannot be named in a spec.
	Scripted Provider = "scripted"
)

// providers lists the providers a spec may name, in the order error
// messages give them.
var specProviders = []Provider{OpenAI, Anthropic, Ollama, GoogleAI, Mistral, OpenAICompatible}

// Spec is a parsed model name such as "openai:gpt-4.1".
type Spec struct {
	Provider Provider
	// Model is the provider's model name, e.g. "gpt-4.1" or "qwen2.5-coder:7b".
	Model string
	// BaseURL is the server of an openai-compatible spec; empty otherwise.
	BaseURL string
}

// String returns the spec in the form ParseSpec accepts.
func (s Spec) String() string {
	if s.Provider == OpenAICompatible {
		return string(s.Provider) + ":" + s.Model + "@" + s.BaseURL
	}
	return string(s.Provider) + ":" + s.Model
}

// SpecError reports a model spec that does not parse.
type SpecError struct {
	// Setting is the configuration setting that held the spec, if known.
	Setting string
	Value   string
	Reason  string
}

func (e *SpecError) Error() string {
	var b strings.Builder
	if e.Setting != "" {
		b.WriteString(e.Setting)
		b.WriteString("=")
	}
	fmt.Fprintf(&b, "%q: %s; expected provider:model with provider one of ", e.Value, e.Reason)
	for i, p := range specProviders {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(p))
	}
	b.WriteString(" (e.g. openai:gpt-4.1, anthropic:claude-sonnet-4-5, ollama:qwen2.5-coder:7b, openai-compatible:MODEL@http://127.0.0.1:8080/v1)")
	return b.String()
}

// ParseSpec parses a "provider:model" string. The model part may itself
// contain colons ("ollama:qwen2.5-coder:7b"). An openai-compatible spec names
// its server after the model: "openai-compatible:MODEL@BASE_URL", where
// BASE_URL is an http or https URL.
func ParseSpec(s string) (Spec, error) {
	fail := func(reason string) (Spec, error) {
		return Spec{}, &SpecError{Value: s, Reason: reason}
	}
	if s == "" {
		return fail("empty")
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return fail("contains white space or control characters")
	}
	p, model, ok := strings.Cut(s, ":")
	if !ok {
		return fail("no provider")
	}
	prov := Provider(p)
	known := false
	for _, q := range specProviders {
		known = known || q == prov
	}
	if !known {
		return fail(fmt.Sprintf("unknown provider %q", p))
	}
	spec := Spec{Provider: prov, Model: model}
	if prov == OpenAICompatible {
		i := strings.Index(model, "@http://")
		if j := strings.Index(model, "@https://"); j >= 0 && (i < 0 || j < i) {
			i = j
		}
		if i < 0 {
			return fail("openai-compatible needs MODEL@BASE_URL with an http or https URL")
		}
		spec.Model, spec.BaseURL = model[:i], model[i+1:]
		u, err := url.Parse(spec.BaseURL)
		if err != nil || u.Host == "" {
			return fail(fmt.Sprintf("bad base URL %q", spec.BaseURL))
		}
	}
	if spec.Model == "" {
		return fail("no model name")
	}
	return spec, nil
}
