package registry

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotFound is matched (with errors.Is) by every error reporting a missing
// record; the concrete error is a [*NotFoundError].
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when an optimistic transaction kept losing races
// with concurrent writers and gave up.
var ErrConflict = errors.New("too many concurrent writers, transaction abandoned")

// NotFoundError reports a missing (or soft-removed, or expired) record.
type NotFoundError struct {
	Kind      string // "tool", "api", "family", "session", "plan", "policy"
	Namespace string
	Name      string
	Version   int // for a tool version; 0 otherwise
}

// Error implements error.
func (e *NotFoundError) Error() string {
	if e.Version > 0 {
		return fmt.Sprintf("%s %q version %d not found in namespace %q", e.Kind, e.Name, e.Version, e.Namespace)
	}
	return fmt.Sprintf("%s %q not found in namespace %q", e.Kind, e.Name, e.Namespace)
}

// Is makes errors.Is(err, ErrNotFound) true.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// UnavailableError reports that the backend could not be reached: Redis did
// not answer within the dial timeout, or the bbolt file stayed locked by
// another process. Err is the underlying cause.
type UnavailableError struct {
	Backend string // "redis" or "bbolt"
	Addr    string // host:port or file path (never a password)
	Err     error
}

// Error implements error.
func (e *UnavailableError) Error() string {
	return fmt.Sprintf("%s store at %s unavailable: %v", e.Backend, e.Addr, e.Err)
}

// Unwrap returns the cause.
func (e *UnavailableError) Unwrap() error { return e.Err }

// FieldError is one invalid field of a record. Field is a path such as
// "inputs[2].name".
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// String returns "field: message".
func (f FieldError) String() string { return f.Field + ": " + f.Message }

// ValidationError lists every invalid field of a rejected record.
type ValidationError struct {
	Kind   string // "tool", "api", "family", "session", "plan", "policy"
	Name   string
	Fields []FieldError
}

// Error lists the invalid fields on one line.
func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid %s", e.Kind)
	if e.Name != "" {
		fmt.Fprintf(&b, " %q", e.Name)
	}
	b.WriteString(": ")
	for i, f := range e.Fields {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.String())
	}
	return b.String()
}

// HasField reports whether field is among the invalid fields.
func (e *ValidationError) HasField(field string) bool {
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// fieldErrors accumulates field errors while a record is checked.
type fieldErrors []FieldError

func (fe *fieldErrors) add(field, format string, args ...any) {
	*fe = append(*fe, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// err returns nil when nothing was added, else a *ValidationError.
func (fe fieldErrors) err(kind, name string) error {
	if len(fe) == 0 {
		return nil
	}
	return &ValidationError{Kind: kind, Name: name, Fields: fe}
}
