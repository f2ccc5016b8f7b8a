package registry

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Settings configure how a namespace's APIs are planned and called: the
// costs the planner weighs, inputs fixed as account settings, the server of
// HTTP APIs whose document names none, and where credentials come from. A
// namespace without stored settings has the zero Settings, whose every
// field means "the default".
type Settings struct {
	SchemaVersion int    `json:"schema_version"`
	Namespace     string `json:"namespace,omitempty"`
	// BaseURL is the server ("https://api.example.com/v1") of the
	// namespace's HTTP APIs whose URL is a bare path, as an OpenAPI
	// document without servers gives; see ResolveURL.
	BaseURL string `json:"base_url,omitempty"`
	// Costs weigh a read call, a write call and a question for the
	// planner; a zero field keeps the planner's default.
	Costs Costs `json:"costs,omitzero"`
	// Inputs fixes inputs that are account settings (Twilio's AccountSid
	// path parameter, say), keyed by input name or "Api.input": the
	// planner binds them and never asks for them.
	Inputs map[string]any `json:"inputs,omitempty"`
	// Secrets says where each credential a binding's Auth.Secret names
	// comes from; a name not listed is read from the environment variable
	// of that name (see Settings.Secret).
	Secrets map[string]Secret `json:"secrets,omitempty"`
	// UpdatedAt is set by PutSettings.
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// Costs are the planner's costs of one read call, one write or
// destructive call and one question (get_info). An API's own Cost, when
// set, wins over Read and Write.
type Costs struct {
	Read  int `json:"read,omitempty"`
	Write int `json:"write,omitempty"`
	Ask   int `json:"ask,omitempty"`
}

// Secret is where one credential comes from: the environment variable Env
// (preferred: the value never enters the store) or Value, kept in the store
// in clear. Exactly one is set.
type Secret struct {
	Env   string `json:"env,omitempty"`
	Value string `json:"value,omitempty"`
}

// String describes the secret without its value: "env:NAME" or "value:****".
func (s Secret) String() string {
	if s.Env != "" {
		return "env:" + s.Env
	}
	return "value:" + maskedValue
}

const maskedValue = "****"

// Masked returns a copy of st whose stored secret values read "****", for
// display.
func (st Settings) Masked() Settings {
	if len(st.Secrets) == 0 {
		return st
	}
	secrets := make(map[string]Secret, len(st.Secrets))
	for name, s := range st.Secrets {
		if s.Value != "" {
			s.Value = maskedValue
		}
		secrets[name] = s
	}
	st.Secrets = secrets
	return st
}

// SecretError reports a credential that cannot be had: neither configured
// nor in the environment, or configured from an environment variable that
// is not set.
type SecretError struct {
	Namespace string
	Name      string
	// Env is the variable that was read and found empty.
	Env string
}

func (e *SecretError) Error() string {
	if e.Env != e.Name {
		return fmt.Sprintf("secret %s of namespace %s: environment variable %s is not set", e.Name, nsOrDefault(e.Namespace), e.Env)
	}
	return fmt.Sprintf("secret %s of namespace %s: not configured and environment variable %s is not set (toolsmith settings set --namespace %s secret.%s=env:VARIABLE)",
		e.Name, nsOrDefault(e.Namespace), e.Name, nsOrDefault(e.Namespace), e.Name)
}

// Secret returns the credential named name: from the configured Secret, or
// else from the environment variable of that name, as getenv reads it
// (os.Getenv, usually). It never logs or stores the value.
func (st *Settings) Secret(name string, getenv func(string) string) (string, error) {
	env := name
	if s, ok := st.Secrets[name]; ok {
		if s.Env == "" {
			return s.Value, nil
		}
		env = s.Env
	}
	if v := getenv(env); v != "" {
		return v, nil
	}
	return "", &SecretError{Namespace: st.Namespace, Name: name, Env: env}
}

// BaseURLError reports an HTTP API whose URL is a bare path while the
// namespace has no base URL setting.
type BaseURLError struct {
	Namespace string
	API       string
	URL       string
}

func (e *BaseURLError) Error() string {
	ns := nsOrDefault(e.Namespace)
	return fmt.Sprintf("api %s: its document names no server (URL %q) and namespace %s has no base URL: toolsmith settings set --namespace %s base_url=https://HOST/PATH",
		e.API, e.URL, ns, ns)
}

// ResolveURL returns the URL an HTTP binding of api calls: the binding's URL
// when it is absolute, else the namespace's BaseURL joined with it. It
// fails with a *BaseURLError when the URL is a bare path and no base URL is
// set.
func (st *Settings) ResolveURL(api *API) (string, error) {
	if api.Binding == nil {
		return "", fmt.Errorf("api %s has no binding", api.Name)
	}
	u := api.Binding.URL
	if strings.Contains(u, "://") {
		return u, nil
	}
	if st.BaseURL == "" {
		return "", &BaseURLError{Namespace: st.Namespace, API: api.Name, URL: u}
	}
	return strings.TrimRight(st.BaseURL, "/") + "/" + strings.TrimLeft(u, "/"), nil
}

// FixedInput returns the value fixed for input of api, keyed "Api.input"
// or by the input's name alone (the first wins).
func (st *Settings) FixedInput(api, input string) (any, bool) {
	if v, ok := st.Inputs[api+"."+input]; ok {
		return v, true
	}
	v, ok := st.Inputs[input]
	return v, ok
}

// Validate checks the record and returns a *ValidationError listing every
// invalid field, or nil.
func (st *Settings) Validate() error {
	var fe fieldErrors
	checkNamespace(&fe, st.Namespace)
	if st.BaseURL != "" {
		u, err := url.Parse(st.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			fe.add("base_url", "%q is not an absolute http or https URL", st.BaseURL)
		}
	}
	for field, c := range map[string]int{"costs.read": st.Costs.Read, "costs.write": st.Costs.Write, "costs.ask": st.Costs.Ask} {
		if c < 0 {
			fe.add(field, "negative")
		}
	}
	for _, k := range sortedMapKeys(st.Inputs) {
		if strings.TrimSpace(k) == "" {
			fe.add("inputs", "empty input name")
		}
	}
	for _, name := range sortedMapKeys(st.Secrets) {
		s := st.Secrets[name]
		switch {
		case strings.TrimSpace(name) == "":
			fe.add("secrets", "empty secret name")
		case (s.Env == "") == (s.Value == ""):
			fe.add("secrets."+name, "set exactly one of env and value")
		}
	}
	if st.SchemaVersion > SchemaVersion {
		fe.add("schema_version", "%d is newer than this release's %d", st.SchemaVersion, SchemaVersion)
	}
	return fe.err("settings", nsOrDefault(st.Namespace))
}

func sortedMapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// encodeSettings fills in the defaults of settings about to be written,
// validates them and encodes the record, for either backend.
func encodeSettings(st *Settings) ([]byte, error) {
	st.Namespace = nsOrDefault(st.Namespace)
	st.SchemaVersion = SchemaVersion
	st.UpdatedAt = time.Now().UTC()
	if err := st.Validate(); err != nil {
		return nil, err
	}
	return encodeRecord("settings", st.Namespace, st)
}

// emptySettings are the settings of a namespace that has none stored.
func emptySettings(ns string) *Settings {
	return &Settings{SchemaVersion: SchemaVersion, Namespace: nsOrDefault(ns)}
}

func (st *Settings) schemaVersion() int { return st.SchemaVersion }
