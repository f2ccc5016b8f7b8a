package sandbox

import (
	"context"
	"encoding/json"
	"testing"
	"time"
)

func TestPoolSmoke(t *testing.T) {
	p := newTestPool(t, Options{Workers: 1})
	src := "package tool\nimport \"sort\"\nfunc Sort(w []string) []string { sort.Strings(w); println(\"x\"); return w }\n"
	for i := 0; i < 5; i++ {
		t0 := time.Now()
		res, err := p.Run(context.Background(), Call{Source: src, Args: json.RawMessage(`[["b","a"]]`)})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%v %s %+v", time.Since(t0), res.Result, res)
	}
	res, err := p.Run(context.Background(), Call{Source: "package main\nfunc main(){ for {} }", Timeout: time.Second})
	t.Logf("%+v %v %v", res, err, res.Error)
	t0 := time.Now()
	res, err = p.Run(context.Background(), Call{Source: src, Args: json.RawMessage(`[["b","a"]]`)})
	t.Logf("%v %+v %v", time.Since(t0), res, err)
}
