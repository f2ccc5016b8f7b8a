package registry

import (
	"cmp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// What an OpenAPI document says beyond parameters and fields: which values
// denote the same thing (entity types), which responses are lists, how
// calls authenticate and how bodies are encoded.
//
// Entity types. A field of a component schema reached through $ref takes
// the semantic type "Schema.property" (a Pet's id is "Pet.id", in every
// response and request that refers to Pet). A path parameter takes the
// type of the resource it names: the id property of the schema that the
// resource's GET (or its collection's list) returns ("/pets/{id}" ->
// "Pet.id"); without such a schema it keeps its name (linked by name
// within the document's service, or, generic, not at all). A link ($response.body#/field) declares that the
// target's parameter takes the source's field. Fields of inline schemas
// keep no type: the planner links them by name within the document's
// service only.

// schemaRefPrefix starts the $ref of a component schema.
const schemaRefPrefix = "#/components/schemas/"

// componentName is the component schema a schema node refers to ("" for
// an inline schema).
func (d *openAPIDoc) componentName(n *yaml.Node) string {
	ref := str(get(n, "$ref"))
	if name, ok := strings.CutPrefix(ref, schemaRefPrefix); ok {
		return strings.ReplaceAll(strings.ReplaceAll(name, "~1", "/"), "~0", "~")
	}
	return ""
}

// typeFields gives each field of component comp the type "comp.field".
func typeFields(fields []schemaField, comp string) {
	if comp == "" {
		return
	}
	for i := range fields {
		fields[i].input.Type = comp + "." + fields[i].input.Name
	}
}

// element returns the schema of one element of a response: the items of
// an array, or of a list envelope (an object with one array of objects and
// otherwise scalar fields, as Stripe's {object, data, has_more, url}); list
// says whether the response is such a list. Otherwise the schema itself.
func (d *openAPIDoc) element(schema *yaml.Node) (elem *yaml.Node, list bool, err error) {
	s, err := d.resolve(schema)
	if err != nil {
		return nil, false, err
	}
	if schemaType(s) == "array" && get(s, "items") != nil {
		return get(s, "items"), true, nil
	}
	var arrayOf *yaml.Node
	envelope := get(s, "properties") != nil
	pairs(get(s, "properties"), func(_ string, ps *yaml.Node) {
		ps, rerr := d.resolve(ps)
		if rerr != nil {
			envelope = false
			return
		}
		switch schemaType(ps) {
		case "array":
			items := get(ps, "items")
			it, rerr := d.resolve(items)
			if arrayOf != nil || items == nil || rerr != nil || (get(it, "properties") == nil && get(it, "allOf") == nil) {
				envelope = false
				return
			}
			arrayOf = items
		case "object":
			envelope = false
		}
	})
	if envelope && arrayOf != nil {
		return arrayOf, true, nil
	}
	return schema, false, nil
}

// bodySchema picks the request body's schema: JSON first, then a form
// (application/x-www-form-urlencoded), then any media type with a schema;
// media is the type chosen.
func (d *openAPIDoc) bodySchema(content *yaml.Node) (schema *yaml.Node, media string) {
	rank := func(mt string) int {
		switch {
		case mt == "application/json" || strings.HasSuffix(mt, "+json"):
			return 0
		case mt == "application/x-www-form-urlencoded":
			return 1
		}
		return 2
	}
	best := 3
	pairs(content, func(mt string, m *yaml.Node) {
		if s := get(m, "schema"); s != nil && rank(mt) < best {
			schema, media, best = s, mt, rank(mt)
		}
	})
	return schema, media
}

// auth returns how an operation authenticates: the first scheme of its
// security requirements (the document's when it names none), preferring
// bearer, then API keys, then basic among alternatives. The secret is
// named after the document's title and the scheme ("STRIPE_API_BEARER_AUTH"),
// as an environment variable would be.
func (d *openAPIDoc) auth(op *yaml.Node) *Auth {
	reqs := get(op, "security")
	if reqs == nil {
		reqs = get(d.root, "security")
	}
	var best *Auth
	rank := map[string]int{"bearer": 0, "apikey": 1, "basic": 2}
	for _, req := range items(reqs) {
		pairs(req, func(name string, _ *yaml.Node) {
			scheme, err := d.resolve(get(get(get(d.root, "components"), "securitySchemes"), name))
			if err != nil || scheme == nil {
				return
			}
			a := &Auth{}
			switch strings.ToLower(str(get(scheme, "type"))) {
			case "apikey":
				a.Scheme, a.In, a.Name = "apikey", str(get(scheme, "in")), str(get(scheme, "name"))
			case "http":
				switch strings.ToLower(str(get(scheme, "scheme"))) {
				case "bearer":
					a.Scheme = "bearer"
				case "basic":
					a.Scheme = "basic"
				default:
					return
				}
			case "oauth2", "openidconnect":
				a.Scheme = "bearer"
			default:
				return
			}
			words := append(NameWords(str(get(get(d.root, "info"), "title"))), NameWords(name)...)
			a.Secret = strings.ToUpper(strings.Join(words, "_"))
			if best == nil || rank[a.Scheme] < rank[best.Scheme] {
				best = a
			}
		})
	}
	return best
}

// carries reports whether a parameter (its location and name) is the
// credential itself: an API key's parameter, or the Authorization header.
func (a *Auth) carries(where, name string) bool {
	if a == nil {
		return false
	}
	if where == "header" && strings.EqualFold(name, "Authorization") {
		return true
	}
	return a.Scheme == "apikey" && where == a.In && (name == a.Name || (where == "header" && strings.EqualFold(name, a.Name)))
}

// typePathParams gives every path parameter the type of its resource.
func (d *openAPIDoc) typePathParams(apis []API) {
	// What each path's GET returns: one element or a list of them.
	type got struct {
		comp string
		list bool
	}
	gets := map[string]got{}
	for _, o := range d.ops {
		if o.method != "get" {
			continue
		}
		if resp := d.successResponse(get(o.op, "responses")); resp != nil {
			if schema := d.mediaSchema(get(resp, "content")); schema != nil {
				if elem, list, err := d.element(schema); err == nil {
					gets[resourcePath(o.path)] = got{d.componentName(elem), list}
				}
			}
		}
	}
	for i, o := range d.ops {
		for _, pp := range o.params {
			in := &apis[i].Inputs[pp.input]
			if in.Type != "" {
				continue
			}
			// A parameter whose resource's GET returns a list filters or
			// names a parent: it does not identify an element.
			res := resourcePath(pp.resource)
			g, ok := gets[res]
			if ok && g.list {
				continue
			}
			comp := g.comp
			if coll, ok := gets[res[:max(0, strings.LastIndexByte(res, '/'))]]; comp == "" && ok && coll.list {
				comp = coll.comp
			}
			if comp == "" {
				continue
			}
			if prop := identifyingProperty(d, d.componentSchema(comp), in); prop != "" {
				in.Type = comp + "." + prop
			}
		}
	}
}

// identifyingProperty is the property of a resource's schema that path
// parameter in names: the property of its name in any case or style
// (the resource says they are the same thing: "Sid" is "sid",
// "customerId" is "customer_id"); else the property named by its last
// word ("issue_number" is the "number", "asset_id" its "id");
// else "id". The last two only where the data types agree: a repository's
// name ("repo", a string) is not its numeric id.
func identifyingProperty(d *openAPIDoc, schema *yaml.Node, in *Input) string {
	words := NameWords(in.Name)
	key := strings.Join(words, "")
	last := ""
	if len(words) > 1 {
		last = words[len(words)-1]
	}
	var exact, byLast, id string
	pairs(get(schema, "properties"), func(name string, ps *yaml.Node) {
		pk := strings.Join(NameWords(name), "")
		if exact == "" && pk == key {
			exact = name
			return
		}
		ps, err := d.resolve(ps)
		if err != nil || !dataTypesAgree(in.DataType, dataType(d.valueType(ps, 0))) {
			return
		}
		switch {
		case byLast == "" && last != "" && pk == last:
			byLast = name
		case id == "" && name == "id":
			id = name
		}
	})
	return cmp.Or(exact, byLast, id)
}

// dataTypesAgree reports whether values of JSON Schema types a and b can
// denote the same thing: equal, both numbers, or either unknown.
func dataTypesAgree(a, b string) bool {
	number := func(t string) bool { return t == "integer" || t == "number" }
	return a == "" || b == "" || a == b || (number(a) && number(b))
}

// resourcePath is a path without a format suffix ("/Calls/{Sid}.json" is
// the resource "/Calls/{Sid}").
func resourcePath(path string) string {
	last := path[strings.LastIndexByte(path, '/')+1:]
	if i := strings.LastIndexByte(last, '.'); i > 0 && !strings.Contains(last[i:], "}") {
		return path[:len(path)-len(last)+i]
	}
	return path
}

// componentSchema returns the component schema named name, resolved, with
// the properties of its allOf parts merged in when it has no properties of
// its own.
func (d *openAPIDoc) componentSchema(name string) *yaml.Node {
	s, err := d.resolve(get(get(get(d.root, "components"), "schemas"), name))
	if err != nil || s == nil {
		return nil
	}
	if get(s, "properties") != nil || get(s, "allOf") == nil {
		return s
	}
	merged := &yaml.Node{Kind: yaml.MappingNode}
	props := &yaml.Node{Kind: yaml.MappingNode}
	for _, part := range items(get(s, "allOf")) {
		p, err := d.resolve(part)
		if err != nil {
			continue
		}
		if pp := get(p, "properties"); pp != nil {
			props.Content = append(props.Content, pp.Content...)
		}
	}
	merged.Content = []*yaml.Node{{Kind: yaml.ScalarNode, Value: "properties"}, props}
	return merged
}

// applyLinks follows the links of every operation's success response: a
// target parameter given as "$response.body#/field" accepts the source's
// output field (its type, else its name) as an alias.
func (d *openAPIDoc) applyLinks(apis []API) {
	byOpID := map[string]int{}
	for i, o := range d.ops {
		if id := str(get(o.op, "operationId")); id != "" {
			byOpID[id] = i
		}
	}
	for i, o := range d.ops {
		resp := d.successResponse(get(o.op, "responses"))
		pairs(get(resp, "links"), func(_ string, link *yaml.Node) {
			link, err := d.resolve(link)
			if err != nil {
				return
			}
			j, ok := byOpID[str(get(link, "operationId"))]
			if !ok {
				return
			}
			pairs(get(link, "parameters"), func(param string, expr *yaml.Node) {
				field, ok := strings.CutPrefix(str(expr), "$response.body#/")
				if !ok || field == "" || strings.Contains(field, "/") {
					return // nested fields are not outputs of their own
				}
				for _, out := range apis[i].Outputs {
					if out.Name != field {
						continue
					}
					alias := out.SlotType()
					for k := range apis[j].Inputs {
						in := &apis[j].Inputs[k]
						if in.Name == param && in.SlotType() != alias && !slices.Contains(in.Aliases, alias) {
							in.Aliases = append(in.Aliases, alias)
						}
					}
				}
			})
		})
	}
}
