package registry

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestOpenAPIReaderMatchesKinOpenAPI reads each real document in
// testdata/openapi with our reader and with kin-openapi (the ecosystem's
// standard library, kept out of the binary: importing it costs 10–15 ms of
// start-up, see docs/benchmarks/registry.md) and checks that they agree on
// every operation: its method and path, its parameters with where they go
// and whether they are required, the fields of its request body, the fields
// of (each element of) its success response, and its authentication.
func TestOpenAPIReaderMatchesKinOpenAPI(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "openapi", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no documents: %v", err)
	}
	jsonFiles, err := filepath.Glob(filepath.Join("testdata", "openapi", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, jsonFiles...)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := openapi3.NewLoader().LoadFromData(data)
			if err != nil && strings.Contains(err.Error(), "external reference") {
				// DigitalOcean's discriminator mappings still name the
				// files the document was bundled from; nothing refers to
				// them, and kin-openapi will not load it without them.
				t.Skipf("kin-openapi: %v", err)
			}
			if err != nil {
				t.Fatalf("kin-openapi: %v", err)
			}
			apis, err := ParseAPIs(file, data)
			if err != nil {
				t.Fatal(err)
			}
			byOp := map[string]*API{}
			for i := range apis {
				b := apis[i].Binding
				byOp[b.Method+" "+urlPath(b.URL, doc)] = &apis[i]
			}
			n := 0
			for path, item := range doc.Paths.Map() {
				for method, op := range item.Operations() {
					n++
					a := byOp[method+" "+path]
					if a == nil {
						t.Errorf("%s %s: not read", method, path)
						continue
					}
					compareOperation(t, doc, item, op, a)
				}
			}
			if n != len(apis) {
				t.Errorf("kin-openapi has %d operations, our reader %d APIs", n, len(apis))
			}
			t.Logf("%d operations compared", n)
		})
	}
}

// urlPath strips the document's first server from an API's URL.
func urlPath(u string, doc *openapi3.T) string {
	if len(doc.Servers) > 0 {
		if i := strings.Index(u, "://"); i >= 0 {
			rest := u[i+3:]
			if j := strings.IndexByte(rest, '/'); j >= 0 {
				u = rest[j:]
			} else {
				u = ""
			}
			base := doc.Servers[0].URL
			if k := strings.Index(base, "://"); k >= 0 {
				base = base[k+3:]
			}
			if j := strings.IndexByte(base, '/'); j >= 0 {
				u = strings.TrimPrefix(u, strings.TrimRight(base[j:], "/"))
			}
		}
	}
	return u
}

