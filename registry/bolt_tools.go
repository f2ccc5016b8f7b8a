package registry

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"time"

	bolt "go.etcd.io/bbolt"
)

func toolVerKey(name string, v int) []byte {
	k := make([]byte, len(name)+9)
	copy(k, name)
	binary.BigEndian.PutUint64(k[len(name)+1:], uint64(v))
	return k
}

// getMeta reads a tool's meta from the tools bucket (nil allowed).
func getMeta(b *bolt.Bucket, name string) (m toolMeta, ok bool, err error) {
	if b == nil {
		return m, false, nil
	}
	v := b.Get([]byte(name))
	if v == nil {
		return m, false, nil
	}
	return m, true, json.Unmarshal(v, &m)
}

func putMeta(b *bolt.Bucket, name string, m toolMeta) error {
	v, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return b.Put([]byte(name), v)
}

// readToolVersion decodes version v of name within tx.
func readToolVersion(tx *bolt.Tx, ns, name string, v int, m toolMeta) (*Tool, error) {
	vb := bucket(tx, ns, bToolV)
	var raw []byte
	if vb != nil {
		raw = vb.Get(toolVerKey(name, v))
	}
	if raw == nil {
		return nil, &NotFoundError{Kind: "tool", Namespace: ns, Name: name, Version: v}
	}
	t, err := decodeRecord[Tool]("tool", name, raw)
	if err != nil {
		return nil, err
	}
	t.Removed, t.Current = m.Removed, m.Current == v
	return t, nil
}

// PutTool implements Store.
func (s *boltStore) PutTool(ctx context.Context, t *Tool) (int, error) {
	if err := prepareTool(t); err != nil {
		return 0, err
	}
	ns := t.Namespace
	err := s.update(ctx, ns, CollTools, t.Name, func(tx *bolt.Tx) error {
		mb, err := wbucket(tx, ns, bTools)
		if err != nil {
			return err
		}
		vb, err := wbucket(tx, ns, bToolV)
		if err != nil {
			return err
		}
		old, _, err := getMeta(mb, t.Name)
		if err != nil {
			return err
		}
		t.Version = old.Latest + 1
		b, err := encodeRecord("tool", t.Name, t)
		if err != nil {
			return err
		}
		if err := vb.Put(toolVerKey(t.Name, t.Version), b); err != nil {
			return err
		}
		return putMeta(mb, t.Name, toolMeta{Latest: t.Version, Current: t.Version, Family: t.Family})
	})
	if err != nil {
		t.Version = 0
		return 0, err
	}
	return t.Version, nil
}

// GetTool implements Store.
func (s *boltStore) GetTool(ctx context.Context, ns, name string) (*Tool, error) {
	ns = nsOrDefault(ns)
	var t *Tool
	err := s.view(ctx, func(tx *bolt.Tx) error {
		m, ok, err := getMeta(bucket(tx, ns, bTools), name)
		if err != nil {
			return err
		}
		if !ok || m.Removed {
			return &NotFoundError{Kind: "tool", Namespace: ns, Name: name}
		}
		t, err = readToolVersion(tx, ns, name, m.Current, m)
		return err
	})
	return t, err
}

// GetToolVersion implements Store.
func (s *boltStore) GetToolVersion(ctx context.Context, ns, name string, version int) (*Tool, error) {
	ns = nsOrDefault(ns)
	var t *Tool
	err := s.view(ctx, func(tx *bolt.Tx) error {
		m, ok, err := getMeta(bucket(tx, ns, bTools), name)
		if err != nil {
			return err
		}
		if !ok || version < 1 || version > m.Latest {
			return &NotFoundError{Kind: "tool", Namespace: ns, Name: name, Version: version}
		}
		t, err = readToolVersion(tx, ns, name, version, m)
		return err
	})
	return t, err
}

// ToolVersions implements Store.
func (s *boltStore) ToolVersions(ctx context.Context, ns, name string) ([]ToolVersion, error) {
	ns = nsOrDefault(ns)
	var out []ToolVersion
	err := s.view(ctx, func(tx *bolt.Tx) error {
		m, ok, err := getMeta(bucket(tx, ns, bTools), name)
		if err != nil {
			return err
		}
		if !ok {
			return &NotFoundError{Kind: "tool", Namespace: ns, Name: name}
		}
		vb := bucket(tx, ns, bToolV)
		prefix := append([]byte(name), 0)
		c := vb.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+8; k, v = c.Next() {
			t, err := decodeRecord[Tool]("tool", name, v)
			if err != nil {
				return err
			}
			out = append(out, ToolVersion{Version: t.Version, Hash: t.Hash, CreatedAt: t.CreatedAt,
				Status: t.Verification.Status, Current: t.Version == m.Current})
		}
		return nil
	})
	return out, err
}

