package registry

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
)

// Sessions on Redis: the record is a JSON string, its write counter and
// history length a hash, its history log a list, all with the session's TTL:
//
//	{p:ns}:session:<id>   Session (JSON)
//	{p:ns}:sessmeta:<id>  hash: v (version), h (history entries ever appended)
//	{p:ns}:history:<id>   list of history entries, the newest MaxHistoryEvents
//
// A write is one script: it checks the version, writes the record, appends
// the history, bumps the collection version and announces the change, so a
// session is never half written and a writer that lost a race writes nothing.

// saveSessionScript: KEYS session, meta, history, collection version;
// ARGV expected version, record, ttl ms, max history, channel, namespace,
// id, events... It returns {1, collection version} or {0, stored version}.
var saveSessionScript = redis.NewScript(`
local have = tonumber(redis.call('HGET', KEYS[2], 'v') or '0')
if have ~= tonumber(ARGV[1]) then return {0, have} end
local ttl = tonumber(ARGV[3])
redis.call('SET', KEYS[1], ARGV[2], 'PX', ttl)
redis.call('HSET', KEYS[2], 'v', have + 1)
if #ARGV > 7 then
  for i = 8, #ARGV, 500 do
    redis.call('RPUSH', KEYS[3], unpack(ARGV, i, math.min(i + 499, #ARGV)))
  end
  redis.call('HINCRBY', KEYS[2], 'h', #ARGV - 7)
  redis.call('LTRIM', KEYS[3], -tonumber(ARGV[4]), -1)
end
redis.call('PEXPIRE', KEYS[2], ttl)
redis.call('PEXPIRE', KEYS[3], ttl)
local cv = redis.call('INCR', KEYS[4])
redis.call('PUBLISH', ARGV[5], cjson.encode({namespace = ARGV[6], collection = 'sessions', name = ARGV[7], version = cv}))
return {1, cv}
`)

// deleteSessionScript: KEYS session, meta, history, collection version;
// ARGV channel, namespace, id. It returns -1 when there is no session.
var deleteSessionScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
local cv = redis.call('INCR', KEYS[4])
redis.call('PUBLISH', ARGV[1], cjson.encode({namespace = ARGV[2], collection = 'sessions', name = ARGV[3], version = cv}))
return cv
`)

// historyScript: KEYS meta, history; ARGV from, limit. It returns {total,
// start, entries}.
var historyScript = redis.NewScript(`
local total = tonumber(redis.call('HGET', KEYS[1], 'h') or '0')
local first = total - redis.call('LLEN', KEYS[2])
local from = math.max(tonumber(ARGV[1]), first)
local limit = tonumber(ARGV[2])
if from >= total or limit <= 0 then return {total, from, {}} end
return {total, from, redis.call('LRANGE', KEYS[2], from - first, from - first + limit - 1)}
`)

func (s *redisStore) sessionKeys(ns, id string) []string {
	return []string{s.key(ns, "session", id), s.key(ns, "sessmeta", id), s.key(ns, "history", id), s.verKey(ns, CollSessions)}
}

// SaveSession implements Store.
func (s *redisStore) SaveSession(ctx context.Context, sess *Session, ttl time.Duration, expect uint64, events ...json.RawMessage) error {
	sess.Namespace = nsOrDefault(sess.Namespace)
	eff, err := sessionUpdate(sess, time.Now(), ttl, expect, expect)
	if err != nil {
		return err
	}
	b, err := encodeSession(sess)
	if err != nil {
		return err
	}
	ns := sess.Namespace
	args := make([]any, 0, 7+len(events))
	args = append(args, expect, b, ttlMillis(eff), MaxHistoryEvents, s.key(ns, "changes"), ns, sess.ID)
	for _, e := range events {
		args = append(args, []byte(e))
	}
	res, err := saveSessionScript.Run(ctx, s.rdb, s.sessionKeys(ns, sess.ID), args...).Int64Slice()
	if err != nil {
		sess.Version = expect
		return s.wrap("save session", err)
	}
	if res[0] == 0 {
		sess.Version = expect
		return &VersionConflictError{Namespace: ns, ID: sess.ID, Expected: expect, Stored: uint64(res[1])}
	}
	return nil
}

// PutSession implements Store: it writes over whatever version is stored.
func (s *redisStore) PutSession(ctx context.Context, sess *Session, ttl time.Duration) error {
	sess.Namespace = nsOrDefault(sess.Namespace)
	for attempt := 0; attempt < maxTxAttempts; attempt++ {
		cur, err := s.storedSession(ctx, sess.Namespace, sess.ID)
		if err != nil {
			return err
		}
		var expect uint64
		if cur != nil {
			expect = cur.Version
		}
		err = s.SaveSession(ctx, sess, ttl, expect)
		var vc *VersionConflictError
		if !errors.As(err, &vc) {
			return err
		}
	}
	return ErrConflict
}

// storedSession returns the stored session, or nil when there is none.
func (s *redisStore) storedSession(ctx context.Context, ns, id string) (*Session, error) {
	sess, err := s.GetSession(ctx, ns, id)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return sess, err
}

// UpdateSession implements Store: read, fn, then a version-checked save,
// again from the read when another writer came first.
func (s *redisStore) UpdateSession(ctx context.Context, ns, id string, ttl time.Duration, fn func(*Session) error) (*Session, error) {
	ns = nsOrDefault(ns)
	for attempt := 0; attempt < maxTxAttempts; attempt++ {
		cur, err := s.storedSession(ctx, ns, id)
		if err != nil {
			return nil, err
		}
		if cur == nil {
			cur = &Session{ID: id, Namespace: ns}
		}
		expect := cur.Version
		if err := fn(cur); err != nil {
			return nil, err
		}
		cur.ID, cur.Namespace = id, ns
		err = s.SaveSession(ctx, cur, ttl, expect)
		var vc *VersionConflictError
		if errors.As(err, &vc) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		return cur, nil
	}
	return nil, ErrConflict
}

// DeleteSession implements Store.
func (s *redisStore) DeleteSession(ctx context.Context, ns, id string) error {
	ns = nsOrDefault(ns)
	cv, err := deleteSessionScript.Run(ctx, s.rdb, s.sessionKeys(ns, id), s.key(ns, "changes"), ns, id).Int64()
	if err != nil {
		return s.wrap("delete session", err)
	}
	if cv < 0 {
		return &NotFoundError{Kind: "session", Namespace: ns, Name: id}
	}
	return nil
}

// SessionHistory implements Store.
func (s *redisStore) SessionHistory(ctx context.Context, ns, id string, from, limit int) (HistoryPage, error) {
	ns = nsOrDefault(ns)
	keys := s.sessionKeys(ns, id)
	res, err := historyScript.Run(ctx, s.rdb, keys[1:3], max(from, 0), limit).Slice()
	if err != nil {
		return HistoryPage{}, s.wrap("session history", err)
	}
	page := HistoryPage{Events: []json.RawMessage{}}
	if len(res) == 3 {
		total, _ := res[0].(int64)
		start, _ := res[1].(int64)
		page.Total, page.Start = int(total), int(start)
		entries, _ := res[2].([]any)
		for _, e := range entries {
			if str, ok := e.(string); ok {
				page.Events = append(page.Events, json.RawMessage(str))
			}
		}
	}
	return page, nil
}
