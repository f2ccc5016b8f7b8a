package registry

import "context"

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

// DeletePolicy implements Store.
func (s *redisStore) DeletePolicy(ctx context.Context, ns, name string) error {
	ns = nsOrDefault(ns)
	return s.deleteRecord(ctx, ns, CollPolicies, "policy", name, s.key(ns, "policy", name), s.key(ns, "policies"))
}
