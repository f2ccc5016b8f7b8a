package planner

import (
	"net/url"
	"slices"
	"strings"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// Entity-typed slots.
//
// A value flows from an output to an input only when both denote the same
// thing. A declared semantic type (Input.Type, Output.Type, as the OpenAPI
// importer sets from component schemas and resources) says so across the
// whole registry. A name alone says so only within a scope:
//
//   - within the API's service — the host of its HTTP binding, else the
//     part of its name before the first '.' ("Music" of "Music.Search"),
//     else the whole document (NESTFUL specs without hosts or dots);
//   - and, for generic names (id, sid, name, type, date, status...), only
//     within the API's resource — the part of its name before the first
//     '.', else the API itself;
//   - and only between values of one shape: an object output never feeds
//     a scalar input of the same name, nor the reverse.
//
// So a music API's "genre" output never feeds a movie API's "genre" input,
// and a call's "sid" never a message's "sid", unless the registry declares
// a shared type or an alias. An alias ("aliases": ["skyId"]) is a
// declaration: it accepts outputs named skyId in any scope. Names that
// differ in case or style ("Sid", "sid") are different names unless a type
// or an alias joins them.
//
// scopeAPIs implements this by giving every untyped output the slot
// "name@scope" and every untyped input, besides its own slot (which known
// values and questions use), the alias "name@scope" of its own scope; a
// declared alias or input type is expanded to the scoped slots of the
// outputs it names.

// genericNames are parameter names (their words joined, lower case) that
// say what a value is but not what it belongs to.
var genericNames = map[string]bool{
	"id": true, "ids": true, "sid": true, "uid": true, "uuid": true, "guid": true, "key": true, "token": true,
	"name": true, "type": true, "kind": true, "category": true, "date": true, "status": true, "state": true,
	"code": true, "value": true, "data": true, "result": true, "results": true, "object": true, "url": true,
	"uri": true, "link": true, "cursor": true, "page": true, "offset": true, "limit": true, "count": true,
	"total": true, "number": true, "version": true, "label": true, "tag": true, "tags": true, "items": true,
}

// GenericName reports whether a parameter name is generic: it says what a
// value is (an id, a name, a type, a date) but not what it belongs to, so
// it never links two resources by itself.
func GenericName(name string) bool {
	return genericNames[strings.Join(registry.NameWords(name), "")]
}

// service is the scope of an API's non-generic names.
func service(a *registry.API) string {
	if b := a.Binding; b != nil && b.Kind == registry.BindHTTP {
		if u, err := url.Parse(b.URL); err == nil && u.Host != "" {
			return u.Host
		}
	}
	if i := strings.IndexByte(a.Name, '.'); i > 0 {
		return a.Name[:i]
	}
	return ""
}

// resource is the scope of an API's generic names.
func resource(a *registry.API) string {
	if i := strings.IndexByte(a.Name, '.'); i > 0 {
		if s := service(a); s != "" && s != a.Name[:i] {
			return s + "/" + a.Name[:i]
		}
		return a.Name[:i]
	}
	return a.Name
}

// scopedSlot is the slot an untyped parameter of a takes: its name and
// scope, and the shape of its values when they are objects (see shape).
func scopedSlot(a *registry.API, name, dataType string) string {
	scope := service(a)
	if GenericName(name) {
		scope = resource(a)
	}
	slot := name
	if scope != "" {
		slot += "@" + scope
	}
	if sh := shape(dataType); sh != "" {
		slot += ":" + sh
	}
	return slot
}

// shape is "object" for objects, else "": an object never stands for a
// scalar of the same name (a task's "owner" object is not the "owner"
// login a repository path takes), nor the reverse. Arrays keep the shape
// of their elements' name: an array of order ids offers the order id to
// choose (see choices.go). A value of unknown type is not an object.
func shape(dataType string) string {
	if dataType == "object" {
		return dataType
	}
	return ""
}

// scopeAPIs returns copies of apis with entity-typed slots (see above).
func scopeAPIs(apis []registry.API) []registry.API {
	byName := map[string][]string{} // output name -> the scoped slots of outputs so named
	for i := range apis {
		for _, o := range apis[i].Outputs {
			if o.Type == "" {
				s := scopedSlot(&apis[i], o.Name, o.DataType)
				if !slices.Contains(byName[o.Name], s) {
					byName[o.Name] = append(byName[o.Name], s)
				}
			}
		}
	}
	// expand returns the slots a declared alias or type s accepts: s, and
	// the scoped slots of the outputs named s (an instance tag kept).
	expand := func(s string) []string {
		base, tag, _ := strings.Cut(s, "#")
		out := []string{s}
		for _, x := range byName[base] {
			if tag != "" {
				x += "#" + tag
			}
			if x != s {
				out = append(out, x)
			}
		}
		return out
	}
	out := make([]registry.API, len(apis))
	for i := range apis {
		a := apis[i]
		outs := make([]registry.Output, len(a.Outputs))
		for k, o := range a.Outputs {
			if o.Type == "" {
				o.Type = scopedSlot(&apis[i], o.Name, o.DataType)
			}
			outs[k] = o
		}
		a.Outputs = outs
		ins := make([]registry.Input, len(a.Inputs))
		for k, in := range a.Inputs {
			var aliases []string
			add := func(ss ...string) {
				for _, s := range ss {
					if s != in.SlotType() && !slices.Contains(aliases, s) {
						aliases = append(aliases, s)
					}
				}
			}
			if in.Type == "" {
				add(scopedSlot(&apis[i], in.Name, in.DataType))
			} else {
				add(expand(in.Type)...)
			}
			for _, al := range in.Aliases {
				add(expand(al)...)
			}
			in.Aliases = aliases
			ins[k] = in
		}
		a.Inputs = ins
		out[i] = a
	}
	return out
}
