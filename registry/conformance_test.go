package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestConformance runs one suite against every backend: both must behave
// the same.
func TestConformance(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			for _, c := range conformanceCases {
				t.Run(c.name, func(t *testing.T) {
					t.Parallel()
					c.run(t, b.open(t))
				})
			}
		})
	}
}

var conformanceCases = []struct {
	name string
	run  func(t *testing.T, s Store)
}{
	{"ToolVersions", testToolVersions},
	{"ToolRemoveRestore", testToolRemoveRestore},
	{"ToolRollback", testToolRollback},
	{"ToolValidation", testToolValidation},
	{"ToolStatsConcurrent", testToolStatsConcurrent},
	{"ToolConcurrentVersions", testToolConcurrentVersions},
	{"ListToolsByFamily", testListToolsByFamily},
	{"APIs", testAPIs},
	{"APIBulkAtomic", testAPIBulkAtomic},
	{"Families", testFamilies},
	{"ClaimFamily", testClaimFamily},
	{"Sessions", testSessions},
	{"UpdateSessionConcurrent", testUpdateSessionConcurrent},
	{"SessionVersions", testSessionVersions},
	{"SessionHistory", testSessionHistory},
	{"Leases", testLeases},
	{"TokenBucket", testTokenBucket},
	{"Slots", testSlots},
	{"Spend", testSpend},
	{"Plans", testPlans},
	{"Policies", testPolicies},
	{"Settings", testSettings},
	{"VersionsAndSubscribe", testVersionsAndSubscribe},
	{"DeleteUnknownChangesNothing", testDeleteUnknownChangesNothing},
	{"NamespaceIsolation", testNamespaceIsolation},
}

