package llm

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
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
	if r := m.Request("r1"); r.Calls != 2 || !near(r.Cost, 0.00616) || r.ByRole[Maker].Calls != 1 {
		t.Errorf("r1 = %+v", r)
	}
	if r := m.Request("r2"); r.Calls != 2 || r.ByRole[Dispatcher].Errors != 1 {
		t.Errorf("r2 = %+v", r)
	}
	if s := m.Session("s"); s.Calls != 3 {
		t.Errorf("session = %+v", s)
	}
	if r := m.Request("nope"); r.Calls != 0 {
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
	if r := m.Request("3"); r.Calls != 200 {
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
