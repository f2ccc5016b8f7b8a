package registry_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// A tool maker registers versions; users read the current one, roll back,
// and record calls.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "registry-example")
	defer os.RemoveAll(dir)
	store, err := registry.Open(ctx, filepath.Join(dir, "toolsmith.db"), registry.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()

	for _, body := range []string{"return words", "sort.Strings(words); return words"} {
		v, err := store.PutTool(ctx, &registry.Tool{
			Name: "word_sort", Family: "word_sorting", Entry: "Sort",
			Description: "Sort words alphabetically",
			Source:      "package main\n\nimport \"sort\"\n\nfunc Sort(words []string) []string { " + body + " }\n",
		})
		fmt.Println("registered version", v, err)
	}
	_ = store.RollbackTool(ctx, "", "word_sort", 1)
	t, _ := store.GetTool(ctx, "", "word_sort")
	fmt.Println("current version", t.Version)

	_ = store.RecordCall(ctx, "", "word_sort", registry.Call{Latency: 3 * time.Millisecond})
	st, _ := store.ToolStats(ctx, "", "word_sort")
	fmt.Println("calls", st.Calls)

	_, err = store.GetTool(ctx, "", "dyck")
	fmt.Println(errors.Is(err, registry.ErrNotFound))
	// Output:
	// registered version 1 <nil>
	// registered version 2 <nil>
	// current version 1
	// calls 1
	// true
}

// The planner imports API specifications, finds the relevant ones and keys
// its plan cache by the catalogue's version.
func ExampleSearcher_APIs() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "registry-example")
	defer os.RemoveAll(dir)
	store, _ := registry.Open(ctx, filepath.Join(dir, "toolsmith.db"), registry.Options{})
	defer store.Close()

	spec := []byte(`[
	  {"name": "get_weather", "description": "Get the weather forecast for a city",
	   "parameters": {"city": {"type": "string", "required": true, "description": "City name"}},
	   "output_parameters": {"forecast": {"type": "string", "description": "The forecast"}}},
	  {"name": "convert_currency", "description": "Convert an amount between currencies",
	   "parameters": {"amount": {"type": "number", "required": true}, "from": {"type": "string"}, "to": {"type": "string"}},
	   "output_parameters": {"converted": {"type": "number"}}}]`)
	apis, format, err := registry.ParseAPIsFormat("spec.json", spec)
	fmt.Println(len(apis), format, err)
	_ = store.PutAPIs(ctx, "travel", apis)

	search := registry.NewSearcher(store, registry.SearchOptions{})
	hits, _ := search.APIs(ctx, "travel", "will it rain in Paris? what's the weather forecast", 1)
	fmt.Println(hits[0].API.Name)

	all, version, _ := search.AllAPIs(ctx, "travel")
	key := registry.PlanKey(version, []byte(`{"goals":["get_weather"]}`))
	fmt.Println(len(all), version, len(key))
	// Output:
	// 2 nestful <nil>
	// get_weather
	// 2 1 64
}