// wantChanges reads len(want) changes from ch and fails unless they are want,
// in order.
func wantChanges(t *testing.T, ch <-chan Change, want []Change) {
	t.Helper()
	for i, w := range want {
		select {
		case got := <-ch:
			if got != w {
				t.Fatalf("change %d = %+v, want %+v", i, got, w)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("change %d not delivered", i)
		}
	}
}

func mustPut(t *testing.T, s Store, tool *Tool) int {
	t.Helper()
	v, err := s.PutTool(context.Background(), tool)
	if err != nil {
		t.Fatalf("PutTool(%s): %v", tool.Name, err)
	}
	return v
}

func wantNotFound(t *testing.T, err error, what string) {
	t.Helper()
	var nf *NotFoundError
	if !errors.Is(err, ErrNotFound) || !errors.As(err, &nf) {
		t.Fatalf("%s: got %v, want a *NotFoundError", what, err)
	}
}

func testToolVersions(t *testing.T, s Store) {
	ctx := context.Background()
	t1 := sampleTool("word_sort", "sorting", "return words")
	if v := mustPut(t, s, t1); v != 1 {
		t.Fatalf("first version = %d, want 1", v)
	}
	if t1.Hash != t1.ContentHash() || !strings.HasPrefix(t1.Hash, "sha256:") {
		t.Fatalf("hash %q not set from content", t1.Hash)
	}
	t2 := sampleTool("word_sort", "sorting", "sort.Strings(words); return words")
	if v := mustPut(t, s, t2); v != 2 {
		t.Fatalf("second version = %d, want 2", v)
	}
	if t1.Hash == t2.Hash {
		t.Fatal("different sources share a content hash")
	}
	cur, err := s.GetTool(ctx, "", "word_sort")
	if err != nil {
		t.Fatal(err)
	}
	if cur.Version != 2 || !cur.Current || cur.Source != t2.Source || cur.Namespace != DefaultNamespace {
		t.Fatalf("current = v%d current=%v ns=%q, want v2 of the default namespace", cur.Version, cur.Current, cur.Namespace)
	}
	// The whole record survives the round trip.
	want := *t2
	want.Current = true
	if !reflect.DeepEqual(normTool(cur), normTool(&want)) {
		t.Fatalf("round trip changed the record:\n got %+v\nwant %+v", cur, &want)
	}
	old, err := s.GetToolVersion(ctx, "", "word_sort", 1)
	if err != nil {
		t.Fatal(err)
	}
	if old.Source != t1.Source || old.Current {
		t.Fatalf("version 1 = %q current=%v", old.Source, old.Current)
	}
	_, err = s.GetToolVersion(ctx, "", "word_sort", 3)
	wantNotFound(t, err, "version 3")
	vs, err := s.ToolVersions(ctx, "", "word_sort")
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[0].Version != 1 || vs[1].Version != 2 || vs[0].Current || !vs[1].Current || vs[0].Hash != t1.Hash {
		t.Fatalf("versions = %+v", vs)
	}
	_, err = s.GetTool(ctx, "", "no_such_tool")
	wantNotFound(t, err, "unknown tool")
	_, err = s.ToolVersions(ctx, "", "no_such_tool")
	wantNotFound(t, err, "versions of unknown tool")
}

// normTool makes times comparable after a JSON round trip.
func normTool(t *Tool) *Tool {
	c := *t
	c.CreatedAt = c.CreatedAt.UTC().Round(0)
	b, _ := json.Marshal(&c)
	var out Tool
	_ = json.Unmarshal(b, &out)
	out.Current, out.Removed = t.Current, t.Removed
	return &out
}

func testToolRemoveRestore(t *testing.T, s Store) {
	ctx := context.Background()
	mustPut(t, s, sampleTool("dyck", "dyck", "return nil"))
	if err := s.RemoveTool(ctx, "", "dyck"); err != nil {
		t.Fatal(err)
	}
	_, err := s.GetTool(ctx, "", "dyck")
	wantNotFound(t, err, "removed tool")
	wantNotFound(t, s.RemoveTool(ctx, "", "dyck"), "removing twice")
	if v, err := s.GetToolVersion(ctx, "", "dyck", 1); err != nil || !v.Removed {
		t.Fatalf("removed version unreadable or not marked: %v %+v", err, v)
	}
	if l, err := s.ListTools(ctx, "", ToolFilter{}); err != nil || len(l) != 0 {
		t.Fatalf("list after remove = %d tools, %v", len(l), err)
	}
	if l, err := s.ListTools(ctx, "", ToolFilter{IncludeRemoved: true}); err != nil || len(l) != 1 || !l[0].Removed {
		t.Fatalf("list with removed = %+v, %v", l, err)
	}
	if err := s.RestoreTool(ctx, "", "dyck"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetTool(ctx, "", "dyck"); err != nil || got.Removed || got.Version != 1 {
		t.Fatalf("restored = %+v, %v", got, err)
	}
	wantNotFound(t, s.RemoveTool(ctx, "", "never_made"), "remove unknown")
	wantNotFound(t, s.RestoreTool(ctx, "", "never_made"), "restore unknown")
	// Registering a removed name brings it back as a new version.
	mustPut(t, s, sampleTool("dyck", "dyck", "return nil"))
	if err := s.RemoveTool(ctx, "", "dyck"); err != nil {
		t.Fatal(err)
	}
	if v := mustPut(t, s, sampleTool("dyck", "dyck", "return []string{}")); v != 3 {
		t.Fatalf("version after remove = %d, want 3", v)
	}
	if _, err := s.GetTool(ctx, "", "dyck"); err != nil {
		t.Fatalf("re-registered tool not found: %v", err)
	}
}

func testToolRollback(t *testing.T, s Store) {
	ctx := context.Background()
	mustPut(t, s, sampleTool("crt", "math", "return nil"))
	mustPut(t, s, sampleTool("crt", "numbers", "return words"))
	if err := s.RollbackTool(ctx, "", "crt", 1); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetTool(ctx, "", "crt")
	if err != nil || got.Version != 1 || !got.Current {
		t.Fatalf("after rollback = %+v, %v", got, err)
	}
	// The family index follows the current version.
	if l, _ := s.ListTools(ctx, "", ToolFilter{Family: "math"}); len(l) != 1 || l[0].Version != 1 {
		t.Fatalf("family math after rollback = %+v", l)
	}
	if l, _ := s.ListTools(ctx, "", ToolFilter{Family: "numbers"}); len(l) != 0 {
		t.Fatalf("family numbers after rollback = %+v", l)
	}
	wantNotFound(t, s.RollbackTool(ctx, "", "crt", 7), "rollback to missing version")
	wantNotFound(t, s.RollbackTool(ctx, "", "nope", 1), "rollback unknown tool")
	if v := mustPut(t, s, sampleTool("crt", "math", "return words[:1]")); v != 3 {
		t.Fatalf("version after rollback = %d, want 3", v)
	}
	if got, _ := s.GetTool(ctx, "", "crt"); got.Version != 3 {
		t.Fatalf("current after new version = %d, want 3", got.Version)
	}
}

func testToolValidation(t *testing.T, s Store) {
	ctx := context.Background()
	cases := []struct {
		name   string
		mutate func(*Tool)
		fields []string
	}{
		{"empty name and entry", func(t *Tool) { t.Name, t.Entry = "", "" }, []string{"name", "entry"}},
		{"bad name", func(t *Tool) { t.Name = "a b{c}" }, []string{"name"}},
		{"source too big", func(t *Tool) { t.Source = strings.Repeat("x", MaxToolSource+1) }, []string{"source"}},
		{"no source", func(t *Tool) { t.Source = "" }, []string{"source"}},
		{"parse not identifier", func(t *Tool) { t.Parse = "parse-it" }, []string{"parse"}},
		{"bad schema", func(t *Tool) { t.Schemas = map[string]json.RawMessage{"Sort": json.RawMessage("{")} }, []string{"schemas[Sort]"}},
		{"bad status", func(t *Tool) { t.Verification.Status = "great" }, []string{"verification.status"}},
		{"demo without input", func(t *Tool) { t.Demos = []Demo{{Answer: "x"}} }, []string{"demos[0].input"}},
		{"bad namespace", func(t *Tool) { t.Namespace = "{x}" }, []string{"namespace"}},
	}
	for _, c := range cases {
		tool := sampleTool("valid_name", "", "return nil")
		c.mutate(tool)
		_, err := s.PutTool(ctx, tool)
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("%s: got %v, want a *ValidationError", c.name, err)
		}
		for _, f := range c.fields {
			if !ve.HasField(f) {
				t.Errorf("%s: error %v does not name field %s", c.name, err, f)
			}
		}
	}
	if l, _ := s.ListTools(ctx, "", ToolFilter{IncludeRemoved: true}); len(l) != 0 {
		t.Fatalf("invalid tools were stored: %d", len(l))
	}
	// Exactly at the limit is fine.
	tool := sampleTool("big", "", "")
	tool.Source = strings.Repeat("/", MaxToolSource)
	mustPut(t, s, tool)
}

func testToolStatsConcurrent(t *testing.T, s Store) {
	ctx := context.Background()
	mustPut(t, s, sampleTool("hot", "", "return nil"))
	const workers, each = 100, 100
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				c := Call{Latency: time.Duration(100+i) * time.Microsecond, Failed: i%10 == 0, At: start.Add(time.Duration(w*each+i) * time.Microsecond)}
				if err := s.RecordCall(ctx, "", "hot", c); err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	st, err := s.ToolStats(ctx, "", "hot")
	if err != nil {
		t.Fatal(err)
	}
	if st.Calls != workers*each || st.Failures != workers*each/10 {
		t.Fatalf("calls=%d failures=%d, want %d and %d", st.Calls, st.Failures, workers*each, workers*each/10)
	}
	last := start.Add(time.Duration(workers*each-1) * time.Microsecond)
	if !st.LastUsed.Equal(time.UnixMicro(last.UnixMicro())) {
		t.Fatalf("last used %v, want %v", st.LastUsed, last)
	}
	// Latencies 100..199 µs: p50 and p95 fall in the 128-255 µs bucket.
	if st.LatencyP50 < 64*time.Microsecond || st.LatencyP50 > 256*time.Microsecond || st.LatencyP95 < st.LatencyP50 {
		t.Fatalf("p50=%v p95=%v", st.LatencyP50, st.LatencyP95)
	}
	// The record itself was not rewritten by the counters.
	if tool, _ := s.GetTool(ctx, "", "hot"); tool.Version != 1 {
		t.Fatalf("stats changed the record version to %d", tool.Version)
	}
	wantNotFound(t, s.RecordCall(ctx, "", "cold", Call{}), "stats of unknown tool")
	_, err = s.ToolStats(ctx, "", "cold")
	wantNotFound(t, err, "stats of unknown tool")
	mustPut(t, s, sampleTool("idle", "", "return nil"))
	if st, err := s.ToolStats(ctx, "", "idle"); err != nil || st.Calls != 0 {
		t.Fatalf("stats of an idle tool = %+v, %v", st, err)
	}
}

func testToolConcurrentVersions(t *testing.T, s Store) {
	ctx := context.Background()
	const n = 40
	versions := make(chan int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			v, err := s.PutTool(ctx, sampleTool("contended", "", fmt.Sprintf("return words[%d:]", i)))
			if err != nil {
				t.Error(err)
				return
			}
			versions <- v
		}(i)
	}
	wg.Wait()
	close(versions)
	checkDistinctVersions(t, versions, n)
}

