package registry

import (
	"encoding/json"
	"fmt"
	"time"
)

// MaxHistoryEvents bounds a session's history log: the newest entries are
// kept, older ones are dropped.
const MaxHistoryEvents = 10_000

// Session is an agent conversation's state. The registry does not interpret
// State: the agent stores whatever it needs (messages, plan, step results,
// the pending question) as JSON. Meta holds small string attributes such as
// the user or the channel.
type Session struct {
	SchemaVersion int    `json:"schema_version"`
	ID            string `json:"id"`
	// Version counts the writes of the session: every write sets it to the
	// stored version plus one, and SaveSession writes only over the version
	// its caller read (optimistic concurrency).
	Version   uint64            `json:"version,omitempty"`
	Namespace string            `json:"namespace,omitempty"`
	State     json.RawMessage   `json:"state,omitempty"`
	Meta      map[string]string `json:"meta,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
	// ExpiresAt is set by PutSession from its TTL.
	ExpiresAt time.Time `json:"expires_at"`
}

// Validate checks the record and returns a *ValidationError or nil.
func (s *Session) Validate() error {
	var fe fieldErrors
	if !validID(s.ID) {
		fe.add("id", "%q: use 1 to 128 letters, digits, '_', '.' and '-'", s.ID)
	}
	checkNamespace(&fe, s.Namespace)
	if len(s.State) > MaxSessionState {
		fe.add("state", "%d bytes exceeds the limit of %d", len(s.State), MaxSessionState)
	} else if len(s.State) > 0 && !json.Valid(s.State) {
		fe.add("state", "not valid JSON")
	}
	if len(s.Meta) > MaxMetaEntries {
		fe.add("meta", "%d entries exceed the limit of %d", len(s.Meta), MaxMetaEntries)
	}
	for k, v := range s.Meta {
		if len(k)+len(v) > MaxDescriptionLen {
			fe.add("meta["+k+"]", "entry longer than %d bytes", MaxDescriptionLen)
		}
	}
	return fe.err("session", s.ID)
}

// VersionConflictError reports that a session was written by someone else
// since its writer read it: the stored version is not the one expected. The
// writer re-reads the session and decides what to do.
type VersionConflictError struct {
	Namespace, ID string
	// Expected is the version the writer read; Stored the version found
	// (0: the session no longer exists).
	Expected, Stored uint64
}

// Error implements error.
func (e *VersionConflictError) Error() string {
	return fmt.Sprintf("session %q in namespace %q changed: version %d expected, %d stored", e.ID, e.Namespace, e.Expected, e.Stored)
}

// HistoryPage is a page of a session's history log.
type HistoryPage struct {
	// Events are the entries from index Start on, oldest first.
	Events []json.RawMessage `json:"events"`
	// Start is the index of Events[0]. It is above the index asked for when
	// older entries were dropped (the log keeps the newest
	// MaxHistoryEvents).
	Start int `json:"start"`
	// Total counts every entry ever appended: the page reaches the end of
	// the log when Start+len(Events) == Total.
	Total int `json:"total"`
}

// sessionUpdate checks and prepares the write of sess over a stored session
// of version have (0: none): it fails with a *VersionConflictError unless
// expect is have, then sets the version, times and schema version and
// validates, as of now. It returns the effective TTL.
func sessionUpdate(sess *Session, now time.Time, ttl time.Duration, expect, have uint64) (time.Duration, error) {
	if expect != have {
		return 0, &VersionConflictError{Namespace: nsOrDefault(sess.Namespace), ID: sess.ID, Expected: expect, Stored: have}
	}
	sess.Version = have + 1
	ttl = prepareSession(sess, now, ttl)
	return ttl, sess.Validate()
}

// ValidSessionID reports whether s is acceptable as a session id: 1 to 128
// letters, digits, '_', '.' and '-'.
func ValidSessionID(s string) bool { return validID(s) }

// encodeSession encodes a validated session. Its state, valid JSON already,
// is spliced in as it is rather than compacted again: a session is written
// at every step of a turn.
func encodeSession(s *Session) ([]byte, error) {
	head := *s
	head.State = nil
	b, err := json.Marshal(&head)
	if err != nil {
		return nil, fmt.Errorf("encode session %q: %w", s.ID, err)
	}
	if len(s.State) > 0 {
		b = append(b[:len(b)-1], `,"state":`...)
		b = append(append(b, s.State...), '}')
	}
	if len(b) > MaxRecordBytes {
		return nil, &ValidationError{Kind: "session", Name: s.ID, Fields: []FieldError{{
			Field: "record", Message: fmt.Sprintf("encoded size %d exceeds the limit of %d", len(b), MaxRecordBytes)}}}
	}
	return b, nil
}
