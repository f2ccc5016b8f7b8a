package registry

import (
	"context"
	"errors"
)

// PutSettings implements Store.
func (s *redisStore) PutSettings(ctx context.Context, st *Settings) error {
	b, err := encodeSettings(st)
	if err != nil {
		return err
	}
	ns := st.Namespace
	return s.putJSON(ctx, ns, CollSettings, settingsKey, s.key(ns, "settings"), "", b, 0)
}

// GetSettings implements Store.
func (s *redisStore) GetSettings(ctx context.Context, ns string) (*Settings, error) {
	ns = nsOrDefault(ns)
	nf := &NotFoundError{Kind: "settings", Namespace: ns, Name: settingsKey}
	b, err := s.getJSON(ctx, s.key(ns, "settings"), nf)
	var missing *NotFoundError
	if errors.As(err, &missing) {
		return emptySettings(ns), nil
	}
	if err != nil {
		return nil, err
	}
	return decodeRecord[Settings]("settings", ns, b)
}