// checkDistinctVersions asserts the channel holds exactly 1..n.
func checkDistinctVersions(t *testing.T, versions <-chan int, n int) {
	t.Helper()
	var got []int
	for v := range versions {
		got = append(got, v)
	}
	sort.Ints(got)
	if len(got) != n {
		t.Fatalf("%d versions, want %d", len(got), n)
	}
	for i, v := range got {
		if v != i+1 {
			t.Fatalf("versions %v are not 1..%d", got, n)
		}
	}
}

func testListToolsByFamily(t *testing.T, s Store) {
	ctx := context.Background()
	mustPut(t, s, sampleTool("b_tool", "fam1", "return nil"))
	mustPut(t, s, sampleTool("a_tool", "fam1", "return nil"))
	mustPut(t, s, sampleTool("c_tool", "fam2", "return nil"))
	mustPut(t, s, sampleTool("d_tool", "", "return nil"))
	names := func(ts []*Tool) string {
		var n []string
		for _, t := range ts {
			n = append(n, t.Name)
		}
		return strings.Join(n, ",")
	}
	all, _ := s.ListTools(ctx, "", ToolFilter{})
	if got := names(all); got != "a_tool,b_tool,c_tool,d_tool" {
		t.Fatalf("all = %s", got)
	}
	f1, _ := s.ListTools(ctx, "", ToolFilter{Family: "fam1"})
	if got := names(f1); got != "a_tool,b_tool" {
		t.Fatalf("fam1 = %s", got)
	}
	// Moving a tool to another family moves it in the index.
	mustPut(t, s, sampleTool("a_tool", "fam2", "return words"))
	f2, _ := s.ListTools(ctx, "", ToolFilter{Family: "fam2"})
	if got := names(f2); got != "a_tool,c_tool" {
		t.Fatalf("fam2 = %s", got)
	}
	f1, _ = s.ListTools(ctx, "", ToolFilter{Family: "fam1"})
	if got := names(f1); got != "b_tool" {
		t.Fatalf("fam1 after move = %s", got)
	}
}

