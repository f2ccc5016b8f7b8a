package registry_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// A team stores its ASP policies in its namespace; whoever plans over the
// namespace's APIs reads them and passes their sources to the planner
// (planner.Options.Rules).
func ExampleStore_policies() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "registry-example")
	defer os.RemoveAll(dir)
	store, err := registry.Open(ctx, filepath.Join(dir, "toolsmith.db"), registry.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()

	_ = store.PutPolicy(ctx, &registry.Policy{Name: "payments", Namespace: "travel",
		Source: `confirm(A) :- tag(A,"payment").`})
	_ = store.PutPolicy(ctx, &registry.Policy{Name: "international", Namespace: "travel",
		Source: `require(A,"passport_number") :- tag(A,"flight"), value(A,"country",C), C != "US".`})
	ps, _ := store.ListPolicies(ctx, "travel")
	for _, p := range ps {
		fmt.Println(p.Name, len(p.Source))
	}

	err = store.PutPolicy(ctx, &registry.Policy{Name: "empty", Namespace: "travel"})
	fmt.Println(err)
	_, err = store.GetPolicy(ctx, "", "payments")
	fmt.Println(errors.Is(err, registry.ErrNotFound))
	// Output:
	// international 81
	// payments 31
	// invalid policy "empty": source: required
	// true
}
