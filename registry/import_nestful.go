package registry

import (
	"fmt"
	"net/url"
	"strings"

	"gopkg.in/yaml.v3"
)

// parseNESTFUL reads a list of NESTFUL API specifications:
//
//	{name, description, [method, host, endpoint, url],
//	 parameters|arguments|query_parameters|path_parameters|body_parameters:
//	   {argname: {type, description, required|optional, default|default_value,
//	              allowed_values|enum|possible_values}},
//	 output_parameters: {name: {type, description}}}
//
// Parameter groups may also be JSON Schema objects ({type: object,
// properties, required: [...]}). NESTFUL's "type" is a data type, so it
// becomes DataType; the semantic type stays empty (the input's name). Specs
// with a host and an endpoint get an HTTP binding.
func parseNESTFUL(list *yaml.Node) ([]API, error) {
	var apis []API
	for i, n := range items(list) {
		if n.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("NESTFUL spec [%d]: not an object", i)
		}
		a := API{Name: str(get(n, "name")), Description: strings.TrimSpace(str(get(n, "description")))}
		in := map[string]string{}
		var pathParams []string
		groups := []struct{ key, where string }{
			{"parameters", ""}, {"arguments", ""}, {"query_parameters", "query"},
			{"path_parameters", "path"}, {"body_parameters", "body"},
		}
		for _, g := range groups {
			params := get(n, g.key)
			if params == nil {
				continue
			}
			for _, p := range nestfulParams(params) {
				if g.where != "" {
					in[p.Name] = g.where
				}
				if g.where == "path" {
					pathParams = append(pathParams, p.Name)
				}
				a.Inputs = append(a.Inputs, p)
			}
		}
		pairs(get(n, "output_parameters"), func(name string, spec *yaml.Node) {
			a.Outputs = append(a.Outputs, Output{Name: name, DataType: dataType(str(get(spec, "type"))),
				Description: strings.TrimSpace(str(get(spec, "description")))})
		})
		if host, endpoint := str(get(n, "host")), str(get(n, "endpoint")); host != "" && endpoint != "" {
			a.Binding = nestfulBinding(str(get(n, "method")), host, endpoint, in, pathParams)
		}
		apis = append(apis, a)
	}
	return apis, nil
}

// nestfulParams reads a parameter group: {argname: spec} or a JSON Schema
// object.
func nestfulParams(group *yaml.Node) []Input {
	requiredList := map[string]bool{}
	if str(get(group, "type")) == "object" && get(group, "properties") != nil {
		for _, r := range items(get(group, "required")) {
			requiredList[str(r)] = true
		}
		group = get(group, "properties")
	}
	var out []Input
	pairs(group, func(name string, spec *yaml.Node) {
		p := Input{Name: name, DataType: dataType(str(get(spec, "type"))),
			Description: strings.TrimSpace(str(get(spec, "description")))}
		if r, ok := boolOf(get(spec, "required")); ok {
			p.Required = r
		} else if opt, ok := boolOf(get(spec, "optional")); ok {
			p.Required = !opt
		} else {
			p.Required = requiredList[name]
		}
		for _, k := range []string{"default", "default_value"} {
			if d := get(spec, k); d != nil {
				p.Default = value(d)
			}
		}
		for _, k := range []string{"allowed_values", "enum", "possible_values"} {
			if vs := items(get(spec, k)); len(vs) > 0 {
				p.Allowed = p.Allowed[:0]
				for _, v := range vs {
					p.Allowed = append(p.Allowed, value(v))
				}
			}
		}
		out = append(out, p)
	})
	return out
}

// nestfulBinding builds the HTTP binding of a RapidAPI-style spec, adding a
// {placeholder} for each path parameter the endpoint does not name.
func nestfulBinding(method, host, endpoint string, in map[string]string, pathParams []string) *Binding {
	if method == "" {
		method = "GET"
	}
	base := host
	if !strings.Contains(host, "://") {
		base = "https://" + host
	}
	u := strings.TrimRight(base, "/") + "/" + strings.TrimLeft(endpoint, "/")
	for _, name := range pathParams {
		if !strings.Contains(u, "{"+name+"}") {
			u = strings.TrimRight(u, "/") + "/{" + url.PathEscape(name) + "}"
		}
	}
	if len(in) == 0 {
		in = nil
	}
	return &Binding{Kind: BindHTTP, Method: strings.ToUpper(method), URL: u, In: in}
}

// dataType maps the type names found in NESTFUL and OpenAPI documents to
// JSON Schema types.
func dataType(t string) string {
	t = strings.ToLower(strings.TrimSpace(t))
	switch {
	case t == "":
		return ""
	case t == "str" || t == "enum" || strings.HasPrefix(t, "date") || t == "text":
		return "string"
	case t == "int" || t == "long":
		return "integer"
	case t == "float" || t == "double" || t == "decimal":
		return "number"
	case t == "bool":
		return "boolean"
	case t == "list":
		return "array"
	case t == "dict" || t == "map":
		return "object"
	case t == "string" || t == "number" || t == "integer" || t == "boolean" || t == "array" || t == "object" || t == "null":
		return t
	}
	return "string"
}
