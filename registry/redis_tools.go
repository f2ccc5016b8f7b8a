package registry

import (
	"context"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

func (s *redisStore) toolMetaKey(ns, name string) string { return s.key(ns, "tool", name) }
func (s *redisStore) toolVerKey(ns, name string, v int) string {
	return s.key(ns, "toolv", name, itoa(v))
}
func (s *redisStore) familyToolsKey(ns, family string) string {
	return s.key(ns, "family-tools", family)
}

// metaFieldNames are the meta hash's fields besides the record copy.
var metaFieldNames = []string{"latest", "current", "removed", "family"}

// readMeta reads a tool's meta (not the record copy); ok is false when the
// name is unknown.
func readMeta(ctx context.Context, c redis.Cmdable, key string) (m toolMeta, ok bool, err error) {
	vals, err := c.HMGet(ctx, key, metaFieldNames...).Result()
	if err != nil {
		return m, false, err
	}
	h := map[string]string{}
	for i, v := range vals {
		if str, isStr := v.(string); isStr {
			h[metaFieldNames[i]] = str
		}
	}
	m, ok = metaFromHash(h)
	return m, ok, nil
}

// metaFromHash decodes meta fields; ok is false when there are none.
func metaFromHash(h map[string]string) (m toolMeta, ok bool) {
	if h["latest"] == "" {
		return m, false
	}
	m.Latest, _ = strconv.Atoi(h["latest"])
	m.Current, _ = strconv.Atoi(h["current"])
	m.Removed = h["removed"] == "1"
	m.Family = h["family"]
	return m, true
}

func metaFields(m toolMeta) []any {
	removed := "0"
	if m.Removed {
		removed = "1"
	}
	return []any{"latest", m.Latest, "current", m.Current, "removed", removed, "family", m.Family}
}

// PutTool implements Store.
func (s *redisStore) PutTool(ctx context.Context, t *Tool) (int, error) {
	if err := prepareTool(t); err != nil {
		return 0, err
	}
	ns := t.Namespace
	metaKey := s.toolMetaKey(ns, t.Name)
	var cv uint64
	err := s.tx(ctx, func(tx *redis.Tx) error {
		old, _, err := readMeta(ctx, tx, metaKey)
		if err != nil {
			return err
		}
		t.Version = old.Latest + 1
		b, err := encodeRecord("tool", t.Name, t)
		if err != nil {
			return err
		}
		m := toolMeta{Latest: t.Version, Current: t.Version, Family: t.Family}
		var incr *redis.IntCmd
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, s.toolVerKey(ns, t.Name, t.Version), b, 0)
			// The meta hash also holds a copy of the current version's
			// record, so GetTool is one round trip.
			p.HSet(ctx, metaKey, append(metaFields(m), "record", b)...)
			p.SAdd(ctx, s.key(ns, "tools"), t.Name)
			if old.Family != "" && old.Family != t.Family {
				p.SRem(ctx, s.familyToolsKey(ns, old.Family), t.Name)
			}
			if t.Family != "" {
				p.SAdd(ctx, s.familyToolsKey(ns, t.Family), t.Name)
			}
			incr = p.Incr(ctx, s.verKey(ns, CollTools))
			return nil
		})
		if err == nil {
			cv = uint64(incr.Val())
		}
		return err
	}, metaKey)
	if err != nil {
		t.Version = 0
		return 0, s.wrap("put tool", err)
	}
	s.publish(ctx, Change{Namespace: ns, Collection: CollTools, Name: t.Name, Version: cv})
	return t.Version, nil
}

// GetTool implements Store.
func (s *redisStore) GetTool(ctx context.Context, ns, name string) (*Tool, error) {
	ns = nsOrDefault(ns)
	vals, err := s.rdb.HMGet(ctx, s.toolMetaKey(ns, name), "removed", "record").Result()
	if err != nil {
		return nil, s.wrap("get tool", err)
	}
	record, ok := vals[1].(string)
	if !ok || vals[0] == "1" {
		return nil, &NotFoundError{Kind: "tool", Namespace: ns, Name: name}
	}
	t, err := decodeRecord[Tool]("tool", name, []byte(record))
	if err != nil {
		return nil, err
	}
	t.Current = true
	return t, nil
}

