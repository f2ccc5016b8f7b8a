package registry

import (
	"strings"
	"time"
)

// MaxPolicySource bounds the ASP text of one policy.
const MaxPolicySource = 256 << 10

// Policy is a team's ASP program stored in the registry: the planner adds
// the policies of a namespace to its built-in rules for every plan made in
// that namespace. The registry does not parse Source; callers check it
// (with asp.Parse) before storing it.
type Policy struct {
	SchemaVersion int    `json:"schema_version"`
	Name          string `json:"name"`
	Namespace     string `json:"namespace,omitempty"`
	// Source is the ASP program text (clingo syntax).
	Source      string `json:"source"`
	Description string `json:"description,omitempty"`
	// UpdatedAt is set by PutPolicy.
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks the record and returns a *ValidationError listing every
// invalid field, or nil.
func (p *Policy) Validate() error {
	var fe fieldErrors
	checkName(&fe, "name", p.Name)
	checkNamespace(&fe, p.Namespace)
	checkLen(&fe, "description", p.Description, MaxDescriptionLen)
	switch {
	case strings.TrimSpace(p.Source) == "":
		fe.add("source", "required")
	case len(p.Source) > MaxPolicySource:
		fe.add("source", "%d bytes exceeds the limit of %d", len(p.Source), MaxPolicySource)
	}
	if p.SchemaVersion > SchemaVersion {
		fe.add("schema_version", "%d is newer than this release's %d", p.SchemaVersion, SchemaVersion)
	}
	return fe.err("policy", p.Name)
}

// preparePolicy fills in the defaults of a policy about to be written.
func preparePolicy(p *Policy) {
	p.Namespace = nsOrDefault(p.Namespace)
	p.SchemaVersion = SchemaVersion
	p.UpdatedAt = time.Now().UTC()
}

func (p *Policy) schemaVersion() int { return p.SchemaVersion }
