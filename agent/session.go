package agent

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// errStateTooLarge is encode's error for a state over the budget even
// after compacting: run then stops the request (stopOversized).
var errStateTooLarge = errors.New("agent: the session state would exceed its budget")

// newNonce returns a random identifier.
func newNonce() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// read returns a stored session and its state; a *registry.NotFoundError
// when there is none.
func (a *Agent) read(ctx context.Context, id string) (*registry.Session, *State, error) {
	sess, err := a.opts.Store.GetSession(ctx, a.opts.Namespace, id)
	if err != nil {
		return nil, nil, err
	}
	var st State
	if len(sess.State) > 0 {
		if err := json.Unmarshal(sess.State, &st); err != nil {
			return sess, nil, fmt.Errorf("agent: session %s: %w", id, err)
		}
	}
	return sess, &st, nil
}

// load returns the session to run a turn on: the stored one, or a new one.
// A stored state that does not decode is replaced by an idle one (and
// logged), so a session always answers.
func (a *Agent) load(ctx context.Context, id string) (*registry.Session, *State, error) {
	sess, st, err := a.read(ctx, id)
	var nf *registry.NotFoundError
	switch {
	case errors.As(err, &nf):
		return &registry.Session{ID: id, Namespace: a.opts.Namespace}, &State{}, nil
	case sess != nil && err != nil:
		a.log.Error("session state unreadable; starting afresh", "session", id, "err", err)
		return sess, &State{}, nil
	case err != nil:
		return nil, nil, fmt.Errorf("agent: load session: %w", err)
	}
	return sess, st, nil
}

// save writes the turn's state over the version it read, with the history
// events recorded since the last save, in one transaction.
func (t *turn) save(ctx context.Context) error {
	if t.lost != nil && t.lost() {
		return t.conflict(ctx)
	}
	for attempt := 0; ; attempt++ {
		raw, err := t.encode()
		if err != nil {
			return err
		}
		sess := *t.sess
		sess.State = raw
		err = t.a.opts.Store.SaveSession(ctx, &sess, t.a.opts.SessionTTL, t.version, t.events...)
		if err == nil {
			t.sess, t.version, t.events = &sess, sess.Version, nil
			return nil
		}
		var vc *registry.VersionConflictError
		if !errors.As(err, &vc) {
			// The write may still land (a timeout): remember it, so that a
			// later conflict with it is recognised as this turn's own.
			t.tried[t.st.Writer] = len(t.events)
			return fmt.Errorf("agent: save session: %w", err)
		}
		cur, st, rerr := t.a.read(ctx, t.id)
		n, ours := t.tried[stWriter(st)]
		if rerr != nil || !ours || attempt > 0 {
			return t.conflict(ctx)
		}
		// An earlier save of this turn landed after reporting a failure:
		// this state extends it; save again over it, without the events
		// it appended.
		t.sess, t.version, t.events = cur, cur.Version, t.events[min(n, len(t.events)):]
	}
}

// stWriter returns the writer of st ("" for none).
func stWriter(st *State) string {
	if st == nil {
		return ""
	}
	return st.Writer
}

// saveOutcome saves the state after a call with side effects was made,
// retrying while the store is unavailable (for up to a LeaseTTL, even when
// the turn's context ended), so that the outcome is not lost to an outage.
func (t *turn) saveOutcome(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), t.a.opts.LeaseTTL)
	defer cancel()
	delay := 50 * time.Millisecond
	for {
		err := t.save(ctx)
		var ue *registry.UnavailableError
		if err == nil || !errors.As(err, &ue) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(delay):
		}
		delay = min(2*delay, time.Second)
	}
}

// conflict handles a save that lost to another writer (this turn's lease
// was lost): it re-reads the session, writes into it the outcomes this turn
// learnt of calls that the stored state still has in doubt, and reports a
// *BusyError. Nothing else of the turn is kept.
func (t *turn) conflict(ctx context.Context) error {
	for attempt := 0; attempt < 5; attempt++ {
		sess, fresh, err := t.a.read(ctx, t.id)
		if err != nil {
			return fmt.Errorf("agent: re-read session after a conflict: %w", err)
		}
		merged := false
		for _, c := range t.st.Calls {
			if !c.SideEffect || !c.settled() || c.State == CallSkipped {
				continue
			}
			if fc := fresh.call(c.Key); fc != nil && !fc.settled() {
				*fc = c
				merged = true
			}
		}
		if !merged {
			return &BusyError{Session: t.id, State: fresh, Conflict: true}
		}
		raw, err := json.Marshal(fresh)
		if err != nil {
			return err
		}
		expect := sess.Version
		sess.State = raw
		err = t.a.opts.Store.SaveSession(ctx, sess, t.a.opts.SessionTTL, expect)
		var vc *registry.VersionConflictError
		if errors.As(err, &vc) {
			continue
		}
		if err != nil {
			return fmt.Errorf("agent: save session: %w", err)
		}
		return &BusyError{Session: t.id, State: fresh, Conflict: true}
	}
	return &BusyError{Session: t.id, Conflict: true}
}

// encode returns the state as JSON within the budget: past the budget it
// drops the oldest recent events and the finished requests' calls, and
// when that is not enough it stops the request (shrink) and reports
// errStateTooLarge after saving what is left.
func (t *turn) encode() ([]byte, error) {
	t.st.Writer = fmt.Sprintf("%s:%d", t.a.writer, t.a.saves.Add(1))
	raw, err := json.Marshal(t.st)
	if err != nil {
		return nil, fmt.Errorf("agent: encode session: %w", err)
	}
	if len(raw) <= t.a.opts.StateBudget {
		return raw, nil
	}
	t.compact()
	if raw, err = json.Marshal(t.st); err != nil || len(raw) <= t.a.opts.StateBudget {
		return raw, err
	}
	if t.shrunk {
		return nil, fmt.Errorf("agent: the session state needs %d bytes even without results, over its budget of %d", len(raw), t.a.opts.StateBudget)
	}
	return nil, errStateTooLarge
}

// compact makes the state smaller without losing anything a later turn
// needs: fewer recent events (the store's log has them all), no remembered
// replies, and no calls of earlier requests.
func (t *turn) compact() {
	if n := len(t.st.History) - 8; n > 0 {
		t.st.History = append([]Event(nil), t.st.History[n:]...)
	}
	t.st.Replies = nil
	kept := t.st.Calls[:0]
	for _, c := range t.st.Calls {
		if c.Request == t.st.Requests || !c.settled() {
			kept = append(kept, c)
		}
	}
	t.st.Calls = kept
}
