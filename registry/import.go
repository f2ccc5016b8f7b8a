package registry

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Format is a document format ParseAPIs understands.
type Format string

// Formats.
const (
	FormatNative  Format = "native"  // a list of API records, or {apis: [...]}, in YAML or JSON
	FormatNESTFUL Format = "nestful" // the NESTFUL specification format
	FormatOpenAPI Format = "openapi" // an OpenAPI 3 document
)

// MaxImportBytes bounds the size of a document given to ParseAPIs.
const MaxImportBytes = 64 << 20

// ParseAPIs reads the APIs of a document in any Format, detected from its
// content; name (usually the file name) prefixes error messages. Every API
// is validated; the error lists every invalid field as a *ValidationError
// whose field paths start with "apis[i]".
func ParseAPIs(name string, data []byte) ([]API, error) {
	apis, _, err := ParseAPIsFormat(name, data)
	return apis, err
}

// ParseAPIsFormat is ParseAPIs that also reports the detected format.
func ParseAPIsFormat(name string, data []byte) ([]API, Format, error) {
	if len(data) > MaxImportBytes {
		return nil, "", fmt.Errorf("%s: %d bytes exceeds the import limit of %d", name, len(data), MaxImportBytes)
	}
	apis, format, err := parseAPIs(data)
	if err != nil {
		return nil, format, fmt.Errorf("%s: %w", name, err)
	}
	apis = dropIdenticalDuplicates(apis)
	if err := validateAll(apis, name); err != nil {
		return nil, format, err
	}
	return apis, format, nil
}

func parseAPIs(data []byte) ([]API, Format, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, "", errors.New("empty document")
	}
	// Fast path: a JSON list of native records, recognised by the keys of
	// its first element.
	if trimmed[0] == '[' && !firstJSONElementNESTFUL(trimmed) {
		var apis []API
		if err := json.Unmarshal(trimmed, &apis); err == nil {
			return apis, FormatNative, nil
		}
		// Not a clean native list: let the YAML path report or detect.
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		// JSON allows characters YAML refuses (C1 controls, as mis-decoded
		// text leaves in DocuSign's descriptions): a JSON document is read
		// with them replaced.
		clean, changed := yamlSafeJSON(trimmed)
		if !changed || yaml.Unmarshal(clean, &doc) != nil {
			return nil, "", fmt.Errorf("not YAML or JSON: %w", err)
		}
	}
	root := deref(&doc)
	if root == nil {
		return nil, "", errors.New("empty document")
	}
	switch root.Kind {
	case yaml.MappingNode:
		switch {
		case hasKey(root, "openapi"):
			apis, err := parseOpenAPI(root)
			return apis, FormatOpenAPI, err
		case hasKey(root, "swagger"):
			return nil, FormatOpenAPI, errors.New("Swagger 2.0 documents are not supported: convert to OpenAPI 3")
		case hasKey(root, "apis"):
			list := get(root, "apis")
			if looksNESTFUL(items(list)) {
				apis, err := parseNESTFUL(list)
				return apis, FormatNESTFUL, err
			}
			apis, err := decodeNative(list)
			return apis, FormatNative, err
		case hasKey(root, "name"):
			if looksNESTFUL([]*yaml.Node{root}) {
				apis, err := parseNESTFUL(&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{root}})
				return apis, FormatNESTFUL, err
			}
			var a API
			if err := root.Decode(&a); err != nil {
				return nil, FormatNative, fmt.Errorf("native format: %w", err)
			}
			return []API{a}, FormatNative, nil
		}
		return nil, "", errors.New("unknown format: expected a list of APIs, {apis: [...]}, a NESTFUL spec or an OpenAPI 3 document")
	case yaml.SequenceNode:
		if looksNESTFUL(items(root)) {
			apis, err := parseNESTFUL(root)
			return apis, FormatNESTFUL, err
		}
		apis, err := decodeNative(root)
		return apis, FormatNative, err
	}
	return nil, "", errors.New("unknown format: the document is a single value")
}

