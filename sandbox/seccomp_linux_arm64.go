package sandbox

import "golang.org/x/sys/unix"

// auditArch is the architecture seccomp reports for this ABI.
const auditArch = unix.AUDIT_ARCH_AARCH64

// foreignABI: arm64 has no second ABI to refuse by number.
const foreignABI = 0

// archDeniedSyscalls: none beyond the common list.
var archDeniedSyscalls []uintptr
