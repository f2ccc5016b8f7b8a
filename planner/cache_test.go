package planner

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/toolsmith-dev/toolsmith/asp"
	"github.com/toolsmith-dev/toolsmith/registry/registrytest"
)

func TestMemoryCache(t *testing.T) {
	ctx := context.Background()
	cache := NewMemoryCache(2)
	p := newTravel(t, Options{Cache: cache})
	req := mustRequest(t, `{"goals":["Cars.Rent"],"known":{"city":"San Diego"}}`)
	first, err := p.Plan(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	p.reasoner = failingReasoner{} // a hit must not reach the reasoner
	second, err := p.Plan(ctx, req)
	if err != nil {
		t.Fatalf("cache miss for the same request: %v", err)
	}
	if planJSON(t, first) != planJSON(t, second) {
		t.Errorf("cached plan differs:\n%s\n%s", planJSON(t, first), planJSON(t, second))
	}
	second.Steps[0].ID = "changed"
	third, _ := p.Plan(ctx, req)
	if third.Steps[0].ID == "changed" {
		t.Error("a caller's change to a cached plan leaked into the cache")
	}
	if _, err := p.Plan(ctx, mustRequest(t, `{"goals":["Cars.Rent"],"known":{"city":"Oslo"}}`)); err == nil {
		t.Error("a different request was served from the cache")
	}
	// Eviction: at most two plans.
	for i := range 5 {
		_ = cache.Put(ctx, fmt.Sprint(i), first)
	}
	if cache.Len() != 2 {
		t.Errorf("Len = %d, want 2", cache.Len())
	}
}

func TestMemoryCacheConcurrent(t *testing.T) {
	ctx := context.Background()
	p := newTravel(t, Options{Cache: NewMemoryCache(8)})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := mustRequest(t, fmt.Sprintf(`{"goals":["Cars.Rent"],"known":{"city":"c%d","pickup_time":"9"}}`, i%3))
			for range 3 {
				plan, err := p.Plan(ctx, req)
				if err != nil || plan.Status != StatusOK {
					t.Errorf("plan: %v %+v", err, plan)
					return
				}
			}
		}()
	}
	wg.Wait()
}

type failingReasoner struct{}

func (failingReasoner) solve(context.Context, *program) ([]asp.Symbol, bool, error) {
	return nil, false, fmt.Errorf("reasoner called")
}

// TestStoreCache keeps plans in the registry's embedded (bbolt) store.
func TestStoreCache(t *testing.T) {
	ctx := context.Background()
	cache := StoreCache{Store: registrytest.Bolt(t)}
	p := newTravel(t, Options{Cache: cache})
	req := mustRequest(t, `{"goals":["Cars.Rent"],"known":{"city":"San Diego","pickup_time":"9"}}`)
	first, err := p.Plan(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := cache.Get(ctx, p.cacheKey(req)); !ok || err != nil {
		t.Fatalf("plan not stored: %v", err)
	}
	p.reasoner = failingReasoner{}
	second, err := p.Plan(ctx, req)
	if err != nil {
		t.Fatalf("cache miss: %v", err)
	}
	if planJSON(t, first) != planJSON(t, second) {
		t.Errorf("stored plan differs:\n%s\n%s", planJSON(t, first), planJSON(t, second))
	}
	if _, ok, err := cache.Get(ctx, "0000"); ok || err != nil {
		t.Errorf("Get(unknown) = %v, %v; want a miss", ok, err)
	}
}
