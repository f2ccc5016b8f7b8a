package registry

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// expired reports whether a stored session or plan has expired at now.
func expired(v []byte, now time.Time) bool {
	var e struct {
		ExpiresAt time.Time `json:"expires_at"`
	}
	if json.Unmarshal(v, &e) != nil {
		return false
	}
	return !e.ExpiresAt.IsZero() && !now.Before(e.ExpiresAt)
}

// PutAPI implements Store.
func (s *boltStore) PutAPI(ctx context.Context, a API) error {
	a.Namespace = nsOrDefault(a.Namespace)
	return s.PutAPIs(ctx, a.Namespace, []API{a})
}

// PutAPIs implements Store.
func (s *boltStore) PutAPIs(ctx context.Context, ns string, apis []API) error {
	ns = nsOrDefault(ns)
	enc, names, err := encodeAPIs(ns, apis)
	if err != nil || len(apis) == 0 {
		return err
	}
	name := names[0]
	if len(names) > 1 {
		name = ""
	}
	return s.update(ctx, ns, CollAPIs, name, func(tx *bolt.Tx) error {
		b, err := wbucket(tx, ns, bAPIs)
		if err != nil {
			return err
		}
		n := b.Stats().KeyN
		for i, v := range enc {
			if b.Get([]byte(names[i])) == nil {
				n++
			}
			if err := b.Put([]byte(names[i]), v); err != nil {
				return err
			}
		}
		if n > MaxAPIsPerNamespace {
			return &ValidationError{Kind: "api", Fields: []FieldError{{Field: "namespace",
				Message: fmt.Sprintf("%d APIs would exceed the limit of %d per namespace", n, MaxAPIsPerNamespace)}}}
		}
		return nil
	})
}

// GetAPI implements Store.
func (s *boltStore) GetAPI(ctx context.Context, ns, name string) (API, error) {
	ns = nsOrDefault(ns)
	var a API
	err := s.view(ctx, func(tx *bolt.Tx) error {
		v := boltGet(tx, ns, bAPIs, name)
		if v == nil {
			return &NotFoundError{Kind: "api", Namespace: ns, Name: name}
		}
		var err error
		a, err = decodeAPI(name, v)
		return err
	})
	return a, err
}

// boltGet returns the value of key in a namespace's bucket, or nil.
func boltGet(tx *bolt.Tx, ns string, bucketName []byte, key string) []byte {
	b := bucket(tx, ns, bucketName)
	if b == nil {
		return nil
	}
	return b.Get([]byte(key))
}

// ListAPIs implements Store.
func (s *boltStore) ListAPIs(ctx context.Context, ns string) ([]API, error) {
	ns = nsOrDefault(ns)
	var out []API
	err := s.view(ctx, func(tx *bolt.Tx) error {
		b := bucket(tx, ns, bAPIs)
		if b == nil {
			return nil
		}
		// Values stay valid while the transaction is open.
		var names []string
		var raws [][]byte
		_ = b.ForEach(func(k, v []byte) error {
			names = append(names, string(k))
			raws = append(raws, v)
			return nil
		})
		var err error
		out, err = decodeAPIs(names, raws)
		return err
	})
	return out, err
}

// deleteKey removes key from a namespace's bucket; missing or expired (as
// Get sees it, and as Redis's TTL does) is *NotFoundError and changes nothing.
func (s *boltStore) deleteKey(ctx context.Context, ns string, c Collection, bucketName []byte, kind, key string) error {
	ns = nsOrDefault(ns)
	return s.update(ctx, ns, c, key, func(tx *bolt.Tx) error {
		v := boltGet(tx, ns, bucketName, key)
		if v == nil || expired(v, s.now()) {
			return &NotFoundError{Kind: kind, Namespace: ns, Name: key}
		}
		return bucket(tx, ns, bucketName).Delete([]byte(key))
	})
}

// DeleteAPI implements Store.
func (s *boltStore) DeleteAPI(ctx context.Context, ns, name string) error {
	return s.deleteKey(ctx, ns, CollAPIs, bAPIs, "api", name)
}

// putValue writes key = v in a namespace's bucket and bumps c.
func (s *boltStore) putValue(ctx context.Context, ns string, c Collection, bucketName []byte, key string, v []byte) error {
	return s.update(ctx, ns, c, key, func(tx *bolt.Tx) error {
		b, err := wbucket(tx, ns, bucketName)
		if err != nil {
			return err
		}
		return b.Put([]byte(key), v)
	})
}

// PutFamily implements Store.
func (s *boltStore) PutFamily(ctx context.Context, f *Family) error {
	prepareFamily(f)
	if err := f.Validate(); err != nil {
		return err
	}
	b, err := encodeRecord("family", f.Name, f)
	if err != nil {
		return err
	}
	return s.putValue(ctx, f.Namespace, CollFamilies, bFamilies, f.Name, b)
}