// readVersion reads version v and marks it with the meta's state.
func (s *redisStore) readVersion(ctx context.Context, ns, name string, v int, m toolMeta) (*Tool, error) {
	b, err := s.getJSON(ctx, s.toolVerKey(ns, name, v), &NotFoundError{Kind: "tool", Namespace: ns, Name: name, Version: v})
	if err != nil {
		return nil, err
	}
	t, err := decodeRecord[Tool]("tool", name, b)
	if err != nil {
		return nil, err
	}
	t.Removed, t.Current = m.Removed, m.Current == v
	return t, nil
}

// GetToolVersion implements Store.
func (s *redisStore) GetToolVersion(ctx context.Context, ns, name string, version int) (*Tool, error) {
	ns = nsOrDefault(ns)
	m, ok, err := readMeta(ctx, s.rdb, s.toolMetaKey(ns, name))
	if err != nil {
		return nil, s.wrap("get tool", err)
	}
	if !ok || version < 1 || version > m.Latest {
		return nil, &NotFoundError{Kind: "tool", Namespace: ns, Name: name, Version: version}
	}
	return s.readVersion(ctx, ns, name, version, m)
}

// ToolVersions implements Store.
func (s *redisStore) ToolVersions(ctx context.Context, ns, name string) ([]ToolVersion, error) {
	ns = nsOrDefault(ns)
	m, ok, err := readMeta(ctx, s.rdb, s.toolMetaKey(ns, name))
	if err != nil {
		return nil, s.wrap("tool versions", err)
	}
	if !ok {
		return nil, &NotFoundError{Kind: "tool", Namespace: ns, Name: name}
	}
	keys := make([]string, m.Latest)
	for v := 1; v <= m.Latest; v++ {
		keys[v-1] = s.toolVerKey(ns, name, v)
	}
	vals, err := s.mgetChunked(ctx, keys)
	if err != nil {
		return nil, s.wrap("tool versions", err)
	}
	out := make([]ToolVersion, 0, len(vals))
	for i, val := range vals {
		str, ok := val.(string)
		if !ok {
			continue
		}
		t, err := decodeRecord[Tool]("tool", name, []byte(str))
		if err != nil {
			return nil, err
		}
		out = append(out, ToolVersion{Version: i + 1, Hash: t.Hash, CreatedAt: t.CreatedAt,
			Status: t.Verification.Status, Current: i+1 == m.Current})
	}
	return out, nil
}

// ListTools implements Store.
func (s *redisStore) ListTools(ctx context.Context, ns string, f ToolFilter) ([]*Tool, error) {
	ns = nsOrDefault(ns)
	set := s.key(ns, "tools")
	if f.Family != "" {
		set = s.familyToolsKey(ns, f.Family)
	}
	names, err := s.sortedMembers(ctx, set)
	if err != nil {
		return nil, s.wrap("list tools", err)
	}
	metas := make([]*redis.MapStringStringCmd, len(names))
	if _, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, n := range names {
			metas[i] = p.HGetAll(ctx, s.toolMetaKey(ns, n))
		}
		return nil
	}); err != nil {
		return nil, s.wrap("list tools", err)
	}
	out := make([]*Tool, 0, len(names))
	for i, n := range names {
		h := metas[i].Val()
		m, ok := metaFromHash(h)
		if !ok || (m.Removed && !f.IncludeRemoved) || (f.Family != "" && m.Family != f.Family) || h["record"] == "" {
			continue
		}
		t, err := decodeRecord[Tool]("tool", n, []byte(h["record"]))
		if err != nil {
			return nil, err
		}
		t.Removed, t.Current = m.Removed, true
		out = append(out, t)
	}
	return out, nil
}

// updateMeta changes a tool's meta under WATCH with change, which returns an
// error to abort.
func (s *redisStore) updateMeta(ctx context.Context, op, ns, name string, change func(m *toolMeta) error) error {
	ns = nsOrDefault(ns)
	metaKey := s.toolMetaKey(ns, name)
	var cv uint64
	err := s.tx(ctx, func(tx *redis.Tx) error {
		m, ok, err := readMeta(ctx, tx, metaKey)
		if err != nil {
			return err
		}
		if !ok {
			return &NotFoundError{Kind: "tool", Namespace: ns, Name: name}
		}
		oldFamily, oldCurrent := m.Family, m.Current
		if err := change(&m); err != nil {
			return err
		}
		fields := metaFields(m)
		if m.Current != oldCurrent { // the family index and record copy follow the current version
			b, err := tx.Get(ctx, s.toolVerKey(ns, name, m.Current)).Bytes()
			if err != nil {
				return err
			}
			t, err := decodeRecord[Tool]("tool", name, b)
			if err != nil {
				return err
			}
			m.Family = t.Family
			fields = append(metaFields(m), "record", b)
		}
		var incr *redis.IntCmd
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.HSet(ctx, metaKey, fields...)
			if oldFamily != m.Family {
				if oldFamily != "" {
					p.SRem(ctx, s.familyToolsKey(ns, oldFamily), name)
				}
				if m.Family != "" {
					p.SAdd(ctx, s.familyToolsKey(ns, m.Family), name)
				}
			}
			incr = p.Incr(ctx, s.verKey(ns, CollTools))
			return nil
		})
		if err == nil {
			cv = uint64(incr.Val())
		}
		return err
	}, metaKey)
	if err != nil {
		return s.wrap(op, err)
	}
	s.publish(ctx, Change{Namespace: ns, Collection: CollTools, Name: name, Version: cv})
	return nil
}

