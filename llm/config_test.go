package llm

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestConfigFromEnv(t *testing.T) {
	c := ConfigFromEnv(envMap(map[string]string{
		EnvMakerModel:   "openai:gpt-4.1",
		EnvUserModel:    "ollama:qwen2.5-coder:7b",
		EnvScripted:     "s.yaml",
		EnvPrices:       "gpt-4.1=1/2, ollama:qwen2.5-coder:7b=0.1/0.2",
		EnvTimeout:      "90s",
		EnvRetries:      "0",
		EnvRetryDelay:   "2s",
		EnvGeminiKey:    "gem-key",
		EnvOllamaHost:   "gpu-box:11434",
		EnvOpenAIKey:    "sk-proj-0123456789abcdef",
		EnvMistralKey:   "mk",
		"UNRELATED_VAR": "x",
	}))
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.MakerModel != "openai:gpt-4.1" || c.UserModel != "ollama:qwen2.5-coder:7b" || c.Scripted != "s.yaml" {
		t.Errorf("models: %+v", c)
	}
	if c.GoogleKey != "gem-key" || c.OllamaHost != "gpu-box:11434" {
		t.Errorf("keys: google %q, ollama %q", c.GoogleKey, c.OllamaHost)
	}
	if c.timeout() != 90*time.Second || c.retries() != 0 || c.retryDelay() != 2*time.Second {
		t.Errorf("timeout %v, retries %d, delay %v", c.timeout(), c.retries(), c.retryDelay())
	}
	if p := c.Prices["ollama:qwen2.5-coder:7b"]; p.Input != 0.1 || p.Output != 0.2 {
		t.Errorf("prices = %+v", c.Prices)
	}
	specs := c.roleSpecs()
	if specs[Dispatcher].spec != "ollama:qwen2.5-coder:7b" || specs[Translator].from != EnvUserModel {
		t.Errorf("dispatcher/translator do not default to the user model: %+v", specs)
	}
}

func TestConfigDefaults(t *testing.T) {
	c := ConfigFromEnv(envMap(nil))
	if c.timeout() != DefaultTimeout || c.retries() != DefaultRetries || c.retryDelay() != DefaultRetryDelay {
		t.Errorf("defaults: %v %d %v", c.timeout(), c.retries(), c.retryDelay())
	}
	if _, err := Open(context.Background(), c); !errors.Is(err, ErrNoModel) {
		t.Errorf("Open without models: %v, want ErrNoModel", err)
	}
	// Only a user model: the maker takes it too.
	c.UserModel = "ollama:llama3"
	specs := c.roleSpecs()
	if specs[Maker].spec != "ollama:llama3" {
		t.Errorf("maker = %+v", specs[Maker])
	}
}

func TestConfigErrorsNameTheSetting(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{EnvMakerModel: "gpt-4.1"}, `TOOLSMITH_MAKER_MODEL="gpt-4.1": no provider; expected provider:model`},
		{map[string]string{EnvTranslatorModel: "foo:bar"}, `TOOLSMITH_TRANSLATOR_MODEL="foo:bar": unknown provider "foo"`},
		{map[string]string{EnvTimeout: "soon"}, `TOOLSMITH_MODEL_TIMEOUT="soon": expected a duration`},
		{map[string]string{EnvRetries: "-2"}, `TOOLSMITH_MODEL_RETRIES="-2": expected a whole number`},
		{map[string]string{EnvPrices: "gpt-4.1=2"}, `TOOLSMITH_PRICES="gpt-4.1=2": price "gpt-4.1=2": expected model=input/output`},
		{map[string]string{EnvOpenAIBaseURL: "localhost:8080"}, `OPENAI_BASE_URL="localhost:8080": expected an http or https URL`},
	}
	for _, tt := range tests {
		c := ConfigFromEnv(envMap(tt.env))
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: err = %v, want one line containing %q", tt.env, err, tt.want)
		}
		if _, openErr := Open(context.Background(), c); openErr == nil || openErr.Error() != err.Error() {
			t.Errorf("Open: %v, want %v", openErr, err)
		}
	}
}