// GetFamily implements Store.
func (s *boltStore) GetFamily(ctx context.Context, ns, name string) (*Family, error) {
	ns = nsOrDefault(ns)
	var f *Family
	err := s.view(ctx, func(tx *bolt.Tx) error {
		v := boltGet(tx, ns, bFamilies, name)
		if v == nil {
			return &NotFoundError{Kind: "family", Namespace: ns, Name: name}
		}
		var err error
		f, err = decodeRecord[Family]("family", name, v)
		return err
	})
	return f, err
}

// ListFamilies implements Store.
func (s *boltStore) ListFamilies(ctx context.Context, ns string) ([]*Family, error) {
	return listBoltRecords[Family](ctx, s, nsOrDefault(ns), bFamilies, "family")
}

// listBoltRecords reads every record of a kind in a namespace's bucket.
// Keys are iterated in byte order, which is name order.
func listBoltRecords[T any, P interface {
	*T
	versioned
}](ctx context.Context, s *boltStore, ns string, bucketName []byte, kind string) ([]P, error) {
	var out []P
	err := s.view(ctx, func(tx *bolt.Tx) error {
		b := bucket(tx, ns, bucketName)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			r, err := decodeRecord[T, P](kind, string(k), v)
			if err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	})
	return out, err
}

// AddFamilyExample implements Store.
func (s *boltStore) AddFamilyExample(ctx context.Context, ns, family string, ex Example) (int, error) {
	ns = nsOrDefault(ns)
	var count int
	err := s.update(ctx, ns, CollFamilies, family, func(tx *bolt.Tx) error {
		b, err := wbucket(tx, ns, bFamilies)
		if err != nil {
			return err
		}
		f := &Family{Name: family, Namespace: ns}
		if v := b.Get([]byte(family)); v != nil {
			if f, err = decodeRecord[Family]("family", family, v); err != nil {
				return err
			}
		}
		f.Examples = append(f.Examples, ex)
		prepareFamily(f)
		if err := f.Validate(); err != nil {
			return err
		}
		v, err := encodeRecord("family", family, f)
		if err != nil {
			return err
		}
		count = len(f.Examples)
		return b.Put([]byte(family), v)
	})
	return count, err
}

// GetSession implements Store.
func (s *boltStore) GetSession(ctx context.Context, ns, id string) (*Session, error) {
	ns = nsOrDefault(ns)
	var sess *Session
	err := s.view(ctx, func(tx *bolt.Tx) error {
		v := boltGet(tx, ns, bSessions, id)
		if v == nil || expired(v, s.now()) {
			return &NotFoundError{Kind: "session", Namespace: ns, Name: id}
		}
		var err error
		sess, err = decodeRecord[Session]("session", id, v)
		return err
	})
	return sess, err
}

// PutPlan implements Store.
func (s *boltStore) PutPlan(ctx context.Context, e *PlanCacheEntry, ttl time.Duration) error {
	preparePlan(e, s.now(), ttl)
	if err := e.Validate(); err != nil {
		return err
	}
	b, err := encodeRecord("plan", e.Key, e)
	if err != nil {
		return err
	}
	return s.putValue(ctx, e.Namespace, CollPlans, bPlans, e.Key, b)
}

// GetPlan implements Store.
func (s *boltStore) GetPlan(ctx context.Context, ns, key string) (*PlanCacheEntry, error) {
	ns = nsOrDefault(ns)
	var e *PlanCacheEntry
	err := s.view(ctx, func(tx *bolt.Tx) error {
		v := boltGet(tx, ns, bPlans, key)
		if v == nil || expired(v, s.now()) {
			return &NotFoundError{Kind: "plan", Namespace: ns, Name: key}
		}
		var err error
		e, err = decodeRecord[PlanCacheEntry]("plan", key, v)
		return err
	})
	return e, err
}

var _ Store = (*boltStore)(nil)

// ClaimFamily implements Store.
func (s *boltStore) ClaimFamily(ctx context.Context, ns, family string, to FamilyStatus, from ...FamilyStatus) (*Family, error) {
	ns = nsOrDefault(ns)
	var before *Family
	err := s.update(ctx, ns, CollFamilies, family, func(tx *bolt.Tx) error {
		b, err := wbucket(tx, ns, bFamilies)
		if err != nil {
			return err
		}
		v := b.Get([]byte(family))
		if v == nil {
			return &NotFoundError{Kind: "family", Namespace: ns, Name: family}
		}
		f, err := decodeRecord[Family]("family", family, v)
		if err != nil {
			return err
		}
		old, next, err := claim(f, to, from)
		if err != nil {
			return err
		}
		if v, err = encodeRecord("family", family, next); err != nil {
			return err
		}
		before = old
		return b.Put([]byte(family), v)
	})
	return before, err
}
