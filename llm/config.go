package llm

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Environment variables read by ConfigFromEnv.
const (
	EnvMakerModel      = "TOOLSMITH_MAKER_MODEL"
	EnvUserModel       = "TOOLSMITH_USER_MODEL"
	EnvDispatcherModel = "TOOLSMITH_DISPATCHER_MODEL"
	EnvTranslatorModel = "TOOLSMITH_TRANSLATOR_MODEL"
	EnvScripted        = "TOOLSMITH_SCRIPTED"
	// EnvPrices overrides prices: "model=in/out,..." in USD per million
	// input/output tokens; model is a spec ("openai:gpt-4.1") or a model
	// name, which also matches its dated versions ("gpt-4.1" matches
	// "gpt-4.1-2025-04-14").
	EnvPrices     = "TOOLSMITH_PRICES"
	EnvTimeout    = "TOOLSMITH_MODEL_TIMEOUT"     // per attempt, a Go duration
	EnvRetries    = "TOOLSMITH_MODEL_RETRIES"     // retries after the first attempt
	EnvRetryDelay = "TOOLSMITH_MODEL_RETRY_DELAY" // first backoff delay, a Go duration

	EnvOpenAIKey           = "OPENAI_API_KEY"
	EnvOpenAIBaseURL       = "OPENAI_BASE_URL"
	EnvAnthropicKey        = "ANTHROPIC_API_KEY"
	EnvAnthropicBaseURL    = "ANTHROPIC_BASE_URL"
	EnvGoogleKey           = "GOOGLE_API_KEY"
	EnvGeminiKey           = "GEMINI_API_KEY"
	EnvMistralKey          = "MISTRAL_API_KEY"
	EnvOllamaHost          = "OLLAMA_HOST"
	EnvOpenAICompatibleKey = "OPENAI_COMPATIBLE_API_KEY"
)

// Defaults used where a Config leaves a field zero.
const (
	DefaultTimeout    = 2 * time.Minute
	DefaultRetries    = 3
	DefaultRetryDelay = 500 * time.Millisecond
	maxRetryDelay     = 30 * time.Second
)

// Config says which model plays each role and how to reach it. The zero
// value is valid but names no model; ConfigFromEnv fills it from the
// environment.
type Config struct {
	// Model specs ("provider:model") per role. An empty Maker or User takes
	// the other's spec; an empty Dispatcher or Translator takes User's.
	MakerModel, UserModel, DispatcherModel, TranslatorModel string

	// Scripted, when set, is a scripted-model YAML file that answers every
	// role; no provider is contacted and no key is needed.
	Scripted string
	// Script, if set, is a parsed scripted-model file; it wins over
	// Scripted (handy in tests of packages built on this one).
	Script *Script

	// Prices overrides DefaultPrices; keys are specs or model names.
	Prices map[string]Price

	// Provider credentials and endpoints. Empty base URLs mean the
	// providers' public endpoints; OllamaHost defaults to 127.0.0.1:11434.
	OpenAIKey, OpenAIBaseURL       string
	AnthropicKey, AnthropicBaseURL string
	GoogleKey                      string
	MistralKey                     string
	OllamaHost                     string
	// OpenAICompatibleKey is sent to openai-compatible servers (never the
	// OpenAI key, which must not leak to another host).
	OpenAICompatibleKey string

	// Timeout bounds one attempt (0: DefaultTimeout, negative: none).
	Timeout time.Duration
	// Retries is how many times a failed call is retried (0: DefaultRetries,
	// negative: none).
	Retries int
	// RetryDelay is the first backoff delay (0: DefaultRetryDelay); it
	// doubles per retry, with jitter, up to 30s.
	RetryDelay time.Duration

	// HTTPClient, if set, supplies the transport for provider requests.
	HTTPClient *http.Client
	// Logger receives retry notices; nil means slog.Default().
	Logger *slog.Logger

	// problems holds environment values ConfigFromEnv could not parse.
	problems []error
}

