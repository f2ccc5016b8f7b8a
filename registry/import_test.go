package registry

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestParseAPIsGolden(t *testing.T) {
	cases := []struct {
		file   string
		format Format
		count  int
	}{
		{"nestful/executable-spec-sample.json", FormatNESTFUL, 10},
		{"nestful/glaive-spec-sample.json", FormatNESTFUL, 12},
		{"import/petstore.yaml", FormatOpenAPI, 3},
		{"import/native.yaml", FormatNative, 2},
		{"import/native-wrapped.json", FormatNative, 1},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", c.file))
			if err != nil {
				t.Fatal(err)
			}
			apis, format, err := ParseAPIsFormat(c.file, data)
			if err != nil {
				t.Fatal(err)
			}
			if format != c.format || len(apis) != c.count {
				t.Fatalf("format %s with %d APIs, want %s with %d", format, len(apis), c.format, c.count)
			}
			got, _ := json.MarshalIndent(apis, "", "  ")
			golden := filepath.Join("testdata", "import", strings.NewReplacer("/", "_", ".", "_").Replace(c.file)+".golden.json")
			if *update {
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(want)) {
				t.Fatalf("APIs differ from %s (run with -update after checking the change)", golden)
			}
		})
	}
}

// TestParseNESTFULDetails checks the mapping a planner relies on.
func TestParseNESTFULDetails(t *testing.T) {
	data, _ := os.ReadFile("testdata/nestful/executable-spec-sample.json")
	apis, err := ParseAPIs("x", data)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]API{}
	for _, a := range apis {
		byName[a.Name] = a
	}
	fs := byName["SkyScrapperFlightSearch"]
	in := map[string]Input{}
	for _, i := range fs.Inputs {
		in[i.Name] = i
	}
	if !in["originSkyId"].Required || in["returnDate"].Required || in["adults"].DataType != "number" {
		t.Fatalf("inputs mapped wrongly: %+v", fs.Inputs)
	}
	if in["originSkyId"].Type != "" || in["originSkyId"].SlotType() != "originSkyId" {
		t.Fatalf("NESTFUL data type leaked into the semantic type: %+v", in["originSkyId"])
	}
	if len(in["sortBy"].Allowed) == 0 || len(in["cabinClass"].Allowed) != 4 {
		t.Fatalf("allowed values lost: %+v %+v", in["sortBy"], in["cabinClass"])
	}
	if fs.Binding == nil || fs.Binding.Kind != BindHTTP || fs.Binding.Method != "GET" ||
		fs.Binding.URL != "https://sky-scrapper.p.rapidapi.com/api/v2/flights/searchFlightsComplete" || fs.Binding.In["date"] != "query" {
		t.Fatalf("binding = %+v", fs.Binding)
	}
	news := byName["Coronavirus_Smartable_GetNews"]
	if news.Binding.In["location"] != "path" || !strings.HasSuffix(news.Binding.URL, "/news/v1/{location}") {
		t.Fatalf("path parameter binding = %+v", news.Binding)
	}
	if len(fs.Outputs) == 0 {
		t.Fatal("no outputs")
	}
	air := byName["SkyScrapperSearchAirport"]
	found := false
	for _, o := range air.Outputs {
		found = found || o.Name == "skyId"
	}
	if !found {
		t.Fatalf("SearchAirport outputs %+v lack skyId (NESTFUL gold sequences bind $var1.skyId$)", air.Outputs)
	}
}

