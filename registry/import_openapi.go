package registry

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// openAPIMethods are the operations of a path item, in the order tried.
var openAPIMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// maxRefDepth bounds $ref chains and nested allOf (cycles are legal in
// OpenAPI schemas).
const maxRefDepth = 32

// openAPIDoc walks one OpenAPI 3 document.
type openAPIDoc struct {
	root *yaml.Node
	// ops are the operations read, in the order of the APIs returned.
	ops []opRef
}

// pathParam is a path parameter: the input's index and the path up to
// and including the parameter (its resource).
type pathParam struct {
	input    int
	resource string
}

// opRef is an operation read, for links and resources: its path
// parameters are typed once every operation is read (typePathParams).
type opRef struct {
	method, path string
	op           *yaml.Node
	params       []pathParam
}

// parseOpenAPI turns every operation of an OpenAPI 3 document into an API:
// parameters (path, query, header, cookie) and the fields of a JSON request
// body become inputs, the fields of the first 2xx JSON response become
// outputs, and the binding is the HTTP operation. Extensions
// x-toolsmith-cost (integer) and x-toolsmith-confirm (boolean) on an
// operation set Cost and Confirm.
func parseOpenAPI(root *yaml.Node) ([]API, error) {
	version := str(get(root, "openapi"))
	if !strings.HasPrefix(version, "3.") {
		return nil, fmt.Errorf("openapi %q: only OpenAPI 3.x is supported", version)
	}
	d := &openAPIDoc{root: root}
	paths := get(root, "paths")
	if paths == nil {
		return nil, errors.New("OpenAPI document has no paths")
	}
	var apis []API
	var err error
	pairs(paths, func(path string, item *yaml.Node) {
		if err != nil {
			return
		}
		item, err = d.resolve(item)
		if err != nil {
			return
		}
		for _, method := range openAPIMethods {
			op := get(item, method)
			if op == nil {
				continue
			}
			var a API
			a, err = d.operation(path, method, item, op)
			if err != nil {
				err = fmt.Errorf("%s %s: %w", strings.ToUpper(method), path, err)
				return
			}
			apis = append(apis, a)
		}
	})
	if err != nil {
		return nil, err
	}
	uniqueNames(apis)
	d.typePathParams(apis)
	d.applyLinks(apis)
	return apis, nil
}

// uniqueNames makes the APIs' names unique: names made from paths may
// meet ("/jobs" and "/jobs/", "/users" and "/users/~"), and so may
// operationIds cut to MaxNameLen. A later API of a taken name gets the
// suffix _2, _3...
func uniqueNames(apis []API) {
	taken := make(map[string]bool, len(apis))
	for i := range apis {
		name := apis[i].Name
		for k := 2; taken[name]; k++ {
			suffix := "_" + strconv.Itoa(k)
			name = apis[i].Name[:min(len(apis[i].Name), MaxNameLen-len(suffix))] + suffix
		}
		apis[i].Name = name
		taken[name] = true
	}
}

// resolve follows a local $ref ("#/components/..."); other nodes are
// returned as they are.
func (d *openAPIDoc) resolve(n *yaml.Node) (*yaml.Node, error) {
	for depth := 0; ; depth++ {
		ref := str(get(n, "$ref"))
		if ref == "" {
			return n, nil
		}
		if depth >= maxRefDepth {
			return nil, fmt.Errorf("$ref %q: chain longer than %d", ref, maxRefDepth)
		}
		if !strings.HasPrefix(ref, "#/") {
			return nil, fmt.Errorf("$ref %q: only references within the document are supported", ref)
		}
		target := d.root
		for _, part := range strings.Split(ref[2:], "/") {
			if p, err := url.PathUnescape(part); err == nil {
				part = p // a fragment may percent-encode its pointer
			}
			part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
			target = pointerStep(target, part)
			if target == nil {
				return nil, fmt.Errorf("$ref %q: not found", ref)
			}
		}
		n = target
	}
}

// pointerStep is one step of a JSON pointer: a mapping's key or a
// sequence's index ("allOf/0").
func pointerStep(n *yaml.Node, part string) *yaml.Node {
	if seq := items(n); seq != nil {
		i, err := strconv.Atoi(part)
		if err != nil || i < 0 || i >= len(seq) || strconv.Itoa(i) != part {
			return nil
		}
		return seq[i]
	}
	return get(n, part)
}

// operationName is the operationId, or method_path, as a valid API name.
func operationName(method, path string, op *yaml.Node) string {
	name := str(get(op, "operationId"))
	if name == "" {
		name = method + "_" + path
	}
	b := []byte(name)
	for i, c := range b {
		if !nameByte(c) {
			b[i] = '_'
		}
	}
	name = string(b)
	for strings.Contains(name, "__") {
		name = strings.ReplaceAll(name, "__", "_")
	}
	name = strings.Trim(name, "_.-")
	if name == "" {
		name = method
	}
	if len(name) > MaxNameLen {
		name = name[:MaxNameLen]
	}
	return name
}

