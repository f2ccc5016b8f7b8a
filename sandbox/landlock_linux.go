package sandbox

import (
	"fmt"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Landlock access rights by the ABI version that introduced them.
const (
	llFSv1 = unix.LANDLOCK_ACCESS_FS_EXECUTE | unix.LANDLOCK_ACCESS_FS_WRITE_FILE | unix.LANDLOCK_ACCESS_FS_READ_FILE |
		unix.LANDLOCK_ACCESS_FS_READ_DIR | unix.LANDLOCK_ACCESS_FS_REMOVE_DIR | unix.LANDLOCK_ACCESS_FS_REMOVE_FILE |
		unix.LANDLOCK_ACCESS_FS_MAKE_CHAR | unix.LANDLOCK_ACCESS_FS_MAKE_DIR | unix.LANDLOCK_ACCESS_FS_MAKE_REG |
		unix.LANDLOCK_ACCESS_FS_MAKE_SOCK | unix.LANDLOCK_ACCESS_FS_MAKE_FIFO | unix.LANDLOCK_ACCESS_FS_MAKE_BLOCK |
		unix.LANDLOCK_ACCESS_FS_MAKE_SYM
	llFSv2  = llFSv1 | unix.LANDLOCK_ACCESS_FS_REFER
	llFSv3  = llFSv2 | unix.LANDLOCK_ACCESS_FS_TRUNCATE
	llFSv5  = llFSv3 | unix.LANDLOCK_ACCESS_FS_IOCTL_DEV
	llNet   = unix.LANDLOCK_ACCESS_NET_BIND_TCP | unix.LANDLOCK_ACCESS_NET_CONNECT_TCP
	llScope = unix.LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | unix.LANDLOCK_SCOPE_SIGNAL
	// What a tool may do in its temporary directory: everything but
	// executing and making devices.
	llTemp = unix.LANDLOCK_ACCESS_FS_WRITE_FILE | unix.LANDLOCK_ACCESS_FS_READ_FILE | unix.LANDLOCK_ACCESS_FS_READ_DIR |
		unix.LANDLOCK_ACCESS_FS_REMOVE_DIR | unix.LANDLOCK_ACCESS_FS_REMOVE_FILE | unix.LANDLOCK_ACCESS_FS_MAKE_DIR |
		unix.LANDLOCK_ACCESS_FS_MAKE_REG | unix.LANDLOCK_ACCESS_FS_MAKE_SOCK | unix.LANDLOCK_ACCESS_FS_MAKE_FIFO |
		unix.LANDLOCK_ACCESS_FS_MAKE_SYM | unix.LANDLOCK_ACCESS_FS_REFER | unix.LANDLOCK_ACCESS_FS_TRUNCATE
	// What the worker needs of its binary and libraries.
	llExec = unix.LANDLOCK_ACCESS_FS_EXECUTE | unix.LANDLOCK_ACCESS_FS_READ_FILE
)

// landlockABI returns the kernel's Landlock ABI version, 0 without Landlock.
func landlockABI() int {
	v, _, errno := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, 0, 0, unix.LANDLOCK_CREATE_RULESET_VERSION)
	if errno != 0 {
		return 0
	}
	return int(v)
}

// landlockRestrict puts the calling thread (and the images it executes)
// into a Landlock domain in which the only files are tmp (read and write)
// and the worker's binary and libraries (read and execute), no TCP port
// can be bound or connected to, and, from ABI 6, no abstract unix socket
// or process outside the domain can be reached. no_new_privs must be set.
// It returns what is in force, or why nothing is.
func landlockRestrict(tmp string, files []boundFile) (string, error) {
	abi := landlockABI()
	if abi == 0 {
		return "the kernel has no Landlock (or it is not enabled at boot)", fmt.Errorf("no landlock")
	}
	attr := unix.LandlockRulesetAttr{Access_fs: llFSv1}
	what := []string{"files"}
	switch {
	case abi >= 5:
		attr.Access_fs = llFSv5
	case abi >= 3:
		attr.Access_fs = llFSv3
	case abi >= 2:
		attr.Access_fs = llFSv2
	}
	if abi >= 4 {
		attr.Access_net = llNet
		what = append(what, "TCP")
	}
	if abi >= 6 {
		attr.Scoped = llScope
		what = append(what, "signals", "abstract unix sockets")
	}
	size := unsafe.Sizeof(attr)
	if abi < 4 {
		size = unsafe.Sizeof(attr.Access_fs)
	} else if abi < 6 {
		size = unsafe.Offsetof(attr.Scoped)
	}
	fd, _, errno := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, uintptr(unsafe.Pointer(&attr)), size, 0)
	if errno != 0 {
		return fmt.Sprintf("ABI %d: creating the ruleset: %v", abi, errno), errno
	}
	defer unix.Close(int(fd))
	allowFD := func(p int, name string, access uint64) error {
		rule := unix.LandlockPathBeneathAttr{Allowed_access: access & attr.Access_fs, Parent_fd: int32(p)}
		if _, _, errno := unix.Syscall6(unix.SYS_LANDLOCK_ADD_RULE, fd, unix.LANDLOCK_RULE_PATH_BENEATH, uintptr(unsafe.Pointer(&rule)), 0, 0, 0); errno != 0 {
			return fmt.Errorf("rule for %s: %w", name, errno)
		}
		return nil
	}
	allow := func(path string, access uint64) error {
		p, err := unix.Open(path, unix.O_PATH|unix.O_CLOEXEC, 0)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		defer unix.Close(p)
		return allowFD(p, path, access)
	}
	if err := allow(tmp, llTemp); err != nil {
		return fmt.Sprintf("ABI %d: %v", abi, err), err
	}
	// A file rule may grant only the rights that apply to files.
	if err := allowFD(exeFD, "the worker binary", llExec); err != nil {
		return fmt.Sprintf("ABI %d: %v", abi, err), err
	}
	for _, f := range files {
		if err := allow(f.target, llExec); err != nil {
			return fmt.Sprintf("ABI %d: %v", abi, err), err
		}
	}
	if _, _, errno := unix.Syscall(unix.SYS_LANDLOCK_RESTRICT_SELF, fd, 0, 0); errno != 0 {
		return fmt.Sprintf("ABI %d: restricting: %v", abi, errno), errno
	}
	return fmt.Sprintf("ABI %d, whole process: %s; only the temporary directory is writable", abi, strings.Join(what, ", ")), nil
}
