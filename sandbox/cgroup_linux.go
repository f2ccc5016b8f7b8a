package sandbox

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// cgroupParent is where this host makes its workers' cgroups: beside
// itself, in the cgroup it runs in (cgroup v2 with the memory and pids
// controllers delegated, or the v1 memory and pids hierarchies).
type cgroupParent struct {
	v2     string // the v2 directory, or ""
	memory string // v1: the memory hierarchy's directory
	pids   string // v1: the pids hierarchy's directory
	// tag names this host process in its cgroups' names (see hostTag).
	tag hostTag
}

// A host's cgroups (and the probes that test whether it may make them) are
// named for it (see hostTag):
//
//	toolsmith-sandbox-TAG-RANDOM   (toolsmith-probe-TAG-RANDOM for probes)
//
// A host that crashes leaves its cgroups behind (its workers die with it);
// the next host to start removes those it can prove dead (see deadHost),
// and the kernel refuses to remove a cgroup that still holds a process.
const (
	cgroupPrefix = "toolsmith-sandbox-"
	probePrefix  = "toolsmith-probe-"
)

// uniqueName returns a name for a new cgroup or probe of this host.
func (p *cgroupParent) uniqueName(prefix string) string {
	return fmt.Sprintf("%s%s-%08x", prefix, p.tag, rand.Uint32())
}

// removeStale removes the cgroups and probes that hosts no longer running
// left in p's directories (see cgroupPrefix for which), and returns how
// many it removed and what it could not remove.
func (p *cgroupParent) removeStale() (removed int, err error) {
	for _, dir := range []string{p.v2, p.memory, p.pids} {
		if dir == "" {
			continue
		}
		entries, rerr := os.ReadDir(dir)
		if rerr != nil {
			err = errors.Join(err, rerr)
			continue
		}
		for _, e := range entries {
			t, ok := parseTag(e.Name(), cgroupPrefix, probePrefix)
			if !ok || !e.IsDir() || !deadHost(t, p.tag) {
				continue
			}
			// rmdir: the kernel refuses a cgroup with tasks or children.
			if rerr := os.Remove(filepath.Join(dir, e.Name())); rerr != nil {
				err = errors.Join(err, rerr)
				continue
			}
			removed++
		}
	}
	return removed, err
}

// cgroup is one worker's cgroup: a directory per hierarchy.
type cgroup struct {
	v2     bool
	dirs   []string
	memory string // the directory with the memory controller's files
	limit  int64
	tasks  uint64
}

// findCgroups finds where workers' cgroups can be made, or says why not.
func findCgroups() (*cgroupParent, string) {
	self, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return nil, "cannot read /proc/self/cgroup: " + err.Error()
	}
	mounts, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return nil, "cannot read /proc/self/mountinfo: " + err.Error()
	}
	paths := map[string]string{} // controller ("" for v2) -> path
	for _, line := range strings.Split(string(self), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		if parts[0] == "0" && parts[1] == "" {
			paths[""] = parts[2]
			continue
		}
		for _, c := range strings.Split(parts[1], ",") {
			paths[c] = parts[2]
		}
	}
	tag, err := selfTag()
	if err != nil {
		return nil, "cannot name the workers' cgroups: " + err.Error()
	}
	p := &cgroupParent{tag: tag}
	var v2mount string
	sc := bufio.NewScanner(bytes.NewReader(mounts))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		sep := -1
		for i, x := range f {
			if x == "-" {
				sep = i
				break
			}
		}
		if sep < 0 || sep+3 >= len(f) || len(f) < 5 {
			continue
		}
		root, point, fstype, opts := f[3], f[4], f[sep+1], f[sep+3]
		dir := func(cg string) string {
			rel, err := filepath.Rel(root, cg)
			if err != nil || strings.HasPrefix(rel, "..") {
				return ""
			}
			return filepath.Join(point, rel)
		}
		switch fstype {
		case "cgroup2":
			if cg, ok := paths[""]; ok {
				v2mount = dir(cg)
			}
		case "cgroup":
			for _, o := range strings.Split(opts, ",") {
				switch o {
				case "memory":
					p.memory = dir(paths["memory"])
				case "pids":
					p.pids = dir(paths["pids"])
				}
			}
		}
	}
	if p.memory != "" && p.pids != "" && p.writable(p.memory) && p.writable(p.pids) {
		return p, ""
	}
	if v2mount != "" {
		ctl, _ := os.ReadFile(filepath.Join(v2mount, "cgroup.controllers"))
		sub, _ := os.ReadFile(filepath.Join(v2mount, "cgroup.subtree_control"))
		have := strings.Fields(string(ctl))
		if !slices.Contains(have, "memory") || !slices.Contains(have, "pids") {
			return nil, fmt.Sprintf("cgroup v2 at %s lacks the memory and pids controllers", v2mount)
		}
		on := strings.Fields(string(sub))
		if !slices.Contains(on, "memory") || !slices.Contains(on, "pids") {
			if err := os.WriteFile(filepath.Join(v2mount, "cgroup.subtree_control"), []byte("+memory +pids"), 0); err != nil {
				return nil, fmt.Sprintf("cgroup v2 at %s: cannot delegate memory and pids to child cgroups: %v", v2mount, err)
			}
		}
		if p.writable(v2mount) {
			p.v2 = v2mount
			return p, ""
		}
		return nil, "cgroup v2 at " + v2mount + " is not writable"
	}
	switch {
	case p.memory == "" || p.pids == "":
		return nil, "no cgroup v2 and no cgroup v1 memory and pids hierarchies"
	default:
		return nil, "the cgroup v1 memory and pids hierarchies are not writable"
	}
}

