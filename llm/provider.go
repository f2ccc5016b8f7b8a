package llm

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/tmc/langchaingo/llms"
	"github.com/tmc/langchaingo/llms/anthropic"
	"github.com/tmc/langchaingo/llms/openai"
)

// Public endpoints of the providers. Google AI and Mistral are reached
// through their OpenAI-compatible APIs, and Ollama through its /v1 API,
// which (unlike langchaingo's native Ollama client) supports tool calling.
const (
	defaultOpenAIBaseURL    = "https://api.openai.com/v1"
	defaultAnthropicBaseURL = "https://api.anthropic.com/v1"
	defaultGoogleAIBaseURL  = "https://generativelanguage.googleapis.com/v1beta/openai"
	defaultMistralBaseURL   = "https://api.mistral.ai/v1"
	defaultOllamaHost       = "http://127.0.0.1:11434"
)

// MissingKeyError reports a provider whose key is not configured.
type MissingKeyError struct {
	Setting string // the setting that named the model, e.g. TOOLSMITH_MAKER_MODEL
	Spec    string
	Key     string // the variable that should hold the key
}

func (e *MissingKeyError) Error() string {
	return fmt.Sprintf("%s=%s: %s is not set (set it, or use --scripted FILE to run without a model)", e.Setting, e.Spec, e.Key)
}

// client is a provider model with what the wrapper must know about it.
type client struct {
	model      llms.Model
	nativeJSON bool
	extra      []llms.CallOption
}

// newClient builds the langchaingo client for spec. It does no network I/O.
func newClient(spec Spec, setting string, c Config, hc *http.Client) (client, error) {
	missing := func(key string) (client, error) {
		return client{}, &MissingKeyError{Setting: setting, Spec: spec.String(), Key: key}
	}
	compatible := func(key, baseURL string) (client, error) {
		m, err := openai.New(openai.WithToken(key), openai.WithModel(spec.Model),
			openai.WithBaseURL(baseURL), openai.WithHTTPClient(hc))
		if err != nil {
			return client{}, fmt.Errorf("%s=%s: %w", setting, spec, err)
		}
		// Servers other than OpenAI's know max_tokens, not max_completion_tokens.
		return client{model: m, nativeJSON: true, extra: []llms.CallOption{openai.WithLegacyMaxTokensField()}}, nil
	}
	switch spec.Provider {
	case OpenAI:
		if c.OpenAIKey == "" {
			return missing(EnvOpenAIKey)
		}
		m, err := openai.New(openai.WithToken(c.OpenAIKey), openai.WithModel(spec.Model),
			openai.WithBaseURL(or(c.OpenAIBaseURL, defaultOpenAIBaseURL)), openai.WithHTTPClient(hc))
		if err != nil {
			return client{}, fmt.Errorf("%s=%s: %w", setting, spec, err)
		}
		return client{model: m, nativeJSON: true}, nil
	case Anthropic:
		if c.AnthropicKey == "" {
			return missing(EnvAnthropicKey)
		}
		m, err := anthropic.New(anthropic.WithToken(c.AnthropicKey), anthropic.WithModel(spec.Model),
			anthropic.WithBaseURL(or(c.AnthropicBaseURL, defaultAnthropicBaseURL)), anthropic.WithHTTPClient(hc))
		if err != nil {
			return client{}, fmt.Errorf("%s=%s: %w", setting, spec, err)
		}
		return client{model: m}, nil
	case GoogleAI:
		if c.GoogleKey == "" {
			return missing(EnvGoogleKey + " (or " + EnvGeminiKey + ")")
		}
		return compatible(c.GoogleKey, defaultGoogleAIBaseURL)
	case Mistral:
		if c.MistralKey == "" {
			return missing(EnvMistralKey)
		}
		return compatible(c.MistralKey, defaultMistralBaseURL)
	case Ollama:
		host, err := ollamaBaseURL(c.OllamaHost)
		if err != nil {
			return client{}, fmt.Errorf("%s=%q: %w", EnvOllamaHost, c.OllamaHost, err)
		}
		return compatible("ollama", host+"/v1")
	case OpenAICompatible:
		// Local servers ignore the key, but the client needs one.
		return compatible(or(c.OpenAICompatibleKey, "none"), spec.BaseURL)
	}
	return client{}, &SpecError{Setting: setting, Value: spec.String(), Reason: "unknown provider"}
}

// ollamaBaseURL turns OLLAMA_HOST into a base URL without a trailing slash,
// as the ollama command reads it: a bare host or host:port is http with
// port 11434 by default; a URL keeps its scheme's default port.
func ollamaBaseURL(host string) (string, error) {
	if host == "" {
		return defaultOllamaHost, nil
	}
	bare := !strings.Contains(host, "://")
	if bare {
		host = "http://" + host
	}
	u, err := url.Parse(host)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("expected host, host:port or an http(s) URL")
	}
	if bare && u.Port() == "" {
		u.Host += ":11434"
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

func or(s, def string) string {
	if s != "" {
		return s
	}
	return def
}