// ConfigFromEnv reads a Config through getenv (os.Getenv in the CLI, a map
// lookup in tests). Values that do not parse are reported by Validate and
// Open, naming the variable.
func ConfigFromEnv(getenv func(string) string) Config {
	c := Config{
		MakerModel:          getenv(EnvMakerModel),
		UserModel:           getenv(EnvUserModel),
		DispatcherModel:     getenv(EnvDispatcherModel),
		TranslatorModel:     getenv(EnvTranslatorModel),
		Scripted:            getenv(EnvScripted),
		OpenAIKey:           getenv(EnvOpenAIKey),
		OpenAIBaseURL:       getenv(EnvOpenAIBaseURL),
		AnthropicKey:        getenv(EnvAnthropicKey),
		AnthropicBaseURL:    getenv(EnvAnthropicBaseURL),
		GoogleKey:           getenv(EnvGoogleKey),
		MistralKey:          getenv(EnvMistralKey),
		OllamaHost:          getenv(EnvOllamaHost),
		OpenAICompatibleKey: getenv(EnvOpenAICompatibleKey),
	}
	if c.GoogleKey == "" {
		c.GoogleKey = getenv(EnvGeminiKey)
	}
	if v := getenv(EnvPrices); v != "" {
		p, err := ParsePrices(v)
		if err != nil {
			c.problems = append(c.problems, fmt.Errorf("%s=%q: %w", EnvPrices, v, err))
		}
		c.Prices = p
	}
	duration := func(name string, dst *time.Duration) {
		v := getenv(name)
		if v == "" {
			return
		}
		d, err := time.ParseDuration(v)
		if err != nil {
			c.problems = append(c.problems, fmt.Errorf("%s=%q: expected a duration such as 90s or 2m", name, v))
			return
		}
		if d == 0 {
			d = -1 // an explicit 0 means no timeout
		}
		*dst = d
	}
	duration(EnvTimeout, &c.Timeout)
	duration(EnvRetryDelay, &c.RetryDelay)
	if v := getenv(EnvRetries); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			c.problems = append(c.problems, fmt.Errorf("%s=%q: expected a whole number of retries, 0 or more", EnvRetries, v))
		} else {
			if n == 0 {
				n = -1 // an explicit 0 means no retries
			}
			c.Retries = n
		}
	}
	return c
}

// roleSpecs returns the effective spec string per role and the setting it
// came from.
func (c Config) roleSpecs() map[Role]struct{ spec, from string } {
	type sf = struct{ spec, from string }
	maker := sf{c.MakerModel, EnvMakerModel}
	user := sf{c.UserModel, EnvUserModel}
	if maker.spec == "" {
		maker = user
	}
	if user.spec == "" {
		user = maker
	}
	m := map[Role]sf{Maker: maker, User: user, Dispatcher: user, Translator: user}
	if c.DispatcherModel != "" {
		m[Dispatcher] = sf{c.DispatcherModel, EnvDispatcherModel}
	}
	if c.TranslatorModel != "" {
		m[Translator] = sf{c.TranslatorModel, EnvTranslatorModel}
	}
	return m
}

// Validate reports the first setting that is wrong: a value from the
// environment that did not parse or a model spec that does not parse.
// Missing models and keys are reported by Open, which knows whether the
// scripted model makes them unnecessary.
func (c Config) Validate() error {
	if len(c.problems) > 0 {
		return c.problems[0]
	}
	for _, s := range []struct{ name, v string }{
		{EnvMakerModel, c.MakerModel}, {EnvUserModel, c.UserModel},
		{EnvDispatcherModel, c.DispatcherModel}, {EnvTranslatorModel, c.TranslatorModel},
	} {
		if s.v == "" {
			continue
		}
		if _, err := ParseSpec(s.v); err != nil {
			err.(*SpecError).Setting = s.name
			return err
		}
	}
	for _, s := range []struct{ name, v string }{
		{EnvOpenAIBaseURL, c.OpenAIBaseURL}, {EnvAnthropicBaseURL, c.AnthropicBaseURL},
	} {
		if s.v == "" {
			continue
		}
		if u, err := url.Parse(s.v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("%s=%q: expected an http or https URL", s.name, s.v)
		}
	}
	return nil
}

