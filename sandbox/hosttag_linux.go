package sandbox

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// What a host leaves outside itself — its workers' cgroups and host
// directories — is named for it, so that what a host that crashed left
// behind can be told from what a live one holds:
//
//	PREFIX-NS-PID-START-RANDOM
//
// NS is the inode of the host's PID namespace, PID its process id there and
// START its start time (clock ticks after boot, /proc/PID/stat). The next
// host to start removes only what it can prove dead: a name of this PID
// namespace whose process is gone or is another process (started at
// another time). Another PID namespace's names, a live host's, and names
// of any other form are never touched.

// hostTag identifies a host process among all that may share its cgroups.
type hostTag struct {
	ns    uint64 // the inode of its PID namespace
	pid   int
	start uint64 // its start time in clock ticks after boot
}

func (t hostTag) String() string { return fmt.Sprintf("%d-%d-%d", t.ns, t.pid, t.start) }

// selfTag is the tag of the calling process.
func selfTag() (hostTag, error) {
	var st unix.Stat_t
	if err := unix.Stat("/proc/self/ns/pid", &st); err != nil {
		return hostTag{}, fmt.Errorf("the PID namespace: %w", err)
	}
	pid := os.Getpid()
	start, err := procStart(pid)
	if err != nil {
		return hostTag{}, err
	}
	return hostTag{ns: st.Ino, pid: pid, start: start}, nil
}

// procStart returns the start time of process pid (field 22 of its stat).
func procStart(pid int) (uint64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name, in parentheses, may hold spaces and parentheses:
	// the fields that follow start after the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 20 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f)+2)
	}
	return strconv.ParseUint(f[19], 10, 64) // field 22; f[0] is field 3
}

// parseTag reads the host tag of a name made of one of prefixes, the tag
// and a random part; ok is false for any other name.
func parseTag(name string, prefixes ...string) (t hostTag, ok bool) {
	var rest string
	for _, p := range prefixes {
		if rest, ok = strings.CutPrefix(name, p); ok {
			break
		}
	}
	if !ok {
		return t, false
	}
	f := strings.Split(rest, "-")
	if len(f) != 4 || f[3] == "" {
		return t, false
	}
	var err error
	if t.ns, err = strconv.ParseUint(f[0], 10, 64); err != nil {
		return t, false
	}
	if t.pid, err = strconv.Atoi(f[1]); err != nil || t.pid <= 0 {
		return t, false
	}
	if t.start, err = strconv.ParseUint(f[2], 10, 64); err != nil {
		return t, false
	}
	return t, true
}

// deadHost reports whether the host that tag t names is known to be gone,
// judged from this host (tagged self): false when t belongs to another PID
// namespace, whose processes this one cannot see.
func deadHost(t, self hostTag) bool {
	if t.ns != self.ns {
		return false
	}
	if t == self {
		return false
	}
	start, err := procStart(t.pid)
	if errors.Is(err, os.ErrNotExist) {
		return true // no such process
	}
	return err == nil && start != t.start // the pid is another process's now
}

// workerDirPrefix begins the names of the workers' host directories.
const workerDirPrefix = "toolsmith-worker-"

// removeStaleDirs removes the worker directories that hosts which are gone
// left in dir (see hostTag for which): only directories, not symbolic links,
// owned by this host's user. It returns how many it removed.
func removeStaleDirs(dir string, self hostTag) (removed int, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	for _, e := range entries {
		t, ok := parseTag(e.Name(), workerDirPrefix)
		if !ok || !deadHost(t, self) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		st, lerr := os.Lstat(path)
		if lerr != nil || !st.IsDir() {
			continue
		}
		if sys, ok := st.Sys().(*syscall.Stat_t); !ok || int(sys.Uid) != os.Getuid() {
			continue
		}
		if rerr := os.RemoveAll(path); rerr != nil {
			err = errors.Join(err, rerr)
			continue
		}
		removed++
	}
	return removed, err
}
