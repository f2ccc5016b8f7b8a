package registry

import (
	"context"

	bolt "go.etcd.io/bbolt"
)

// bSettings holds one record per namespace, under settingsKey.
var bSettings = []byte("settings")

const settingsKey = "settings"

// PutSettings implements Store.
func (s *boltStore) PutSettings(ctx context.Context, st *Settings) error {
	b, err := encodeSettings(st)
	if err != nil {
		return err
	}
	return s.putValue(ctx, st.Namespace, CollSettings, bSettings, settingsKey, b)
}

// GetSettings implements Store.
func (s *boltStore) GetSettings(ctx context.Context, ns string) (*Settings, error) {
	ns = nsOrDefault(ns)
	st := emptySettings(ns)
	err := s.view(ctx, func(tx *bolt.Tx) error {
		v := boltGet(tx, ns, bSettings, settingsKey)
		if v == nil {
			return nil
		}
		var err error
		st, err = decodeRecord[Settings]("settings", ns, v)
		return err
	})
	return st, err
}