func (d *openAPIDoc) operation(path, method string, item, op *yaml.Node) (API, error) {
	a := API{Name: operationName(method, path, op)}
	summary, desc := strings.TrimSpace(str(get(op, "summary"))), strings.TrimSpace(str(get(op, "description")))
	switch {
	case summary != "" && desc != "" && summary != desc:
		a.Description = strings.TrimRight(summary, ".") + ". " + desc
	case summary != "":
		a.Description = summary
	default:
		a.Description = desc
	}
	a.Description = clip(a.Description, MaxDescriptionLen)
	if c := str(get(op, "x-toolsmith-cost")); c != "" {
		a.Cost, _ = strconv.Atoi(c)
	}
	a.Confirm, _ = boolOf(get(op, "x-toolsmith-confirm"))
	a.Effect = MethodEffect(method)
	if e := Effect(strings.ToLower(str(get(op, "x-toolsmith-effect")))); e != "" {
		a.Effect = e // validated with the API
	}
	a.Idempotent = MethodIdempotent(method)
	if v, ok := boolOf(get(op, "x-toolsmith-idempotent")); ok {
		a.Idempotent = v
	}
	for _, t := range items(get(op, "tags")) {
		a.Tags = append(a.Tags, str(t))
	}
	b := &Binding{Kind: BindHTTP, Method: strings.ToUpper(method), URL: d.serverURL(op, item) + path, In: map[string]string{}}
	b.Auth = d.auth(op)
	if ext := strings.ToLower(str(get(op, "x-toolsmith-idempotency"))); ext != "" {
		b.Idempotency = ext // validated with the API
	}

	// Parameters: path-level ones first, overridden by the operation's.
	var params []*yaml.Node
	index := map[string]int{}
	for _, list := range []*yaml.Node{get(item, "parameters"), get(op, "parameters")} {
		for _, p := range items(list) {
			p, err := d.resolve(p)
			if err != nil {
				return a, err
			}
			key := str(get(p, "in")) + "\x00" + str(get(p, "name"))
			if i, ok := index[key]; ok {
				params[i] = p
				continue
			}
			index[key] = len(params)
			params = append(params, p)
		}
	}
	var paths []pathParam
	for _, p := range params {
		where, name := str(get(p, "in")), str(get(p, "name"))
		if name == "" {
			continue // nothing to send it under
		}
		if where == "header" && strings.EqualFold(name, "Idempotency-Key") {
			b.Idempotency = IdempotencyKey // sent by the invoker, never asked
			continue
		}
		if b.Auth.carries(where, name) {
			continue // the credential: never an input, never asked
		}
		in, err := d.parameter(p)
		if err != nil {
			return a, err
		}
		if _, dup := b.In[in.Name]; dup {
			// The same name in another place (a path "path" and a query
			// "path"): the input takes a name of its own and is sent
			// under the parameter's.
			b.wire(&in.Name, where)
		}
		if where == "path" {
			paths = append(paths, pathParam{input: len(a.Inputs), resource: path[:strings.Index(path, "{"+name+"}")+len(name)+2]})
		}
		a.Inputs = append(a.Inputs, in)
		b.In[in.Name] = where
	}

	// Request body fields.
	if rb := get(op, "requestBody"); rb != nil {
		rb, err := d.resolve(rb)
		if err != nil {
			return a, err
		}
		// A body that does not say whether it is required keeps its
		// fields' required flags: OpenAPI's default (false) would let
		// Twilio's CreateMessage go without its To and Vercel's createTeam
		// without its slug, calls that can only fail. Only an explicit
		// "required: false" makes every field optional.
		required, set := boolOf(get(rb, "required"))
		if !set {
			required = true
		}
		schema, media := d.bodySchema(get(rb, "content"))
		if media == "application/x-www-form-urlencoded" {
			b.Encoding = "form"
		}
		if schema != nil {
			fields, err := d.fields(schema, "readOnly", 0)
			if err != nil {
				return a, err
			}
			typeFields(fields, d.componentName(schema))
			if len(fields) == 0 { // not an object: the body is one input
				in := Input{Name: "body", Required: required, Description: clip(str(get(rb, "description")), MaxDescriptionLen)}
				if s, err := d.resolve(schema); err == nil {
					in.DataType = dataType(d.valueType(s, 0))
				}
				fields = []schemaField{{input: in}}
			}
			for _, f := range fields {
				if _, dup := b.In[f.input.Name]; dup {
					b.wire(&f.input.Name, "body") // a parameter keeps the name
				}
				f.input.Required = f.input.Required && required
				a.Inputs = append(a.Inputs, f.input)
				b.In[f.input.Name] = "body"
			}
		}
	}

	// Response fields of the first 2xx (or default) response.
	if resp := d.successResponse(get(op, "responses")); resp != nil {
		if schema := d.mediaSchema(get(resp, "content")); schema != nil {
			elem, list, err := d.element(schema)
			if err != nil {
				return a, err
			}
			fields, err := d.fields(elem, "writeOnly", 0)
			if err != nil {
				return a, err
			}
			typeFields(fields, d.componentName(elem))
			a.List = list
			for _, f := range fields {
				a.Outputs = append(a.Outputs, Output{Name: f.input.Name, Type: f.input.Type, DataType: f.input.DataType, Description: f.input.Description})
			}
		}
	}
	a.Inputs = limitInputs(a.Inputs, b.In)
	if len(a.Outputs) > MaxParams {
		a.Outputs = a.Outputs[:MaxParams]
	}
	if b.Encoding == "form" && !slices.Contains(slices.Collect(maps.Values(b.In)), "body") {
		b.Encoding = "" // a form body with no fields (Stripe declares them on GETs)
	}
	if len(b.In) == 0 {
		b.In = nil
	}
	a.Binding = b
	d.ops = append(d.ops, opRef{method: method, path: path, op: op, params: paths})
	return a, nil
}

