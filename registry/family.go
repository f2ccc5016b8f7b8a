package registry

import (
	"fmt"
	"time"
)

// FamilyStatus is where a task family stands in tool making.
type FamilyStatus string

// Family statuses.
const (
	FamilyCollecting FamilyStatus = "collecting" // gathering examples
	FamilyMaking     FamilyStatus = "making"     // a tool is being made
	FamilyReady      FamilyStatus = "ready"      // Tool serves the family
	FamilyFailed     FamilyStatus = "failed"     // making failed; see Message
)

// Family is a kind of task: requests the dispatcher routes to one tool, and
// the examples gathered until a tool can be made for it.
type Family struct {
	SchemaVersion int          `json:"schema_version"`
	Name          string       `json:"name"`
	Namespace     string       `json:"namespace,omitempty"`
	Description   string       `json:"description,omitempty"`
	Status        FamilyStatus `json:"status"`
	// Examples are pending examples not yet used to make a tool.
	Examples []Example `json:"examples,omitempty"`
	// Tool names the tool serving the family once Status is ready.
	Tool      string    `json:"tool,omitempty"`
	Message   string    `json:"message,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Example is one task instance: the input text and, when known, the target
// answer.
type Example struct {
	Input  string `json:"input"`
	Target string `json:"target,omitempty"`
}

// Validate checks the record and returns a *ValidationError or nil.
func (f *Family) Validate() error {
	var fe fieldErrors
	checkName(&fe, "name", f.Name)
	checkNamespace(&fe, f.Namespace)
	checkLen(&fe, "description", f.Description, MaxDescriptionLen)
	if f.SchemaVersion > SchemaVersion {
		fe.add("schema_version", "%d is newer than this release's %d", f.SchemaVersion, SchemaVersion)
	}
	switch f.Status {
	case "", FamilyCollecting, FamilyMaking, FamilyReady, FamilyFailed:
	default:
		fe.add("status", "%q is not one of collecting, making, ready, failed", f.Status)
	}
	if f.Tool != "" {
		checkName(&fe, "tool", f.Tool)
	}
	if len(f.Examples) > MaxPendingExamples {
		fe.add("examples", "%d examples exceed the limit of %d", len(f.Examples), MaxPendingExamples)
	}
	for i, ex := range f.Examples {
		if ex.Input == "" {
			fe.add(fmt.Sprintf("examples[%d].input", i), "required")
		}
		checkLen(&fe, fmt.Sprintf("examples[%d].input", i), ex.Input, MaxDescriptionLen)
	}
	return fe.err("family", f.Name)
}

// StatusConflictError reports that ClaimFamily found the family in a status
// it was not asked to claim from.
type StatusConflictError struct {
	Family string
	Status FamilyStatus
}

// Error implements error.
func (e *StatusConflictError) Error() string {
	return fmt.Sprintf("family %q is %s", e.Family, e.Status)
}

// claim applies ClaimFamily to f (already read): it checks the status and
// returns the family before the change and the family to write.
func claim(f *Family, to FamilyStatus, from []FamilyStatus) (before, after *Family, err error) {
	if len(from) > 0 {
		ok := false
		for _, st := range from {
			ok = ok || f.Status == st
		}
		if !ok {
			return nil, nil, &StatusConflictError{Family: f.Name, Status: f.Status}
		}
	}
	b := *f
	a := *f
	a.Examples = nil
	a.Status = to
	prepareFamily(&a)
	if err := a.Validate(); err != nil {
		return nil, nil, err
	}
	return &b, &a, nil
}
