//go:build linux && !amd64 && !arm64

package sandbox

// No filter is built for this architecture; the report says so.
const (
	auditArch  = 0
	foreignABI = 0
)

var archDeniedSyscalls []uintptr
