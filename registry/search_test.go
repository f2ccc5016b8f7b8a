package registry

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tmc/langchaingo/embeddings"
)

// Any langchaingo embedder can be a Searcher's Embedder.
var _ Embedder = embeddings.Embedder(nil)

func TestTokenise(t *testing.T) {
	cases := []struct{ in, want string }{
		{"SkyScrapperFlightSearch", "sky scrapper flight search"},
		{"get_cars_available", "get car available"},
		{"HTTPServer v2", "http server v 2"},
		{"Sort the words, please!", "sort word"},
		{"Coronavirus_Smartable_GetNews", "coronavirus smartable get new"},
		{"cities glass", "city glass"},
		{"", ""},
		{"Ünïcode Straße", "ünïcode straße"},
	}
	for _, c := range cases {
		if got := strings.Join(Tokenise(c.in), " "); got != c.want {
			t.Errorf("Tokenise(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestIndexRanking(t *testing.T) {
	docs := []Document{
		{ID: "word_sort", Fields: []Field{{Text: "word_sort", Weight: 3}, {Text: "Sort a list of words alphabetically"}}},
		{ID: "dyck", Fields: []Field{{Text: "dyck_languages", Weight: 3}, {Text: "Complete a sequence of parentheses"}}},
		{ID: "crt", Fields: []Field{{Text: "chinese_remainder", Weight: 3}, {Text: "Solve a system of congruences; find the number"}}},
	}
	ix := NewIndex(docs)
	hits := ix.Search("please sort these words: pear apple", 0, nil)
	if len(hits) != 1 || hits[0].ID != "word_sort" {
		t.Fatalf("hits = %+v", hits)
	}
	if hits := ix.Search("parentheses sequence", 1, nil); len(hits) != 1 || hits[0].ID != "dyck" {
		t.Fatalf("hits = %+v", hits)
	}
	if hits := ix.Search("sort words", 1, nil); hits[0].Coverage != 1 {
		t.Fatalf("full match coverage = %v", hits[0].Coverage)
	}
	if hits := ix.Search("sort zebras", 1, nil); hits[0].Coverage <= 0 || hits[0].Coverage >= 0.5 {
		t.Fatalf("a term no tool has must weigh at least as much as a matched one: %v", hits[0].Coverage)
	}
	if hits := ix.Search("sort parentheses", 0, nil); len(hits) != 2 || hits[0].Coverage <= 0 || hits[0].Coverage >= 1 {
		t.Fatalf("partial coverage = %+v", hits)
	}
	if hits := ix.Search("of", 0, nil); len(hits) != 0 {
		t.Fatalf("stop word matched %+v", hits)
	}
	if hits := ix.Search("number word", 0, func(i int) bool { return i != 0 }); len(hits) != 1 || hits[0].ID != "crt" {
		t.Fatalf("filtered hits = %+v", hits)
	}
	if ix.Len() != 3 || len(NewIndex(nil).Search("x", 5, nil)) != 0 {
		t.Fatal("index sizes wrong")
	}
}

func TestSearcherFollowsStore(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := b.open(t)
			se := NewSearcher(s, SearchOptions{})
			ws := sampleTool("word_sort", "sorting", "return words")
			ws.Demos = []Demo{{Input: "Sort the following words alphabetically: List: oven costume counterpart"}}
			mustPut(t, s, ws)
			d := sampleTool("dyck_completion", "dyck", "return nil")
			d.Description = "Complete the rest of a Dyck-language sequence, closing parentheses properly"
			d.Demos = nil
			mustPut(t, s, d)
			hits, err := se.Tools(ctx, "", "Complete the rest of the sequence, making sure the parentheses are closed: [ { (", ToolQuery{})
			if err != nil || len(hits) == 0 || hits[0].Tool.Name != "dyck_completion" {
				t.Fatalf("hits = %+v, %v", hits, err)
			}
			// A new tool is found at once.
			crt := sampleTool("chinese_remainder", "crt", "return nil")
			crt.Description = "There is a basket of eggs; find the number given remainders"
			crt.Demos = nil
			mustPut(t, s, crt)
			hits, _ = se.Tools(ctx, "", "How many eggs are in the basket given the remainders?", ToolQuery{Limit: 1})
			if len(hits) != 1 || hits[0].Tool.Name != "chinese_remainder" {
				t.Fatalf("new tool not found: %+v", hits)
			}
			// A removed tool is gone at once; family filter applies.
			if err := s.RemoveTool(ctx, "", "chinese_remainder"); err != nil {
				t.Fatal(err)
			}
			if hits, _ = se.Tools(ctx, "", "eggs basket remainders", ToolQuery{}); len(hits) != 0 {
				t.Fatalf("removed tool still found: %+v", hits)
			}
			if hits, _ = se.Tools(ctx, "", "sort words parentheses", ToolQuery{Family: "dyck"}); len(hits) != 1 || hits[0].Tool.Name != "dyck_completion" {
				t.Fatalf("family filter: %+v", hits)
			}
		})
	}
}

