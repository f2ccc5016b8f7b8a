//go:build !linux

package sandbox

import (
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// namespacesSupported: namespaces are a Linux feature.
const namespacesSupported = false

// execPath is the path the host executes a worker's binary by.
func execPath(path string) string { return path }

// socketPair makes the worker channel, both ends close-on-exec (the child's
// end is passed explicitly).
func socketPair() ([2]int, error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err == nil {
		unix.CloseOnExec(fds[0])
		unix.CloseOnExec(fds[1])
	}
	return fds, err
}

// sysProcAttr starts a worker in its own process group.
func sysProcAttr([]string) *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

func namespaceRefused(error) bool { return false }

// workDir makes the worker's working and temporary directory in dir.
func workDir(dir string) (string, error) {
	work := filepath.Join(dir, "work")
	return work, os.Mkdir(work, 0o700)
}
