package registry

import (
	"context"
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Leases, token buckets, semaphores and spending on Redis. Times come from
// the Redis server's clock (TIME in scripts, PX expiries), so replicas whose
// clocks differ still agree:
//
//	{p:ns}:lease:<name>   the holder's token, SET NX PX
//	{p:ns}:bucket:<name>  hash: tokens, at (ms)
//	{p:ns}:slots:<name>   sorted set: token scored by its expiry (ms)
//	{p:ns}:spend:<day>    hash: cost, calls

// renewLeaseScript: KEYS lease; ARGV token, ttl ms.
var renewLeaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
`)

// releaseLeaseScript: KEYS lease; ARGV token.
var releaseLeaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
`)

// takeTokenScript: KEYS bucket; ARGV rate (tokens a second), burst. It
// returns 0 when a token was taken, else the milliseconds until one is.
var takeTokenScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(b[1]), tonumber(b[2])
if tokens == nil or at == nil then tokens, at = burst, now end
tokens = math.min(burst, tokens + math.max(now - at, 0) * rate / 1000)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * 1000 / rate) end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return wait
`)

// acquireSlotScript: KEYS slots; ARGV token, limit, ttl ms.
var acquireSlotScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`)

// AcquireLease implements Store.
func (s *redisStore) AcquireLease(ctx context.Context, ns, name string, ttl time.Duration) (string, bool, error) {
	if err := checkQuotaName("lease", name); err != nil {
		return "", false, err
	}
	token := newToken()
	ok, err := s.rdb.SetNX(ctx, s.key(nsOrDefault(ns), "lease", name), token, time.Duration(ttlMillis(ttl))*time.Millisecond).Result()
	if err != nil {
		return "", false, s.wrap("acquire lease", err)
	}
	if !ok {
		return "", false, nil
	}
	return token, true, nil
}

// RenewLease implements Store.
func (s *redisStore) RenewLease(ctx context.Context, ns, name, token string, ttl time.Duration) (bool, error) {
	n, err := renewLeaseScript.Run(ctx, s.rdb, []string{s.key(nsOrDefault(ns), "lease", name)}, token, ttlMillis(ttl)).Int64()
	if err != nil {
		return false, s.wrap("renew lease", err)
	}
	return n == 1, nil
}

// ReleaseLease implements Store.
func (s *redisStore) ReleaseLease(ctx context.Context, ns, name, token string) error {
	err := releaseLeaseScript.Run(ctx, s.rdb, []string{s.key(nsOrDefault(ns), "lease", name)}, token).Err()
	return s.wrap("release lease", err)
}

// TakeToken implements Store.
func (s *redisStore) TakeToken(ctx context.Context, ns, name string, rate float64, burst int) (time.Duration, error) {
	if err := checkQuotaName("bucket", name); err != nil {
		return 0, err
	}
	if err := checkRate(rate, burst); err != nil {
		return 0, err
	}
	ms, err := takeTokenScript.Run(ctx, s.rdb, []string{s.key(nsOrDefault(ns), "bucket", name)}, strconv.FormatFloat(rate, 'g', -1, 64), burst).Int64()
	if err != nil {
		return 0, s.wrap("take token", err)
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// AcquireSlot implements Store.
func (s *redisStore) AcquireSlot(ctx context.Context, ns, name string, limit int, ttl time.Duration) (string, bool, error) {
	if err := checkQuotaName("semaphore", name); err != nil {
		return "", false, err
	}
	token := newToken()
	n, err := acquireSlotScript.Run(ctx, s.rdb, []string{s.key(nsOrDefault(ns), "slots", name)}, token, limit, ttlMillis(ttl)).Int64()
	if err != nil {
		return "", false, s.wrap("acquire slot", err)
	}
	if n != 1 {
		return "", false, nil
	}
	return token, true, nil
}

// ReleaseSlot implements Store.
func (s *redisStore) ReleaseSlot(ctx context.Context, ns, name, token string) error {
	return s.wrap("release slot", s.rdb.ZRem(ctx, s.key(nsOrDefault(ns), "slots", name), token).Err())
}

// AddSpend implements Store.
func (s *redisStore) AddSpend(ctx context.Context, ns, day string, cost float64, calls int64) (Spend, error) {
	if err := checkDay(day); err != nil {
		return Spend{}, err
	}
	if math.IsNaN(cost) || math.IsInf(cost, 0) {
		return Spend{}, &ValidationError{Kind: "spend", Name: day, Fields: []FieldError{{Field: "cost", Message: "not a finite number"}}}
	}
	key := s.key(nsOrDefault(ns), "spend", day)
	if cost == 0 && calls == 0 {
		vals, err := s.rdb.HMGet(ctx, key, "cost", "calls").Result()
		if err != nil {
			return Spend{}, s.wrap("read spend", err)
		}
		var sp Spend
		if v, ok := vals[0].(string); ok {
			sp.Cost, _ = strconv.ParseFloat(v, 64)
		}
		if v, ok := vals[1].(string); ok {
			sp.Calls, _ = strconv.ParseInt(v, 10, 64)
		}
		return sp, nil
	}
	var c *redis.FloatCmd
	var n *redis.IntCmd
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		c = p.HIncrByFloat(ctx, key, "cost", cost)
		n = p.HIncrBy(ctx, key, "calls", calls)
		p.Expire(ctx, key, SpendRetention)
		return nil
	})
	if err != nil {
		return Spend{}, s.wrap("add spend", err)
	}
	return Spend{Cost: c.Val(), Calls: n.Val()}, nil
}

// checkRate rejects a bucket that never refills or holds nothing.
func checkRate(rate float64, burst int) error {
	if !(rate > 0) || math.IsInf(rate, 0) || burst < 1 {
		return errors.New("registry: a token bucket needs a positive rate and a burst of at least 1")
	}
	return nil
}
