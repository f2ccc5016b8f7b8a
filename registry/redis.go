package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisStore is the Redis backend. Keys of namespace ns all start with the
// hash tag "{prefix:ns}" so a namespace lives in one cluster slot:
//
//	{p:ns}:ver:<collection>      version counter (string)
//	{p:ns}:tool:<name>           tool meta (hash: latest, current, removed, family)
//	{p:ns}:toolv:<name>:<n>      tool version n (JSON)
//	{p:ns}:stats:<name>          call counters (hash: calls, failures, last, b<bucket>)
//	{p:ns}:tools                 tool names (set)
//	{p:ns}:family-tools:<family> names of tools whose current version is of family (set)
//	{p:ns}:api:<name>, {p:ns}:apis              APIs (JSON) and their names (set)
//	{p:ns}:family:<name>, {p:ns}:families       families (JSON) and names (set)
//	{p:ns}:policy:<name>, {p:ns}:policies       policies (JSON) and names (set)
//	{p:ns}:session:<id>, {p:ns}:plan:<key>      JSON with a TTL
//	{p:ns}:changes               pub/sub channel of Change messages
type redisStore struct {
	rdb    *redis.Client
	prefix string
	addr   string
	log    *slog.Logger
}

// maxTxAttempts bounds WATCH/MULTI retries under contention.
const maxTxAttempts = 200

func (s *redisStore) key(ns string, parts ...string) string {
	return "{" + s.prefix + ":" + ns + "}:" + strings.Join(parts, ":")
}

func (s *redisStore) verKey(ns string, c Collection) string { return s.key(ns, "ver", string(c)) }

// wrap turns connection failures into *UnavailableError and annotates others.
func (s *redisStore) wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var ve *ValidationError
	var nf *NotFoundError
	if errors.As(err, &ve) || errors.As(err, &nf) || errors.Is(err, ErrConflict) {
		return err
	}
	if isConnErr(err) {
		return &UnavailableError{Backend: "redis", Addr: s.addr, Err: fmt.Errorf("%s: %w", op, err)}
	}
	return fmt.Errorf("redis %s: %w", op, err)
}

// isConnErr reports whether err comes from a broken or unreachable connection.
func isConnErr(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, redis.ErrClosed) ||
		errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "connection pool timeout")
}

// tx runs fn under WATCH keys, retrying when a watched key changed.
func (s *redisStore) tx(ctx context.Context, fn func(*redis.Tx) error, keys ...string) error {
	for attempt := 0; attempt < maxTxAttempts; attempt++ {
		err := s.rdb.Watch(ctx, fn, keys...)
		if !errors.Is(err, redis.TxFailedErr) {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		// Back off a little, with jitter, so writers stop colliding.
		time.Sleep(time.Duration(rand.IntN(200*(1+min(attempt, 20)))) * time.Microsecond)
	}
	return ErrConflict
}

// publish announces a change; the write already happened, so a failure is
// only logged (subscribers catch up with Version).
func (s *redisStore) publish(ctx context.Context, ch Change) {
	b, _ := json.Marshal(ch)
	if err := s.rdb.Publish(ctx, s.key(ch.Namespace, "changes"), b).Err(); err != nil {
		s.log.Warn("registry: publish change", "collection", ch.Collection, "name", ch.Name, "err", err)
	}
}

// Version implements Store.
func (s *redisStore) Version(ctx context.Context, ns string, c Collection) (uint64, error) {
	ns = nsOrDefault(ns)
	v, err := s.rdb.Get(ctx, s.verKey(ns, c)).Uint64()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	return v, s.wrap("version", err)
}

// Subscribe implements Store.
func (s *redisStore) Subscribe(ctx context.Context, ns string) (<-chan Change, error) {
	ns = nsOrDefault(ns)
	ps := s.rdb.Subscribe(ctx, s.key(ns, "changes"))
	// Wait for the subscription to be confirmed so that later writes are seen.
	if _, err := ps.Receive(ctx); err != nil {
		ps.Close()
		return nil, s.wrap("subscribe", err)
	}
	out := make(chan Change, 256)
	go func() {
		defer close(out)
		defer ps.Close()
		msgs := ps.Channel()
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-msgs:
				if !ok {
					return
				}
				var ch Change
				if err := json.Unmarshal([]byte(m.Payload), &ch); err != nil {
					continue
				}
				select {
				case out <- ch:
				default: // a slow receiver loses changes, never blocks
				}
			}
		}
	}()
	return out, nil
}

// Close implements Store.
func (s *redisStore) Close() error { return s.rdb.Close() }

// getJSON reads a JSON value; redis.Nil becomes a *NotFoundError.
func (s *redisStore) getJSON(ctx context.Context, key string, nf *NotFoundError) ([]byte, error) {
	b, err := s.rdb.Get(ctx, key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nf
	}
	if err != nil {
		return nil, s.wrap("get "+nf.Kind, err)
	}
	return b, nil
}

// sortedMembers returns a set's members sorted.
func (s *redisStore) sortedMembers(ctx context.Context, key string) ([]string, error) {
	names, err := s.rdb.SMembers(ctx, key).Result()
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	return names, nil
}

// mgetChunked reads many keys of one slot in chunks.
func (s *redisStore) mgetChunked(ctx context.Context, keys []string) ([]any, error) {
	const chunk = 1000
	var out []any
	for i := 0; i < len(keys); i += chunk {
		vals, err := s.rdb.MGet(ctx, keys[i:min(i+chunk, len(keys))]...).Result()
		if err != nil {
			return nil, err
		}
		out = append(out, vals...)
	}
	return out, nil
}

func itoa(n int) string { return strconv.Itoa(n) }
