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
	return listRedisRecords[Policy](ctx, s, nsOrDefault(ns), "policy", "policies")
}

// DeletePolicy implements Store.
func (s *redisStore) DeletePolicy(ctx context.Context, ns, name string) error {
	ns = nsOrDefault(ns)
	return s.deleteRecord(ctx, ns, CollPolicies, "policy", name, s.key(ns, "policy", name), s.key(ns, "policies"))
}