func TestOpenMissingKey(t *testing.T) {
	tests := []struct {
		spec, key string
	}{
		{"openai:gpt-4.1", "OPENAI_API_KEY"},
		{"anthropic:claude-sonnet-4-5", "ANTHROPIC_API_KEY"},
		{"googleai:gemini-2.5-pro", "GOOGLE_API_KEY (or GEMINI_API_KEY)"},
		{"mistral:mistral-large-latest", "MISTRAL_API_KEY"},
	}
	for _, tt := range tests {
		_, err := Open(context.Background(), Config{MakerModel: tt.spec})
		var mk *MissingKeyError
		if !errors.As(err, &mk) || mk.Key != tt.key || mk.Setting != EnvMakerModel {
			t.Errorf("%s: err = %v, want a missing %s", tt.spec, err, tt.key)
		}
	}
	// Keys are not needed with the scripted model.
	cfg := Config{MakerModel: "openai:gpt-4.1", Scripted: "testdata/script.yaml"}
	if _, err := Open(context.Background(), cfg); err != nil {
		t.Errorf("scripted Open: %v", err)
	}
}

func TestOpenAllProvidersWithoutNetwork(t *testing.T) {
	// Hosts under .invalid never resolve: Open must not contact them.
	cfg := Config{
		MakerModel:      "anthropic:claude-sonnet-4-5",
		UserModel:       "ollama:qwen2.5-coder:7b",
		DispatcherModel: "googleai:gemini-2.5-flash",
		TranslatorModel: "mistral:mistral-small-latest",
		AnthropicKey:    "a", GoogleKey: "g", MistralKey: "m",
		AnthropicBaseURL: "http://anthropic.invalid/v1",
		OllamaHost:       "ollama.invalid",
	}
	ms, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Roles() {
		if m := ms.ByRole(r); m == nil || m.Role != r {
			t.Errorf("role %s: %+v", r, m)
		}
	}
	if ms.Dispatcher.Price.Input != 0.3 || ms.User.Price.Source != "local" || ms.Scripted {
		t.Errorf("prices: dispatcher %+v, user %+v", ms.Dispatcher.Price, ms.User.Price)
	}
}

func TestDescribeMasksSecrets(t *testing.T) {
	c := ConfigFromEnv(envMap(map[string]string{
		EnvUserModel:           "openai:gpt-4.1-mini",
		EnvOpenAIKey:           "sk-proj-SECRETSECRETSECRET-abcd",
		EnvAnthropicKey:        "short",
		EnvOpenAIBaseURL:       "https://user:hunter2@proxy.example/v1",
		EnvOpenAICompatibleKey: "",
	}))
	got := map[string]Setting{}
	for _, s := range c.Describe() {
		got[s.Name] = s
	}
	for name, want := range map[string]string{
		EnvMakerModel:      "openai:gpt-4.1-mini",
		EnvDispatcherModel: "openai:gpt-4.1-mini",
		EnvOpenAIKey:       "****abcd",
		EnvAnthropicKey:    "****",
		EnvOpenAIBaseURL:   "https://user:%2A%2A%2A%2A@proxy.example/v1",
		EnvMistralKey:      "(not set)",
		EnvTimeout:         "2m0s",
	} {
		if got[name].Value != want {
			t.Errorf("%s = %q, want %q", name, got[name].Value, want)
		}
	}
	if got[EnvMakerModel].Note != "from "+EnvUserModel {
		t.Errorf("maker note = %q", got[EnvMakerModel].Note)
	}
	for _, s := range c.Describe() {
		if strings.Contains(s.Value, "SECRET") || strings.Contains(s.Value, "hunter2") {
			t.Errorf("%s leaks a secret: %q", s.Name, s.Value)
		}
	}
}
