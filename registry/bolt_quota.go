package registry

import (
	"context"
	"encoding/json"
	"math"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bSpend holds a namespace's spending by day.
var bSpend = []byte("spend")

// memQuota keeps one process's leases, token buckets and semaphores. The
// zero value is ready to use.
type memQuota struct {
	mu      sync.Mutex
	leases  map[string]memLease
	buckets map[string]*memBucket
	slots   map[string]map[string]time.Time // name -> token -> expiry
}

type memLease struct {
	token   string
	expires time.Time
}

type memBucket struct {
	tokens float64
	at     time.Time
}

func quotaKey(ns, name string) string { return nsOrDefault(ns) + "\x00" + name }

// quotas checks a lease, bucket or semaphore name and ctx, and returns the
// quotas locked: the caller unlocks q.mu.
func (s *boltStore) quotas(ctx context.Context, kind, name string) (*memQuota, error) {
	if err := checkQuotaName(kind, name); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.quota.mu.Lock()
	return &s.quota, nil
}

// AcquireLease implements Store.
func (s *boltStore) AcquireLease(ctx context.Context, ns, name string, ttl time.Duration) (string, bool, error) {
	q, err := s.quotas(ctx, "lease", name)
	if err != nil {
		return "", false, err
	}
	defer q.mu.Unlock()
	now := s.now()
	k := quotaKey(ns, name)
	if l, ok := q.leases[k]; ok && now.Before(l.expires) {
		return "", false, nil
	}
	if q.leases == nil {
		q.leases = map[string]memLease{}
	}
	// Drop expired leases now and then so the map stays small.
	if len(q.leases) > 1024 {
		for k, l := range q.leases {
			if !now.Before(l.expires) {
				delete(q.leases, k)
			}
		}
	}
	tok := newToken()
	q.leases[k] = memLease{token: tok, expires: now.Add(time.Duration(ttlMillis(ttl)) * time.Millisecond)}
	return tok, true, nil
}

// RenewLease implements Store.
func (s *boltStore) RenewLease(ctx context.Context, ns, name, token string, ttl time.Duration) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	q := &s.quota
	q.mu.Lock()
	defer q.mu.Unlock()
	k := quotaKey(ns, name)
	l, ok := q.leases[k]
	if !ok || l.token != token || !s.now().Before(l.expires) {
		return false, nil
	}
	l.expires = s.now().Add(time.Duration(ttlMillis(ttl)) * time.Millisecond)
	q.leases[k] = l
	return true, nil
}

// ReleaseLease implements Store.
func (s *boltStore) ReleaseLease(_ context.Context, ns, name, token string) error {
	q := &s.quota
	q.mu.Lock()
	defer q.mu.Unlock()
	k := quotaKey(ns, name)
	if l, ok := q.leases[k]; ok && l.token == token {
		delete(q.leases, k)
	}
	return nil
}

// TakeToken implements Store.
func (s *boltStore) TakeToken(ctx context.Context, ns, name string, rate float64, burst int) (time.Duration, error) {
	if err := checkRate(rate, burst); err != nil {
		return 0, err
	}
	q, err := s.quotas(ctx, "bucket", name)
	if err != nil {
		return 0, err
	}
	defer q.mu.Unlock()
	now := s.now()
	if q.buckets == nil {
		q.buckets = map[string]*memBucket{}
	}
	k := quotaKey(ns, name)
	b := q.buckets[k]
	if b == nil {
		b = &memBucket{tokens: float64(burst), at: now}
		q.buckets[k] = b
	}
	b.tokens = math.Min(float64(burst), b.tokens+max(now.Sub(b.at).Seconds(), 0)*rate)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return 0, nil
	}
	return time.Duration(math.Ceil((1 - b.tokens) / rate * float64(time.Second))), nil
}

// AcquireSlot implements Store.
func (s *boltStore) AcquireSlot(ctx context.Context, ns, name string, limit int, ttl time.Duration) (string, bool, error) {
	q, err := s.quotas(ctx, "semaphore", name)
	if err != nil {
		return "", false, err
	}
	defer q.mu.Unlock()
	now := s.now()
	if q.slots == nil {
		q.slots = map[string]map[string]time.Time{}
	}
	k := quotaKey(ns, name)
	held := q.slots[k]
	for tok, exp := range held {
		if !now.Before(exp) {
			delete(held, tok)
		}
	}
	if len(held) >= limit {
		return "", false, nil
	}
	if held == nil {
		held = map[string]time.Time{}
		q.slots[k] = held
	}
	tok := newToken()
	held[tok] = now.Add(time.Duration(ttlMillis(ttl)) * time.Millisecond)
	return tok, true, nil
}

// ReleaseSlot implements Store.
func (s *boltStore) ReleaseSlot(_ context.Context, ns, name, token string) error {
	q := &s.quota
	q.mu.Lock()
	defer q.mu.Unlock()
	k := quotaKey(ns, name)
	delete(q.slots[k], token)
	if len(q.slots[k]) == 0 {
		delete(q.slots, k)
	}
	return nil
}

// AddSpend implements Store.
func (s *boltStore) AddSpend(ctx context.Context, ns, day string, cost float64, calls int64) (Spend, error) {
	if err := checkDay(day); err != nil {
		return Spend{}, err
	}
	if math.IsNaN(cost) || math.IsInf(cost, 0) {
		return Spend{}, &ValidationError{Kind: "spend", Name: day, Fields: []FieldError{{Field: "cost", Message: "not a finite number"}}}
	}
	ns = nsOrDefault(ns)
	var sp Spend
	if cost == 0 && calls == 0 {
		err := s.view(ctx, func(tx *bolt.Tx) error {
			if v := boltGet(tx, ns, bSpend, day); v != nil {
				return json.Unmarshal(v, &sp)
			}
			return nil
		})
		return sp, err
	}
	if err := ctx.Err(); err != nil {
		return Spend{}, err
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b, err := wbucket(tx, ns, bSpend)
		if err != nil {
			return err
		}
		if v := b.Get([]byte(day)); v != nil {
			if err := json.Unmarshal(v, &sp); err != nil {
				return err
			}
		}
		sp.Cost += cost
		sp.Calls += calls
		v, err := json.Marshal(sp)
		if err != nil {
			return err
		}
		if err := b.Put([]byte(day), v); err != nil {
			return err
		}
		// Forget the days past retention.
		oldest := s.now().UTC().Add(-SpendRetention).Format(time.DateOnly)
		c := b.Cursor()
		for k, _ := c.First(); k != nil && string(k) < oldest; k, _ = c.First() {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	return sp, s.wrap(err)
}
