//go:build !linux

package sandbox

import "errors"

// hostTag names a host on Linux only (see hosttag_linux.go).
type hostTag struct{}

func (hostTag) String() string { return "" }

func selfTag() (hostTag, error) {
	return hostTag{}, errors.New("host tags are read from Linux's /proc")
}

// workerDirPrefix begins the names of the workers' host directories.
const workerDirPrefix = "toolsmith-worker-"

func removeStaleDirs(string, hostTag) (int, error) { return 0, nil }
