package registry

import (
	"encoding/json"
	"time"
)

// Session is an agent conversation's state. The registry does not interpret
// State: the agent stores whatever it needs (messages, plan, step results,
// the pending question) as JSON. Meta holds small string attributes such as
// the user or the channel.
type Session struct {
	SchemaVersion int               `json:"schema_version"`
	ID            string            `json:"id"`
	Namespace     string            `json:"namespace,omitempty"`
	State         json.RawMessage   `json:"state,omitempty"`
	Meta          map[string]string `json:"meta,omitempty"`
	CreatedAt     time.Time         `json:"created_at"`
	UpdatedAt     time.Time         `json:"updated_at"`
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
