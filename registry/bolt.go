package registry

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// boltStore is the embedded backend: one bbolt file, a top-level bucket per
// namespace ("ns:<ns>") holding the buckets below. Every write is one bbolt
// transaction, so it is atomic and serialised with the others.
//
//	tools     name -> toolMeta (JSON)
//	toolv     name 0x00 version (8 bytes, big endian) -> Tool (JSON)
//	stats     name -> ToolStats (JSON)
//	apis      name -> API (JSON)
//	families  name -> Family (JSON)
//	policies  name -> Policy (JSON)
//	settings  "settings" -> Settings (JSON)
//	sessions  id -> Session (JSON, with ExpiresAt); history, histn: its log
//	spend     day -> Spend (JSON)
//	plans     key -> PlanCacheEntry (JSON, with ExpiresAt)
//	ver       collection -> version (8 bytes, big endian)
type boltStore struct {
	db   *bolt.DB
	path string
	hub  hub
	// quota holds leases, token buckets and semaphores: only this process
	// uses the file (its lock), so memory is where they belong.
	quota memQuota
	// clock is Options.Clock: the time expiry is computed against.
	clock func() time.Time
}

// now is the store's current time (Options.Clock, else time.Now).
func (s *boltStore) now() time.Time {
	if s.clock != nil {
		return s.clock()
	}
	return time.Now()
}

var (
	bTools    = []byte("tools")
	bToolV    = []byte("toolv")
	bStats    = []byte("stats")
	bAPIs     = []byte("apis")
	bFamilies = []byte("families")
	bSessions = []byte("sessions")
	bPlans    = []byte("plans")
	bVer      = []byte("ver")
)

func nsBucketName(ns string) []byte { return []byte("ns:" + ns) }

// openBolt opens (creating when absent) the bbolt file at path.
func openBolt(ctx context.Context, path string, opts Options) (*boltStore, error) {
	lock := opts.LockTimeout
	if lock <= 0 {
		lock = 2 * time.Second
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < lock {
		lock = max(time.Until(dl), time.Millisecond)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: lock, NoSync: opts.NoSync, NoFreelistSync: true})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, &UnavailableError{Backend: "bbolt", Addr: path, Err: fmt.Errorf("file locked by another process: %w", err)}
		}
		return nil, fmt.Errorf("open bbolt store %s: %w", path, err)
	}
	// RecordCall batches concurrent updates; a lone caller waits out the
	// whole batch delay, so keep it short (the default is 10 ms).
	db.MaxBatchDelay = 2 * time.Millisecond
	s := &boltStore{db: db, path: path, clock: opts.Clock}
	if err := s.purgeExpired(s.now()); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// bucket returns the sub-bucket of namespace ns, or nil when absent
// (read-only transactions).
func bucket(tx *bolt.Tx, ns string, name []byte) *bolt.Bucket {
	root := tx.Bucket(nsBucketName(ns))
	if root == nil {
		return nil
	}
	return root.Bucket(name)
}

// wbucket returns the sub-bucket of namespace ns, creating it as needed.
func wbucket(tx *bolt.Tx, ns string, name []byte) (*bolt.Bucket, error) {
	root, err := tx.CreateBucketIfNotExists(nsBucketName(ns))
	if err != nil {
		return nil, err
	}
	return root.CreateBucketIfNotExists(name)
}

// bump increments a collection's version inside tx and returns it.
func bump(tx *bolt.Tx, ns string, c Collection) (uint64, error) {
	b, err := wbucket(tx, ns, bVer)
	if err != nil {
		return 0, err
	}
	v := uint64(0)
	if cur := b.Get([]byte(c)); len(cur) == 8 {
		v = binary.BigEndian.Uint64(cur)
	}
	v++
	var enc [8]byte
	binary.BigEndian.PutUint64(enc[:], v)
	return v, b.Put([]byte(c), enc[:])
}

// update runs fn in a write transaction that bumps collection c, then
// announces the change named name.
func (s *boltStore) update(ctx context.Context, ns string, c Collection, name string, fn func(tx *bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var v uint64
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		var err error
		v, err = bump(tx, ns, c)
		return err
	})
	if err != nil {
		return s.wrap(err)
	}
	s.hub.publish(Change{Namespace: ns, Collection: c, Name: name, Version: v})
	return nil
}

// view runs fn in a read transaction.
func (s *boltStore) view(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.wrap(s.db.View(fn))
}

func (s *boltStore) wrap(err error) error {
	if errors.Is(err, berrors.ErrDatabaseNotOpen) {
		return &UnavailableError{Backend: "bbolt", Addr: s.path, Err: err}
	}
	return err
}

// Version implements Store.
func (s *boltStore) Version(ctx context.Context, ns string, c Collection) (uint64, error) {
	ns = nsOrDefault(ns)
	var v uint64
	err := s.view(ctx, func(tx *bolt.Tx) error {
		if b := bucket(tx, ns, bVer); b != nil {
			if cur := b.Get([]byte(c)); len(cur) == 8 {
				v = binary.BigEndian.Uint64(cur)
			}
		}
		return nil
	})
	return v, err
}

// Subscribe implements Store. Only writes through this Store are seen.
func (s *boltStore) Subscribe(ctx context.Context, ns string) (<-chan Change, error) {
	return s.hub.subscribe(ctx, nsOrDefault(ns)), nil
}

// Close implements Store.
func (s *boltStore) Close() error {
	s.hub.closeAll()
	return s.db.Close()
}

// purgeExpired deletes expired sessions and plans of every namespace.
func (s *boltStore) purgeExpired(now time.Time) error {
	if s.db.IsReadOnly() {
		return nil
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		return tx.ForEach(func(_ []byte, root *bolt.Bucket) error {
			for _, name := range [][]byte{bSessions, bPlans} {
				b := root.Bucket(name)
				if b == nil {
					continue
				}
				var dead [][]byte
				_ = b.ForEach(func(k, v []byte) error {
					if expired(v, now) {
						dead = append(dead, append([]byte(nil), k...))
					}
					return nil
				})
				for _, k := range dead {
					if err := b.Delete(k); err != nil {
						return err
					}
					if bytes.Equal(name, bSessions) {
						if err := dropHistory(root, string(k)); err != nil {
							return err
						}
					}
				}
			}
			return nil
		})
	})
}

// hub fans changes out to the subscribers of one boltStore.
type hub struct {
	mu   sync.Mutex
	subs map[string]map[chan Change]struct{}
}

func (h *hub) subscribe(ctx context.Context, ns string) <-chan Change {
	ch := make(chan Change, 256)
	h.mu.Lock()
	if h.subs == nil {
		h.subs = map[string]map[chan Change]struct{}{}
	}
	if h.subs[ns] == nil {
		h.subs[ns] = map[chan Change]struct{}{}
	}
	h.subs[ns][ch] = struct{}{}
	h.mu.Unlock()
	go func() {
		<-ctx.Done()
		h.mu.Lock()
		defer h.mu.Unlock()
		if _, ok := h.subs[ns][ch]; ok {
			delete(h.subs[ns], ch)
			close(ch)
		}
	}()
	return ch
}

func (h *hub) publish(c Change) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs[c.Namespace] {
		select {
		case ch <- c:
		default:
		}
	}
}

func (h *hub) closeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ns, set := range h.subs {
		for ch := range set {
			close(ch)
		}
		delete(h.subs, ns)
	}
}
