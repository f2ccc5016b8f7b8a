package registrytest

import (
	"context"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/toolsmith-dev/toolsmith/internal/testenv"
	"github.com/toolsmith-dev/toolsmith/registry"
)

func TestBoth(t *testing.T) {
	Both(t, func(t *testing.T, s registry.Store) {
		ctx := context.Background()
		if err := s.PutAPI(ctx, registry.API{Name: "A"}); err != nil {
			t.Fatal(err)
		}
		apis, err := s.ListAPIs(ctx, "")
		if err != nil || len(apis) != 1 {
			t.Fatalf("a fresh store holds %d APIs, %v", len(apis), err)
		}
	})
}

// TestRedisCleansUp checks that the keys a test's store wrote are gone after
// the test.
func TestRedisCleansUp(t *testing.T) {
	opt, err := redis.ParseURL(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	ctx := context.Background()
	count := func(prefix string) int {
		n := 0
		iter := rdb.Scan(ctx, 0, "{"+prefix+":*", 1000).Iterator()
		for iter.Next(ctx) {
			n++
		}
		return n
	}
	var prefix string
	t.Run("writes", func(t *testing.T) {
		var s registry.Store
		s, prefix = openRedis(t)
		if err := s.PutAPI(ctx, registry.API{Name: "B"}); err != nil {
			t.Fatal(err)
		}
		if n := count(prefix); n == 0 {
			t.Fatal("no keys written under the prefix")
		}
	})
	if n := count(prefix); n != 0 {
		t.Fatalf("%d keys of %s left behind", n, prefix)
	}
}