// limitInputs keeps at most MaxParams inputs: the required ones, then the
// optional ones in order (a document may list hundreds of optional
// filters); where records where each input goes, and loses the inputs
// left out.
func limitInputs(ins []Input, where map[string]string) []Input {
	if len(ins) <= MaxParams {
		return ins
	}
	keep := make([]bool, len(ins))
	n := 0
	for _, required := range []bool{true, false} {
		for i, in := range ins {
			if in.Required == required && n < MaxParams {
				keep[i] = true
				n++
			}
		}
	}
	out := ins[:0:0]
	for i, in := range ins {
		if keep[i] {
			out = append(out, in)
		} else {
			delete(where, in.Name)
		}
	}
	return out
}

// wire renames an input whose name an earlier input of the operation
// holds to name_where (name_where_2, ... while that is taken too), and
// records that it is sent under its name.
func (b *Binding) wire(name *string, where string) {
	orig := *name
	renamed := orig + "_" + where
	for i := 2; ; i++ {
		if _, taken := b.In[renamed]; !taken {
			break
		}
		renamed = fmt.Sprintf("%s_%s_%d", orig, where, i)
	}
	if b.Wire == nil {
		b.Wire = map[string]string{}
	}
	b.Wire[renamed] = orig
	*name = renamed
}

// parameter turns a Parameter Object into an input.
func (d *openAPIDoc) parameter(p *yaml.Node) (Input, error) {
	in := Input{Name: str(get(p, "name")), Description: clip(strings.TrimSpace(str(get(p, "description"))), MaxDescriptionLen)}
	in.Required, _ = boolOf(get(p, "required"))
	if str(get(p, "in")) == "path" {
		in.Required = true
	}
	s := get(p, "schema")
	if s == nil { // a parameter may describe its value by a media type instead
		s = d.mediaSchema(get(p, "content"))
	}
	if s != nil {
		s, err := d.resolve(s)
		if err != nil {
			return in, err
		}
		d.schemaInput(&in, s)
	}
	return in, nil
}

// schemaType is a schema's type; for OpenAPI 3.1's type lists, the first
// that is not "null".
func schemaType(s *yaml.Node) string {
	if t := str(get(s, "type")); t != "" {
		return t
	}
	for _, t := range items(get(s, "type")) {
		if str(t) != "null" {
			return str(t)
		}
	}
	return ""
}

// valueType is the JSON type of a schema's values: its type, else the
// type its keywords imply (properties: an object, items: an array), else
// the one all its allOf parts, or all its oneOf or anyOf alternatives,
// agree on. Slack's and GitHub's objects often say only "properties".
func (d *openAPIDoc) valueType(s *yaml.Node, depth int) string {
	if t := schemaType(s); t != "" {
		return t
	}
	switch {
	case get(s, "properties") != nil || get(s, "additionalProperties") != nil:
		return "object"
	case get(s, "items") != nil:
		return "array"
	case depth >= maxRefDepth:
		return ""
	}
	for _, key := range []string{"allOf", "oneOf", "anyOf"} {
		agreed := ""
		for i, part := range items(get(s, key)) {
			p, err := d.resolve(part)
			if err != nil {
				return ""
			}
			t := d.valueType(p, depth+1)
			if t == "null" || (t == "" && key == "allOf") {
				continue // a nullable alternative, or a part that only constrains
			}
			if t == "" || (i > 0 && agreed != "" && t != agreed) {
				agreed = ""
				break
			}
			agreed = t
		}
		if agreed != "" {
			return agreed
		}
	}
	return ""
}