func decodeNative(n *yaml.Node) ([]API, error) {
	var apis []API
	if err := n.Decode(&apis); err != nil {
		return nil, fmt.Errorf("native format: %w", err)
	}
	for i := range apis {
		for j := range apis[i].Inputs {
			in := &apis[i].Inputs[j]
			in.Default = normaliseValue(in.Default)
			for k := range in.Allowed {
				in.Allowed[k] = normaliseValue(in.Allowed[k])
			}
		}
		if b := apis[i].Binding; b != nil && b.Response != nil {
			b.Response = normaliseValue(b.Response).(map[string]any)
		}
	}
	return apis, nil
}

// nestfulKeys are keys only the NESTFUL format uses.
var nestfulKeys = []string{"parameters", "arguments", "query_parameters", "path_parameters", "body_parameters", "output_parameters"}

// nativeKeys are keys only the native format uses.
var nativeKeys = []string{"inputs", "outputs", "binding"}

func looksNESTFUL(list []*yaml.Node) bool {
	nestful := false
	for _, n := range list {
		for _, k := range nativeKeys {
			if hasKey(n, k) {
				return false
			}
		}
		for _, k := range nestfulKeys {
			if hasKey(n, k) {
				nestful = true
			}
		}
	}
	return nestful
}

// firstJSONElementNESTFUL reports whether the first element of a JSON list
// has NESTFUL keys and no native ones (reading only that element).
func firstJSONElementNESTFUL(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return false
	}
	var first map[string]json.RawMessage
	if !dec.More() || dec.Decode(&first) != nil {
		return false
	}
	nestful := false
	for _, k := range nativeKeys {
		if _, ok := first[k]; ok {
			return false
		}
	}
	for _, k := range nestfulKeys {
		if _, ok := first[k]; ok {
			nestful = true
		}
	}
	return nestful
}

// validateAll validates every API and rejects duplicate names; field paths
// name the API's position.
func validateAll(apis []API, file string) error {
	var fe fieldErrors
	seen := map[string]int{}
	for i := range apis {
		if err := apis[i].Validate(); err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) {
				return err
			}
			for _, f := range ve.Fields {
				fe.add(fmt.Sprintf("apis[%d].%s", i, f.Field), "%s", f.Message)
			}
		}
		if j, dup := seen[apis[i].Name]; dup && apis[i].Name != "" {
			fe.add(fmt.Sprintf("apis[%d].name", i), "duplicate of apis[%d] (%q)", j, apis[i].Name)
		}
		seen[apis[i].Name] = i
	}
	return fe.err("api file", file)
}

// dropIdenticalDuplicates removes later copies of an API identical to an
// earlier one of the same name (NESTFUL's glaive specs repeat some);
// differing APIs of one name are left for validateAll to report.
func dropIdenticalDuplicates(apis []API) []API {
	first := make(map[string]int, len(apis))
	out := apis[:0]
	for _, a := range apis {
		if i, ok := first[a.Name]; ok {
			prev, _ := json.Marshal(out[i])
			enc, _ := json.Marshal(a)
			if bytes.Equal(prev, enc) {
				continue
			}
		} else {
			first[a.Name] = len(out)
		}
		out = append(out, a)
	}
	return out
}

// yamlSafeJSON returns a JSON document with the characters YAML does not
// allow in a document (controls other than tab, newline and carriage
// return, DEL, C1 controls, and noncharacters U+FFFE and U+FFFF) replaced
// by U+FFFD, and whether it replaced any. Other text is returned as it is.
func yamlSafeJSON(data []byte) ([]byte, bool) {
	if len(data) == 0 || (data[0] != '{' && data[0] != '[') || !utf8.Valid(data) {
		return data, false
	}
	changed := false
	clean := bytes.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20, r >= 0x7f && r <= 0x9f, r == 0xfffe, r == 0xffff:
			changed = true
			return utf8.RuneError
		}
		return r
	}, data)
	return clean, changed
}