func sampleAPIs() []API {
	return []API{
		{Name: "RentalCars.GetCarsAvailable", Description: "Find rental cars", Cost: 2,
			Inputs: []Input{
				{Name: "pickup_city", Type: "city", Required: true, Description: "where"},
				{Name: "car_type", Default: "compact", Allowed: []any{"compact", "suv"}},
				{Name: "session_id", NotAskable: true, Aliases: []string{"sid"}, DataType: "string"},
			},
			Outputs: []Output{{Name: "car_id", DataType: "string"}},
			Binding: &Binding{Kind: BindHTTP, Method: "GET", URL: "https://cars.example/{pickup_city}", In: map[string]string{"pickup_city": "path"}}},
		{Name: "Payments.Pay", Confirm: true, Tags: []string{"money"},
			Inputs:  []Input{{Name: "car_id", Required: true}},
			Binding: &Binding{Kind: BindFixed, Response: map[string]any{"ok": true}}},
	}
}

func testAPIs(t *testing.T, s Store) {
	ctx := context.Background()
	apis := sampleAPIs()
	if err := s.PutAPIs(ctx, "travel", apis); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetAPI(ctx, "travel", "RentalCars.GetCarsAvailable")
	if err != nil {
		t.Fatal(err)
	}
	want := apis[0]
	want.Namespace = "travel"
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip:\n got %#v\nwant %#v", got, want)
	}
	list, err := s.ListAPIs(ctx, "travel")
	if err != nil || len(list) != 2 || list[0].Name != "Payments.Pay" || !list[0].Confirm {
		t.Fatalf("list = %+v, %v", list, err)
	}
	if l, _ := s.ListAPIs(ctx, ""); len(l) != 0 {
		t.Fatalf("default namespace sees %d travel APIs", len(l))
	}
	// Replacing keeps one record.
	upd := apis[1]
	upd.Namespace = "travel"
	upd.Description = "pay for the car"
	if err := s.PutAPI(ctx, upd); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetAPI(ctx, "travel", "Payments.Pay"); got.Description != "pay for the car" {
		t.Fatalf("replace lost: %+v", got)
	}
	if err := s.DeleteAPI(ctx, "travel", "Payments.Pay"); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetAPI(ctx, "travel", "Payments.Pay")
	wantNotFound(t, err, "deleted api")
	wantNotFound(t, s.DeleteAPI(ctx, "travel", "Payments.Pay"), "delete twice")
	if l, _ := s.ListAPIs(ctx, "travel"); len(l) != 1 {
		t.Fatalf("after delete %d APIs", len(l))
	}
}

