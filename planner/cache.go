package planner

import (
	"container/list"
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// Cache stores plans by key (a hash of the planner's APIs, rules and options
// and of the request). Implementations are safe for concurrent use.
type Cache interface {
	// Get returns the plan stored under key; ok is false on a miss.
	Get(ctx context.Context, key string) (plan *Plan, ok bool, err error)
	// Put stores plan under key.
	Put(ctx context.Context, key string, plan *Plan) error
}

// MemoryCache is an in-process least-recently-used Cache. Plans are stored
// as JSON, so callers may modify the plans they get.
type MemoryCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // front: most recently used
	items map[string]*list.Element
}

type memEntry struct {
	key  string
	data []byte
}

// NewMemoryCache returns a cache holding at most max plans (1024 when max <= 0).
func NewMemoryCache(max int) *MemoryCache {
	if max <= 0 {
		max = 1024
	}
	return &MemoryCache{max: max, order: list.New(), items: map[string]*list.Element{}}
}

// Get implements Cache.
func (c *MemoryCache) Get(_ context.Context, key string) (*Plan, bool, error) {
	c.mu.Lock()
	e, ok := c.items[key]
	var data []byte
	if ok {
		c.order.MoveToFront(e)
		data = e.Value.(*memEntry).data
	}
	c.mu.Unlock()
	if !ok {
		return nil, false, nil
	}
	p, err := decodePlan(data)
	return p, err == nil, err
}

// Put implements Cache.
func (c *MemoryCache) Put(_ context.Context, key string, p *Plan) error {
	data, err := json.Marshal(p)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		e.Value.(*memEntry).data = data
		c.order.MoveToFront(e)
		return nil
	}
	c.items[key] = c.order.PushFront(&memEntry{key, data})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*memEntry).key)
	}
	return nil
}

// Len returns the number of plans stored.
func (c *MemoryCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// PlanStore is the registry's plan cache (see registry.Store): the two
// methods a StoreCache calls.
type PlanStore interface {
	GetPlan(ctx context.Context, ns, key string) (*registry.PlanCacheEntry, error)
	PutPlan(ctx context.Context, e *registry.PlanCacheEntry, ttl time.Duration) error
}

// StoreCache keeps plans in the registry's plan cache (Redis or bbolt), so
// that replicas share them.
type StoreCache struct {
	Store     PlanStore
	Namespace string
	// TTL is how long a plan is kept (the registry's default when zero).
	TTL time.Duration
}

// Get implements Cache.
func (c StoreCache) Get(ctx context.Context, key string) (*Plan, bool, error) {
	e, err := c.Store.GetPlan(ctx, c.Namespace, key)
	if errors.Is(err, registry.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	p, err := decodePlan(e.Plan)
	return p, err == nil, err
}

// Put implements Cache.
func (c StoreCache) Put(ctx context.Context, key string, p *Plan) error {
	data, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return c.Store.PutPlan(ctx, &registry.PlanCacheEntry{Key: key, Namespace: c.Namespace, Plan: data}, c.TTL)
}

func decodePlan(data []byte) (*Plan, error) {
	var p Plan
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, err
	}
	if len(p.Issues) == 0 {
		p.Issues = nil
	}
	return &p, nil
}