// RemoveTool implements Store.
func (s *redisStore) RemoveTool(ctx context.Context, ns, name string) error {
	return s.updateMeta(ctx, "remove tool", ns, name, func(m *toolMeta) error {
		if m.Removed {
			return &NotFoundError{Kind: "tool", Namespace: nsOrDefault(ns), Name: name}
		}
		m.Removed = true
		return nil
	})
}

// RestoreTool implements Store.
func (s *redisStore) RestoreTool(ctx context.Context, ns, name string) error {
	return s.updateMeta(ctx, "restore tool", ns, name, func(m *toolMeta) error {
		m.Removed = false
		return nil
	})
}

// RollbackTool implements Store.
func (s *redisStore) RollbackTool(ctx context.Context, ns, name string, version int) error {
	return s.updateMeta(ctx, "rollback tool", ns, name, func(m *toolMeta) error {
		if version < 1 || version > m.Latest {
			return &NotFoundError{Kind: "tool", Namespace: nsOrDefault(ns), Name: name, Version: version}
		}
		m.Current = version
		return nil
	})
}

// statsScript adds one call to a tool's counters if the tool exists.
// KEYS: meta, stats. ARGV: failed (0/1), bucket, finish time in µs.
var statsScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[2], 'calls', 1)
if ARGV[1] == '1' then redis.call('HINCRBY', KEYS[2], 'failures', 1) end
redis.call('HINCRBY', KEYS[2], 'b' .. ARGV[2], 1)
local last = tonumber(redis.call('HGET', KEYS[2], 'last') or '0')
if tonumber(ARGV[3]) > last then redis.call('HSET', KEYS[2], 'last', ARGV[3]) end
return 1
`)

// RecordCall implements Store.
func (s *redisStore) RecordCall(ctx context.Context, ns, name string, c Call) error {
	ns = nsOrDefault(ns)
	if c.At.IsZero() {
		c.At = time.Now()
	}
	failed := "0"
	if c.Failed {
		failed = "1"
	}
	n, err := statsScript.Run(ctx, s.rdb, []string{s.toolMetaKey(ns, name), s.key(ns, "stats", name)},
		failed, latencyBucket(c.Latency), c.At.UnixMicro()).Int()
	if err != nil {
		return s.wrap("record call", err)
	}
	if n == 0 {
		return &NotFoundError{Kind: "tool", Namespace: ns, Name: name}
	}
	return nil
}

// ToolStats implements Store.
func (s *redisStore) ToolStats(ctx context.Context, ns, name string) (ToolStats, error) {
	ns = nsOrDefault(ns)
	h, err := s.rdb.HGetAll(ctx, s.key(ns, "stats", name)).Result()
	if err != nil {
		return ToolStats{}, s.wrap("tool stats", err)
	}
	var st ToolStats
	st.Calls, _ = strconv.ParseInt(h["calls"], 10, 64)
	st.Failures, _ = strconv.ParseInt(h["failures"], 10, 64)
	if us, _ := strconv.ParseInt(h["last"], 10, 64); us > 0 {
		st.LastUsed = time.UnixMicro(us).UTC()
	}
	for b := range st.Histogram {
		st.Histogram[b], _ = strconv.ParseInt(h["b"+itoa(b)], 10, 64)
	}
	st.fill()
	if len(h) == 0 {
		// Distinguish "never called" from "no such tool".
		if n, err := s.rdb.Exists(ctx, s.toolMetaKey(ns, name)).Result(); err != nil {
			return ToolStats{}, s.wrap("tool stats", err)
		} else if n == 0 {
			return ToolStats{}, &NotFoundError{Kind: "tool", Namespace: ns, Name: name}
		}
	}
	return st, nil
}
