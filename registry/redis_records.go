package registry

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// PutAPI implements Store.
func (s *redisStore) PutAPI(ctx context.Context, a API) error {
	a.Namespace = nsOrDefault(a.Namespace)
	return s.PutAPIs(ctx, a.Namespace, []API{a})
}

// PutAPIs implements Store.
func (s *redisStore) PutAPIs(ctx context.Context, ns string, apis []API) error {
	ns = nsOrDefault(ns)
	enc, names, err := encodeAPIs(ns, apis)
	if err != nil {
		return err
	}
	if len(apis) == 0 {
		return nil
	}
	setKey := s.key(ns, "apis")
	n, err := s.rdb.SCard(ctx, setKey).Result()
	if err != nil {
		return s.wrap("put apis", err)
	}
	if int(n)+len(apis) > MaxAPIsPerNamespace {
		// Count only the names that are new.
		isMember, err := s.rdb.SMIsMember(ctx, setKey, toAny(names)...).Result()
		if err != nil {
			return s.wrap("put apis", err)
		}
		added := 0
		for _, m := range isMember {
			if !m {
				added++
			}
		}
		if int(n)+added > MaxAPIsPerNamespace {
			return &ValidationError{Kind: "api", Fields: []FieldError{{Field: "namespace",
				Message: fmt.Sprintf("%d APIs would exceed the limit of %d per namespace", int(n)+added, MaxAPIsPerNamespace)}}}
		}
	}
	var incr *redis.IntCmd
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		pairs := make([]any, 0, 2*len(apis))
		for i, b := range enc {
			pairs = append(pairs, s.key(ns, "api", names[i]), b)
		}
		p.MSet(ctx, pairs...)
		p.SAdd(ctx, setKey, toAny(names)...)
		incr = p.Incr(ctx, s.verKey(ns, CollAPIs))
		return nil
	})
	if err != nil {
		return s.wrap("put apis", err)
	}
	name := names[0]
	if len(names) > 1 {
		name = ""
	}
	s.publish(ctx, Change{Namespace: ns, Collection: CollAPIs, Name: name, Version: uint64(incr.Val())})
	return nil
}

// encodeAPIs validates and encodes apis for namespace ns; a *ValidationError
// names the first invalid API's index.
func encodeAPIs(ns string, apis []API) ([][]byte, []string, error) {
	enc := make([][]byte, len(apis))
	names := make([]string, len(apis))
	seen := make(map[string]int, len(apis))
	for i := range apis {
		a := apis[i]
		a.Namespace = ns
		if err := a.Validate(); err != nil {
			var ve *ValidationError
			if errors.As(err, &ve) {
				for j := range ve.Fields {
					ve.Fields[j].Field = fmt.Sprintf("apis[%d].%s", i, ve.Fields[j].Field)
				}
			}
			return nil, nil, err
		}
		if j, dup := seen[a.Name]; dup {
			return nil, nil, &ValidationError{Kind: "api", Name: a.Name, Fields: []FieldError{{
				Field: fmt.Sprintf("apis[%d].name", i), Message: fmt.Sprintf("duplicate of apis[%d]", j)}}}
		}
		seen[a.Name] = i
		b, err := encodeRecord("api", a.Name, a)
		if err != nil {
			return nil, nil, err
		}
		enc[i], names[i] = b, a.Name
	}
	return enc, names, nil
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// GetAPI implements Store.
func (s *redisStore) GetAPI(ctx context.Context, ns, name string) (API, error) {
	ns = nsOrDefault(ns)
	b, err := s.getJSON(ctx, s.key(ns, "api", name), &NotFoundError{Kind: "api", Namespace: ns, Name: name})
	if err != nil {
		return API{}, err
	}
	return decodeAPI(name, b)
}

// ListAPIs implements Store.
func (s *redisStore) ListAPIs(ctx context.Context, ns string) ([]API, error) {
	ns = nsOrDefault(ns)
	names, err := s.sortedMembers(ctx, s.key(ns, "apis"))
	if err != nil {
		return nil, s.wrap("list apis", err)
	}
	keys := make([]string, len(names))
	for i, n := range names {
		keys[i] = s.key(ns, "api", n)
	}
	vals, err := s.mgetChunked(ctx, keys)
	if err != nil {
		return nil, s.wrap("list apis", err)
	}
	kept := names[:0:0]
	raws := make([][]byte, 0, len(vals))
	for i, v := range vals {
		if str, ok := v.(string); ok {
			kept = append(kept, names[i])
			raws = append(raws, []byte(str))
		}
	}
	return decodeAPIs(kept, raws)
}

// DeleteAPI implements Store.
func (s *redisStore) DeleteAPI(ctx context.Context, ns, name string) error {
	ns = nsOrDefault(ns)
	return s.deleteRecord(ctx, ns, CollAPIs, "api", name, s.key(ns, "api", name), s.key(ns, "apis"))
}

// deleteRecord deletes key (and its name from set, when set is not empty),
// bumps the collection version and announces the change. A missing key is a
// *NotFoundError and changes nothing (no version bump, no change announced),
// as in bbolt.
func (s *redisStore) deleteRecord(ctx context.Context, ns string, c Collection, kind, name, key, set string) error {
	ns = nsOrDefault(ns)
	var cv uint64
	err := s.tx(ctx, func(tx *redis.Tx) error {
		n, err := tx.Exists(ctx, key).Result()
		if err != nil {
			return err
		}
		if n == 0 {
			return &NotFoundError{Kind: kind, Namespace: ns, Name: name}
		}
		var incr *redis.IntCmd
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Del(ctx, key)
			if set != "" {
				p.SRem(ctx, set, name)
			}
			incr = p.Incr(ctx, s.verKey(ns, c))
			return nil
		})
		if err == nil {
			cv = uint64(incr.Val())
		}
		return err
	}, key)
	if err != nil {
		return s.wrap("delete "+kind, err)
	}
	s.publish(ctx, Change{Namespace: ns, Collection: c, Name: name, Version: cv})
	return nil
}

