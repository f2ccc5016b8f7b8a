package llm

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestMeterTotals(t *testing.T) {
	var m Meter
	calls := []Call{
		{Role: Maker, Model: "openai:gpt-4.1", Request: "r1", Session: "s", InputTokens: 1000, OutputTokens: 500, Cost: 0.006, Latency: time.Second},
		{Role: User, Model: "openai:gpt-4.1-mini", Request: "r1", Session: "s", InputTokens: 200, OutputTokens: 50, Cost: 0.00016, Latency: 100 * time.Millisecond},
		{Role: User, Model: "openai:gpt-4.1-mini", Request: "r2", Session: "s", InputTokens: 220, OutputTokens: 40, Estimated: true, Cost: 0.000152, Latency: 80 * time.Millisecond},
		{Role: Dispatcher, Model: "openai:gpt-4.1-mini", Request: "r2", Err: "boom", Latency: 10 * time.Millisecond},
	}
	for _, c := range calls {
		m.Record(c)
	}
	tot := m.Total()
	if tot.Calls != 4 || tot.InputTokens != 1420 || tot.OutputTokens != 590 || tot.EstimatedCalls != 1 || tot.Errors != 1 {
		t.Errorf("total = %+v", tot.Usage)
	}
	if u := tot.ByRole[User]; u.Calls != 2 || u.InputTokens != 420 {
		t.Errorf("user = %+v", u)
	}
	if r := m.Request("", "r1"); r.Calls != 2 || !near(r.Cost, 0.00616) || r.ByRole[Maker].Calls != 1 {
		t.Errorf("r1 = %+v", r)
	}
	if r := m.Request("", "r2"); r.Calls != 2 || r.ByRole[Dispatcher].Errors != 1 {
		t.Errorf("r2 = %+v", r)
	}
	if s := m.Session("", "s"); s.Calls != 3 {
		t.Errorf("session = %+v", s)
	}
	if r := m.Request("", "nope"); r.Calls != 0 {
		t.Errorf("unknown request = %+v", r)
	}
	// Totals are copies: changing one leaves the meter alone.
	tot.ByRole[Maker] = Usage{}
	if m.Total().ByRole[Maker].Calls != 1 {
		t.Error("Total shares its map with the meter")
	}
}

func TestMeterKeepsRecentCalls(t *testing.T) {
	m := Meter{MaxCalls: 3}
	for i := range 5 {
		m.Record(Call{Role: User, Model: fmt.Sprint(i), InputTokens: 1})
	}
	got := m.Calls()
	if len(got) != 3 || got[0].Model != "2" || got[2].Model != "4" {
		t.Errorf("calls = %+v, want the last three, oldest first", got)
	}
	if m.Total().Calls != 5 {
		t.Errorf("totals count %d calls, want 5", m.Total().Calls)
	}
}

func TestMeterConcurrent(t *testing.T) {
	var m Meter
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 250 {
				m.Record(Call{Role: Roles()[g%4], Model: "x", Request: fmt.Sprint(i % 10), InputTokens: 2, OutputTokens: 1, Cost: 1})
				if i%50 == 0 {
					_ = m.Snapshot()
					_ = m.Total()
				}
			}
		}()
	}
	wg.Wait()
	tot := m.Total()
	if tot.Calls != 2000 || tot.InputTokens != 4000 || tot.Cost != 2000 || tot.ByRole[Translator].Calls != 500 {
		t.Errorf("total = %+v", tot)
	}
	if r := m.Request("", "3"); r.Calls != 200 {
		t.Errorf("request 3 = %d calls, want 200", r.Calls)
	}
}

func goldenMeter() *Meter {
	m := &Meter{Scripted: "examples/scripted/hello.yaml"}
	m.Record(Call{Role: User, Model: "scripted(openai:gpt-4.1-mini)", InputTokens: 120, OutputTokens: 30, Estimated: true, Cost: 0.000096, Latency: 2 * time.Millisecond, Attempts: 1})
	m.Record(Call{Role: Maker, Model: "scripted(openai:gpt-4.1)", InputTokens: 1500, OutputTokens: 600, Estimated: true, Cost: 0.0078, Latency: 3 * time.Millisecond, Attempts: 1})
	m.Record(Call{Role: User, Model: "scripted(openai:gpt-4.1-mini)", InputTokens: 100, OutputTokens: 20, Estimated: true, Cost: 0.000072, Latency: time.Millisecond, Attempts: 1})
	return m
}