func compareOperation(t *testing.T, doc *openapi3.T, item *openapi3.PathItem, op *openapi3.Operation, a *API) {
	t.Helper()
	where := a.Binding.Method + " " + a.Name
	// Parameters: the path item's, overridden by the operation's.
	// Keyed by where and name: Kubernetes has a path and a query "path".
	type param struct {
		in       string
		required bool
	}
	want := map[string]param{}
	for _, list := range []openapi3.Parameters{item.Parameters, op.Parameters} {
		for _, ref := range list {
			p := ref.Value
			if p.In == "header" && (strings.EqualFold(p.Name, "Idempotency-Key") || strings.EqualFold(p.Name, "Authorization")) {
				continue // never inputs: the invoker sends them
			}
			want[p.In+" "+p.Name] = param{p.In, p.Required || p.In == "path"}
		}
	}
	wire := func(name string) string {
		if w := a.Binding.Wire[name]; w != "" {
			return w
		}
		return name
	}
	got := map[string]param{}
	for _, in := range a.Inputs {
		if w := a.Binding.In[in.Name]; w != "body" {
			got[w+" "+wire(in.Name)] = param{w, in.Required}
		}
	}
	if !equalMaps(got, want) {
		t.Errorf("%s: parameters %v, kin-openapi %v", where, got, want)
	}
	// Request body fields.
	if rb := op.RequestBody; rb != nil && rb.Value != nil {
		var schema *openapi3.SchemaRef
		for _, mt := range []string{"application/json", "application/x-www-form-urlencoded"} {
			if m := rb.Value.Content.Get(mt); m != nil && m.Schema != nil && schema == nil {
				schema = m.Schema
			}
		}
		var wantBody []string
		if schema != nil {
			for name := range properties(schema, "readOnly") {
				wantBody = append(wantBody, name)
			}
		}
		var gotBody []string
		for _, in := range a.Inputs {
			if a.Binding.In[in.Name] == "body" {
				gotBody = append(gotBody, wire(in.Name))
			}
		}
		slices.Sort(wantBody)
		slices.Sort(gotBody)
		if schema != nil && len(wantBody) > 0 && !slices.Equal(gotBody, wantBody) {
			t.Errorf("%s: body fields %v, kin-openapi %v", where, gotBody, wantBody)
		}
	}
	// Outputs: the fields of the first 2xx JSON response (of each element
	// of a list).
	var wantOut []string
	var list bool
	if resp := successResponse(op); resp != nil {
		if m := resp.Content.Get("application/json"); m != nil && m.Schema != nil {
			s := m.Schema
			if s.Value.Type.Is("array") && s.Value.Items != nil {
				s, list = s.Value.Items, true
			} else if items := envelopeItems(s); items != nil {
				s, list = items, true
			}
			for name := range properties(s, "writeOnly") {
				wantOut = append(wantOut, name)
			}
		}
	}
	var gotOut []string
	for _, o := range a.Outputs {
		gotOut = append(gotOut, o.Name)
	}
	slices.Sort(wantOut)
	slices.Sort(gotOut)
	if !slices.Equal(gotOut, wantOut) || a.List != list {
		t.Errorf("%s: outputs %v (list %v), kin-openapi %v (list %v)", where, gotOut, a.List, wantOut, list)
	}
	// Authentication: present exactly when a supported scheme is required.
	reqs := doc.Security
	if op.Security != nil {
		reqs = *op.Security
	}
	supported := false
	for _, req := range reqs {
		for name := range req {
			if s := doc.Components.SecuritySchemes[name]; s != nil && s.Value != nil {
				switch strings.ToLower(s.Value.Type) {
				case "apikey", "oauth2", "openidconnect":
					supported = true
				case "http":
					supported = supported || slices.Contains([]string{"bearer", "basic"}, strings.ToLower(s.Value.Scheme))
				}
			}
		}
	}
	if (a.Binding.Auth != nil) != supported {
		t.Errorf("%s: auth %+v, kin-openapi requires a supported scheme: %v", where, a.Binding.Auth, supported)
	}
}

// properties returns a schema's properties, allOf parts merged, without
// those marked skip ("readOnly" in a request, "writeOnly" in a response).
func properties(s *openapi3.SchemaRef, skip string) map[string]*openapi3.SchemaRef {
	out := map[string]*openapi3.SchemaRef{}
	if s == nil || s.Value == nil {
		return out
	}
	for _, part := range s.Value.AllOf {
		for k, v := range properties(part, skip) {
			out[k] = v
		}
	}
	for k, v := range s.Value.Properties {
		out[k] = v
	}
	for k, v := range out {
		if v.Value != nil && ((skip == "readOnly" && v.Value.ReadOnly) || (skip == "writeOnly" && v.Value.WriteOnly)) {
			delete(out, k)
		}
	}
	return out
}

// envelopeItems returns the element schema of a list envelope: an object
// whose only array property holds objects and whose other properties are
// scalars.
func envelopeItems(s *openapi3.SchemaRef) *openapi3.SchemaRef {
	if s == nil || s.Value == nil || len(s.Value.Properties) == 0 {
		return nil
	}
	var items *openapi3.SchemaRef
	for _, p := range s.Value.Properties {
		switch {
		case p.Value.Type.Is("array"):
			it := p.Value.Items
			if items != nil || it == nil || it.Value == nil || (len(it.Value.Properties) == 0 && len(it.Value.AllOf) == 0) {
				return nil
			}
			items = it
		case p.Value.Type.Is("object"):
			return nil
		}
	}
	return items
}

// successResponse returns the lowest 2xx response, else the default one.
func successResponse(op *openapi3.Operation) *openapi3.Response {
	if op.Responses == nil {
		return nil
	}
	best := ""
	for code := range op.Responses.Map() {
		if strings.HasPrefix(code, "2") && (best == "" || code < best) {
			best = code
		}
	}
	if best == "" {
		best = "default"
	}
	if r := op.Responses.Value(best); r != nil {
		return r.Value
	}
	return nil
}

func equalMaps[K comparable, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