// putJSON writes key = b (with ttl when > 0), adds name to set (when set is
// not empty), bumps the collection version and announces the change.
func (s *redisStore) putJSON(ctx context.Context, ns string, c Collection, name, key, set string, b []byte, ttl time.Duration) error {
	var incr *redis.IntCmd
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, key, b, ttl)
		if set != "" {
			p.SAdd(ctx, set, name)
		}
		incr = p.Incr(ctx, s.verKey(ns, c))
		return nil
	})
	if err != nil {
		return s.wrap("put "+string(c), err)
	}
	s.publish(ctx, Change{Namespace: ns, Collection: c, Name: name, Version: uint64(incr.Val())})
	return nil
}

// PutFamily implements Store.
func (s *redisStore) PutFamily(ctx context.Context, f *Family) error {
	prepareFamily(f)
	if err := f.Validate(); err != nil {
		return err
	}
	b, err := encodeRecord("family", f.Name, f)
	if err != nil {
		return err
	}
	ns := f.Namespace
	return s.putJSON(ctx, ns, CollFamilies, f.Name, s.key(ns, "family", f.Name), s.key(ns, "families"), b, 0)
}

// prepareFamily fills in the defaults of a family about to be written.
func prepareFamily(f *Family) {
	f.Namespace = nsOrDefault(f.Namespace)
	f.SchemaVersion = SchemaVersion
	if f.Status == "" {
		f.Status = FamilyCollecting
	}
	f.UpdatedAt = time.Now().UTC()
}

// GetFamily implements Store.
func (s *redisStore) GetFamily(ctx context.Context, ns, name string) (*Family, error) {
	ns = nsOrDefault(ns)
	b, err := s.getJSON(ctx, s.key(ns, "family", name), &NotFoundError{Kind: "family", Namespace: ns, Name: name})
	if err != nil {
		return nil, err
	}
	return decodeRecord[Family]("family", name, b)
}

// ListFamilies implements Store.
func (s *redisStore) ListFamilies(ctx context.Context, ns string) ([]*Family, error) {
	return listRedisRecords[Family](ctx, s, nsOrDefault(ns), "family", "families")
}

// listRedisRecords reads every record of a kind in namespace ns: the names
// in set plural, each stored at key(ns, kind, name), in name order. A name
// whose record is gone (a delete in between) is skipped.
func listRedisRecords[T any, P interface {
	*T
	versioned
}](ctx context.Context, s *redisStore, ns, kind, plural string) ([]P, error) {
	names, err := s.sortedMembers(ctx, s.key(ns, plural))
	if err != nil {
		return nil, s.wrap("list "+plural, err)
	}
	keys := make([]string, len(names))
	for i, n := range names {
		keys[i] = s.key(ns, kind, n)
	}
	vals, err := s.mgetChunked(ctx, keys)
	if err != nil {
		return nil, s.wrap("list "+plural, err)
	}
	var out []P
	for i, v := range vals {
		str, ok := v.(string)
		if !ok {
			continue
		}
		r, err := decodeRecord[T, P](kind, names[i], []byte(str))
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// AddFamilyExample implements Store.
func (s *redisStore) AddFamilyExample(ctx context.Context, ns, family string, ex Example) (int, error) {
	ns = nsOrDefault(ns)
	key := s.key(ns, "family", family)
	var count int
	var cv uint64
	err := s.tx(ctx, func(tx *redis.Tx) error {
		f := &Family{Name: family, Namespace: ns}
		b, err := tx.Get(ctx, key).Bytes()
		switch {
		case errors.Is(err, redis.Nil):
		case err != nil:
			return err
		default:
			if f, err = decodeRecord[Family]("family", family, b); err != nil {
				return err
			}
		}
		f.Examples = append(f.Examples, ex)
		prepareFamily(f)
		if err := f.Validate(); err != nil {
			return err
		}
		if b, err = encodeRecord("family", family, f); err != nil {
			return err
		}
		var incr *redis.IntCmd
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, key, b, 0)
			p.SAdd(ctx, s.key(ns, "families"), family)
			incr = p.Incr(ctx, s.verKey(ns, CollFamilies))
			return nil
		})
		if err == nil {
			count, cv = len(f.Examples), uint64(incr.Val())
		}
		return err
	}, key)
	if err != nil {
		return 0, s.wrap("add family example", err)
	}
	s.publish(ctx, Change{Namespace: ns, Collection: CollFamilies, Name: family, Version: cv})
	return count, nil
}

