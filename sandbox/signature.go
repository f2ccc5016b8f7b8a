package sandbox

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/types"
	"reflect"
	"strconv"
	"strings"
)

// FuncSig describes one exported function of a tool.
type FuncSig struct {
	Name string `json:"name"`
	// Doc is the function's doc comment.
	Doc     string  `json:"doc,omitempty"`
	Params  []Param `json:"params"`
	Results []Param `json:"results"`
	// ReturnsError reports whether the last result is an error, which the
	// sandbox turns into a tool error rather than a value.
	ReturnsError bool `json:"returns_error"`
	// Schema is the JSON Schema of the arguments object (keyed by
	// parameter name), ready for function calling.
	Schema json.RawMessage `json:"schema"`
	// ResultSchema is the JSON Schema of the call's "result" value.
	ResultSchema json.RawMessage `json:"result_schema"`
}

// Param is a parameter or result: its name (empty for unnamed results) and
// its Go type as written in the source.
type Param struct {
	Name string `json:"name,omitempty"`
	Type string `json:"type"`
}

// Signatures parses a tool and describes its exported top-level functions
// in source order. It applies the same static checks as a call, so a
// forbidden import is reported as an *Error of kind forbidden; nothing is
// interpreted.
func Signatures(src string) ([]FuncSig, error) {
	tool, ferr := inspect(src, defaultAllowed, true)
	if ferr != nil {
		return nil, ferr
	}
	structs := map[string]*ast.StructType{}
	for _, d := range tool.file.Decls {
		if gd, ok := d.(*ast.GenDecl); ok {
			for _, s := range gd.Specs {
				if ts, ok := s.(*ast.TypeSpec); ok {
					if st, ok := ts.Type.(*ast.StructType); ok {
						structs[ts.Name.Name] = st
					}
				}
			}
		}
	}
	sc := schemaBuilder{structs: structs, seen: map[string]bool{}}
	sigs := []FuncSig{}
	for _, d := range tool.file.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv != nil || !fd.Name.IsExported() {
			continue
		}
		sig := FuncSig{Name: fd.Name.Name, Doc: strings.TrimSpace(fd.Doc.Text()), Params: []Param{}, Results: []Param{}}
		props := map[string]any{}
		required := []string{}
		for i, p := range fieldParams(fd.Type.Params, "arg") {
			sig.Params = append(sig.Params, p)
			expr := paramExpr(fd.Type.Params, i)
			if ell, ok := expr.(*ast.Ellipsis); ok {
				props[p.Name] = map[string]any{"type": "array", "items": sc.schema(ell.Elt)}
			} else {
				props[p.Name] = sc.schema(expr)
				required = append(required, p.Name)
			}
		}
		results := fieldParams(fd.Type.Results, "")
		var resultSchemas []any
		for i, r := range results {
			if i == len(results)-1 && r.Type == "error" {
				sig.ReturnsError = true
				continue
			}
			resultSchemas = append(resultSchemas, sc.schema(paramExpr(fd.Type.Results, i)))
		}
		sig.Results = append(sig.Results, results...)
		schema := map[string]any{"type": "object", "properties": props, "required": required, "additionalProperties": false}
		if sig.Doc != "" {
			schema["description"] = sig.Doc
		}
		sig.Schema = mustJSON(schema)
		switch len(resultSchemas) {
		case 0:
			sig.ResultSchema = mustJSON(map[string]any{"type": "null"})
		case 1:
			sig.ResultSchema = mustJSON(resultSchemas[0])
		default:
			sig.ResultSchema = mustJSON(map[string]any{"type": "array", "prefixItems": resultSchemas, "items": false})
		}
		sigs = append(sigs, sig)
	}
	return sigs, nil
}