func TestParseOpenAPIDetails(t *testing.T) {
	data, _ := os.ReadFile("testdata/import/petstore.yaml")
	apis, err := ParseAPIs("petstore.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	get, reserve, del := apis[0], apis[1], apis[2]
	if get.Name != "RentalCars.GetCarsAvailable" || get.Binding.URL != "https://eu.rent.example/v1/cars/{city}" || get.Binding.Method != "GET" {
		t.Fatalf("get = %+v %+v", get, get.Binding)
	}
	names := func(ins []Input) string {
		var s []string
		for _, i := range ins {
			req := ""
			if i.Required {
				req = "!"
			}
			s = append(s, i.Name+req+"@"+i.DataType)
		}
		return strings.Join(s, ",")
	}
	if got := names(get.Inputs); got != "city!@string,pickup_time!@string,car_type@string,X-Session@string" {
		t.Fatalf("get inputs = %s", got)
	}
	if get.Inputs[2].Default != "compact" || len(get.Inputs[2].Allowed) != 3 || get.Binding.In["X-Session"] != "header" {
		t.Fatalf("car_type = %+v, in = %v", get.Inputs[2], get.Binding.In)
	}
	if len(get.Outputs) != 2 || get.Outputs[1].Name != "price_per_day" || get.Outputs[1].Description == "" {
		t.Fatalf("array-of-object response outputs = %+v", get.Outputs)
	}
	if got := names(reserve.Inputs); got != "card_number!@string,car_id!@string,insurance@boolean" {
		t.Fatalf("reserve inputs = %s", got)
	}
	if !reserve.Confirm || reserve.Cost != 3 || reserve.Binding.In["car_id"] != "body" || len(reserve.Outputs) != 2 {
		t.Fatalf("reserve = %+v", reserve)
	}
	if del.Name != "delete_pets_petId" || !del.Inputs[0].Required || del.Inputs[0].DataType != "integer" {
		t.Fatalf("operation without id = %+v", del)
	}
}

func TestParseAPIsErrors(t *testing.T) {
	cases := []struct {
		name, doc string
		want      string   // substring of the error
		fields    []string // invalid fields, when a *ValidationError
	}{
		{"empty", "  ", "empty document", nil},
		{"scalar", "42", "single value", nil},
		{"bad yaml", "- [", "not YAML or JSON", nil},
		{"unknown mapping", "{\"x\": 1}", "unknown format", nil},
		{"swagger", "swagger: '2.0'\npaths: {}", "Swagger 2.0", nil},
		{"openapi 2", "openapi: '2.0'\npaths: {}", "only OpenAPI 3", nil},
		{"external ref", "openapi: 3.0.0\npaths:\n  /a:\n    $ref: 'other.yaml#/x'", "only references within", nil},
		{"ref cycle", "openapi: 3.0.0\npaths:\n  /a: {$ref: '#/x'}\nx: {$ref: '#/x'}", "chain longer", nil},
		{"native invalid fields", `[{"name": "a b", "inputs": [{"name": ""}], "cost": -1}, {"name": "ok"}, {"name": "ok", "cost": 2}]`,
			"invalid api file", []string{"apis[0].name", "apis[0].inputs[0].name", "apis[0].cost", "apis[2].name"}},
		{"native bad binding", "- name: x\n  binding: {kind: http}", "binding.url", []string{"apis[0].binding.url"}},
		{"nestful missing name", `[{"description": "d", "parameters": {"a": {"type": "string"}}}]`, "", []string{"apis[0].name"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseAPIs("f.yaml", []byte(c.doc))
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "") {
				t.Fatalf("error %q lacks %q", err, c.want)
			}
			if c.fields != nil {
				var ve *ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("got %T, want *ValidationError", err)
				}
				for _, f := range c.fields {
					if !ve.HasField(f) {
						t.Errorf("%v does not name %s", err, f)
					}
				}
			}
			if !strings.Contains(err.Error(), "f.yaml") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

// TestParseAPIsRealNESTFUL is a sanity check over both complete NESTFUL
// samples: every API has a description and outputs.
func TestParseAPIsFormatsAgree(t *testing.T) {
	// The same native records in YAML and in JSON give the same APIs.
	y, _ := os.ReadFile("testdata/import/native.yaml")
	fromYAML, err := ParseAPIs("native.yaml", y)
	if err != nil {
		t.Fatal(err)
	}
	j, _ := json.Marshal(fromYAML)
	fromJSON, err := ParseAPIs("native.json", j)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(fromYAML)
	b, _ := json.Marshal(fromJSON)
	if !bytes.Equal(a, b) {
		t.Fatalf("YAML and JSON disagree:\n%s\n%s", a, b)
	}
	wrapped, _ := json.Marshal(map[string]any{"apis": fromYAML})
	fromWrapped, err := ParseAPIs("wrapped.json", wrapped)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := json.Marshal(fromWrapped)
	if !bytes.Equal(a, c) {
		t.Fatalf("{apis: [...]} disagrees:\n%s\n%s", a, c)
	}
}

func FuzzParseAPIs(f *testing.F) {
	for _, file := range []string{"nestful/glaive-spec-sample.json", "import/petstore.yaml", "import/native.yaml", "import/native-wrapped.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`openapi: 3.1.0
paths: {/a: {post: {requestBody: {content: {application/json: {schema: {allOf: [{$ref: '#/components/schemas/A'}]}}}}}}}
components: {schemas: {A: {allOf: [{$ref: '#/components/schemas/A'}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		apis, err := ParseAPIs("fuzz", data)
		if err != nil {
			return
		}
		for i := range apis {
			if err := apis[i].Validate(); err != nil {
				t.Fatalf("ParseAPIs returned an invalid API: %v", err)
			}
		}
		if _, err := json.Marshal(apis); err != nil {
			t.Fatalf("APIs do not encode: %v", err)
		}
	})
}

func TestParseOpenAPI31Types(t *testing.T) {
	doc := `openapi: 3.1.0
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - name: filter
          in: query
          content:
            application/json:
              schema: {type: object}
        - name: limit
          in: query
          schema: {type: [integer, "null"], default: 10}
      responses:
        '200':
          content:
            application/json:
              schema:
                type: [array, "null"]
                items:
                  type: object
                  properties:
                    id: {type: [string, "null"]}
`
	apis, err := ParseAPIs("x.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	a := apis[0]
	if a.Inputs[0].DataType != "object" || a.Inputs[1].DataType != "integer" || a.Inputs[1].Default != 10 {
		t.Fatalf("inputs = %+v", a.Inputs)
	}
	if len(a.Outputs) != 1 || a.Outputs[0].Name != "id" || a.Outputs[0].DataType != "string" {
		t.Fatalf("outputs = %+v", a.Outputs)
	}
}

// TestParseOpenAPIReaderGaps covers shapes of real documents (Asana, Box,
// GitHub, DigitalOcean, Kubernetes) that the reader once refused: a
// property declared again by an allOf part, a $ref into an array element
// (percent-encoded), and two parameters of one name in different places.
func TestParseOpenAPIReaderGaps(t *testing.T) {
	tests := []struct {
		name, doc, api string
		check          func(t *testing.T, a API)
	}{{
		name: "allOf redeclares a property",
		api:  "getApp",
		doc: `openapi: 3.0.3
paths:
  /apps:
    get:
      operationId: getApp
      responses:
        '200':
          content:
            application/json:
              schema:
                allOf:
                  - $ref: '#/components/schemas/Base'
                  - type: object
                    required: [client_id]
                    properties:
                      client_id: {type: string, description: The client.}
                      secret: {type: string}
components:
  schemas:
    Base:
      type: object
      properties:
        client_id: {type: integer, description: Old.}
        name: {type: string}
`,
		check: func(t *testing.T, a API) {
			var names []string
			for _, o := range a.Outputs {
				names = append(names, o.Name)
			}
			if strings.Join(names, ",") != "client_id,name,secret" || a.Outputs[0].DataType != "string" || a.Outputs[0].Description != "The client." {
				t.Errorf("outputs = %+v", a.Outputs)
			}
		},
	}, {
		name: "$ref into an array element, percent-encoded",
		api:  "createKey",
		doc: `openapi: 3.0.0
paths:
  /keys:
    get:
      operationId: listKeys
      responses:
        '200':
          content:
            application/json:
              schema:
                allOf:
                  - type: object
                    properties:
                      keys:
                        type: array
                        items: {type: object, properties: {fingerprint: {type: string}}}
    post:
      operationId: createKey
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/paths/~1keys/get/responses/200/content/application%7E1json/schema/allOf/0/properties/keys/items'}
      responses:
        '201': {description: created}
`,
		check: func(t *testing.T, a API) {
			if len(a.Inputs) != 1 || a.Inputs[0].Name != "fingerprint" {
				t.Errorf("inputs = %+v", a.Inputs)
			}
		},
	}, {
		name: "one name in the path, the query and the body",
		api:  "proxy",
		doc: `openapi: 3.0.0
paths:
  /proxy/{path}:
    parameters:
      - {name: path, in: path, required: true, schema: {type: string}}
      - {name: path, in: query, schema: {type: string}}
    post:
      operationId: proxy
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [path]
              properties:
                path: {type: string}
      responses:
        '204': {description: done}
`,
		check: func(t *testing.T, a API) {
			want := []string{"path", "path_query", "path_body"}
			if len(a.Inputs) != 3 {
				t.Fatalf("inputs = %+v", a.Inputs)
			}
			for i, in := range a.Inputs {
				if in.Name != want[i] {
					t.Errorf("input %d = %s, want %s", i, in.Name, want[i])
				}
			}
			if !a.Inputs[2].Required {
				t.Error("the body's path is required")
			}
			b := a.Binding
			if b.In["path_query"] != "query" || b.In["path_body"] != "body" || b.Wire["path_query"] != "path" || b.Wire["path_body"] != "path" || b.Wire["path"] != "" {
				t.Errorf("binding in = %v, wire = %v", b.In, b.Wire)
			}
		},
	}, {
		name: "readOnly is no input, writeOnly no output (beside a $ref too)",
		api:  "createCluster",
		doc: `openapi: 3.1.0
paths:
  /clusters:
    post:
      operationId: createCluster
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Cluster'}
      responses:
        '201':
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Cluster'}
components:
  schemas:
    Stamp: {type: string, format: date-time}
    Cluster:
      type: object
      required: [size]
      properties:
        id: {type: string, readOnly: true}
        created_at: {$ref: '#/components/schemas/Stamp', readOnly: true}
        size: {type: string}
        password: {type: string, writeOnly: true}
`,
		check: func(t *testing.T, a API) {
			var ins, outs []string
			for _, in := range a.Inputs {
				ins = append(ins, in.Name)
			}
			for _, o := range a.Outputs {
				outs = append(outs, o.Name)
			}
			if strings.Join(ins, ",") != "size,password" || strings.Join(outs, ",") != "id,created_at,size" {
				t.Errorf("inputs %v, outputs %v", ins, outs)
			}
		},
	}, {
		name: "a data type implied by the schema's keywords",
		api:  "getThing",
		doc: `openapi: 3.0.0
paths:
  /thing:
    get:
      operationId: getThing
      responses:
        '200':
          content:
            application/json:
              schema:
                type: object
                properties:
                  owner: {properties: {login: {type: string}}}
                  labels: {items: {type: string}}
                  parent: {oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]}
                  note: {anyOf: [{type: string}, {type: 'null'}]}
                  mixed: {oneOf: [{type: string}, {type: integer}]}
                  size: {allOf: [{$ref: '#/components/schemas/Size'}, {description: The size.}]}
components:
  schemas:
    A: {properties: {a: {type: string}}}
    B: {type: object, properties: {b: {type: string}}}
    Size: {type: integer}
`,
		check: func(t *testing.T, a API) {
			want := map[string]string{"owner": "object", "labels": "array", "parent": "object", "note": "string", "mixed": "", "size": "integer"}
			for _, o := range a.Outputs {
				if o.DataType != want[o.Name] {
					t.Errorf("%s: data type %q, want %q", o.Name, o.DataType, want[o.Name])
				}
			}
		},
	}, {
		name: "a body that does not say whether it is required keeps its fields' flags",
		api:  "sendMessage",
		doc: `openapi: 3.0.1
paths:
  /messages:
    post:
      operationId: sendMessage
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, required: [To], properties: {To: {type: string}, Body: {type: string}}}
      responses:
        '201': {description: sent}
`,
		check: func(t *testing.T, a API) {
			if !a.Inputs[0].Required || a.Inputs[1].Required || a.Binding.Encoding != "form" {
				t.Errorf("inputs = %+v, encoding %q", a.Inputs, a.Binding.Encoding)
			}
		},
	}, {
		name: "an explicitly optional body makes every field optional",
		api:  "saveDraft",
		doc: `openapi: 3.0.1
paths:
  /drafts:
    post:
      operationId: saveDraft
      requestBody:
        required: false
        content:
          application/json:
            schema: {type: object, required: [To], properties: {To: {type: string}}}
      responses:
        '201': {description: saved}
`,
		check: func(t *testing.T, a API) {
			if a.Inputs[0].Required {
				t.Errorf("inputs = %+v", a.Inputs)
			}
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			apis, err := ParseAPIs("x.yaml", []byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range apis {
				if a.Name == tt.api {
					tt.check(t, a)
					return
				}
			}
			t.Fatalf("no API %s among %d", tt.api, len(apis))
		})
	}
}

// TestOpenAPIPathParamTypes: a path parameter takes the type of the
// property of its resource that it names — by its name in any style, by
// its last word, else the id — and never a property of another data type
// (GitHub's "repo" is a repository's name, not its numeric id).
func TestOpenAPIPathParamTypes(t *testing.T) {
	doc := `openapi: 3.0.3
paths:
  /repos/{owner}/{repo}:
    get:
      operationId: getRepo
      parameters:
        - {name: owner, in: path, required: true, schema: {type: string}}
        - {name: repo, in: path, required: true, schema: {type: string}}
      responses:
        '200': {content: {application/json: {schema: {$ref: '#/components/schemas/Repo'}}}}
  /repos/{owner}/{repo}/issues/{issue_number}:
    get:
      operationId: getIssue
      parameters:
        - {name: owner, in: path, required: true, schema: {type: string}}
        - {name: repo, in: path, required: true, schema: {type: string}}
        - {name: issue_number, in: path, required: true, schema: {type: integer}}
      responses:
        '200': {content: {application/json: {schema: {$ref: '#/components/schemas/Issue'}}}}
  /customers/{customer}:
    get:
      operationId: getCustomer
      parameters:
        - {name: customer, in: path, required: true, schema: {type: string}}
      responses:
        '200': {content: {application/json: {schema: {$ref: '#/components/schemas/Customer'}}}}
  /accounts/{AccountSid}:
    get:
      operationId: getAccount
      parameters:
        - {name: AccountSid, in: path, required: true, schema: {type: string}}
      responses:
        '200': {content: {application/json: {schema: {$ref: '#/components/schemas/Account'}}}}
components:
  schemas:
    Repo: {type: object, properties: {id: {type: integer}, name: {type: string}}}
    Issue: {type: object, properties: {id: {type: integer}, number: {type: integer}}}
    Customer: {type: object, properties: {id: {type: string}}}
    Account: {type: object, properties: {sid: {type: string}, account_sid: {type: string}}}
`
	apis, err := ParseAPIs("x.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]string{}
	for _, a := range apis {
		for _, in := range a.Inputs {
			types[a.Name+"."+in.Name] = in.Type
		}
	}
	for in, want := range map[string]string{
		"getRepo.repo":          "", // a string name is not the integer id
		"getIssue.issue_number": "Issue.number",
		"getCustomer.customer":  "Customer.id",
		"getAccount.AccountSid": "Account.account_sid",
	} {
		if types[in] != want {
			t.Errorf("%s: type %q, want %q", in, types[in], want)
		}
	}
}

// TestParseOpenAPIRobustness: shapes that made documents of APIs.guru's
// directory unreadable are read — names derived from paths that meet,
// parameters and properties without names, descriptions over the limit,
// more inputs than an API may have, characters YAML refuses in JSON.
func TestParseOpenAPIRobustness(t *testing.T) {
	params := make([]string, 0, MaxParams+2)
	for i := range MaxParams + 1 {
		params = append(params, fmt.Sprintf(`{"name": "f%d", "in": "query"}`, i))
	}
	params = append(params, `{"name": "key", "in": "query", "required": true}`, `{"name": "", "in": "query"}`)
	long := strings.Repeat("é", MaxDescriptionLen) // two bytes a character
	doc := `{"openapi": "3.0.0", "info": {"title": "T\u0085\u0099"}, "paths": {
  "/jobs": {"get": {"summary": "Jobs` + "\u0080\u0099" + `", "responses": {"200": {"description": "ok"}}}},
  "/jobs/": {"get": {"responses": {"200": {"description": "ok"}}}},
  "/search": {"get": {"operationId": "search", "parameters": [` + strings.Join(params, ",") + `],
    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object",
      "properties": {"": {"type": "string"}, "hit": {"type": "string", "description": "` + long + `"}}}}}}}}}
}}`
	apis, err := ParseAPIs("t.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(apis) != 3 || apis[0].Name != "get_jobs" || apis[1].Name != "get_jobs_2" {
		t.Fatalf("names: %v", apis)
	}
	s := apis[2]
	if len(s.Inputs) != MaxParams || !slices.ContainsFunc(s.Inputs, func(in Input) bool { return in.Name == "key" && in.Required }) {
		t.Errorf("%d inputs, want %d with the required key", len(s.Inputs), MaxParams)
	}
	if len(s.Binding.In) != MaxParams {
		t.Errorf("the binding places %d inputs", len(s.Binding.In))
	}
	if len(s.Outputs) != 1 || len(s.Outputs[0].Description) > MaxDescriptionLen || !utf8.ValidString(s.Outputs[0].Description) {
		t.Errorf("outputs: %d, description of %d bytes", len(s.Outputs), len(s.Outputs[0].Description))
	}
}
