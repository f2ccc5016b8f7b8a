package registry

import (
	"context"

	bolt "go.etcd.io/bbolt"
)

var bPolicies = []byte("policies")

// PutPolicy implements Store.
func (s *boltStore) PutPolicy(ctx context.Context, p *Policy) error {
	preparePolicy(p)
	if err := p.Validate(); err != nil {
		return err
	}
	b, err := encodeRecord("policy", p.Name, p)
	if err != nil {
		return err
	}
	return s.putValue(ctx, p.Namespace, CollPolicies, bPolicies, p.Name, b)
}

// GetPolicy implements Store.
func (s *boltStore) GetPolicy(ctx context.Context, ns, name string) (*Policy, error) {
	ns = nsOrDefault(ns)
	var p *Policy
	err := s.view(ctx, func(tx *bolt.Tx) error {
		v := boltGet(tx, ns, bPolicies, name)
		if v == nil {
			return &NotFoundError{Kind: "policy", Namespace: ns, Name: name}
		}
		var err error
		p, err = decodeRecord[Policy]("policy", name, v)
		return err
	})
	return p, err
}

// ListPolicies implements Store.
func (s *boltStore) ListPolicies(ctx context.Context, ns string) ([]*Policy, error) {
	return listBoltRecords[Policy](ctx, s, nsOrDefault(ns), bPolicies, "policy")
}

// DeletePolicy implements Store.
func (s *boltStore) DeletePolicy(ctx context.Context, ns, name string) error {
	return s.deleteKey(ctx, ns, CollPolicies, bPolicies, "policy", name)
}
