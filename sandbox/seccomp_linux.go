package sandbox

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The worker's seccomp filter: a deny list (the Go runtime and the C library
// need a changing set of ordinary system calls; the dangerous ones are few
// and stable) that refuses, with EPERM:
//   - running programs and making processes: execve, execveat, fork, vfork,
//     and clone without CLONE_THREAD or with a namespace flag (clone3, whose
//     flags a filter cannot read, fails with ENOSYS so that the C library
//     falls back to clone);
//   - reaching other processes: ptrace, process_vm_*, kcmp, pidfd_*, tkill,
//     and kill, tgkill, rt_sigqueueinfo and rt_tgsigqueueinfo except to the
//     worker itself; prctl's PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_MM,
//     PR_SET_PTRACER and PR_CAP_AMBIENT;
//   - sockets of any kind (the host channel is already open and used with
//     read and write only);
//   - mounts, pivot_root, chroot, namespaces (unshare, setns);
//   - the kernel's keyrings, bpf, perf events, userfaultfd, io_uring
//     (whose operations seccomp does not see), modules, kexec, reboot, swap,
//     clocks, accounting, quotas, handles, host and domain names, device
//     nodes, identity changes (set*id, setgroups, capset) and personality;
//   - the terminal ioctls TIOCSTI and TIOCLINUX.
// System calls of another ABI (i386 or x32 on amd64) are refused; a
// foreign architecture kills the process.

// deniedSyscalls are refused whatever their arguments.
var deniedSyscalls = append([]uintptr{
	unix.SYS_EXECVE, unix.SYS_EXECVEAT,
	unix.SYS_PTRACE, unix.SYS_PROCESS_VM_READV, unix.SYS_PROCESS_VM_WRITEV, unix.SYS_KCMP,
	unix.SYS_PIDFD_OPEN, unix.SYS_PIDFD_GETFD, unix.SYS_PIDFD_SEND_SIGNAL, unix.SYS_TKILL,
	unix.SYS_SOCKET, unix.SYS_SOCKETPAIR, unix.SYS_CONNECT, unix.SYS_BIND, unix.SYS_LISTEN,
	unix.SYS_ACCEPT, unix.SYS_ACCEPT4, unix.SYS_SENDTO, unix.SYS_SENDMSG, unix.SYS_SENDMMSG,
	unix.SYS_RECVFROM, unix.SYS_RECVMSG, unix.SYS_RECVMMSG,
	unix.SYS_MOUNT, unix.SYS_UMOUNT2, unix.SYS_PIVOT_ROOT, unix.SYS_CHROOT,
	unix.SYS_FSOPEN, unix.SYS_FSCONFIG, unix.SYS_FSMOUNT, unix.SYS_FSPICK, unix.SYS_MOVE_MOUNT,
	unix.SYS_OPEN_TREE, unix.SYS_MOUNT_SETATTR,
	unix.SYS_UNSHARE, unix.SYS_SETNS,
	unix.SYS_ADD_KEY, unix.SYS_REQUEST_KEY, unix.SYS_KEYCTL,
	unix.SYS_BPF, unix.SYS_PERF_EVENT_OPEN, unix.SYS_USERFAULTFD,
	unix.SYS_IO_URING_SETUP, unix.SYS_IO_URING_ENTER, unix.SYS_IO_URING_REGISTER,
	unix.SYS_INIT_MODULE, unix.SYS_FINIT_MODULE, unix.SYS_DELETE_MODULE,
	unix.SYS_KEXEC_LOAD, unix.SYS_KEXEC_FILE_LOAD, unix.SYS_REBOOT, unix.SYS_SWAPON, unix.SYS_SWAPOFF,
	unix.SYS_SYSLOG, unix.SYS_ACCT, unix.SYS_SETTIMEOFDAY, unix.SYS_CLOCK_SETTIME, unix.SYS_CLOCK_ADJTIME,
	unix.SYS_ADJTIMEX, unix.SYS_QUOTACTL, unix.SYS_NAME_TO_HANDLE_AT, unix.SYS_OPEN_BY_HANDLE_AT,
	unix.SYS_VHANGUP, unix.SYS_SETHOSTNAME, unix.SYS_SETDOMAINNAME, unix.SYS_MKNODAT,
	unix.SYS_SETUID, unix.SYS_SETGID, unix.SYS_SETREUID, unix.SYS_SETREGID, unix.SYS_SETRESUID,
	unix.SYS_SETRESGID, unix.SYS_SETFSUID, unix.SYS_SETFSGID, unix.SYS_SETGROUPS, unix.SYS_CAPSET,
	unix.SYS_PERSONALITY, unix.SYS_FANOTIFY_INIT, unix.SYS_LOOKUP_DCOOKIE,
}, archDeniedSyscalls...)

// Classic BPF, as seccomp runs it.
const (
	bpfLdW  = unix.BPF_LD | unix.BPF_W | unix.BPF_ABS
	bpfJeq  = unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K
	bpfJge  = unix.BPF_JMP | unix.BPF_JGE | unix.BPF_K
	bpfJset = unix.BPF_JMP | unix.BPF_JSET | unix.BPF_K
	bpfRet  = unix.BPF_RET | unix.BPF_K

	offNr   = 0
	offArch = 4
	offArgs = 16 // args[i] at 16+8i; the low half first on little-endian machines

	retAllow = unix.SECCOMP_RET_ALLOW
	retEPERM = unix.SECCOMP_RET_ERRNO | uint32(unix.EPERM)
	retNOSYS = unix.SECCOMP_RET_ERRNO | uint32(unix.ENOSYS)
	retKill  = unix.SECCOMP_RET_KILL_PROCESS
)

