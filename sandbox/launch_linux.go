package sandbox

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// namespacesSupported: Linux has namespaces.
const namespacesSupported = true

// exeFD is the worker's descriptor of its own binary.
const exeFD = 4

// execPath is the path the host executes a worker's binary by: its
// descriptor, which needs no search permission on the directories above it.
func execPath(string) string { return "/proc/self/fd/4" }

// socketPair makes the worker channel, both ends close-on-exec (the child's
// end is passed explicitly).
func socketPair() ([2]int, error) {
	return unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
}

// overflowID is the host user and group a worker runs as when the host is
// root: the kernel's overflow ID, "nobody", which owns no file.
const overflowID = 65534

// hostID returns the host user and group that are root in the worker's user
// namespace: nobody when the host is root, the host's own user otherwise
// (all an unprivileged user may map).
func hostID() (uid, gid int) {
	if os.Getuid() == 0 {
		return overflowID, overflowID
	}
	return os.Getuid(), os.Getgid()
}

var cloneFlags = map[string]uintptr{
	"user": syscall.CLONE_NEWUSER, "pid": syscall.CLONE_NEWPID, "net": syscall.CLONE_NEWNET,
	"mount": syscall.CLONE_NEWNS, "ipc": syscall.CLONE_NEWIPC, "uts": syscall.CLONE_NEWUTS,
}

// sysProcAttr starts a worker in its own process group, killed when the
// host dies, in new namespaces ns.
func sysProcAttr(ns []string) *syscall.SysProcAttr {
	a := &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	for _, n := range ns {
		a.Cloneflags |= cloneFlags[n]
	}
	if a.Cloneflags&syscall.CLONE_NEWUSER != 0 {
		uid, gid := hostID()
		a.UidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: uid, Size: 1}}
		a.GidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: gid, Size: 1}}
		a.GidMappingsEnableSetgroups = false
		// Become the namespace's root before the binary is executed, so
		// that the first stage holds the namespace's capabilities to build
		// its root (it drops them all before it serves).
		a.Credential = &syscall.Credential{Uid: 0, Gid: 0, NoSetGroups: true}
	}
	return a
}

// namespaceRefused reports whether starting a process failed because the
// host may not create the namespaces asked for (no unprivileged user
// namespaces, a container's seccomp profile, a namespace limit).
func namespaceRefused(err error) bool {
	for _, e := range []error{syscall.EPERM, syscall.EINVAL, syscall.ENOSPC, syscall.EUSERS, syscall.EACCES, syscall.ENOSYS} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// workDir makes the worker's working and temporary directory in dir (used
// when it has no mount namespace), owned by the user it runs as.
func workDir(dir string) (string, error) {
	work := filepath.Join(dir, "work")
	if err := os.Mkdir(work, 0o700); err != nil {
		return "", err
	}
	if os.Getuid() == 0 {
		// dir stays unlistable; the worker, nobody on the host, may enter
		// it to reach work.
		if err := os.Chmod(dir, 0o711); err != nil {
			return "", err
		}
		if err := os.Chown(work, overflowID, overflowID); err != nil {
			return "", err
		}
	}
	return work, nil
}
