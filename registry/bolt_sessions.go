package registry

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Sessions on bbolt: the record in the sessions bucket; its history log in
// two more buckets of the namespace, removed with the session:
//
//	history   id 0x00 index (8 bytes, big endian) -> entry
//	histn     id -> entries ever appended (8 bytes, big endian)
var (
	bHistory = []byte("history")
	bHistN   = []byte("histn")
)

// historyKey is the key of entry i of session id's log.
func historyKey(id string, i uint64) []byte {
	k := make([]byte, len(id)+9)
	copy(k, id)
	binary.BigEndian.PutUint64(k[len(id)+1:], i)
	return k
}

// storedSessionTx returns the live session id of root's namespace, or nil.
func storedSessionTx(b *bolt.Bucket, id string, now time.Time) (*Session, error) {
	if b == nil {
		return nil, nil
	}
	v := b.Get([]byte(id))
	if v == nil || expired(v, now) {
		return nil, nil
	}
	return decodeRecord[Session]("session", id, v)
}

// dropHistory deletes session id's history log from a namespace bucket.
func dropHistory(root *bolt.Bucket, id string) error {
	if n := root.Bucket(bHistN); n != nil {
		if err := n.Delete([]byte(id)); err != nil {
			return err
		}
	}
	h := root.Bucket(bHistory)
	if h == nil {
		return nil
	}
	prefix := append([]byte(id), 0)
	c := h.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Seek(prefix) {
		if err := h.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// writeSession writes sess over the stored version expect (any when
// expect is negative) and appends events to its log, inside tx, at now.
func writeSession(tx *bolt.Tx, now time.Time, sess *Session, ttl time.Duration, expect int64, events []json.RawMessage) error {
	ns := sess.Namespace
	root, err := tx.CreateBucketIfNotExists(nsBucketName(ns))
	if err != nil {
		return err
	}
	b, err := root.CreateBucketIfNotExists(bSessions)
	if err != nil {
		return err
	}
	cur, err := storedSessionTx(b, sess.ID, now)
	if err != nil {
		return err
	}
	var have uint64
	if cur != nil {
		have = cur.Version
	} else if err := dropHistory(root, sess.ID); err != nil { // of an expired session
		return err
	}
	want := have
	if expect >= 0 {
		want = uint64(expect)
	}
	if _, err := sessionUpdate(sess, now, ttl, want, have); err != nil {
		return err
	}
	v, err := encodeSession(sess)
	if err != nil {
		return err
	}
	if err := b.Put([]byte(sess.ID), v); err != nil {
		return err
	}
	if len(events) == 0 {
		return nil
	}
	h, err := root.CreateBucketIfNotExists(bHistory)
	if err != nil {
		return err
	}
	hn, err := root.CreateBucketIfNotExists(bHistN)
	if err != nil {
		return err
	}
	var n uint64
	if cur := hn.Get([]byte(sess.ID)); len(cur) == 8 {
		n = binary.BigEndian.Uint64(cur)
	}
	for _, e := range events {
		if err := h.Put(historyKey(sess.ID, n), e); err != nil {
			return err
		}
		n++
	}
	// Keep the newest MaxHistoryEvents: drop those the appends pushed out.
	for i := int64(n) - int64(len(events)) - MaxHistoryEvents; i < int64(n)-MaxHistoryEvents; i++ {
		if i >= 0 {
			if err := h.Delete(historyKey(sess.ID, uint64(i))); err != nil {
				return err
			}
		}
	}
	var enc [8]byte
	binary.BigEndian.PutUint64(enc[:], n)
	return hn.Put([]byte(sess.ID), enc[:])
}

// SaveSession implements Store.
func (s *boltStore) SaveSession(ctx context.Context, sess *Session, ttl time.Duration, expect uint64, events ...json.RawMessage) error {
	sess.Namespace = nsOrDefault(sess.Namespace)
	err := s.update(ctx, sess.Namespace, CollSessions, sess.ID, func(tx *bolt.Tx) error {
		return writeSession(tx, s.now(), sess, ttl, int64(expect), events)
	})
	if err != nil {
		sess.Version = expect
	}
	return err
}

// PutSession implements Store.
func (s *boltStore) PutSession(ctx context.Context, sess *Session, ttl time.Duration) error {
	sess.Namespace = nsOrDefault(sess.Namespace)
	return s.update(ctx, sess.Namespace, CollSessions, sess.ID, func(tx *bolt.Tx) error {
		return writeSession(tx, s.now(), sess, ttl, -1, nil)
	})
}

// UpdateSession implements Store.
func (s *boltStore) UpdateSession(ctx context.Context, ns, id string, ttl time.Duration, fn func(*Session) error) (*Session, error) {
	ns = nsOrDefault(ns)
	var out *Session
	err := s.update(ctx, ns, CollSessions, id, func(tx *bolt.Tx) error {
		sess, err := storedSessionTx(bucket(tx, ns, bSessions), id, s.now())
		if err != nil {
			return err
		}
		if sess == nil {
			sess = &Session{ID: id, Namespace: ns}
		}
		if err := fn(sess); err != nil {
			return &abortError{err}
		}
		sess.ID, sess.Namespace = id, ns
		if err := writeSession(tx, s.now(), sess, ttl, -1, nil); err != nil {
			return err
		}
		out = sess
		return nil
	})
	var ab *abortError
	if errors.As(err, &ab) {
		return nil, ab.err
	}
	return out, err
}

// DeleteSession implements Store.
func (s *boltStore) DeleteSession(ctx context.Context, ns, id string) error {
	ns = nsOrDefault(ns)
	return s.update(ctx, ns, CollSessions, id, func(tx *bolt.Tx) error {
		root := tx.Bucket(nsBucketName(ns))
		var b *bolt.Bucket
		if root != nil {
			b = root.Bucket(bSessions)
		}
		if cur, err := storedSessionTx(b, id, s.now()); err != nil || cur == nil {
			if err == nil {
				err = &NotFoundError{Kind: "session", Namespace: ns, Name: id}
			}
			return err
		}
		if err := b.Delete([]byte(id)); err != nil {
			return err
		}
		return dropHistory(root, id)
	})
}

// SessionHistory implements Store.
func (s *boltStore) SessionHistory(ctx context.Context, ns, id string, from, limit int) (HistoryPage, error) {
	ns = nsOrDefault(ns)
	page := HistoryPage{Events: []json.RawMessage{}}
	err := s.view(ctx, func(tx *bolt.Tx) error {
		root := tx.Bucket(nsBucketName(ns))
		if root == nil {
			return nil
		}
		if cur, err := storedSessionTx(root.Bucket(bSessions), id, s.now()); err != nil || cur == nil {
			return err
		}
		hn, h := root.Bucket(bHistN), root.Bucket(bHistory)
		if hn == nil || h == nil {
			return nil
		}
		if cur := hn.Get([]byte(id)); len(cur) == 8 {
			page.Total = int(binary.BigEndian.Uint64(cur))
		}
		page.Start = max(from, page.Total-MaxHistoryEvents, 0)
		prefix := append([]byte(id), 0)
		c := h.Cursor()
		for k, v := c.Seek(historyKey(id, uint64(page.Start))); k != nil && bytes.HasPrefix(k, prefix) && len(page.Events) < limit; k, v = c.Next() {
			page.Events = append(page.Events, append(json.RawMessage(nil), v...))
		}
		return nil
	})
	return page, err
}
