package sandbox

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
)

// DefaultResultLimit bounds the JSON of a call's result.
const DefaultResultLimit = 16 << 20

var (
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// jsonSizeAtLeast returns a lower bound of the length of v's JSON encoding,
// or a number above stop as soon as the bound passes stop. It allocates
// nothing, so a result far over the limit (a 200 MB string) is refused
// before json.Marshal makes a second copy of it. Every value it visits adds
// at least one byte, so it visits at most stop+1 values; past maxDepth it
// stops counting (json.Marshal reports such cycles itself).
func jsonSizeAtLeast(v reflect.Value, stop int) int {
	n := 0
	var walk func(v reflect.Value, depth int)
	walk = func(v reflect.Value, depth int) {
		if n > stop || depth > 100 {
			return
		}
		if !v.IsValid() {
			n += 4 // null
			return
		}
		t := v.Type()
		if t.Implements(jsonMarshalerType) || t.Implements(textMarshalerType) {
			n++ // whatever it writes is at least one byte
			return
		}
		switch v.Kind() {
		case reflect.Bool:
			n += 4
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
			reflect.Float32, reflect.Float64:
			n++
		case reflect.String:
			n += v.Len() + 2
		case reflect.Pointer, reflect.Interface:
			if v.IsNil() {
				n += 4
				return
			}
			walk(v.Elem(), depth+1)
		case reflect.Slice:
			if v.IsNil() {
				n += 4
				return
			}
			if t.Elem().Kind() == reflect.Uint8 {
				n += (v.Len()+2)/3*4 + 2 // base64
				return
			}
			fallthrough
		case reflect.Array:
			n += 2 + max(v.Len()-1, 0)
			for i := 0; i < v.Len() && n <= stop; i++ {
				walk(v.Index(i), depth+1)
			}
		case reflect.Map:
			if v.IsNil() {
				n += 4
				return
			}
			n += 2 + max(v.Len()-1, 0)
			it := v.MapRange()
			for it.Next() && n <= stop {
				n += 3 // at least one byte of key, quoted, and a colon
				walk(it.Value(), depth+1)
			}
		case reflect.Struct:
			n += 2
			for i := 0; i < t.NumField() && n <= stop; i++ {
				f := t.Field(i)
				tag := f.Tag.Get("json")
				if !f.IsExported() || tag == "-" || strings.Contains(tag, ",omitempty") || strings.Contains(tag, ",omitzero") {
					continue
				}
				fv := v.Field(i)
				if f.Anonymous {
					if fv.Kind() != reflect.Pointer || !fv.IsNil() {
						walk(fv, depth+1)
					}
					continue
				}
				name, _, _ := strings.Cut(tag, ",")
				if name == "" {
					name = f.Name
				}
				n += len(name) + 3 // "name":
				walk(fv, depth+1)
			}
		}
	}
	walk(v, 0)
	return n
}

// resultLimit is the largest result's JSON a worker with a memory budget
// returns: the encoded result exists twice in the worker (the JSON, then the
// frame that carries it), so each copy may take a sixteenth of the budget,
// and never more than DefaultResultLimit.
func resultLimit(memory int64) int {
	return int(min(int64(DefaultResultLimit), max(memory/16, 64<<10)))
}
