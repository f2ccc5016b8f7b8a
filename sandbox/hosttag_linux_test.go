package sandbox

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestParseTag(t *testing.T) {
	for _, tc := range []struct {
		name string
		want hostTag
		ok   bool
	}{
		{"toolsmith-sandbox-4026531836-123-98765-0a1b2c3d", hostTag{4026531836, 123, 98765}, true},
		{"toolsmith-probe-4026531836-123-98765-0a1b2c3d", hostTag{4026531836, 123, 98765}, true},
		{"toolsmith-sandbox-123-4", hostTag{}, false}, // the names before host tags: not judged
		{"toolsmith-sandbox-4026531836-123-98765-", hostTag{}, false},
		{"toolsmith-sandbox-4026531836-0-98765-ab", hostTag{}, false},
		{"toolsmith-sandbox-x-123-98765-ab", hostTag{}, false},
		{"toolsmith-sandbox-1-2-3-4-5", hostTag{}, false},
		{"system.slice", hostTag{}, false},
		{"toolsmith-worker-4026531836-123-98765-0a1b2c3d", hostTag{}, false}, // not one of the prefixes asked for
	} {
		got, ok := parseTag(tc.name, cgroupPrefix, probePrefix)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("parseTag(%q) = %v, %v; want %v, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

// goneAndLive returns the tags of a host that is gone and of one that is
// live (a process of this test, killed at cleanup), in this PID namespace.
func goneAndLive(t *testing.T) (gone, live hostTag) {
	t.Helper()
	self, err := selfTag()
	if err != nil {
		t.Skipf("no host tag here: %v", err)
	}
	var tags [2]hostTag
	for i := range tags {
		cmd := exec.Command("sleep", "60")
		if err := cmd.Start(); err != nil {
			t.Skipf("cannot start sleep: %v", err)
		}
		start, err := procStart(cmd.Process.Pid)
		if err != nil {
			t.Fatal(err)
		}
		tags[i] = hostTag{ns: self.ns, pid: cmd.Process.Pid, start: start}
		if i == 0 {
			cmd.Process.Kill()
			cmd.Wait()
		} else {
			t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		}
	}
	return tags[0], tags[1]
}

// A host removes the worker directories that hosts which are gone left, and
// nothing else.
func TestRemoveStaleWorkerDirs(t *testing.T) {
	gone, live := goneAndLive(t)
	self, _ := selfTag()
	dir := t.TempDir()
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "keep"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	name := func(tag hostTag, suffix string) string { return fmt.Sprintf("%s%s-%s", workerDirPrefix, tag, suffix) }
	cases := []struct {
		what    string
		name    string
		make    func(path string) error
		removed bool
	}{
		{"a gone host's directory, with files", name(gone, "1"), func(p string) error {
			if err := os.MkdirAll(filepath.Join(p, "work"), 0o700); err != nil {
				return err
			}
			// A link inside is removed, not followed.
			return os.Symlink(outside, filepath.Join(p, "work", "link"))
		}, true},
		{"a live host's directory", name(live, "2"), mkdir, false},
		{"this host's own directory", name(self, "3"), mkdir, false},
		{"another PID namespace's directory", name(hostTag{gone.ns + 1, gone.pid, gone.start}, "4"), mkdir, false},
		{"a link named as a gone host's directory", name(gone, "5"), func(p string) error { return os.Symlink(outside, p) }, false},
		{"a file named as a gone host's directory", name(gone, "6"), func(p string) error { return os.WriteFile(p, nil, 0o600) }, false},
		{"a name of another form", workerDirPrefix + "123456", mkdir, false},
	}
	for _, c := range cases {
		if err := c.make(filepath.Join(dir, c.name)); err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
	}
	removed, err := removeStaleDirs(dir, self)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range cases {
		_, serr := os.Lstat(filepath.Join(dir, c.name))
		gone := errors.Is(serr, os.ErrNotExist)
		if gone != c.removed {
			t.Errorf("%s (%s): removed %v, want %v", c.what, c.name, gone, c.removed)
		}
		if gone {
			n++
		}
	}
	if removed != n {
		t.Errorf("removeStaleDirs says it removed %d, %d are gone", removed, n)
	}
	if _, err := os.Stat(filepath.Join(outside, "keep")); err != nil {
		t.Errorf("a file a link pointed to was removed: %v", err)
	}
	// A pool's workers' directories are named so.
	p := newTestPool(t, Options{Workers: 1})
	w := <-p.idle
	p.idle <- w
	if tag, ok := parseTag(filepath.Base(w.dir), workerDirPrefix); !ok || tag != self {
		t.Errorf("the worker directory %s is not named for this host (%v)", w.dir, self)
	}
}

func mkdir(path string) error { return os.Mkdir(path, 0o700) }