// fieldParams expands a field list into one Param per name; unnamed fields
// get prefix+index as name when prefix is not empty.
func fieldParams(fl *ast.FieldList, prefix string) []Param {
	var ps []Param
	if fl == nil {
		return ps
	}
	for _, f := range fl.List {
		typ := types.ExprString(f.Type)
		if len(f.Names) == 0 {
			name := ""
			if prefix != "" {
				name = prefix + strconv.Itoa(len(ps))
			}
			ps = append(ps, Param{Name: name, Type: typ})
		}
		for _, n := range f.Names {
			ps = append(ps, Param{Name: n.Name, Type: typ})
		}
	}
	return ps
}

// paramExpr returns the type expression of the i-th expanded parameter.
func paramExpr(fl *ast.FieldList, i int) ast.Expr {
	k := 0
	for _, f := range fl.List {
		n := max(len(f.Names), 1)
		if i < k+n {
			return f.Type
		}
		k += n
	}
	return nil
}

// schemaBuilder maps Go type expressions to JSON Schema, following the
// struct types the tool declares.
type schemaBuilder struct {
	structs map[string]*ast.StructType
	seen    map[string]bool // structs being expanded, to stop recursion
}

func (b schemaBuilder) schema(e ast.Expr) map[string]any {
	switch t := e.(type) {
	case *ast.Ident:
		switch t.Name {
		case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr":
			return map[string]any{"type": "integer"}
		case "float32", "float64":
			return map[string]any{"type": "number"}
		case "string":
			return map[string]any{"type": "string"}
		case "rune":
			return map[string]any{"type": "integer", "description": "a Unicode code point"}
		case "byte":
			return map[string]any{"type": "integer", "minimum": 0, "maximum": 255}
		case "bool":
			return map[string]any{"type": "boolean"}
		case "any", "error":
			return map[string]any{}
		}
		if st, ok := b.structs[t.Name]; ok && !b.seen[t.Name] {
			b.seen[t.Name] = true
			defer delete(b.seen, t.Name)
			return b.structSchema(st)
		}
		return map[string]any{}
	case *ast.StarExpr:
		return b.schema(t.X)
	case *ast.ArrayType:
		if id, ok := t.Elt.(*ast.Ident); ok && (id.Name == "byte" || id.Name == "uint8") && t.Len == nil {
			return map[string]any{"type": "string", "contentEncoding": "base64"}
		}
		s := map[string]any{"type": "array", "items": b.schema(t.Elt)}
		if lit, ok := t.Len.(*ast.BasicLit); ok {
			if n, err := strconv.Atoi(lit.Value); err == nil {
				s["minItems"], s["maxItems"] = n, n
			}
		}
		return s
	case *ast.MapType:
		return map[string]any{"type": "object", "additionalProperties": b.schema(t.Value)}
	case *ast.StructType:
		return b.structSchema(t)
	case *ast.InterfaceType:
		return map[string]any{}
	case *ast.SelectorExpr:
		switch types.ExprString(t) {
		case "time.Time":
			return map[string]any{"type": "string", "format": "date-time"}
		case "time.Duration":
			return map[string]any{"type": "integer", "description": "nanoseconds"}
		case "big.Int":
			return map[string]any{"type": "integer"}
		case "big.Float", "big.Rat":
			return map[string]any{"type": "string"}
		}
	}
	return map[string]any{}
}

func (b schemaBuilder) structSchema(st *ast.StructType) map[string]any {
	props := map[string]any{}
	for _, f := range st.Fields.List {
		name := ""
		if f.Tag != nil {
			tag, _ := strconv.Unquote(f.Tag.Value)
			name, _, _ = strings.Cut(reflect.StructTag(tag).Get("json"), ",")
		}
		if name == "-" {
			continue
		}
		for _, id := range f.Names {
			if !id.IsExported() {
				continue
			}
			n := name
			if n == "" {
				n = id.Name
			}
			props[n] = b.schema(f.Type)
		}
	}
	return map[string]any{"type": "object", "properties": props}
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("sandbox: schema is not JSON: %v", err))
	}
	return b
}