func stmt(code uint16, k uint32) unix.SockFilter { return unix.SockFilter{Code: code, K: k} }

func jump(code uint16, k uint32, jt, jf uint8) unix.SockFilter {
	return unix.SockFilter{Code: code, K: k, Jt: jt, Jf: jf}
}

// argLow and argHigh are the offsets of the halves of argument i.
func argLow(i int) uint32  { return uint32(offArgs + 8*i) }
func argHigh(i int) uint32 { return uint32(offArgs + 8*i + 4) }

// seccompFilter builds the worker's filter; self is its process ID.
func seccompFilter(self int) []unix.SockFilter {
	p := []unix.SockFilter{
		stmt(bpfLdW, offArch),
		jump(bpfJeq, auditArch, 1, 0),
		stmt(bpfRet, retKill),
		stmt(bpfLdW, offNr),
	}
	if foreignABI != 0 {
		p = append(p, jump(bpfJge, foreignABI, 0, 1), stmt(bpfRet, retEPERM))
	}
	for _, nr := range deniedSyscalls {
		p = append(p, jump(bpfJeq, uint32(nr), 0, 1), stmt(bpfRet, retEPERM))
	}
	p = append(p, jump(bpfJeq, unix.SYS_CLONE3, 0, 1), stmt(bpfRet, retNOSYS))
	// clone: a thread (CLONE_THREAD) without a namespace flag.
	const nsFlags = unix.CLONE_NEWUSER | unix.CLONE_NEWPID | unix.CLONE_NEWNET | unix.CLONE_NEWNS |
		unix.CLONE_NEWIPC | unix.CLONE_NEWUTS | unix.CLONE_NEWCGROUP | unix.CLONE_NEWTIME
	p = append(p,
		jump(bpfJeq, unix.SYS_CLONE, 0, 5),
		stmt(bpfLdW, argLow(0)),
		jump(bpfJset, unix.CLONE_THREAD, 0, 2),
		jump(bpfJset, nsFlags, 1, 0),
		stmt(bpfRet, retAllow),
		stmt(bpfRet, retEPERM),
	)
	// Signals: only to the worker itself (argument 0 is the process).
	for _, nr := range []uint32{unix.SYS_KILL, unix.SYS_TGKILL, unix.SYS_RT_SIGQUEUEINFO, unix.SYS_RT_TGSIGQUEUEINFO} {
		p = append(p,
			jump(bpfJeq, nr, 0, 6),
			stmt(bpfLdW, argHigh(0)),
			jump(bpfJeq, 0, 0, 3),
			stmt(bpfLdW, argLow(0)),
			jump(bpfJeq, uint32(self), 0, 1),
			stmt(bpfRet, retAllow),
			stmt(bpfRet, retEPERM),
		)
	}
	p = append(p, argDenied(unix.SYS_PRCTL, 0, unix.PR_SET_PDEATHSIG, unix.PR_SET_DUMPABLE, unix.PR_SET_MM, unix.PR_SET_PTRACER, unix.PR_CAP_AMBIENT)...)
	p = append(p, argDenied(unix.SYS_IOCTL, 1, unix.TIOCSTI, unix.TIOCLINUX)...)
	return append(p, stmt(bpfRet, retAllow))
}

// argDenied refuses system call nr when the low half of argument i is one
// of values.
func argDenied(nr uint32, i int, values ...uint32) []unix.SockFilter {
	n := len(values)
	p := []unix.SockFilter{jump(bpfJeq, nr, 0, uint8(n+3)), stmt(bpfLdW, argLow(i))}
	for k, v := range values {
		p = append(p, jump(bpfJeq, v, uint8(n-k), 0))
	}
	return append(p, stmt(bpfRet, retAllow), stmt(bpfRet, retEPERM))
}

// installSeccomp installs the filter on every thread of the process.
func installSeccomp(self int) (string, error) {
	if auditArch == 0 {
		return "no filter for this architecture", fmt.Errorf("unsupported architecture")
	}
	prog := seccompFilter(self)
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}
	// no_new_privs (set by the first stage) lets an unprivileged process
	// install a filter; TSYNC puts it on every thread or fails.
	if v, _ := unix.PrctlRetInt(unix.PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0); v != 1 {
		if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
			return "needs no_new_privs: " + err.Error(), err
		}
	}
	r, _, errno := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, unix.SECCOMP_FILTER_FLAG_TSYNC, uintptr(unsafe.Pointer(&fprog)))
	switch {
	case errno != 0:
		return "seccomp: " + errno.Error(), errno
	case r != 0:
		return fmt.Sprintf("thread %d could not take the filter", r), fmt.Errorf("seccomp tsync failed on thread %d", r)
	}
	return fmt.Sprintf("%d system calls refused, clone only for threads, signals only to itself; on every thread", len(deniedSyscalls)+1), nil
}
