package registry

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"time"
)

// PlanCacheEntry is a cached plan. Key is [PlanKey] of the API collection's
// version and the request, so any change to the namespace's APIs makes old
// entries unreachable (they then expire).
type PlanCacheEntry struct {
	SchemaVersion int             `json:"schema_version"`
	Key           string          `json:"key"`
	Namespace     string          `json:"namespace,omitempty"`
	APIVersion    uint64          `json:"api_version"`
	Request       json.RawMessage `json:"request,omitempty"`
	Plan          json.RawMessage `json:"plan"`
	CreatedAt     time.Time       `json:"created_at"`
	ExpiresAt     time.Time       `json:"expires_at"`
}

// PlanKey returns the cache key of a request against the API set at version
// apiVersion (from Store.Version(ctx, ns, CollAPIs)): the hex SHA-256 of both.
// Callers should pass the request in a canonical encoding (for instance
// json.Marshal of the decoded request, which sorts object keys).
func PlanKey(apiVersion uint64, request []byte) string {
	h := sha256.New()
	var v [8]byte
	binary.BigEndian.PutUint64(v[:], apiVersion)
	h.Write(v[:])
	h.Write(request)
	return hex.EncodeToString(h.Sum(nil))
}

// Validate checks the record and returns a *ValidationError or nil.
func (e *PlanCacheEntry) Validate() error {
	var fe fieldErrors
	if !validID(e.Key) {
		fe.add("key", "%q: use 1 to 128 letters, digits, '_', '.' and '-'", e.Key)
	}
	checkNamespace(&fe, e.Namespace)
	if len(e.Plan) == 0 {
		fe.add("plan", "required")
	} else if len(e.Plan) > MaxPlanBytes {
		fe.add("plan", "%d bytes exceeds the limit of %d", len(e.Plan), MaxPlanBytes)
	} else if !json.Valid(e.Plan) {
		fe.add("plan", "not valid JSON")
	}
	if len(e.Request) > MaxPlanBytes {
		fe.add("request", "%d bytes exceeds the limit of %d", len(e.Request), MaxPlanBytes)
	} else if len(e.Request) > 0 && !json.Valid(e.Request) {
		fe.add("request", "not valid JSON")
	}
	return fe.err("plan", e.Key)
}
