package llm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
)

// Models holds the model of every role and the meter they all record to.
type Models struct {
	Maker, User, Dispatcher, Translator *Model
	Meter                               *Meter
	// Scripted is true when every model answers from a scripted-model file;
	// output should then say so (see Notice).
	Scripted bool
	// ScriptFile is the scripted-model file in use, if any.
	ScriptFile string
}

// ByRole returns the model playing role, or nil for an unknown role.
func (ms *Models) ByRole(r Role) *Model {
	switch r {
	case Maker:
		return ms.Maker
	case User:
		return ms.User
	case Dispatcher:
		return ms.Dispatcher
	case Translator:
		return ms.Translator
	}
	return nil
}

// All returns the models in role order: maker, user, dispatcher, translator.
func (ms *Models) All() []*Model {
	return []*Model{ms.Maker, ms.User, ms.Dispatcher, ms.Translator}
}

// Notice returns the line to print when the scripted model is in use, or "".
func (ms *Models) Notice() string {
	if !ms.Scripted {
		return ""
	}
	name := ms.ScriptFile
	if name == "" {
		name = "an in-memory script"
	}
	return fmt.Sprintf("using the scripted model from %s: no model is called", name)
}

// ErrNoModel is returned by Open when no model is configured and no
// scripted model is in use.
var ErrNoModel = errors.New("no model configured: set " + EnvMakerModel + " and " + EnvUserModel +
	" to provider:model (e.g. openai:gpt-4.1), or use --scripted FILE")

// Open builds the models cfg describes. With a scripted model (cfg.Script
// or cfg.Scripted) no provider is set up and no key is needed; otherwise a
// missing key is a *MissingKeyError naming the variable. Open does no
// network I/O: a wrong key or unreachable server shows on the first call.
func Open(ctx context.Context, cfg Config) (*Models, error) {
	_ = ctx // reserved: Open may one day check connectivity under ctx
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	script := cfg.Script
	if script == nil && cfg.Scripted != "" {
		s, err := LoadScript(cfg.Scripted)
		if err != nil {
			return nil, err
		}
		script = s
	}
	ms := &Models{Meter: &Meter{}}
	wrap := func(r Role, name string, price Price, c client) *Model {
		return &Model{
			Role: r, Name: name, Price: price,
			inner: c.model, nativeJSON: c.nativeJSON, extra: c.extra, meter: ms.Meter,
			timeout: cfg.timeout(), retries: cfg.retries(), delay: cfg.retryDelay(), logger: logger,
		}
	}
	set := func(r Role, m *Model) {
		switch r {
		case Maker:
			ms.Maker = m
		case User:
			ms.User = m
		case Dispatcher:
			ms.Dispatcher = m
		case Translator:
			ms.Translator = m
		}
	}

	if script != nil {
		ms.Scripted, ms.ScriptFile = true, script.Path
		ms.Meter.Scripted = or(script.Path, "an in-memory script")
		specs := scriptedSpecs(cfg, script)
		for _, r := range Roles() {
			name, price := "scripted", Price{Source: "unknown"}
			if s := specs[r].spec; s != "" {
				spec, err := ParseSpec(s)
				if err != nil {
					return nil, err // validated above
				}
				name, price = "scripted("+s+")", PriceFor(spec, cfg.Prices)
			}
			set(r, wrap(r, name, price, client{model: scriptedModel{script: script, role: r}, nativeJSON: true}))
		}
		return ms, nil
	}

	hc := newHTTPClient(cfg.HTTPClient)
	specs := cfg.roleSpecs()
	for _, r := range Roles() {
		s := specs[r]
		if s.spec == "" {
			return nil, ErrNoModel
		}
		spec, err := ParseSpec(s.spec)
		if err != nil {
			return nil, err
		}
		c, err := newClient(spec, s.from, cfg, hc)
		if err != nil {
			return nil, err
		}
		set(r, wrap(r, spec.String(), PriceFor(spec, cfg.Prices), c))
	}
	return ms, nil
}

// scriptedSpecs merges the configured model specs with the script's own:
// a role's configured spec wins, then the script's, then the usual
// fallbacks between roles.
func scriptedSpecs(cfg Config, s *Script) map[Role]struct{ spec, from string } {
	pick := func(v string, r Role) string {
		if v != "" {
			return v
		}
		if sp, ok := s.Models[r]; ok {
			return sp.String()
		}
		return ""
	}
	merged := Config{
		MakerModel:      pick(cfg.MakerModel, Maker),
		UserModel:       pick(cfg.UserModel, User),
		DispatcherModel: pick(cfg.DispatcherModel, Dispatcher),
		TranslatorModel: pick(cfg.TranslatorModel, Translator),
	}
	return merged.roleSpecs()
}
