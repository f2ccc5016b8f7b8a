package toolmaker

import (
	"context"
	"sync"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// familyCache remembers which tool serves each family while the store's
// tool and family collections stay at the versions it was filled at, so the
// zero-cost path reads two version counters instead of two records.
type familyCache struct {
	mu              sync.Mutex
	ns              string
	tools, families uint64
	m               map[string]*registry.Tool // nil value: no tool yet
}

// versions reads the collection versions the cache depends on.
func versions(ctx context.Context, s Store, ns string) (tools, families uint64, err error) {
	if tools, err = s.Version(ctx, ns, registry.CollTools); err != nil {
		return 0, 0, err
	}
	families, err = s.Version(ctx, ns, registry.CollFamilies)
	return tools, families, err
}

// get returns the cached tool of family at the given versions.
func (c *familyCache) get(ns, family string, tools, families uint64) (*registry.Tool, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ns != ns || c.tools != tools || c.families != families {
		return nil, false
	}
	t, ok := c.m[family]
	return t, ok
}

// put caches the tool of family (nil for none) read at the given versions.
func (c *familyCache) put(ns, family string, tools, families uint64, t *registry.Tool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || c.ns != ns || c.tools != tools || c.families != families || len(c.m) >= 1024 {
		c.m = map[string]*registry.Tool{}
		c.ns, c.tools, c.families = ns, tools, families
	}
	c.m[family] = t
}
