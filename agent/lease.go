package agent

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Turns of one session never run at once: in a process, a lock per session;
// across processes sharing a store, a lease in the store.

// BusyError reports that another turn of the session is under way (on this
// replica or another) and did not finish in time, or that another turn wrote
// the session while this one ran. State is the session's state as last
// saved, when it could be read.
type BusyError struct {
	Session string
	State   *State
	// Conflict is set when this turn lost a race with another writer
	// instead of waiting for it; what the turn learnt of its calls was
	// merged into the state.
	Conflict bool
}

func (e *BusyError) Error() string {
	if e.Conflict {
		return fmt.Sprintf("agent: session %s was changed by another turn while this one ran; send the message again", e.Session)
	}
	return fmt.Sprintf("agent: session %s is busy with another turn; try again shortly", e.Session)
}

// sessionLock is held by the turn of a session under way in this process.
type sessionLock struct {
	held chan struct{} // holds a value while locked
	refs int
}

// lock serialises the turns of one session within this process (the lease
// does so across processes; the lock keeps local contention off the store).
// It waits up to LeaseWait, then fails with a *BusyError.
func (a *Agent) lock(ctx context.Context, id string) (func(), error) {
	a.mu.Lock()
	l := a.locks[id]
	if l == nil {
		l = &sessionLock{held: make(chan struct{}, 1)}
		a.locks[id] = l
	}
	l.refs++
	a.mu.Unlock()
	drop := func() {
		a.mu.Lock()
		if l.refs--; l.refs == 0 {
			delete(a.locks, id)
		}
		a.mu.Unlock()
	}
	wait := time.NewTimer(max(a.opts.LeaseWait, 0))
	defer wait.Stop()
	select {
	case l.held <- struct{}{}:
	case <-wait.C:
		drop()
		be := &BusyError{Session: id}
		be.State, _ = a.State(ctx, id)
		return nil, be
	case <-ctx.Done():
		drop()
		return nil, ctx.Err()
	}
	return func() {
		<-l.held
		drop()
	}, nil
}

// releaseWait is how long a turn waits for its lease to be given up before
// it replies anyway (the release goes on in the background).
const releaseWait = time.Second

// leaseName is the name of a session's lease in the store.
func leaseName(id string) string { return "session:" + id }

// lease takes the session's lease, waiting up to LeaseWait for another
// turn to give it up, and keeps renewing it until release is called. lost
// reports whether a renewal found the lease taken or could not be made for
// a whole LeaseTTL.
func (a *Agent) lease(ctx context.Context, id string) (lost func() bool, release func(), err error) {
	store, ns, ttl := a.opts.Store, a.opts.Namespace, a.opts.LeaseTTL
	deadline := time.Now().Add(max(a.opts.LeaseWait, 0))
	a.released(ctx, id, deadline)
	delay := 10 * time.Millisecond
	var token string
	for {
		tok, ok, err := store.AcquireLease(ctx, ns, leaseName(id), ttl)
		if err != nil {
			return nil, nil, fmt.Errorf("agent: session lease: %w", err)
		}
		if ok {
			token = tok
			break
		}
		wait := time.Until(deadline)
		if wait <= 0 {
			be := &BusyError{Session: id}
			be.State, _ = a.State(ctx, id)
			return nil, nil, be
		}
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(min(delay, wait)):
		}
		delay = min(2*delay, 200*time.Millisecond)
	}
	// Renewals run from a timer, so a turn shorter than a third of the
	// TTL (most) starts no goroutine for them.
	var (
		gone    atomic.Bool
		mu      sync.Mutex
		stopped bool
		timer   *time.Timer
		renewed = time.Now()
	)
	renew := func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ttl/3)
		ok, err := store.RenewLease(rctx, ns, leaseName(id), token, ttl)
		cancel()
		mu.Lock()
		defer mu.Unlock()
		switch {
		case stopped:
		case err == nil && ok:
			renewed = time.Now()
			timer.Reset(ttl / 3)
		case err == nil || time.Since(renewed) >= ttl:
			a.log.Warn("session lease lost", "session", id, "err", err)
			gone.Store(true)
		default: // the store did not answer: try again
			timer.Reset(ttl / 3)
		}
	}
	mu.Lock()
	timer = time.AfterFunc(ttl/3, renew)
	mu.Unlock()
	// The lease is given up before the reply, unless the store is slow:
	// then the reply goes and the release goes on in the background (the
	// session's next turn in this process waits for it; others poll).
	release = func() {
		mu.Lock()
		stopped = true
		timer.Stop()
		mu.Unlock()
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseWait)
		err := store.ReleaseLease(rctx, ns, leaseName(id), token)
		cancel()
		if err == nil {
			return
		}
		finished := make(chan struct{})
		a.mu.Lock()
		a.releasing[id] = finished
		a.mu.Unlock()
		go func() {
			defer func() {
				a.mu.Lock()
				if a.releasing[id] == finished {
					delete(a.releasing, id)
				}
				a.mu.Unlock()
				close(finished)
			}()
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ttl)
			defer cancel()
			if err := store.ReleaseLease(rctx, ns, leaseName(id), token); err != nil {
				a.log.Warn("session lease not released; it expires on its own", "session", id, "err", err)
			}
		}()
	}
	return gone.Load, release, nil
}

// released waits, up to deadline, for this process's release of session
// id's lease, if one is under way.
func (a *Agent) released(ctx context.Context, id string, deadline time.Time) {
	a.mu.Lock()
	finished := a.releasing[id]
	a.mu.Unlock()
	if finished == nil {
		return
	}
	t := time.NewTimer(max(time.Until(deadline), 0))
	defer t.Stop()
	select {
	case <-finished:
	case <-t.C:
	case <-ctx.Done():
	}
}
