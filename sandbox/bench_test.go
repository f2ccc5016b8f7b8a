package sandbox

import (
	"context"
	"encoding/json"
	"testing"
)

func BenchmarkPoolWarmCall(b *testing.B) {
	p := newTestPool(b, Options{Workers: 1})
	call := Call{Source: sortTool, Func: "Sort", Args: json.RawMessage(`[["pear","apple","fig","kiwi","date","lime","plum","yuzu","nut","oat","rye","bean","corn","leek","okra","pea","sage","dill","mint","kale"]]`)}
	ctx := context.Background()
	for b.Loop() {
		if res, err := p.Run(ctx, call); err != nil || !res.OK {
			b.Fatal(res, err)
		}
	}
}

func BenchmarkInProcessWarmCall(b *testing.B) {
	r, err := NewInProcess(Options{})
	if err != nil {
		b.Fatal(err)
	}
	call := Call{Source: sortTool, Func: "Sort", Args: json.RawMessage(`[["pear","apple","fig","kiwi","date","lime","plum","yuzu","nut","oat","rye","bean","corn","leek","okra","pea","sage","dill","mint","kale"]]`)}
	ctx := context.Background()
	for b.Loop() {
		if res, err := r.Run(ctx, call); err != nil || !res.OK {
			b.Fatal(res, err)
		}
	}
}

func BenchmarkPoolTrivialCall(b *testing.B) {
	p := newTestPool(b, Options{Workers: 1})
	call := Call{Source: "package tool\n// One is one.\nfunc One() int { return 1 }\n"}
	ctx := context.Background()
	for b.Loop() {
		if res, err := p.Run(ctx, call); err != nil || !res.OK {
			b.Fatal(res, err)
		}
	}
}

func BenchmarkPoolThroughput(b *testing.B) {
	p := newTestPool(b, Options{Workers: 2})
	call := Call{Source: sortTool, Func: "Sort", Args: json.RawMessage(`[["pear","apple","fig","kiwi","date","lime","plum","yuzu","nut","oat","rye","bean","corn","leek","okra","pea","sage","dill","mint","kale"]]`)}
	ctx := context.Background()
	b.SetParallelism(2) // 4 callers on 2 processors
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if res, err := p.Run(ctx, call); err != nil || !res.OK {
				b.Error(res, err)
				return
			}
		}
	})
}
