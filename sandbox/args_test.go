package sandbox

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestDecodeArgs(t *testing.T) {
	type pt struct{ X, Y int }
	fn := reflect.TypeOf(func(n int, s string, xs []float64, m map[string]bool, p pt, ok bool) {})
	names := []string{"n", "s", "xs", "m", "p", "ok"}
	variadic := reflect.TypeOf(func(sep string, parts ...string) {})
	for _, tc := range []struct {
		name  string
		ft    reflect.Type
		names []string
		args  string
		want  []any
		err   string // substring of the bad_args message
	}{
		{"object", fn, names, `{"n": 3, "s": "x", "xs": [1.5], "m": {"a": true}, "p": {"X": 1, "Y": 2}, "ok": true}`,
			[]any{3, "x", []float64{1.5}, map[string]bool{"a": true}, pt{1, 2}, true}, ""},
		{"array", fn, names, `[3, "x", [], {}, {"X": 1}, false]`,
			[]any{3, "x", []float64{}, map[string]bool{}, pt{X: 1}, false}, ""},
		{"wrong type names the parameter", fn, names, `{"n": "3", "s": "x", "xs": [], "m": {}, "p": {}, "ok": true}`, nil, `"n"`},
		{"unknown struct field", fn, names, `[3, "x", [], {}, {"Z": 1}, false]`, nil, `"p"`},
		{"missing parameter", fn, names, `{"n": 3}`, nil, `missing parameter "s"`},
		{"unknown parameter", fn, names, `{"n": 3, "q": 1}`, nil, `unknown parameter "q"`},
		{"too few", fn, names, `[1, "x"]`, nil, "expected 6 arguments"},
		{"not json", fn, names, `{n: 1}`, nil, "arguments"},
		{"scalar", fn, names, `42`, nil, "object or array"},
		{"variadic spread", variadic, []string{"sep", "parts"}, `[",", "a", "b"]`, []any{",", "a", "b"}, ""},
		{"variadic by name", variadic, []string{"sep", "parts"}, `{"sep": ",", "parts": ["a", "b"]}`, []any{",", "a", "b"}, ""},
		{"variadic omitted", variadic, []string{"sep", "parts"}, `{"sep": ","}`, []any{","}, ""},
		{"none", reflect.TypeOf(func() {}), nil, ``, []any{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vals, err := decodeArgs(tc.ft, tc.names, json.RawMessage(tc.args))
			if tc.err != "" {
				if err == nil || err.Kind != KindBadArgs || !strings.Contains(err.Message, tc.err) {
					t.Fatalf("got %v, want bad_args mentioning %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := make([]any, len(vals))
			for i, v := range vals {
				got[i] = v.Interface()
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestResultJSON(t *testing.T) {
	ok, _ := json.Marshal(Result{OK: true, Result: json.RawMessage(`[1]`), Stdout: "hi\n", DurationMS: 1.5})
	if string(ok) != `{"ok":true,"result":[1],"stdout":"hi\n","duration_ms":1.5}` {
		t.Errorf("ok result: %s", ok)
	}
	null, _ := json.Marshal(Result{OK: true})
	if !strings.Contains(string(null), `"result":null`) {
		t.Errorf("a result of no value must be null: %s", null)
	}
	bad, _ := json.Marshal(failed(errorf(KindTimeout, "slow")))
	if string(bad) != `{"ok":false,"stdout":"","duration_ms":0,"error":{"kind":"timeout","message":"slow"}}` {
		t.Errorf("failed result: %s", bad)
	}
}

func reflectTypeOf(v any) reflect.Type { return reflect.TypeOf(v) }