func testAPIBulkAtomic(t *testing.T, s Store) {
	ctx := context.Background()
	apis := sampleAPIs()
	apis = append(apis, API{Name: "Bad API", Inputs: []Input{{Name: ""}}})
	err := s.PutAPIs(ctx, "", apis)
	var ve *ValidationError
	if !errors.As(err, &ve) || !ve.HasField("apis[2].name") || !ve.HasField("apis[2].inputs[0].name") {
		t.Fatalf("got %v, want field errors for apis[2]", err)
	}
	if l, _ := s.ListAPIs(ctx, ""); len(l) != 0 {
		t.Fatalf("a rejected batch wrote %d APIs", len(l))
	}
	dup := []API{{Name: "x"}, {Name: "x"}}
	if err := s.PutAPIs(ctx, "", dup); !errors.As(err, &ve) || !ve.HasField("apis[1].name") {
		t.Fatalf("duplicate names: %v", err)
	}
	bad := API{Name: "b", Binding: &Binding{Kind: "smoke"}}
	if err := s.PutAPI(ctx, bad); !errors.As(err, &ve) || !ve.HasField("apis[0].binding.kind") {
		t.Fatalf("bad binding: %v", err)
	}
}

func testFamilies(t *testing.T, s Store) {
	ctx := context.Background()
	const n = 20
	var wg sync.WaitGroup
	counts := make(chan int, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, err := s.AddFamilyExample(ctx, "", "word_sorting", Example{Input: fmt.Sprintf("sort %d", i), Target: "x"})
			if err != nil {
				t.Error(err)
				return
			}
			counts <- c
		}(i)
	}
	wg.Wait()
	close(counts)
	checkDistinctVersions(t, counts, n) // each append saw a distinct count 1..n
	f, err := s.GetFamily(ctx, "", "word_sorting")
	if err != nil || len(f.Examples) != n || f.Status != FamilyCollecting {
		t.Fatalf("family = %+v, %v", f, err)
	}
	f.Status, f.Tool, f.Examples = FamilyReady, "word_sort", nil
	if err := s.PutFamily(ctx, f); err != nil {
		t.Fatal(err)
	}
	if err := s.PutFamily(ctx, &Family{Name: "dyck"}); err != nil {
		t.Fatal(err)
	}
	l, err := s.ListFamilies(ctx, "")
	if err != nil || len(l) != 2 || l[0].Name != "dyck" || l[1].Status != FamilyReady || len(l[1].Examples) != 0 {
		t.Fatalf("families = %+v, %v", l, err)
	}
	_, err = s.GetFamily(ctx, "", "nope")
	wantNotFound(t, err, "unknown family")
	var ve *ValidationError
	if err := s.PutFamily(ctx, &Family{Name: "x", Status: "sleeping"}); !errors.As(err, &ve) || !ve.HasField("status") {
		t.Fatalf("bad status: %v", err)
	}
	if _, err := s.AddFamilyExample(ctx, "", "x", Example{}); !errors.As(err, &ve) || !ve.HasField("examples[0].input") {
		t.Fatalf("empty example: %v", err)
	}
}