func TestSearcherAPIsNESTFUL(t *testing.T) {
	data, err := os.ReadFile("testdata/nestful/executable-spec-sample.json")
	if err != nil {
		t.Fatal(err)
	}
	apis, err := ParseAPIs("spec", data)
	if err != nil {
		t.Fatal(err)
	}
	s := openTestBolt(t)
	ctx := context.Background()
	if err := s.PutAPIs(ctx, "nestful", apis); err != nil {
		t.Fatal(err)
	}
	se := NewSearcher(s, SearchOptions{})
	cases := []struct{ query, want string }{
		{"Find flights from New York to London departing on August 15", "SkyScrapperFlightSearch"},
		{"hotels in London", "TripadvisorSearchHotels"},
		{"latest coronavirus news for France", "Coronavirus_Smartable_GetNews"},
		{"restaurants near the location", "TripadvisorSearchRestaurants"},
	}
	for _, c := range cases {
		hits, err := se.APIs(ctx, "nestful", c.query, 3)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, h := range hits {
			names = append(names, h.API.Name)
		}
		if len(names) == 0 || !contains(names, c.want) {
			t.Errorf("%q: top 3 = %v, want %s among them", c.query, names, c.want)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// conceptEmbedder maps words to concept axes, so synonyms embed alike; it
// counts the texts it is asked to embed.
type conceptEmbedder struct{ embedded atomic.Int64 }

var concepts = map[string]int{"car": 0, "automobile": 0, "vehicle": 0, "rental": 1, "hire": 1, "rent": 1,
	"weather": 2, "forecast": 2, "rain": 2, "pay": 3, "payment": 3, "money": 3}

func (e *conceptEmbedder) vec(text string) []float32 {
	v := make([]float32, 5)
	for _, w := range Tokenise(text) {
		if c, ok := concepts[w]; ok {
			v[c]++
		} else {
			v[4] += 0.01
		}
	}
	return v
}

func (e *conceptEmbedder) EmbedDocuments(_ context.Context, texts []string) ([][]float32, error) {
	e.embedded.Add(int64(len(texts)))
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i] = e.vec(t)
	}
	return out, nil
}

func (e *conceptEmbedder) EmbedQuery(_ context.Context, text string) ([]float32, error) {
	return e.vec(text), nil
}

func TestSearcherEmbeddings(t *testing.T) {
	ctx := context.Background()
	s := openTestBolt(t)
	apis := []API{
		{Name: "RentalCars.GetCarsAvailable", Description: "car rental offers"},
		{Name: "Weather.Forecast", Description: "weather forecast"},
		{Name: "Payments.Pay", Description: "payment"},
	}
	if err := s.PutAPIs(ctx, "", apis); err != nil {
		t.Fatal(err)
	}
	const query = "automobile hire"
	plain, err := NewSearcher(s, SearchOptions{}).APIs(ctx, "", query, 3)
	if err != nil || len(plain) != 0 {
		t.Fatalf("BM25 alone should not match synonyms: %+v, %v", plain, err)
	}
	emb := &conceptEmbedder{}
	se := NewSearcher(s, SearchOptions{Embedder: emb})
	hits, err := se.APIs(ctx, "", query, 1)
	if err != nil || len(hits) != 1 || hits[0].API.Name != "RentalCars.GetCarsAvailable" {
		t.Fatalf("embedding search = %+v, %v", hits, err)
	}
	if n := emb.embedded.Load(); n != 3 {
		t.Fatalf("embedded %d texts, want 3", n)
	}
	// A rebuild embeds only the new document.
	if err := s.PutAPI(ctx, API{Name: "Rain.Alert", Description: "rain alerts"}); err != nil {
		t.Fatal(err)
	}
	hits, _ = se.APIs(ctx, "", "will it rain", 1)
	if len(hits) != 1 || hits[0].API.Name != "Rain.Alert" {
		t.Fatalf("after adding: %+v", hits)
	}
	if n := emb.embedded.Load(); n != 4 {
		t.Fatalf("embedded %d texts in all, want 4", n)
	}
	got := []string{}
	all, _ := se.APIs(ctx, "", "pay money", 10)
	for _, h := range all {
		got = append(got, h.API.Name)
	}
	if !reflect.DeepEqual(got[:1], []string{"Payments.Pay"}) {
		t.Fatalf("ranking = %v", got)
	}
}

// TestIndexTopK checks the top-k selection against sorting everything.
func TestIndexTopK(t *testing.T) {
	apis := benchAPIs(t, 500)
	docs := make([]Document, len(apis))
	for i := range apis {
		docs[i] = apiDocument(&apis[i])
	}
	ix := NewIndex(docs)
	for _, q := range benchQueries {
		all := ix.Search(q, 0, nil)
		for _, k := range []int{1, 3, 10, 50} {
			got := ix.Search(q, k, nil)
			want := all[:min(k, len(all))]
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%q top %d = %v, want %v", q, k, got, want)
			}
		}
	}
}

