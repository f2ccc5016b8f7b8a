package sandbox

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestWireCallRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   wireCall
		want wireCall
	}{
		{"empty", wireCall{}, wireCall{}},
		{"check", wireCall{Source: "package tool", Check: true}, wireCall{Source: "package tool", Check: true}},
		{"call", wireCall{Source: sortTool, Func: "Sort", Args: json.RawMessage(`[["b","a"]]`)}, wireCall{Source: sortTool, Func: "Sort", Args: json.RawMessage(`[["b","a"]]`)}},
		{"args compacted", wireCall{Func: "F", Args: json.RawMessage(" [ 1 ,\n 2 ] ")}, wireCall{Func: "F", Args: json.RawMessage(`[1,2]`)}},
		{"long args", wireCall{Args: json.RawMessage(`"` + strings.Repeat("x", 300) + `"`)}, wireCall{Args: json.RawMessage(`"` + strings.Repeat("x", 300) + `"`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := encodeCall(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := decodeCall(b)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestWireCallBadArgs(t *testing.T) {
	_, err := encodeCall(wireCall{Args: json.RawMessage(`[1,`)})
	_, jerr := json.Marshal(json.RawMessage(`[1,`))
	if err == nil || err.Error() != jerr.Error() {
		t.Errorf("got %v, want %v", err, jerr)
	}
}

// TestWireResultLikeJSON checks that a result decodes to what a JSON round
// trip (the protocol's former encoding) gave.
func TestWireResultLikeJSON(t *testing.T) {
	tests := []wireResult{
		{},
		{Result: Result{OK: true, Result: json.RawMessage(`["a","b"]`), Stdout: "hi\n", DurationMS: 0.123}},
		{Result: Result{OK: true}},
		{Result: Result{Result: json.RawMessage(`1`), Error: errorf(KindPanic, "boom")}, Recycle: true},
		{Result: Result{Stdout: "bad \xff\xfe utf-8", Stderr: "\xc3", Error: errorf(KindOutputLimit, "x\xff")}},
	}
	for i, in := range tests {
		j, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		var want wireResult
		if err := json.Unmarshal(j, &want); err != nil {
			t.Fatal(err)
		}
		got, err := decodeResult(encodeResult(in))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%d: got %+v, want %+v", i, got, want)
		}
	}
}

func TestWireTruncated(t *testing.T) {
	c, _ := encodeCall(wireCall{Source: "package tool", Func: "F", Args: json.RawMessage(`[1]`)})
	r := encodeResult(wireResult{Result: Result{OK: true, Result: json.RawMessage(`1`), Error: errorf(KindError, "e")}})
	for n := range len(c) {
		if _, err := decodeCall(c[:n]); err == nil {
			t.Errorf("call cut at %d decoded", n)
		}
	}
	for n := range len(r) {
		if _, err := decodeResult(r[:n]); err == nil {
			t.Errorf("result cut at %d decoded", n)
		}
	}
	if _, err := decodeCall(append(c, 0)); err == nil {
		t.Error("call with a trailing byte decoded")
	}
}

func FuzzDecodeResult(f *testing.F) {
	f.Add(encodeResult(wireResult{Result: Result{OK: true, Result: json.RawMessage(`[1]`), Stdout: "x"}}))
	f.Add(encodeResult(wireResult{Result: Result{Error: errorf(KindCrash, "y")}, Recycle: true}))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeResult(b)
		if err != nil {
			return
		}
		again, err := decodeResult(encodeResult(r))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(r, again) {
			t.Errorf("%+v re-decoded as %+v", r, again)
		}
	})
}

func FuzzDecodeCall(f *testing.F) {
	b, _ := encodeCall(wireCall{Source: "package tool", Func: "F", Args: json.RawMessage(`[1]`)})
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeCall(b)
		if err != nil {
			return
		}
		if len(c.Args) > 0 && !json.Valid(c.Args) {
			return // the host never sends these
		}
		enc, err := encodeCall(c)
		if err != nil {
			t.Fatal(err)
		}
		again, err := decodeCall(enc)
		if err != nil {
			t.Fatal(err)
		}
		if again.Source != c.Source || again.Func != c.Func || again.Check != c.Check {
			t.Errorf("%+v re-decoded as %+v", c, again)
		}
	})
}

func TestWireHelloRoundTrip(t *testing.T) {
	in := hello{Version: protocolVersion, Report: Confinement{Layers: []LayerStatus{
		{Layer: LayerSeccomp, Active: true, Detail: "on every thread"},
		{Layer: LayerCgroup, Detail: "not writable"},
	}}}
	got, err := decodeHello(encodeHello(in))
	if err != nil || !reflect.DeepEqual(got, in) {
		t.Errorf("got %+v, %v; want %+v", got, err, in)
	}
	b := encodeHello(in)
	for n := range len(b) {
		if _, err := decodeHello(b[:n]); err == nil {
			t.Errorf("hello cut at %d decoded", n)
		}
	}
}

func FuzzDecodeHello(f *testing.F) {
	f.Add(encodeHello(hello{Version: protocolVersion, Report: Confinement{Layers: []LayerStatus{{Layer: LayerLandlock, Active: true, Detail: "ABI 7"}}}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := decodeHello(b)
		if err != nil {
			return
		}
		again, err := decodeHello(encodeHello(h))
		if err != nil || !reflect.DeepEqual(h, again) {
			t.Errorf("%+v re-decoded as %+v (%v)", h, again, err)
		}
	})
}