// ListTools implements Store.
func (s *boltStore) ListTools(ctx context.Context, ns string, f ToolFilter) ([]*Tool, error) {
	ns = nsOrDefault(ns)
	var out []*Tool
	err := s.view(ctx, func(tx *bolt.Tx) error {
		mb := bucket(tx, ns, bTools)
		if mb == nil {
			return nil
		}
		return mb.ForEach(func(k, v []byte) error {
			var m toolMeta
			if err := json.Unmarshal(v, &m); err != nil {
				return err
			}
			if (m.Removed && !f.IncludeRemoved) || (f.Family != "" && m.Family != f.Family) {
				return nil
			}
			t, err := readToolVersion(tx, ns, string(k), m.Current, m)
			if err != nil {
				return err
			}
			out = append(out, t)
			return nil
		})
	})
	return out, err
}

// changeMeta updates a tool's meta in one transaction.
func (s *boltStore) changeMeta(ctx context.Context, ns, name string, change func(m *toolMeta) error) error {
	ns = nsOrDefault(ns)
	return s.update(ctx, ns, CollTools, name, func(tx *bolt.Tx) error {
		mb, err := wbucket(tx, ns, bTools)
		if err != nil {
			return err
		}
		m, ok, err := getMeta(mb, name)
		if err != nil {
			return err
		}
		if !ok {
			return &NotFoundError{Kind: "tool", Namespace: ns, Name: name}
		}
		oldCurrent := m.Current
		if err := change(&m); err != nil {
			return err
		}
		if m.Current != oldCurrent {
			t, err := readToolVersion(tx, ns, name, m.Current, m)
			if err != nil {
				return err
			}
			m.Family = t.Family
		}
		return putMeta(mb, name, m)
	})
}

// RemoveTool implements Store.
func (s *boltStore) RemoveTool(ctx context.Context, ns, name string) error {
	return s.changeMeta(ctx, ns, name, func(m *toolMeta) error {
		if m.Removed {
			return &NotFoundError{Kind: "tool", Namespace: nsOrDefault(ns), Name: name}
		}
		m.Removed = true
		return nil
	})
}

// RestoreTool implements Store.
func (s *boltStore) RestoreTool(ctx context.Context, ns, name string) error {
	return s.changeMeta(ctx, ns, name, func(m *toolMeta) error {
		m.Removed = false
		return nil
	})
}

// RollbackTool implements Store.
func (s *boltStore) RollbackTool(ctx context.Context, ns, name string, version int) error {
	return s.changeMeta(ctx, ns, name, func(m *toolMeta) error {
		if version < 1 || version > m.Latest {
			return &NotFoundError{Kind: "tool", Namespace: nsOrDefault(ns), Name: name, Version: version}
		}
		m.Current = version
		return nil
	})
}

// RecordCall implements Store. Concurrent calls are coalesced into shared
// transactions (bbolt's Batch), so no update is lost and few fsyncs happen.
func (s *boltStore) RecordCall(ctx context.Context, ns, name string, c Call) error {
	ns = nsOrDefault(ns)
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.At.IsZero() {
		c.At = time.Now()
	}
	return s.wrap(s.db.Batch(func(tx *bolt.Tx) error {
		if _, ok, err := getMeta(bucket(tx, ns, bTools), name); err != nil {
			return err
		} else if !ok {
			return &NotFoundError{Kind: "tool", Namespace: ns, Name: name}
		}
		sb, err := wbucket(tx, ns, bStats)
		if err != nil {
			return err
		}
		var st ToolStats
		if v := sb.Get([]byte(name)); v != nil {
			if err := json.Unmarshal(v, &st); err != nil {
				return err
			}
		}
		st.apply(c)
		v, err := json.Marshal(&st)
		if err != nil {
			return err
		}
		return sb.Put([]byte(name), v)
	}))
}

// ToolStats implements Store.
func (s *boltStore) ToolStats(ctx context.Context, ns, name string) (ToolStats, error) {
	ns = nsOrDefault(ns)
	var st ToolStats
	err := s.view(ctx, func(tx *bolt.Tx) error {
		if _, ok, err := getMeta(bucket(tx, ns, bTools), name); err != nil {
			return err
		} else if !ok {
			return &NotFoundError{Kind: "tool", Namespace: ns, Name: name}
		}
		if sb := bucket(tx, ns, bStats); sb != nil {
			if v := sb.Get([]byte(name)); v != nil {
				return json.Unmarshal(v, &st)
			}
		}
		return nil
	})
	st.LastUsed = st.LastUsed.UTC()
	st.fill()
	return st, err
}
