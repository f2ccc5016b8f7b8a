package sandbox

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// A goroutine or a global left by one call must not reach a later call of
// another tool.
func TestStateDoesNotLeakBetweenTools(t *testing.T) {
	p := newTestPool(t, Options{Workers: 1, Timeout: 2 * time.Second})
	leaver := `package tool

import "fmt"

var Counter int

// Leave sets a global and starts a goroutine that keeps printing. It
// returns the value it set, read before the goroutine can change it.
func Leave() int {
	Counter = 42
	set := Counter
	go func() {
		for i := 0; ; i++ {
			fmt.Println("LEAKED", i)
			Counter++
		}
	}()
	return set
}
`
	reader := `package tool

import (
	"fmt"
	"time"
)

var Counter int

// Read waits a little, prints, and reports the global.
func Read() int {
	time.Sleep(20 * time.Millisecond)
	fmt.Println("clean")
	return Counter
}
`
	ctx := context.Background()
	before := idlePID(p)
	res, err := p.Run(ctx, Call{Source: leaver})
	if err != nil || !res.OK || string(res.Result) != "42" {
		t.Fatalf("leaver: %+v %v", res, err)
	}
	if after := idlePID(p); after == before {
		t.Errorf("the worker (pid %d) that has a leftover goroutine was not replaced", before)
	}
	for i := 0; i < 3; i++ {
		res, err = p.Run(ctx, Call{Source: reader})
		if err != nil || !res.OK {
			t.Fatalf("reader: %+v %v", res, err)
		}
		if string(res.Result) != "0" {
			t.Errorf("reader saw the leaver's global: %s", res.Result)
		}
		if strings.Contains(res.Stdout, "LEAKED") || res.Stdout != "clean\n" {
			t.Errorf("reader's output has the leaver's goroutine in it: %q", res.Stdout)
		}
	}
}

// Globals of one tool persist across its own calls (it is cached), but a
// tool with another source starts from its own initial values.
func TestGlobalsPerTool(t *testing.T) {
	r, err := NewInProcess(Options{})
	if err != nil {
		t.Fatal(err)
	}
	counter := "package tool\nvar n int\n// Next counts calls.\nfunc Next() int { n++; return n }\n"
	other := counter + "// Other is another tool with the same global.\nfunc Other() int { return n }\n"
	ctx := context.Background()
	for want := 1; want <= 2; want++ {
		res, _ := r.Run(ctx, Call{Source: counter})
		if string(res.Result) != string(rune('0'+want)) {
			t.Fatalf("call %d of the same tool: %s", want, res.Result)
		}
	}
	res, _ := r.Run(ctx, Call{Source: other, Func: "Other"})
	if string(res.Result) != "0" {
		t.Errorf("another tool saw the first tool's global: %s", res.Result)
	}
}

// idlePID waits for the pool's (single) idle worker and returns its pid.
func idlePID(p *Pool) int {
	w := <-p.idle
	defer func() { p.idle <- w }()
	return w.pid
}

// The compiled-tool cache is bounded: an evicted tool is compiled afresh
// (its globals start over).
func TestCacheEviction(t *testing.T) {
	r, err := NewInProcess(Options{CacheSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	counter := func(i int) string {
		return fmt.Sprintf("package tool\nvar n int\n// Next counts calls (variant %d).\nfunc Next() int { n++; return n }\n", i)
	}
	ctx := context.Background()
	run := func(src string) string {
		res, err := r.Run(ctx, Call{Source: src})
		if err != nil || !res.OK {
			t.Fatalf("%+v %v", res, err)
		}
		return string(res.Result)
	}
	run(counter(0))
	if got := run(counter(0)); got != "2" {
		t.Fatalf("cached tool: %s", got)
	}
	run(counter(1))
	run(counter(2)) // evicts variant 0
	if got := run(counter(0)); got != "1" {
		t.Errorf("evicted tool kept its globals: %s", got)
	}
}