// prepareSession fills in the times of a session about to be written at
// now and returns the effective TTL.
func prepareSession(sess *Session, now time.Time, ttl time.Duration) time.Duration {
	now = now.UTC()
	sess.Namespace = nsOrDefault(sess.Namespace)
	sess.SchemaVersion = SchemaVersion
	if sess.CreatedAt.IsZero() {
		sess.CreatedAt = now
	}
	sess.UpdatedAt = now
	sess.ExpiresAt, ttl = expiry(now, ttl, DefaultSessionTTL)
	return ttl
}

// GetSession implements Store.
func (s *redisStore) GetSession(ctx context.Context, ns, id string) (*Session, error) {
	ns = nsOrDefault(ns)
	b, err := s.getJSON(ctx, s.key(ns, "session", id), &NotFoundError{Kind: "session", Namespace: ns, Name: id})
	if err != nil {
		return nil, err
	}
	return decodeRecord[Session]("session", id, b)
}

// PutPlan implements Store.
func (s *redisStore) PutPlan(ctx context.Context, e *PlanCacheEntry, ttl time.Duration) error {
	ttl = preparePlan(e, time.Now(), ttl)
	if err := e.Validate(); err != nil {
		return err
	}
	b, err := encodeRecord("plan", e.Key, e)
	if err != nil {
		return err
	}
	ns := e.Namespace
	return s.putJSON(ctx, ns, CollPlans, e.Key, s.key(ns, "plan", e.Key), "", b, ttl)
}

// preparePlan fills in the times of a plan entry written at now and returns
// the TTL.
func preparePlan(e *PlanCacheEntry, now time.Time, ttl time.Duration) time.Duration {
	now = now.UTC()
	e.Namespace = nsOrDefault(e.Namespace)
	e.SchemaVersion = SchemaVersion
	e.CreatedAt = now
	e.ExpiresAt, ttl = expiry(now, ttl, DefaultPlanTTL)
	return ttl
}

// GetPlan implements Store.
func (s *redisStore) GetPlan(ctx context.Context, ns, key string) (*PlanCacheEntry, error) {
	ns = nsOrDefault(ns)
	b, err := s.getJSON(ctx, s.key(ns, "plan", key), &NotFoundError{Kind: "plan", Namespace: ns, Name: key})
	if err != nil {
		return nil, err
	}
	return decodeRecord[PlanCacheEntry]("plan", key, b)
}

var _ Store = (*redisStore)(nil)

// ClaimFamily implements Store.
func (s *redisStore) ClaimFamily(ctx context.Context, ns, family string, to FamilyStatus, from ...FamilyStatus) (*Family, error) {
	ns = nsOrDefault(ns)
	key := s.key(ns, "family", family)
	var before *Family
	var cv uint64
	err := s.tx(ctx, func(tx *redis.Tx) error {
		b, err := tx.Get(ctx, key).Bytes()
		if errors.Is(err, redis.Nil) {
			return &NotFoundError{Kind: "family", Namespace: ns, Name: family}
		}
		if err != nil {
			return err
		}
		f, err := decodeRecord[Family]("family", family, b)
		if err != nil {
			return err
		}
		old, next, err := claim(f, to, from)
		if err != nil {
			return err
		}
		if b, err = encodeRecord("family", family, next); err != nil {
			return err
		}
		var incr *redis.IntCmd
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, key, b, 0)
			incr = p.Incr(ctx, s.verKey(ns, CollFamilies))
			return nil
		})
		if err == nil {
			before, cv = old, uint64(incr.Val())
		}
		return err
	}, key)
	if err != nil {
		var sc *StatusConflictError
		if errors.As(err, &sc) {
			return nil, err
		}
		return nil, s.wrap("claim family", err)
	}
	s.publish(ctx, Change{Namespace: ns, Collection: CollFamilies, Name: family, Version: cv})
	return before, nil
}

// abortError carries a caller's error out of a transaction unchanged.
type abortError struct{ err error }

func (e *abortError) Error() string { return e.err.Error() }
func (e *abortError) Unwrap() error { return e.err }
