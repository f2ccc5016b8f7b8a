package sandbox

import "golang.org/x/sys/unix"

// auditArch is the architecture seccomp reports for this ABI.
const auditArch = unix.AUDIT_ARCH_X86_64

// foreignABI is the first number of the x32 ABI's system calls, refused.
const foreignABI = 0x40000000

// archDeniedSyscalls are refused system calls that only this architecture has.
var archDeniedSyscalls = []uintptr{
	unix.SYS_FORK, unix.SYS_VFORK, unix.SYS_MKNOD, unix.SYS_IOPL, unix.SYS_IOPERM, unix.SYS_USELIB,
	unix.SYS_USTAT, unix.SYS_SYSFS, unix.SYS__SYSCTL, unix.SYS_CREATE_MODULE, unix.SYS_GET_KERNEL_SYMS,
	unix.SYS_QUERY_MODULE, unix.SYS_NFSSERVCTL, unix.SYS_MODIFY_LDT,
}