// writable reports whether a child cgroup can be made in dir.
// The probe's name is this host's own (pools of one process start at once).
func (p *cgroupParent) writable(dir string) bool {
	probe := filepath.Join(dir, p.uniqueName(probePrefix))
	if err := os.Mkdir(probe, 0o755); err != nil {
		return false
	}
	return os.Remove(probe) == nil
}

// create makes a worker's cgroup holding its memory at limit bytes (swap
// included where the kernel accounts it) and its tasks at tasks.
func (p *cgroupParent) create(limit int64, tasks uint64) (*cgroup, error) {
	// Unique among all pools of this host (each has its own parent value),
	// and among hosts (see cgroupPrefix).
	name := p.uniqueName(cgroupPrefix)
	cg := &cgroup{limit: limit, tasks: tasks}
	write := func(dir, file, value string, must bool) error {
		err := os.WriteFile(filepath.Join(dir, file), []byte(value), 0)
		if err != nil && must {
			return fmt.Errorf("cgroup %s: %w", filepath.Join(dir, file), err)
		}
		return nil
	}
	mk := func(parent string) (string, error) {
		d := filepath.Join(parent, name)
		if err := os.Mkdir(d, 0o755); err != nil {
			return "", err
		}
		cg.dirs = append(cg.dirs, d)
		return d, nil
	}
	var err error
	if p.v2 != "" {
		cg.v2 = true
		var d string
		if d, err = mk(p.v2); err == nil {
			cg.memory = d
			err = errors.Join(write(d, "memory.max", strconv.FormatInt(limit, 10), true),
				write(d, "memory.swap.max", "0", false),
				write(d, "pids.max", strconv.FormatUint(tasks, 10), true))
		}
	} else {
		var m, t string
		if m, err = mk(p.memory); err == nil {
			cg.memory = m
			err = errors.Join(write(m, "memory.limit_in_bytes", strconv.FormatInt(limit, 10), true),
				write(m, "memory.memsw.limit_in_bytes", strconv.FormatInt(limit, 10), false))
		}
		if err == nil {
			if t, err = mk(p.pids); err == nil {
				err = write(t, "pids.max", strconv.FormatUint(tasks, 10), true)
			}
		}
	}
	if err != nil {
		cg.remove()
		return nil, err
	}
	return cg, nil
}

// add moves process pid into the cgroup.
func (c *cgroup) add(pid int) error {
	for _, d := range c.dirs {
		if err := os.WriteFile(filepath.Join(d, "cgroup.procs"), []byte(strconv.Itoa(pid)), 0); err != nil {
			return fmt.Errorf("cgroup %s: %w", d, err)
		}
	}
	return nil
}

// oomKilled reports whether the kernel killed a task of the cgroup for
// want of memory.
func (c *cgroup) oomKilled() bool {
	if c == nil {
		return false
	}
	file := "memory.oom_control"
	if c.v2 {
		file = "memory.events"
	}
	b, err := os.ReadFile(filepath.Join(c.memory, file))
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "oom_kill" && f[1] != "0" {
			return true
		}
	}
	return false
}

// remove deletes the cgroup once its tasks are gone (a killed process
// leaves its cgroup a moment after it has been reaped). Safe on nil.
func (c *cgroup) remove() {
	if c == nil {
		return
	}
	for _, d := range c.dirs {
		for i := 0; i < 50; i++ {
			if err := os.Remove(d); err == nil || errors.Is(err, os.ErrNotExist) {
				break
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
}

// describe says what the cgroup holds.
func (c *cgroup) describe() string {
	v := "v1"
	if c.v2 {
		v = "v2"
	}
	return fmt.Sprintf("cgroup %s: memory %d MiB, %d tasks", v, c.limit>>20, c.tasks)
}
