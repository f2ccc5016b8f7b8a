package registry

import (
	"fmt"
	"strings"
	"unicode"
)

// Validate checks the API and returns a *ValidationError listing every
// invalid field, or nil.
func (a *API) Validate() error {
	var fe fieldErrors
	checkName(&fe, "name", a.Name)
	checkNamespace(&fe, a.Namespace)
	checkLen(&fe, "description", a.Description, MaxDescriptionLen)
	if a.Cost < 0 {
		fe.add("cost", "negative")
	}
	switch a.Effect {
	case "", EffectRead, EffectWrite, EffectDestructive:
	default:
		fe.add("effect", "%q is not one of read, write, destructive", a.Effect)
	}
	if len(a.Inputs) > MaxParams {
		fe.add("inputs", "%d inputs exceed the limit of %d", len(a.Inputs), MaxParams)
	}
	if len(a.Outputs) > MaxParams {
		fe.add("outputs", "%d outputs exceed the limit of %d", len(a.Outputs), MaxParams)
	}
	seen := map[string]bool{}
	for i, in := range a.Inputs {
		f := fmt.Sprintf("inputs[%d]", i)
		checkParamName(&fe, f+".name", in.Name)
		if seen[in.Name] {
			fe.add(f+".name", "duplicate input %q", in.Name)
		}
		seen[in.Name] = true
		checkLen(&fe, f+".description", in.Description, MaxDescriptionLen)
	}
	seen = map[string]bool{}
	for i, out := range a.Outputs {
		f := fmt.Sprintf("outputs[%d]", i)
		checkParamName(&fe, f+".name", out.Name)
		if seen[out.Name] {
			fe.add(f+".name", "duplicate output %q", out.Name)
		}
		seen[out.Name] = true
		checkLen(&fe, f+".description", out.Description, MaxDescriptionLen)
	}
	if b := a.Binding; b != nil {
		switch b.Idempotency {
		case "", IdempotencyKey:
		default:
			fe.add("binding.idempotency", "%q is not %q", b.Idempotency, IdempotencyKey)
		}
		if b.StatusCheck != "" && !ValidName(b.StatusCheck) {
			fe.add("binding.status_check", "%q is not a valid API name", b.StatusCheck)
		}
		switch b.Encoding {
		case "", "json", "form":
		default:
			fe.add("binding.encoding", "%q is not one of json, form", b.Encoding)
		}
		if au := b.Auth; au != nil {
			switch au.Scheme {
			case "apikey":
				switch au.In {
				case "header", "query", "cookie":
				default:
					fe.add("binding.auth.in", "%q is not one of header, query, cookie", au.In)
				}
				if au.Name == "" {
					fe.add("binding.auth.name", "required for an apikey scheme")
				}
			case "bearer", "basic":
			default:
				fe.add("binding.auth.scheme", "%q is not one of apikey, bearer, basic", au.Scheme)
			}
		}
		switch b.Kind {
		case BindHTTP:
			if b.URL == "" {
				fe.add("binding.url", "required for an http binding")
			}
			for name, where := range b.In {
				switch where {
				case "path", "query", "header", "body", "cookie":
				default:
					fe.add("binding.in["+name+"]", "%q is not one of path, query, header, body, cookie", where)
				}
			}
		case BindPlugin:
			if b.Plugin == "" {
				fe.add("binding.plugin", "required for a plugin binding")
			}
		case BindTool:
			if b.Tool == "" {
				fe.add("binding.tool", "required for a tool binding")
			}
		case BindFunc:
			if b.Func == "" {
				fe.add("binding.func", "required for a func binding")
			}
		case BindMCP:
			if b.Tool == "" {
				fe.add("binding.tool", "required for an mcp binding")
			}
			if (b.URL == "") == (len(b.Command) == 0) {
				fe.add("binding.url", "an mcp binding needs either url or command")
			}
		case BindFixed:
		default:
			fe.add("binding.kind", "%q is not one of http, plugin, tool, func, fixed, mcp", b.Kind)
		}
	}
	return fe.err("api", a.Name)
}

// checkParamName accepts any name without control characters: parameter
// names come from OpenAPI and NESTFUL documents as written (NESTFUL has
// output fields such as "Exchange Rate").
func checkParamName(fe *fieldErrors, field, s string) {
	switch {
	case strings.TrimSpace(s) == "":
		fe.add(field, "required")
	case len(s) > MaxNameLen:
		fe.add(field, "longer than %d bytes", MaxNameLen)
	case strings.ContainsFunc(s, unicode.IsControl):
		fe.add(field, "%q contains control characters", s)
	}
}
