package sandbox

import (
	"context"
	"encoding/json"
	"testing"
)

func TestConfinementReport(t *testing.T) {
	p := newTestPool(t, Options{Workers: 1, MemoryBytes: 64 << 20})
	rep := p.Confinement()
	b, _ := json.MarshalIndent(rep, "", "  ")
	t.Logf("%s", b)
	if len(rep.Layers) != len(Layers()) {
		t.Fatalf("%d statuses for %d layers", len(rep.Layers), len(Layers()))
	}
	for i, s := range rep.Layers {
		if s.Layer != Layers()[i] || s.Detail == "" {
			t.Errorf("status %d: %+v", i, s)
		}
	}
	res, err := p.Run(context.Background(), Call{Source: sortTool, Func: "Sort", Args: json.RawMessage(`[["b","a"]]`)})
	if err != nil || !res.OK || res.Confinement == nil || len(res.Confinement.Layers) != len(Layers()) {
		t.Fatalf("result %+v, %v", res, err)
	}
}
