//go:build !linux

package sandbox

import (
	"os"
	"path/filepath"
	"syscall"
)

// namespacesSupported: namespaces are a Linux feature.
const namespacesSupported = false

// execPath is the path the host executes a worker's binary by.
func execPath(path string) string { return path }

// sysProcAttr starts a worker in its own process group.
func sysProcAttr([]string) *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

func namespaceRefused(error) bool { return false }

// workDir makes the worker's working and temporary directory in dir.
func workDir(dir string) (string, error) {
	work := filepath.Join(dir, "work")
	return work, os.Mkdir(work, 0o700)
}
