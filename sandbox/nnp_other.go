//go:build unix && !linux

package sandbox

// noNewPrivileges has no equivalent outside Linux; the other limits apply.
func noNewPrivileges() error { return nil }
