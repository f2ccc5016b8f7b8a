package registry

import (
	"context"

	"github.com/redis/go-redis/v9"
)

// PutPolicy implements Store.
func (s *redisStore) PutPolicy(ctx context.Context, p *Policy) error {
	preparePolicy(p)
	if err := p.Validate(); err != nil {
		return err
	}
	b, err := encodeRecord("policy", p.Name, p)
	if err != nil {
		return err
	}
	ns := p.Namespace
	return s.putJSON(ctx, ns, CollPolicies, p.Name, s.key(ns, "policy", p.Name), s.key(ns, "policies"), b, 0)
}

// GetPolicy implements Store.
func (s *redisStore) GetPolicy(ctx context.Context, ns, name string) (*Policy, error) {
	ns = nsOrDefault(ns)
	b, err := s.getJSON(ctx, s.key(ns, "policy", name), &NotFoundError{Kind: "policy", Namespace: ns, Name: name})
	if err != nil {
		return nil, err
	}
	return decodeRecord[Policy]("policy", name, b)
}

// ListPolicies implements Store.
func (s *redisStore) ListPolicies(ctx context.Context, ns string) ([]*Policy, error) {
	ns = nsOrDefault(ns)
	names, err := s.sortedMembers(ctx, s.key(ns, "policies"))
	if err != nil {
		return nil, s.wrap("list policies", err)
	}
	keys := make([]string, len(names))
	for i, n := range names {
		keys[i] = s.key(ns, "policy", n)
	}
	vals, err := s.mgetChunked(ctx, keys)
	if err != nil {
		return nil, s.wrap("list policies", err)
	}
	var out []*Policy
	for i, v := range vals {
		str, ok := v.(string)
		if !ok {
			continue
		}
		p, err := decodeRecord[Policy]("policy", names[i], []byte(str))
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// DeletePolicy implements Store. Unlike a blind DEL, deleting an unknown
// name changes nothing (no version bump, no change announced), as in bbolt.
func (s *redisStore) DeletePolicy(ctx context.Context, ns, name string) error {
	ns = nsOrDefault(ns)
	key := s.key(ns, "policy", name)
	var cv uint64
	err := s.tx(ctx, func(tx *redis.Tx) error {
		n, err := tx.Exists(ctx, key).Result()
		if err != nil {
			return err
		}
		if n == 0 {
			return &NotFoundError{Kind: "policy", Namespace: ns, Name: name}
		}
		var incr *redis.IntCmd
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Del(ctx, key)
			p.SRem(ctx, s.key(ns, "policies"), name)
			incr = p.Incr(ctx, s.verKey(ns, CollPolicies))
			return nil
		})
		if err == nil {
			cv = uint64(incr.Val())
		}
		return err
	}, key)
	if err != nil {
		return s.wrap("delete policy", err)
	}
	s.publish(ctx, Change{Namespace: ns, Collection: CollPolicies, Name: name, Version: cv})
	return nil
}