// TestSearcherConcurrent searches from several goroutines while tools are
// registered; every search sees at least the tools registered before it
// began.
func TestSearcherConcurrent(t *testing.T) {
	s := openTestBolt(t)
	ctx := context.Background()
	se := NewSearcher(s, SearchOptions{})
	var registered atomic.Int64
	done := make(chan struct{})
	errs := make(chan error, 4)
	for g := 0; g < 4; g++ {
		go func() {
			for {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				before := registered.Load()
				hits, err := se.Tools(ctx, "", "alphabetical sorting", ToolQuery{Limit: 1000})
				if err != nil {
					errs <- err
					return
				}
				if int64(len(hits)) < before {
					errs <- fmt.Errorf("saw %d tools after %d were registered", len(hits), before)
					return
				}
			}
		}()
	}
	for i := 0; i < 30; i++ {
		mustPut(t, s, sampleTool(fmt.Sprintf("sorter_%d", i), "sorting", "return words"))
		registered.Add(1)
	}
	close(done)
	for g := 0; g < 4; g++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

func FuzzTokenise(f *testing.F) {
	for _, s := range []string{"SkyScrapperFlightSearch", "HTTPServer v2", "Ünïcode Straße", "a_b-c.d", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, term := range Tokenise(s) {
			if term == "" || strings.ToLower(term) != term || stopwords[term] {
				t.Fatalf("Tokenise(%q) produced term %q", s, term)
			}
		}
	})
}

// countingStore counts Version calls.
type countingStore struct {
	Store
	versions atomic.Int64
}

func (c *countingStore) Version(ctx context.Context, ns string, coll Collection) (uint64, error) {
	c.versions.Add(1)
	return c.Store.Version(ctx, ns, coll)
}

func TestSearcherMaxStaleness(t *testing.T) {
	ctx := context.Background()
	cs := &countingStore{Store: openTestBolt(t)}
	mustPut(t, cs, sampleTool("word_sort", "", "return words"))
	// Default: every search checks the version.
	se := NewSearcher(cs, SearchOptions{})
	for i := 0; i < 3; i++ {
		se.Tools(ctx, "", "sort", ToolQuery{})
	}
	if n := cs.versions.Load(); n != 3 {
		t.Fatalf("%d version checks for 3 searches, want 3", n)
	}
	cs.versions.Store(0)
	se = NewSearcher(cs, SearchOptions{MaxStaleness: time.Hour})
	for i := 0; i < 5; i++ {
		se.Tools(ctx, "", "sort", ToolQuery{})
	}
	if n := cs.versions.Load(); n != 1 {
		t.Fatalf("%d version checks within MaxStaleness, want 1", n)
	}
	// Within the staleness window a new tool may be missed; after it, not.
	mustPut(t, cs, sampleTool("dyck", "", "return nil"))
	se = NewSearcher(cs, SearchOptions{MaxStaleness: 50 * time.Millisecond})
	se.Tools(ctx, "", "sort", ToolQuery{})
	mustPut(t, cs, sampleTool("sorter_two", "", "return words"))
	time.Sleep(60 * time.Millisecond)
	hits, err := se.Tools(ctx, "", "sorts words alphabetically", ToolQuery{Limit: 10})
	if err != nil || len(hits) != 3 {
		t.Fatalf("after the window: %d hits, %v", len(hits), err)
	}
}
