// Package registrytest opens isolated registry stores for tests of packages
// built on the registry: a bbolt file in the test's temporary directory, or
// a Redis store under a key prefix of its own that is deleted when the test
// ends, so tests of many packages can share one Redis.
package registrytest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"path/filepath"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/toolsmith-dev/toolsmith/internal/testenv"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// Bolt opens a bbolt store in a fresh temporary directory, closed when the
// test ends.
func Bolt(tb testing.TB) registry.Store {
	tb.Helper()
	s, err := registry.Open(context.Background(), filepath.Join(tb.TempDir(), "toolsmith.db"), registry.Options{NoSync: true})
	if err != nil {
		tb.Fatalf("registrytest: open bbolt: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// Redis opens a Redis store at testenv.RedisURL under a unique key prefix
// and deletes every key of that prefix when the test ends. When Redis is not
// reachable the test is skipped with the reason, unless $CI is set, when it
// fails.
func Redis(tb testing.TB) registry.Store {
	tb.Helper()
	s, _ := openRedis(tb)
	return s
}

// openRedis is Redis, also returning the key prefix.
func openRedis(tb testing.TB) (registry.Store, string) {
	tb.Helper()
	url := testenv.RedisURL(tb)
	var b [6]byte
	_, _ = rand.Read(b[:])
	prefix := "test-" + hex.EncodeToString(b[:])
	s, err := registry.Open(context.Background(), url, registry.Options{Prefix: prefix, DialTimeout: time.Second})
	if err != nil {
		tb.Fatalf("registrytest: %v", err)
	}
	tb.Cleanup(func() {
		s.Close()
		if err := purge(url, prefix); err != nil {
			tb.Logf("registrytest: delete keys of %s: %v", prefix, err)
		}
	})
	return s, prefix
}

// Both runs fn as a subtest against a bbolt store and a Redis store.
func Both(t *testing.T, fn func(t *testing.T, s registry.Store)) {
	t.Run("bbolt", func(t *testing.T) { fn(t, Bolt(t)) })
	t.Run("redis", func(t *testing.T) { fn(t, Redis(t)) })
}

// purge deletes the keys of a prefix (all carry the hash tag "{prefix:ns}").
func purge(url, prefix string) error {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return err
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	iter := rdb.Scan(ctx, 0, "{"+prefix+":*", 1000).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		return err
	}
	for i := 0; i < len(keys); i += 500 {
		if err := rdb.Del(ctx, keys[i:min(i+500, len(keys))]...).Err(); err != nil {
			return err
		}
	}
	return nil
}
