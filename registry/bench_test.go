package registry

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

// benchAPIs replicates the NESTFUL sample specs under distinct names to n.
func benchAPIs(tb testing.TB, n int) []API {
	data, err := os.ReadFile("testdata/nestful/executable-spec-sample.json")
	if err != nil {
		tb.Fatal(err)
	}
	specs, err := ParseAPIs("sample", data)
	if err != nil {
		tb.Fatal(err)
	}
	glaive, _ := os.ReadFile("testdata/nestful/glaive-spec-sample.json")
	more, err := ParseAPIs("glaive", glaive)
	if err != nil {
		tb.Fatal(err)
	}
	specs = append(specs, more...)
	out := make([]API, n)
	for i := range out {
		a := specs[i%len(specs)]
		a.Name = fmt.Sprintf("%s_%d", a.Name, i)
		out[i] = a
	}
	return out
}

var benchQueries = []string{
	"Find flights from New York to London that depart on August 15",
	"What is the sentiment of this review? I loved the food",
	"Get the latest coronavirus news for France and translate it",
	"Search hotels in Paris for two adults and restaurants nearby",
}

func BenchmarkIndexSearch10k(b *testing.B) {
	apis := benchAPIs(b, 10000)
	docs := make([]Document, len(apis))
	for i := range apis {
		docs[i] = apiDocument(&apis[i])
	}
	ix := NewIndex(docs)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ix.Search(benchQueries[i%len(benchQueries)], 10, nil)
	}
}

func BenchmarkNewIndex10k(b *testing.B) {
	apis := benchAPIs(b, 10000)
	docs := make([]Document, len(apis))
	for i := range apis {
		docs[i] = apiDocument(&apis[i])
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		NewIndex(docs)
	}
}

func BenchmarkParseAPIs10k(b *testing.B) {
	data, _ := json.Marshal(benchAPIs(b, 10000))
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ParseAPIs("apis.json", data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetTool(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			s := be.open(b)
			ctx := context.Background()
			for i := 0; i < 100; i++ {
				if _, err := s.PutTool(ctx, sampleTool(fmt.Sprintf("t%d", i), "f", "return nil")); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := s.GetTool(ctx, "", fmt.Sprintf("t%d", i%100)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSearcherAllAPIsWarm(b *testing.B) {
	s := openTestBolt(b)
	ctx := context.Background()
	if err := s.PutAPIs(ctx, "", benchAPIs(b, 10000)); err != nil {
		b.Fatal(err)
	}
	se := NewSearcher(s, SearchOptions{})
	if _, _, err := se.AllAPIs(ctx, ""); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if apis, _, err := se.AllAPIs(ctx, ""); err != nil || len(apis) != 10000 {
			b.Fatal(err)
		}
	}
}
