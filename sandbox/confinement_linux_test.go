package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// TestReportIsTrue checks from the host what a worker's report claims:
// every layer it calls active is seen in /proc, on every thread.
func TestReportIsTrue(t *testing.T) {
	p := newTestPool(t, Options{Workers: 1, MemoryBytes: 64 << 20, OpenFiles: 48, CPUSeconds: 30, Processes: 777})
	rep := p.Confinement()
	pid := idlePID(p)
	proc := func(name string) string {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/%s", pid, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	active := func(l Layer) bool {
		if !rep.Active(l) {
			t.Logf("%s is missing on this system: %s", l, rep.status(l).Detail)
			return false
		}
		return true
	}

	for _, kv := range strings.Split(strings.TrimRight(proc("environ"), "\x00"), "\x00") {
		if !strings.HasPrefix(kv, workerEnv+"=") && !strings.HasPrefix(kv, "LD_LIBRARY_PATH=") {
			t.Errorf("worker environment has %q", kv)
		}
	}
	if strings.Contains(proc("environ"), os.Getenv(secretEnv)) {
		t.Error("the host secret reached the worker's environment")
	}
	if pgid, err := syscall.Getpgid(pid); err != nil || pgid != pid {
		t.Errorf("worker process group %d (%v), want its own (%d)", pgid, err, pid)
	}
	for _, n := range namespaceLayers {
		link := n.name
		if link == "mount" {
			link = "mnt"
		}
		mine, _ := os.Readlink("/proc/self/ns/" + link)
		theirs, err := os.Readlink(fmt.Sprintf("/proc/%d/ns/%s", pid, link))
		if err != nil {
			t.Fatal(err)
		}
		if active(n.layer) && theirs == mine {
			t.Errorf("%s: the worker shares the host's namespace %s", n.layer, theirs)
		}
	}
	if active(LayerUserNamespace) {
		if uid := strings.Fields(proc("uid_map")); len(uid) < 2 || uid[1] == "0" {
			t.Errorf("root inside maps to host root: %v", uid)
		}
	}
	if active(LayerMountNamespace) {
		root := fmt.Sprintf("/proc/%d/root/", pid)
		var seen []string
		filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				seen = append(seen, "/"+strings.TrimPrefix(path, root))
			}
			return nil
		})
		for _, f := range seen {
			if !strings.Contains(f, ".so") && !strings.HasPrefix(f, "/tmp/") {
				t.Errorf("the worker's root holds %s", f)
			}
		}
		if cwd, _ := os.Readlink(fmt.Sprintf("/proc/%d/cwd", pid)); cwd != "/tmp" {
			t.Errorf("worker directory %s, want its private /tmp", cwd)
		}
	}
	// Per-thread attributes, on every thread of the process.
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil || len(tasks) < 2 {
		t.Fatalf("threads: %v %v", tasks, err)
	}
	for _, task := range tasks {
		st := proc("task/" + task.Name() + "/status")
		if active(LayerNoNewPrivs) && !strings.Contains(st, "NoNewPrivs:\t1") {
			t.Errorf("thread %s lacks no_new_privs", task.Name())
		}
		if active(LayerSeccomp) && !strings.Contains(st, "Seccomp:\t2") {
			t.Errorf("thread %s has no seccomp filter", task.Name())
		}
		if active(LayerCapabilities) {
			for _, c := range []string{"CapPrm:\t0000000000000000", "CapEff:\t0000000000000000", "CapBnd:\t0000000000000000"} {
				if !strings.Contains(st, c) {
					t.Errorf("thread %s: want %s in\n%s", task.Name(), c, st)
				}
			}
		}
	}
	if active(LayerRlimits) {
		limits := proc("limits")
		for _, want := range []string{"Max cpu time              30", "Max processes             777", "Max open files            48", "Max core file size        0"} {
			if !strings.Contains(limits, want) {
				t.Errorf("limits lack %q:\n%s", want, limits)
			}
		}
		if !raceEnabled && !strings.Contains(limits, fmt.Sprintf("Max data size             %d", 64<<20+dataOverhead)) {
			t.Errorf("data limit not set:\n%s", limits)
		}
	}
	if active(LayerCgroup) {
		cg := proc("cgroup")
		if !strings.Contains(cg, "toolsmith-sandbox-") {
			t.Errorf("the worker is not in a cgroup of its own:\n%s", cg)
		}
	}
	if !slices.Equal(rep.Missing(), nil) {
		t.Logf("missing layers: %v", rep.Missing())
	}
}