func TestMeterTableGolden(t *testing.T) {
	var b bytes.Buffer
	if err := goldenMeter().WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/table.golden", b.Bytes())
}

func TestMeterJSON(t *testing.T) {
	var b bytes.Buffer
	if err := goldenMeter().WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var s Snapshot
	if err := json.Unmarshal(b.Bytes(), &s); err != nil {
		t.Fatal(err)
	}
	if s.Scripted == "" || s.Total.Calls != 3 || len(s.Lines) != 2 || s.Lines[0].Role != Maker ||
		s.Lines[1].Calls != 2 || len(s.Calls) != 3 || !s.Calls[0].Estimated {
		t.Errorf("snapshot = %+v", s)
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n--- got\n%s--- want\n%s", path, got, want)
	}
}

// TestMeterScopesIDsByNamespace: two tenants using the same session and
// request ids never see each other's usage; each namespace has its totals.
func TestMeterScopesIDsByNamespace(t *testing.T) {
	var m Meter
	m.Record(Call{Role: User, Model: "x", Namespace: "a", Session: "s", Request: "s#1", InputTokens: 10, Cost: 1})
	m.Record(Call{Role: User, Model: "x", Namespace: "b", Session: "s", Request: "s#1", InputTokens: 5, Cost: 2})
	m.Record(Call{Role: User, Model: "x", Namespace: "b", Session: "s", Request: "s#2", InputTokens: 5, Cost: 2})
	if got := m.Session("a", "s"); got.Calls != 1 || got.Cost != 1 {
		t.Errorf("a's session = %+v", got.Usage)
	}
	if got := m.Request("b", "s#1"); got.Calls != 1 || got.Cost != 2 {
		t.Errorf("b's request = %+v", got.Usage)
	}
	if got := m.Namespace("b"); got.Calls != 2 || got.Cost != 4 {
		t.Errorf("b's namespace = %+v", got.Usage)
	}
	snap := m.Snapshot()
	if len(snap.Namespaces) != 2 || snap.Sessions["a/s"].Calls != 1 || snap.Sessions["b/s"].Calls != 2 {
		t.Errorf("snapshot namespaces %v sessions %v", snap.Namespaces, snap.Sessions)
	}
}

// TestMeterBoundsTrackedIDs: only the most recently used requests and
// sessions keep their totals; the overall and namespace totals count all.
func TestMeterBoundsTrackedIDs(t *testing.T) {
	m := Meter{MaxTracked: 3}
	for i := range 10 {
		m.Record(Call{Role: User, Model: "x", Request: fmt.Sprint("r", i), Session: "keep", Cost: 1})
		m.Record(Call{Role: User, Model: "x", Request: "r0", Cost: 1}) // r0 stays recent
	}
	if got := m.Request("", "r0"); got.Calls != 11 {
		t.Errorf("recently used r0 = %d calls, want 11", got.Calls)
	}
	if got := m.Request("", "r1"); got.Calls != 0 {
		t.Errorf("r1 kept beyond the bound: %+v", got.Usage)
	}
	if got := m.Request("", "r9"); got.Calls != 1 {
		t.Errorf("r9 = %+v", got.Usage)
	}
	if n := len(m.Snapshot().Requests); n != 3 {
		t.Errorf("%d requests tracked, want 3", n)
	}
	if m.Total().Calls != 20 || m.Namespace("").Calls != 20 || m.Session("", "keep").Calls != 10 {
		t.Errorf("totals lost calls: %+v", m.Total().Usage)
	}
}

// TestMeterMemoryFlat: 100k turns, each its own request and every tenth a
// new session, leave the meter's heap where 20k left it.
func TestMeterMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("memory measurement")
	}
	m := Meter{MaxTracked: 2000}
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	record := func(from, to int) {
		for i := from; i < to; i++ {
			m.Record(Call{Role: Translator, Model: "x", Namespace: fmt.Sprint("ns", i%4),
				Session: fmt.Sprint("s", i/10), Request: fmt.Sprint("s", i/10, "#", i%10), InputTokens: 100, OutputTokens: 10, Cost: 0.001})
		}
	}
	record(0, 20_000)
	at20k := heap()
	record(20_000, 100_000)
	at100k := heap()
	if at100k > at20k+(1<<20) {
		t.Errorf("heap grew from %d to %d bytes between 20k and 100k calls", at20k, at100k)
	}
	if m.Total().Calls != 100_000 {
		t.Errorf("total %d", m.Total().Calls)
	}
}
