package registry

import "time"

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

// The name rules are checked by hand rather than with regexp: compiling
// patterns at package initialisation would cost every start of the binary
// most of a millisecond.

// nameByte reports whether c may appear in a name: letters, digits, '_',
// '.', '-'. Names never hold ':' or '#' or braces, which the Redis key
// layout reserves.
func nameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-'
}

// wordLike reports whether s is 1 to maxLen name bytes, not starting with
// '.' or '-' when leading is set.
func wordLike(s string, maxLen int, leading bool) bool {
	if s == "" || len(s) > maxLen {
		return false
	}
	if leading && (s[0] == '.' || s[0] == '-') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !nameByte(s[i]) {
			return false
		}
	}
	return true
}

// ValidName reports whether s is acceptable as a tool, API or family name.
func ValidName(s string) bool { return wordLike(s, MaxNameLen, true) }

// ValidNamespace reports whether s is acceptable as a namespace: up to 64
// name bytes.
func ValidNamespace(s string) bool { return wordLike(s, 64, true) }

// validID reports whether s is acceptable as a session id or plan key.
func validID(s string) bool { return wordLike(s, 128, false) }

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
	case !ValidName(s):
		fe.add(field, "%q: use letters, digits, '_', '.' and '-' (not first)", s)
	}
}

func checkNamespace(fe *fieldErrors, s string) {
	if s != "" && !ValidNamespace(s) {
		fe.add("namespace", "%q: use up to 64 letters, digits, '_', '.' and '-'", s)
	}
}

func checkLen(fe *fieldErrors, field, s string, limit int) {
	if len(s) > limit {
		fe.add(field, "%d bytes exceeds the limit of %d", len(s), limit)
	}
}
