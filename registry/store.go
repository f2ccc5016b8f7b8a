package registry

import (
	"context"
	"encoding/json"
	"time"
)

// Collection names a kind of record; each namespace keeps a version counter
// per collection.
type Collection string

// Collections.
const (
	CollTools    Collection = "tools"
	CollAPIs     Collection = "apis"
	CollFamilies Collection = "families"
	CollSessions Collection = "sessions"
	CollPlans    Collection = "plans"
	CollPolicies Collection = "policies"
	CollSettings Collection = "settings"
)

// Collections lists every collection.
var collections = [...]Collection{CollTools, CollAPIs, CollFamilies, CollSessions, CollPlans, CollPolicies, CollSettings}

// Change announces a write: the collection's new version and the record's
// name (tool, API, family, session id, plan key or policy).
type Change struct {
	Namespace  string     `json:"namespace"`
	Collection Collection `json:"collection"`
	Name       string     `json:"name"`
	Version    uint64     `json:"version"`
}

// Store keeps the registry's records. Every method takes the namespace
// explicitly or from the record; an empty namespace means DefaultNamespace.
// Implementations are safe for concurrent use.
type Store interface {
	// PutTool validates t and registers it as the next version of its name
	// (1 for a new name), which becomes current and un-removes the name. It
	// sets t.Version, t.Hash, t.CreatedAt, t.SchemaVersion and t.Namespace
	// and returns the version.
	PutTool(ctx context.Context, t *Tool) (int, error)
	// GetTool returns the current version of a tool, or a *NotFoundError
	// when the name is unknown or removed.
	GetTool(ctx context.Context, ns, name string) (*Tool, error)
	// GetToolVersion returns one version, removed or not.
	GetToolVersion(ctx context.Context, ns, name string, version int) (*Tool, error)
	// ToolVersions lists the versions of a name, oldest first.
	ToolVersions(ctx context.Context, ns, name string) ([]ToolVersion, error)
	// ListTools returns the current version of every tool that f selects,
	// sorted by name.
	ListTools(ctx context.Context, ns string, f ToolFilter) ([]*Tool, error)
	// RemoveTool soft-removes a name: GetTool no longer finds it; versions
	// stay readable and RestoreTool undoes it.
	RemoveTool(ctx context.Context, ns, name string) error
	// RestoreTool undoes RemoveTool.
	RestoreTool(ctx context.Context, ns, name string) error
	// RollbackTool makes an existing version current.
	RollbackTool(ctx context.Context, ns, name string, version int) error
	// RecordCall adds one call to a tool's statistics atomically.
	RecordCall(ctx context.Context, ns, name string, c Call) error
	// ToolStats returns a tool's statistics (zero when never called).
	ToolStats(ctx context.Context, ns, name string) (ToolStats, error)

	// PutAPI validates and stores an API, replacing one of the same name.
	PutAPI(ctx context.Context, a API) error
	// PutAPIs validates and stores many APIs of namespace ns in one atomic
	// write (each API's Namespace is set to ns); nothing is written when one
	// is invalid.
	PutAPIs(ctx context.Context, ns string, apis []API) error
	// GetAPI returns an API.
	GetAPI(ctx context.Context, ns, name string) (API, error)
	// ListAPIs returns every API of a namespace, sorted by name.
	ListAPIs(ctx context.Context, ns string) ([]API, error)
	// DeleteAPI removes an API.
	DeleteAPI(ctx context.Context, ns, name string) error

	// PutFamily validates and stores a family, replacing one of the same name.
	PutFamily(ctx context.Context, f *Family) error
	// GetFamily returns a family.
	GetFamily(ctx context.Context, ns, name string) (*Family, error)
	// ListFamilies returns every family of a namespace, sorted by name.
	ListFamilies(ctx context.Context, ns string) ([]*Family, error)
	// AddFamilyExample appends a pending example atomically, creating the
	// family (status collecting) when absent, and returns the number of
	// pending examples.
	AddFamilyExample(ctx context.Context, ns, family string, ex Example) (int, error)
	// ClaimFamily atomically takes a family's pending examples and sets its
	// status (FamilyMaking, typically) when its status is one of from (any
	// status when from is empty). It returns the family as it was before,
	// examples included. A family in another status gives a
	// *StatusConflictError, so of two replicas only one claims a family.
	ClaimFamily(ctx context.Context, ns, family string, to FamilyStatus, from ...FamilyStatus) (*Family, error)

	// PutSession validates and stores a session that expires after ttl
	// (DefaultSessionTTL when ttl <= 0). It sets CreatedAt (when zero),
	// UpdatedAt and ExpiresAt.
	PutSession(ctx context.Context, s *Session, ttl time.Duration) error
	// GetSession returns a session that has not expired.
	GetSession(ctx context.Context, ns, id string) (*Session, error)
	// UpdateSession atomically reads a session, applies fn and writes it
	// back with a fresh TTL (DefaultSessionTTL when ttl <= 0), so replicas
	// serving one conversation never overwrite each other's turns. fn
	// receives a new session (ID and Namespace set, no State) when none
	// exists and may run more than once under contention; an error from
	// fn aborts without writing. It returns the session written.
	UpdateSession(ctx context.Context, ns, id string, ttl time.Duration, fn func(*Session) error) (*Session, error)
	// DeleteSession removes a session and its history log.
	DeleteSession(ctx context.Context, ns, id string) error
	// SaveSession writes s in one transaction when the stored session's
	// version is expect (0: no session, or an expired one), appends events
	// to the session's history log, and gives both the TTL (DefaultSessionTTL
	// when ttl <= 0). It sets s.Version to expect+1 and the times as
	// PutSession does. When the stored version differs, nothing is written
	// and the error is a *VersionConflictError.
	SaveSession(ctx context.Context, s *Session, ttl time.Duration, expect uint64, events ...json.RawMessage) error
	// SessionHistory returns up to limit entries of a session's history log
	// from index from (0 is the oldest entry ever appended). An unknown or
	// expired session has an empty log.
	SessionHistory(ctx context.Context, ns, id string, from, limit int) (HistoryPage, error)

	// AcquireLease takes the lease name of namespace ns for ttl when no one
	// holds it, returning the holder's token; ok is false when another
	// holder has it. On Redis the lease is a key set with NX and PX, shared
	// by every replica; a bbolt file is used by one process only (its file
	// lock), which holds its leases in memory.
	AcquireLease(ctx context.Context, ns, name string, ttl time.Duration) (token string, ok bool, err error)
	// RenewLease extends a lease for ttl from now if token still holds it;
	// ok is false when the lease was lost (expired and maybe taken).
	RenewLease(ctx context.Context, ns, name, token string, ttl time.Duration) (ok bool, err error)
	// ReleaseLease gives a lease up if token still holds it.
	ReleaseLease(ctx context.Context, ns, name, token string) error

	// TakeToken takes one token from the bucket name of namespace ns, which
	// holds up to burst tokens and refills at rate tokens a second (full when
	// first used). It returns 0 when a token was taken, else how long until
	// one will be there. Replicas sharing a Redis share the bucket.
	TakeToken(ctx context.Context, ns, name string, rate float64, burst int) (wait time.Duration, err error)
	// AcquireSlot takes one of limit slots of the semaphore name of
	// namespace ns for at most ttl (a holder that dies frees its slot when
	// ttl passes); ok is false when all are taken.
	AcquireSlot(ctx context.Context, ns, name string, limit int, ttl time.Duration) (token string, ok bool, err error)
	// ReleaseSlot frees a slot taken by AcquireSlot.
	ReleaseSlot(ctx context.Context, ns, name, token string) error
	// AddSpend adds cost (USD) and calls to namespace ns's spending on day
	// (UTC, "2006-01-02") and returns the day's totals; zero amounts read
	// them. Days are kept for SpendRetention.
	AddSpend(ctx context.Context, ns, day string, cost float64, calls int64) (Spend, error)

	// PutPlan stores a plan-cache entry that expires after ttl
	// (DefaultPlanTTL when ttl <= 0).
	PutPlan(ctx context.Context, e *PlanCacheEntry, ttl time.Duration) error
	// GetPlan returns a cached plan that has not expired.
	GetPlan(ctx context.Context, ns, key string) (*PlanCacheEntry, error)

	// PutPolicy validates and stores a policy, replacing one of the same
	// name. It sets p.Namespace, p.SchemaVersion and p.UpdatedAt.
	PutPolicy(ctx context.Context, p *Policy) error
	// GetPolicy returns a policy, or a *NotFoundError.
	GetPolicy(ctx context.Context, ns, name string) (*Policy, error)
	// ListPolicies returns every policy of a namespace, sorted by name.
	ListPolicies(ctx context.Context, ns string) ([]*Policy, error)
	// DeletePolicy removes a policy; an unknown name is a *NotFoundError.
	DeletePolicy(ctx context.Context, ns, name string) error

	// PutSettings validates and stores a namespace's settings, replacing
	// the ones stored. It sets st.Namespace, st.SchemaVersion and
	// st.UpdatedAt.
	PutSettings(ctx context.Context, st *Settings) error
	// GetSettings returns a namespace's settings: the zero Settings (with
	// Namespace set) when none are stored.
	GetSettings(ctx context.Context, ns string) (*Settings, error)

	// Version returns a collection's version counter: 0 before the first
	// write, then incremented by every write to the collection.
	Version(ctx context.Context, ns string, c Collection) (uint64, error)
	// Subscribe delivers the changes of namespace ns until ctx ends, then
	// closes the channel. Delivery is best effort: a slow receiver, or a
	// Redis connection being re-established, loses changes (writers never
	// block); compare Version to catch up.
	Subscribe(ctx context.Context, ns string) (<-chan Change, error)

	// Close releases the store's connections or file.
	Close() error
}

// expiry returns now+ttl, or now+def when ttl <= 0.
func expiry(now time.Time, ttl, def time.Duration) (time.Time, time.Duration) {
	if ttl <= 0 {
		ttl = def
	}
	return now.Add(ttl), ttl
}