func testSessions(t *testing.T, s Store) {
	ctx := context.Background()
	state := json.RawMessage(`{"messages":[{"role":"user","text":"book a car"}],"pending":"pickup_time"}`)
	sess := &Session{ID: "conv-1", State: state, Meta: map[string]string{"user": "ada"}}
	if err := s.PutSession(ctx, sess, time.Hour); err != nil {
		t.Fatal(err)
	}
	if sess.ExpiresAt.Sub(sess.UpdatedAt) != time.Hour {
		t.Fatalf("expires %v after update, want 1h", sess.ExpiresAt.Sub(sess.UpdatedAt))
	}
	got, err := s.GetSession(ctx, "", "conv-1")
	if err != nil {
		t.Fatal(err)
	}
	if string(got.State) != string(state) || got.Meta["user"] != "ada" || !got.CreatedAt.Equal(sess.CreatedAt) {
		t.Fatalf("session = %+v", got)
	}
	short := &Session{ID: "conv-2", State: json.RawMessage(`{}`)}
	if err := s.PutSession(ctx, short, 300*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	elapse(t, s, 400*time.Millisecond)
	_, err = s.GetSession(ctx, "", "conv-2")
	wantNotFound(t, err, "expired session")
	if err := s.DeleteSession(ctx, "", "conv-1"); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetSession(ctx, "", "conv-1")
	wantNotFound(t, err, "deleted session")
	var ve *ValidationError
	if err := s.PutSession(ctx, &Session{ID: "bad id", State: json.RawMessage("{")}, 0); !errors.As(err, &ve) || !ve.HasField("id") || !ve.HasField("state") {
		t.Fatalf("invalid session: %v", err)
	}
}

func testPlans(t *testing.T, s Store) {
	ctx := context.Background()
	v, err := s.Version(ctx, "", CollAPIs)
	if err != nil {
		t.Fatal(err)
	}
	req := []byte(`{"goals":["Payments.Pay"]}`)
	key := PlanKey(v, req)
	if key != PlanKey(v, req) || key == PlanKey(v+1, req) || len(key) != 64 {
		t.Fatalf("plan key %q not a deterministic hash of version and request", key)
	}
	e := &PlanCacheEntry{Key: key, APIVersion: v, Request: req, Plan: json.RawMessage(`{"status":"ok","steps":[]}`)}
	if err := s.PutPlan(ctx, e, time.Minute); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetPlan(ctx, "", key)
	if err != nil || string(got.Plan) != string(e.Plan) || got.APIVersion != v {
		t.Fatalf("plan = %+v, %v", got, err)
	}
	if err := s.PutPlan(ctx, &PlanCacheEntry{Key: "short", Plan: json.RawMessage(`1`)}, 200*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	elapse(t, s, 300*time.Millisecond)
	_, err = s.GetPlan(ctx, "", "short")
	wantNotFound(t, err, "expired plan")
	var ve *ValidationError
	if err := s.PutPlan(ctx, &PlanCacheEntry{Key: key}, 0); !errors.As(err, &ve) || !ve.HasField("plan") {
		t.Fatalf("plan without plan: %v", err)
	}
}

func testVersionsAndSubscribe(t *testing.T, s Store) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, err := s.Subscribe(ctx, "sub")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range collections {
		if v, err := s.Version(ctx, "sub", c); err != nil || v != 0 {
			t.Fatalf("fresh %s version = %d, %v", c, v, err)
		}
	}
	if err := s.PutAPI(ctx, API{Name: "A", Namespace: "sub"}); err != nil {
		t.Fatal(err)
	}
	tool := sampleTool("t", "", "return nil")
	tool.Namespace = "sub"
	mustPut(t, s, tool)
	if err := s.PutAPI(ctx, API{Name: "B", Namespace: "sub"}); err != nil {
		t.Fatal(err)
	}
	want := []Change{
		{Namespace: "sub", Collection: CollAPIs, Name: "A", Version: 1},
		{Namespace: "sub", Collection: CollTools, Name: "t", Version: 1},
		{Namespace: "sub", Collection: CollAPIs, Name: "B", Version: 2},
	}
	wantChanges(t, ch, want)
	if v, _ := s.Version(ctx, "sub", CollAPIs); v != 2 {
		t.Fatalf("apis version = %d, want 2", v)
	}
	// Stats do not move the tools version (hot counters invalidate nothing).
	if err := s.RecordCall(ctx, "sub", "t", Call{Latency: time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Version(ctx, "sub", CollTools); v != 1 {
		t.Fatalf("tools version after a call = %d, want 1", v)
	}
	cancel()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("subscription not closed after cancel")
		}
	}
}

func testNamespaceIsolation(t *testing.T, s Store) {
	ctx := context.Background()
	a := sampleTool("shared_name", "", "return nil")
	a.Namespace = "team-a"
	mustPut(t, s, a)
	b := sampleTool("shared_name", "", "return words")
	b.Namespace = "team-b"
	if v := mustPut(t, s, b); v != 1 {
		t.Fatalf("team-b version = %d, want 1 (namespaces are separate)", v)
	}
	got, err := s.GetTool(ctx, "team-a", "shared_name")
	if err != nil || got.Source != a.Source {
		t.Fatalf("team-a sees %+v, %v", got, err)
	}
	_, err = s.GetTool(ctx, "", "shared_name")
	wantNotFound(t, err, "default namespace")
}

func testClaimFamily(t *testing.T, s Store) {
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if _, err := s.AddFamilyExample(ctx, "", "crt", Example{Input: fmt.Sprint("q", i), Target: "a"}); err != nil {
			t.Fatal(err)
		}
	}
	// Of several concurrent claimers exactly one wins.
	const n = 8
	var wg sync.WaitGroup
	wins := make(chan *Family, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f, err := s.ClaimFamily(ctx, "", "crt", FamilyMaking, FamilyCollecting)
			var sc *StatusConflictError
			switch {
			case err == nil:
				wins <- f
			case errors.As(err, &sc):
				if sc.Status != FamilyMaking {
					t.Errorf("conflict status %s", sc.Status)
				}
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	close(wins)
	var won []*Family
	for f := range wins {
		won = append(won, f)
	}
	if len(won) != 1 || len(won[0].Examples) != 3 || won[0].Status != FamilyCollecting {
		t.Fatalf("winners = %+v", won)
	}
	f, err := s.GetFamily(ctx, "", "crt")
	if err != nil || f.Status != FamilyMaking || len(f.Examples) != 0 {
		t.Fatalf("after claim = %+v, %v", f, err)
	}
	// Examples arriving while making are kept for the next claim.
	if c, err := s.AddFamilyExample(ctx, "", "crt", Example{Input: "late"}); err != nil || c != 1 {
		t.Fatalf("late example: %d, %v", c, err)
	}
	if f, err := s.ClaimFamily(ctx, "", "crt", FamilyReady); err != nil || len(f.Examples) != 1 {
		t.Fatalf("claim from any status = %+v, %v", f, err)
	}
	_, err = s.ClaimFamily(ctx, "", "nope", FamilyMaking)
	wantNotFound(t, err, "claim unknown family")
}

func TestDecodeRecordRejectsNewerSchema(t *testing.T) {
	_, err := decodeRecord[Tool]("tool", "x", []byte(`{"schema_version": 99, "name": "x"}`))
	if err == nil || !strings.Contains(err.Error(), "schema version 99 is newer") {
		t.Fatalf("got %v", err)
	}
	if _, err := decodeRecord[Family]("family", "x", []byte(`{"schema_version": 1, "name": "x"}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := decodeRecord[Session]("session", "x", []byte(`{`)); err == nil {
		t.Fatal("broken JSON decoded")
	}
	var ve *ValidationError
	if _, err := encodeRecord("tool", "x", strings.Repeat("x", MaxRecordBytes)); !errors.As(err, &ve) || !ve.HasField("record") {
		t.Fatalf("oversized record: %v", err)
	}
}

func testUpdateSessionConcurrent(t *testing.T, s Store) {
	ctx := context.Background()
	type state struct {
		Turns []int `json:"turns"`
	}
	const writers, each = 8, 10
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				_, err := s.UpdateSession(ctx, "", "conv", time.Hour, func(sess *Session) error {
					var st state
					if len(sess.State) > 0 {
						if err := json.Unmarshal(sess.State, &st); err != nil {
							return err
						}
					}
					st.Turns = append(st.Turns, w*each+i)
					sess.State, _ = json.Marshal(st)
					return nil
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	got, err := s.GetSession(ctx, "", "conv")
	if err != nil {
		t.Fatal(err)
	}
	var st state
	if err := json.Unmarshal(got.State, &st); err != nil || len(st.Turns) != writers*each {
		t.Fatalf("%d turns kept of %d (%v)", len(st.Turns), writers*each, err)
	}
	// An error from fn aborts without writing.
	boom := errors.New("boom")
	if _, err := s.UpdateSession(ctx, "", "conv", 0, func(sess *Session) error {
		sess.State = json.RawMessage(`{}`)
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("got %v, want the callback's error", err)
	}
	if again, _ := s.GetSession(ctx, "", "conv"); string(again.State) != string(got.State) {
		t.Fatal("aborted update was written")
	}
	// Invalid results are rejected field by field.
	var ve *ValidationError
	if _, err := s.UpdateSession(ctx, "", "conv", 0, func(sess *Session) error {
		sess.State = json.RawMessage(`{`)
		return nil
	}); !errors.As(err, &ve) || !ve.HasField("state") {
		t.Fatalf("invalid state: %v", err)
	}
}

// testDeleteUnknownChangesNothing: deleting a name that is not there (never
// made, or deleted already) is a *NotFoundError of the right kind and
// namespace, and neither bumps the collection version nor announces a change.
func testDeleteUnknownChangesNothing(t *testing.T, s Store) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const ns = "gone"
	ch, err := s.Subscribe(ctx, ns)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutAPI(ctx, API{Name: "A", Namespace: ns}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutSession(ctx, &Session{ID: "s1", Namespace: ns, State: json.RawMessage(`{}`)}, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.PutPolicy(ctx, &Policy{Name: "p", Namespace: ns, Source: "a."}); err != nil {
		t.Fatal(err)
	}
	// An expired session is as gone for Delete as it is for Get.
	if err := s.PutSession(ctx, &Session{ID: "brief", Namespace: ns, State: json.RawMessage(`{}`)}, 300*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	elapse(t, s, 400*time.Millisecond)
	if err := s.DeleteAPI(ctx, ns, "A"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSession(ctx, ns, "s1"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeletePolicy(ctx, ns, "p"); err != nil {
		t.Fatal(err)
	}
	deletes := []struct {
		kind, name string
		c          Collection
		del        func() error
	}{
		{"api", "A", CollAPIs, func() error { return s.DeleteAPI(ctx, ns, "A") }},
		{"api", "never", CollAPIs, func() error { return s.DeleteAPI(ctx, ns, "never") }},
		{"session", "s1", CollSessions, func() error { return s.DeleteSession(ctx, ns, "s1") }},
		{"session", "never", CollSessions, func() error { return s.DeleteSession(ctx, ns, "never") }},
		{"session", "brief", CollSessions, func() error { return s.DeleteSession(ctx, ns, "brief") }},
		{"policy", "p", CollPolicies, func() error { return s.DeletePolicy(ctx, ns, "p") }},
		{"policy", "never", CollPolicies, func() error { return s.DeletePolicy(ctx, ns, "never") }},
	}
	before := map[Collection]uint64{}
	for _, d := range deletes {
		if before[d.c], err = s.Version(ctx, ns, d.c); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range deletes {
		var nf *NotFoundError
		if err := d.del(); !errors.As(err, &nf) || nf.Kind != d.kind || nf.Namespace != ns || nf.Name != d.name {
			t.Fatalf("delete unknown %s %q: %v", d.kind, d.name, err)
		}
		if v, err := s.Version(ctx, ns, d.c); err != nil || v != before[d.c] {
			t.Fatalf("after deleting unknown %s %q the %s version = %d, %v; want %d", d.kind, d.name, d.c, v, err, before[d.c])
		}
	}
	// One more real write: the subscriber sees the seven real changes and then
	// this one, with nothing announced in between.
	if err := s.PutAPI(ctx, API{Name: "B", Namespace: ns}); err != nil {
		t.Fatal(err)
	}
	want := []Change{
		{Namespace: ns, Collection: CollAPIs, Name: "A", Version: 1},
		{Namespace: ns, Collection: CollSessions, Name: "s1", Version: 1},
		{Namespace: ns, Collection: CollPolicies, Name: "p", Version: 1},
		{Namespace: ns, Collection: CollSessions, Name: "brief", Version: 2},
		{Namespace: ns, Collection: CollAPIs, Name: "A", Version: 2},
		{Namespace: ns, Collection: CollSessions, Name: "s1", Version: 3},
		{Namespace: ns, Collection: CollPolicies, Name: "p", Version: 2},
		{Namespace: ns, Collection: CollAPIs, Name: "B", Version: 3},
	}
	wantChanges(t, ch, want)
}
