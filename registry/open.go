package registry

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Options tune Open. The zero value is ready to use.
type Options struct {
	// Prefix starts every Redis key (inside the hash tag); default
	// "toolsmith". Tests use a unique prefix each.
	Prefix string
	// DialTimeout bounds connecting to Redis, including Open's first
	// round trip; default 2s.
	DialTimeout time.Duration
	// IOTimeout bounds each Redis read or write; default 3s.
	IOTimeout time.Duration
	// PoolSize is the Redis connection pool size; default go-redis's.
	PoolSize int
	// LockTimeout bounds waiting for another process's lock on a bbolt
	// file; default 2s.
	LockTimeout time.Duration
	// NoSync skips fsync after bbolt commits (tests and benchmarks only).
	NoSync bool
	// Logger receives warnings; default slog.Default().
	Logger *slog.Logger
	// Clock returns the current time against which the bbolt backend
	// computes and checks expiry (sessions, plan cache entries, leases,
	// token buckets, slots); default time.Now. Tests set it to move time
	// without sleeping. Redis keeps its own time (key TTLs) and ignores it.
	Clock func() time.Time
}

// IsRedisURL reports whether target selects the Redis backend.
func IsRedisURL(target string) bool {
	return strings.HasPrefix(target, "redis://") || strings.HasPrefix(target, "rediss://") ||
		strings.HasPrefix(target, "unix://")
}

// Open opens the store target names: "redis://[user:password@]host:port/db"
// (or rediss:// for TLS) selects Redis, "bbolt://PATH" or any other string
// is the path of a bbolt file, created when absent (its directory must
// exist). An unreachable Redis gives a *UnavailableError within
// opts.DialTimeout; a bbolt file locked by another process gives one within
// opts.LockTimeout.
func Open(ctx context.Context, target string, opts Options) (Store, error) {
	if target == "" {
		return nil, errors.New("open store: empty target")
	}
	if IsRedisURL(target) {
		return openRedis(ctx, target, opts)
	}
	path := strings.TrimPrefix(target, "bbolt://")
	path = strings.TrimPrefix(path, "file://")
	return openBolt(ctx, path, opts)
}

func openRedis(ctx context.Context, target string, opts Options) (*redisStore, error) {
	ro, err := redis.ParseURL(target)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", Redact(target), err)
	}
	dial := opts.DialTimeout
	if dial <= 0 {
		dial = 2 * time.Second
	}
	io := opts.IOTimeout
	if io <= 0 {
		io = 3 * time.Second
	}
	ro.DialTimeout = dial
	ro.DialerRetries = 1
	ro.ReadTimeout, ro.WriteTimeout = io, io
	ro.PoolTimeout = io + dial
	// Failures are reported, never retried behind the caller's back: a
	// retried MULTI/EXEC whose reply was lost could apply twice.
	ro.MaxRetries = -1
	ro.ContextTimeoutEnabled = true
	if opts.PoolSize > 0 {
		ro.PoolSize = opts.PoolSize
	}
	prefix := opts.Prefix
	if prefix == "" {
		prefix = "toolsmith"
	}
	if strings.ContainsAny(prefix, "{}") {
		return nil, fmt.Errorf("open store: prefix %q contains a brace", prefix)
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	s := &redisStore{rdb: redis.NewClient(ro), prefix: prefix, addr: ro.Addr, log: log}
	pctx, cancel := context.WithTimeout(ctx, dial)
	defer cancel()
	if err := s.rdb.Ping(pctx).Err(); err != nil {
		s.rdb.Close()
		return nil, &UnavailableError{Backend: "redis", Addr: ro.Addr, Err: err}
	}
	return s, nil
}

// Redact returns target with any password replaced by "xxxxx", for logs and
// `toolsmith config`.
func Redact(target string) string {
	u, err := url.Parse(target)
	if err != nil {
		// Unparsable: hide whatever stands between "//" and "@".
		if i, j := strings.Index(target, "//"), strings.LastIndex(target, "@"); i >= 0 && j > i {
			return target[:i+2] + "xxxxx" + target[j:]
		}
		return target
	}
	if u.User == nil {
		return target
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
