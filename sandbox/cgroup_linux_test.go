package sandbox

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// cgroupDirs lists a worker cgroup's directories.
func cgroupDirs(c *cgroup) []string {
	if c == nil {
		return nil
	}
	return c.dirs
}

// A host removes the cgroups that hosts which are gone left behind, and
// nothing else: not a live host's, not another PID namespace's, not one
// that still holds a process, not a name of another form.
func TestRemoveStaleCgroups(t *testing.T) {
	parent, why := findCgroups()
	if parent == nil {
		t.Skipf("no cgroup layer here: %s", why)
	}
	dir := parent.v2
	if dir == "" {
		dir = parent.pids
	}
	goneTag, liveTag := goneAndLive(t)
	self := parent.tag
	name := func(prefix string, tag hostTag, suffix string) string {
		return fmt.Sprintf("%s%s-%s", prefix, tag, suffix)
	}
	cases := []struct {
		what    string
		name    string
		removed bool
	}{
		{"a gone host's cgroup", name(cgroupPrefix, goneTag, "t1"), true},
		{"a gone host's probe", name(probePrefix, goneTag, "t2"), true},
		{"a gone host's cgroup whose pid is another process's now", name(cgroupPrefix, hostTag{self.ns, liveTag.pid, liveTag.start + 1}, "t3"), true},
		{"a live host's cgroup", name(cgroupPrefix, liveTag, "t4"), false},
		{"this host's own cgroup", name(cgroupPrefix, self, "t5"), false},
		{"a cgroup of another PID namespace", name(cgroupPrefix, hostTag{self.ns + 1, goneTag.pid, goneTag.start}, "t6"), false},
		{"a name of another form", "toolsmith-sandbox-" + strconv.Itoa(goneTag.pid) + "-1", false},
		{"a gone host's cgroup that still holds a process", name(cgroupPrefix, goneTag, "t7"), false},
	}
	for _, c := range cases {
		d := filepath.Join(dir, c.name)
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		t.Cleanup(func() { os.Remove(d) })
	}
	// The last one holds the live sleep (moved back out before cleanup).
	busy := filepath.Join(dir, cases[len(cases)-1].name)
	pid := []byte(strconv.Itoa(liveTag.pid))
	if err := os.WriteFile(filepath.Join(busy, "cgroup.procs"), pid, 0); err != nil {
		t.Fatal(err)
	}
	defer os.WriteFile(filepath.Join(dir, "cgroup.procs"), pid, 0)

	removed, err := parent.removeStale()
	if err == nil {
		t.Error("removing a cgroup that holds a process did not fail")
	}
	n := 0
	for _, c := range cases {
		_, serr := os.Stat(filepath.Join(dir, c.name))
		gone := errors.Is(serr, os.ErrNotExist)
		if gone != c.removed {
			t.Errorf("%s (%s): removed %v, want %v", c.what, c.name, gone, c.removed)
		}
		if gone {
			n++
		}
	}
	if removed < n { // more when a real host died here before
		t.Errorf("removeStale says it removed %d, %d are gone", removed, n)
	}
}

// Pools of one process make cgroups of distinct names: every worker of two
// pools started at once has its own (the names once repeated across pools,
// and a second pool's first workers ran without the cgroup layer).
func TestPoolsGetCgroupsOfTheirOwn(t *testing.T) {
	if parent, why := findCgroups(); parent == nil {
		t.Skipf("no cgroup layer here: %s", why)
	}
	a := newTestPool(t, Options{Workers: 2})
	b := newTestPool(t, Options{Workers: 2})
	seen := map[string]bool{}
	for _, p := range []*Pool{a, b} {
		for range 2 {
			w := <-p.idle
			defer func() { p.idle <- w }()
			if w.cg == nil {
				t.Errorf("worker %d has no cgroup: %s", w.pid, w.report.status(LayerCgroup).Detail)
				continue
			}
			for _, d := range w.cg.dirs {
				if seen[d] {
					t.Errorf("two workers share the cgroup %s", d)
				}
				seen[d] = true
			}
		}
	}
}