// schemaInput copies type (as valueType says), default, enum and
// description from a schema of the document.
func (d *openAPIDoc) schemaInput(in *Input, s *yaml.Node) {
	schemaInput(in, s)
	in.DataType = dataType(d.valueType(s, 0))
}

// schemaInput copies type, default, enum and description from a schema.
func schemaInput(in *Input, s *yaml.Node) {
	in.DataType = dataType(schemaType(s))
	if def := get(s, "default"); def != nil {
		in.Default = value(def)
	}
	for _, e := range items(get(s, "enum")) {
		in.Allowed = append(in.Allowed, value(e))
	}
	if in.Description == "" {
		in.Description = clip(strings.TrimSpace(str(get(s, "description"))), MaxDescriptionLen)
	}
}

// schemaField is one property of an object schema.
type schemaField struct{ input Input }

// fields lists the properties of an object schema (merging allOf), with
// their required flags; a schema that is not an object has none. A
// property marked skip ("readOnly" in a request, "writeOnly" in a
// response) is left out: a server-set created_at is no input.
func (d *openAPIDoc) fields(schema *yaml.Node, skip string, depth int) ([]schemaField, error) {
	if depth > maxRefDepth {
		return nil, fmt.Errorf("schema nested deeper than %d", maxRefDepth)
	}
	s, err := d.resolve(schema)
	if err != nil {
		return nil, err
	}
	var out []schemaField
	for _, part := range items(get(s, "allOf")) {
		fs, err := d.fields(part, skip, depth+1)
		if err != nil {
			return nil, err
		}
		out = append(out, fs...)
	}
	required := map[string]bool{}
	for _, r := range items(get(s, "required")) {
		required[str(r)] = true
	}
	var ferr error
	pairs(get(s, "properties"), func(name string, ps *yaml.Node) {
		if ferr != nil {
			return
		}
		own, _ := boolOf(get(ps, skip)) // beside a $ref, as OpenAPI 3.1 allows
		ps, ferr = d.resolve(ps)
		if v, _ := boolOf(get(ps, skip)); v || own || name == "" {
			return
		}
		in := Input{Name: name, Required: required[name]}
		d.schemaInput(&in, ps)
		out = append(out, schemaField{input: in})
	})
	return mergeFields(out, required), ferr
}

// mergeFields keeps one field of each name: allOf parts and the schema's
// own properties may each declare a property, and the last declaration
// wins, at the place of the first. A property is required when any part
// (or the schema itself) requires it.
func mergeFields(fields []schemaField, required map[string]bool) []schemaField {
	at := map[string]int{}
	out := fields[:0]
	for _, f := range fields {
		i, seen := at[f.input.Name]
		if !seen {
			at[f.input.Name] = len(out)
			out = append(out, f)
			continue
		}
		req := out[i].input.Required || f.input.Required
		if f.input.Description == "" {
			f.input.Description = out[i].input.Description
		}
		out[i] = f
		out[i].input.Required = req
	}
	for i := range out {
		if required[out[i].input.Name] {
			out[i].input.Required = true
		}
	}
	return out
}

// mediaSchema picks the schema of the JSON media type of a content map
// (else the first media type with a schema).
func (d *openAPIDoc) mediaSchema(content *yaml.Node) *yaml.Node {
	var first *yaml.Node
	var jsonSchema *yaml.Node
	pairs(content, func(mt string, media *yaml.Node) {
		s := get(media, "schema")
		if s == nil {
			return
		}
		if first == nil {
			first = s
		}
		if jsonSchema == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json")) {
			jsonSchema = s
		}
	})
	if jsonSchema != nil {
		return jsonSchema
	}
	return first
}

// successResponse returns the first 2xx response (200 preferred), else
// "default".
func (d *openAPIDoc) successResponse(responses *yaml.Node) *yaml.Node {
	var best *yaml.Node
	bestCode := ""
	pairs(responses, func(code string, r *yaml.Node) {
		if strings.HasPrefix(code, "2") && (best == nil || code < bestCode) {
			best, bestCode = r, code
		}
	})
	if best == nil {
		best = get(responses, "default")
	}
	if best == nil {
		return nil
	}
	r, err := d.resolve(best)
	if err != nil {
		return nil
	}
	return r
}

// serverURL is the first server of the operation, path item or document,
// with its variables replaced by their defaults.
func (d *openAPIDoc) serverURL(op, item *yaml.Node) string {
	for _, n := range []*yaml.Node{op, item, d.root} {
		servers := items(get(n, "servers"))
		if len(servers) == 0 {
			continue
		}
		u := str(get(servers[0], "url"))
		pairs(get(servers[0], "variables"), func(name string, v *yaml.Node) {
			u = strings.ReplaceAll(u, "{"+name+"}", str(get(v, "default")))
		})
		return strings.TrimRight(u, "/")
	}
	return ""
}
