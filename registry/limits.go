package registry

import (
	"regexp"
	"time"
)

// SchemaVersion is the version of the record encoding written by this
// package. Records carry it so a later release can migrate older ones;
// records with a newer schema version are rejected on read.
const SchemaVersion = 1

// DefaultNamespace is used when a record or call names no namespace.
const DefaultNamespace = "default"

// Size limits enforced by validation.
const (
	MaxNameLen          = 200       // tool, API, family names
	MaxDescriptionLen   = 16 << 10  // descriptions
	MaxToolSource       = 256 << 10 // Go source of a tool
	MaxRecordBytes      = 4 << 20   // any encoded record
	MaxDemos            = 64        // usage demos per tool
	MaxTests            = 1024      // tests per tool
	MaxParams           = 512       // inputs or outputs per API
	MaxPendingExamples  = 1024      // pending examples per family
	MaxSessionState     = 1 << 20   // a session's opaque state
	MaxPlanBytes        = 1 << 20   // a cached plan
	MaxAPIsPerNamespace = 100_000   // APIs in one namespace
	MaxMetaEntries      = 64        // session metadata entries
)

// Default time-to-live values.
const (
	DefaultSessionTTL = 24 * time.Hour
	DefaultPlanTTL    = time.Hour
)

var (
	// Names of tools, APIs and families: letters, digits, '_', '.', '-';
	// no ':' or '#' or braces, which the Redis key layout reserves.
	nameRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.\-]*$`)
	// Namespaces are shorter and never contain braces (Redis hash tags).
	namespaceRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,63}$`)
	// Session ids and plan keys.
	idRE = regexp.MustCompile(`^[A-Za-z0-9_.\-]{1,128}$`)
)

// ValidName reports whether s is acceptable as a tool, API or family name.
func ValidName(s string) bool { return len(s) <= MaxNameLen && nameRE.MatchString(s) }

// ValidNamespace reports whether s is acceptable as a namespace.
func ValidNamespace(s string) bool { return namespaceRE.MatchString(s) }

// nsOrDefault returns ns, or DefaultNamespace when ns is empty.
func nsOrDefault(ns string) string {
	if ns == "" {
		return DefaultNamespace
	}
	return ns
}

func checkName(fe *fieldErrors, field, s string) {
	switch {
	case s == "":
		fe.add(field, "required")
	case len(s) > MaxNameLen:
		fe.add(field, "longer than %d bytes", MaxNameLen)
	case !nameRE.MatchString(s):
		fe.add(field, "%q: use letters, digits, '_', '.' and '-' (not first)", s)
	}
}

func checkNamespace(fe *fieldErrors, s string) {
	if s != "" && !namespaceRE.MatchString(s) {
		fe.add("namespace", "%q: use up to 64 letters, digits, '_', '.' and '-'", s)
	}
}

func checkLen(fe *fieldErrors, field, s string, limit int) {
	if len(s) > limit {
		fe.add(field, "%d bytes exceeds the limit of %d", len(s), limit)
	}
}
