package sandbox

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// A tool returning a 200 MB result within a 256 MiB budget: the call fails
// with output_limit, and the worker's peak RSS, as the kernel measured it,
// stayed within the budget.
func TestLargeResultWithinBudget(t *testing.T) {
	if raceEnabled {
		t.Skip("a race-built worker holds the detector's shadow memory besides its budget")
	}
	const budget = 256 << 20
	for _, unsafe := range []bool{false, true} {
		o, err := Options{Command: testCommand(t), UnsafeNoAllowList: unsafe}.withDefaults()
		if err != nil {
			t.Fatal(err)
		}
		w, err := newLauncher(o).startWorker(budget)
		if err != nil {
			t.Fatal(err)
		}
		src := "package tool\nimport \"strings\"\n// Big returns n bytes.\nfunc Big(n int) string { return strings.Repeat(\"x\", n) }\n"
		res, _, err := w.call(context.Background(), wireCall{Source: src, Args: json.RawMessage(`[209715200]`)}, 20*time.Second)
		w.kill()
		if err != nil || res.OK || res.Error.Kind != KindOutputLimit {
			t.Fatalf("unsafe %v: %+v %v", unsafe, res, err)
		}
		if w.peakRSS == 0 || w.peakRSS > budget {
			t.Errorf("unsafe %v: peak RSS %d MiB, budget %d MiB", unsafe, w.peakRSS>>20, budget>>20)
		}
		t.Logf("unsafe %v: %s; peak RSS %d MiB", unsafe, res.Error.Message, w.peakRSS>>20)
	}
}

func TestJSONSizeAtLeast(t *testing.T) {
	type inner struct {
		A string `json:"a"`
		B []int  `json:"b,omitempty"`
		C int    `json:"-"`
	}
	type outer struct {
		inner
		P   *inner            `json:"p"`
		M   map[string]any    `json:"m"`
		R   json.RawMessage   `json:"r"`
		Bs  []byte            `json:"bs"`
		Skp string            `json:"-"`
		Any any               `json:"any"`
		Map map[string]string `json:"map"`
	}
	values := []any{
		nil, true, false, 0, -123456, math.Pi, "", "a\"b\n\x00<>", []int{}, []int(nil), []string{"a", "bb"},
		map[string]int{}, map[string]int{"k": 1, "long key": 22}, [3]int{1, 2, 3}, []byte("hello world"),
		outer{inner: inner{A: "x"}, P: &inner{B: []int{1}}, M: map[string]any{"z": []any{nil, 1.5}}, R: json.RawMessage(`{"q":1}`), Bs: []byte{1, 2}, Skp: strings.Repeat("s", 100)},
		&outer{}, []any{time.Unix(0, 0).UTC(), reflect.Value{}.IsValid()},
	}
	for _, v := range values {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if n := jsonSizeAtLeast(reflect.ValueOf(v), 1<<30); n > len(b) {
			t.Errorf("%#v: bound %d, but its JSON %s is %d bytes", v, n, b, len(b))
		}
	}
	big := strings.Repeat("x", 1<<20)
	if n := jsonSizeAtLeast(reflect.ValueOf([]string{big, big, big}), 1<<20); n <= 1<<20 {
		t.Errorf("3 MiB of strings bounded by %d", n)
	}
}