func (c Config) timeout() time.Duration {
	switch {
	case c.Timeout == 0:
		return DefaultTimeout
	case c.Timeout < 0:
		return 0
	}
	return c.Timeout
}

func (c Config) retries() int {
	switch {
	case c.Retries == 0:
		return DefaultRetries
	case c.Retries < 0:
		return 0
	}
	return c.Retries
}

func (c Config) retryDelay() time.Duration {
	if c.RetryDelay <= 0 {
		return DefaultRetryDelay
	}
	return c.RetryDelay
}

// Setting is one effective configuration value, for display.
type Setting struct {
	Name  string // the environment variable
	Value string // the effective value; secrets are masked
	Note  string // where a default came from, or "" when set directly
}

// Describe lists the effective model settings with secrets masked, in a
// fixed order, for "toolsmith config".
func (c Config) Describe() []Setting {
	specs := c.roleSpecs()
	var out []Setting
	for _, r := range Roles() {
		s := specs[r]
		set := Setting{Name: r.envName(), Value: s.spec}
		switch {
		case s.spec == "":
			set.Value, set.Note = "(not set)", "no model: use --scripted FILE or set a provider:model"
		case s.from != r.envName():
			set.Note = "from " + s.from
		}
		out = append(out, set)
	}
	plain := func(name, v, def string) {
		s := Setting{Name: name, Value: v}
		if v == "" {
			s.Value, s.Note = def, "default"
		}
		out = append(out, s)
	}
	scripted := c.Scripted
	if c.Script != nil {
		scripted = or(c.Script.Path, "(in-memory script)")
	}
	plain(EnvScripted, scripted, "(not set)")
	if scripted == "" {
		out[len(out)-1].Note = "models are called"
	}
	plain(EnvPrices, formatPrices(c.Prices), "(built-in prices)")
	plain(EnvTimeout, durationText(c.Timeout), DefaultTimeout.String())
	plain(EnvRetries, retriesText(c.Retries), strconv.Itoa(DefaultRetries))
	plain(EnvRetryDelay, durationText(c.RetryDelay), DefaultRetryDelay.String())
	secret := func(name, v string) {
		s := Setting{Name: name, Value: MaskSecret(v)}
		if v == "" {
			s.Value = "(not set)"
		}
		out = append(out, s)
	}
	secret(EnvOpenAIKey, c.OpenAIKey)
	plain(EnvOpenAIBaseURL, maskURL(c.OpenAIBaseURL), defaultOpenAIBaseURL)
	secret(EnvAnthropicKey, c.AnthropicKey)
	plain(EnvAnthropicBaseURL, maskURL(c.AnthropicBaseURL), defaultAnthropicBaseURL)
	secret(EnvGoogleKey+" or "+EnvGeminiKey, c.GoogleKey)
	secret(EnvMistralKey, c.MistralKey)
	plain(EnvOllamaHost, maskURL(c.OllamaHost), defaultOllamaHost)
	secret(EnvOpenAICompatibleKey, c.OpenAICompatibleKey)
	return out
}

func durationText(d time.Duration) string {
	switch {
	case d == 0:
		return ""
	case d < 0:
		return "0 (none)"
	}
	return d.String()
}

func retriesText(n int) string {
	switch {
	case n == 0:
		return ""
	case n < 0:
		return "0 (none)"
	}
	return strconv.Itoa(n)
}

// MaskSecret hides a secret, keeping its last four characters when it is
// long enough that they reveal nothing useful.
func MaskSecret(s string) string {
	if s == "" {
		return ""
	}
	if len(s) < 16 {
		return "****"
	}
	return "****" + s[len(s)-4:]
}

// maskURL hides a password in a URL's user information.
func maskURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "****")
	}
	return u.String()
}

func formatPrices(p map[string]Price) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "%s=%g/%g", k, p[k].Input, p[k].Output)
	}
	return b.String()
}
