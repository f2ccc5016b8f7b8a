package sandbox

import (
	"encoding/base64"
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A worker confines itself in two stages, because no_new_privs, Landlock and
// capabilities belong to a thread, not to a process, and the Go runtime has
// started several threads before any of our code runs:
//
//  1. The process the host started (in its new namespaces) builds its
//     minimal root, sets no_new_privs, enters its Landlock domain and drops
//     every capability — all on one locked thread — and re-executes its
//     binary from that thread. Execution keeps only the calling thread, so
//     the second image starts with all of it on every thread it will ever
//     have.
//  2. The second image installs its seccomp filter on every thread
//     (SECCOMP_FILTER_FLAG_TSYNC), sets its resource limits and serves.
//
// The first stage passes its report to the second on the command line.

// confine applies the confinement of the current stage. In the first stage
// it returns only on failure; in the second it returns the worker's report
// and its temporary directory.
func confine(cfg workerConfig) (Confinement, string, error) {
	if cfg.stage == 1 {
		return Confinement{}, "", stageOne(cfg)
	}
	return stageTwo(cfg)
}

func stageOne(cfg workerConfig) error {
	runtime.LockOSThread() // everything below is per thread, and exec keeps only this one
	var rep Confinement
	off := func(l Layer) bool { return has(cfg.without, string(l)) }
	for _, n := range namespaceLayers {
		if has(cfg.namespaces, n.name) && n.layer != LayerMountNamespace {
			rep.set(n.layer, true, namespaceDetail(n.name))
		}
	}
	if has(cfg.namespaces, "uts") {
		_ = unix.Sethostname([]byte("toolsmith-sandbox"))
	}
	files, env, ferr := neededFiles()
	tmp := cfg.tmp
	switch {
	case !has(cfg.namespaces, "mount"):
	case ferr != nil:
		rep.set(LayerMountNamespace, false, "cannot tell which files the worker needs: "+ferr.Error())
	default:
		if err := buildRoot(files, tmpfsBytes); err != nil {
			rep.set(LayerMountNamespace, false, "building the root failed: "+err.Error())
		} else {
			tmp = "/tmp"
			rep.set(LayerMountNamespace, true, fmt.Sprintf("read-only root with %d files bound read-only, private %d MiB tmpfs at /tmp", len(files), tmpfsBytes>>20))
		}
	}
	if err := os.Chdir(tmp); err != nil {
		return fmt.Errorf("entering the temporary directory %s: %w (mount namespace: %s)", tmp, err, rep.status(LayerMountNamespace).Detail)
	}
	if off(LayerNoNewPrivs) {
		rep.set(LayerNoNewPrivs, false, "turned off by Options.Without")
	} else if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		rep.set(LayerNoNewPrivs, false, "prctl: "+err.Error())
	}
	switch {
	case off(LayerLandlock):
		rep.set(LayerLandlock, false, "turned off by Options.Without")
	case ferr != nil:
		rep.set(LayerLandlock, false, "cannot tell which files the worker needs: "+ferr.Error())
	default:
		detail, err := landlockRestrict(tmp, files)
		rep.set(LayerLandlock, err == nil, detail)
	}
	if off(LayerCapabilities) {
		rep.set(LayerCapabilities, false, "turned off by Options.Without")
	} else {
		dropCapabilities() // checked by the second stage
	}
	cfg.stage, cfg.tmp = 2, tmp
	cfg.applied = base64.RawURLEncoding.EncodeToString(encodeHello(hello{Report: rep}))
	argv := append(append([]string{os.Args[0]}, workerArgsPrefix()...), cfg.args()...)
	return execFD(exeFD, argv, append([]string{fmt.Sprintf("%s=%d", workerEnv, protocolVersion)}, env...))
}

// workerArgsPrefix is what came before the worker's own flags on the
// command line the host gave: "sandbox-worker", or a custom command's
// arguments (Options.Command).
func workerArgsPrefix() []string {
	for i, a := range os.Args[1:] {
		if strings.HasPrefix(a, "-memory") {
			return os.Args[1 : 1+i]
		}
	}
	return os.Args[1:]
}

// execFD replaces the process image by the binary open as fd, from the
// calling thread.
func execFD(fd int, argv, env []string) error {
	argvp, err := syscall.SlicePtrFromStrings(argv)
	if err != nil {
		return err
	}
	envp, err := syscall.SlicePtrFromStrings(env)
	if err != nil {
		return err
	}
	empty, _ := syscall.BytePtrFromString("")
	_, _, errno := unix.Syscall6(unix.SYS_EXECVEAT, uintptr(fd), uintptr(unsafe.Pointer(empty)),
		uintptr(unsafe.Pointer(&argvp[0])), uintptr(unsafe.Pointer(&envp[0])), unix.AT_EMPTY_PATH, 0)
	return fmt.Errorf("re-executing the worker: %w", errno)
}

func namespaceDetail(name string) string {
	switch name {
	case "user":
		uid, _ := hostID()
		if b, err := os.ReadFile("/proc/self/uid_map"); err == nil {
			if f := strings.Fields(string(b)); len(f) >= 2 {
				return "root inside is uid " + f[1] + " outside"
			}
		}
		return fmt.Sprintf("root inside is uid %d outside", uid)
	case "pid":
		return fmt.Sprintf("process %d of its own PID namespace", os.Getpid())
	case "net":
		return "no network interface up, loopback included"
	case "ipc":
		return "System V IPC and message queues of its own"
	case "uts":
		return "host name toolsmith-sandbox"
	}
	return ""
}

// dropCapabilities empties the thread's bounding and ambient sets, so that
// the next image holds no capability even as root of its user namespace.
func dropCapabilities() {
	for c := 0; c <= unix.CAP_LAST_CAP; c++ {
		_ = unix.Prctl(unix.PR_CAPBSET_DROP, uintptr(c), 0, 0, 0)
	}
	_ = unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
}

// noCapabilities reports whether the process holds no capability and
// cannot gain one by executing a program.
func noCapabilities() (bool, string) {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		return false, "capget: " + err.Error()
	}
	for _, d := range data {
		if d.Effective != 0 || d.Permitted != 0 || d.Inheritable != 0 {
			return false, fmt.Sprintf("capabilities held: effective %#x permitted %#x", uint64(data[1].Effective)<<32|uint64(data[0].Effective), uint64(data[1].Permitted)<<32|uint64(data[0].Permitted))
		}
	}
	for c := 0; c <= unix.CAP_LAST_CAP; c++ {
		if r, _ := unix.PrctlRetInt(unix.PR_CAPBSET_READ, uintptr(c), 0, 0, 0); r == 1 {
			return false, "none held, but the bounding set still has some"
		}
	}
	return true, "none held, bounding set empty"
}

func stageTwo(cfg workerConfig) (Confinement, string, error) {
	_ = unix.Close(exeFD)
	var rep Confinement
	if cfg.applied != "" {
		b, err := base64.RawURLEncoding.DecodeString(cfg.applied)
		if err != nil {
			return rep, "", fmt.Errorf("bad first-stage report: %w", err)
		}
		h, err := decodeHello(b)
		if err != nil {
			return rep, "", fmt.Errorf("bad first-stage report: %w", err)
		}
		rep = h.Report
	}
	if rep.status(LayerNoNewPrivs).Detail == "" {
		if v, _ := unix.PrctlRetInt(unix.PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0); v == 1 {
			rep.set(LayerNoNewPrivs, true, "set before the process started: every thread has it")
		} else {
			rep.set(LayerNoNewPrivs, false, "not set")
		}
	}
	if rep.status(LayerCapabilities).Detail == "" {
		ok, detail := noCapabilities()
		rep.set(LayerCapabilities, ok, detail)
	}
	if detail, err := applyLimits(cfg); err != nil {
		rep.set(LayerRlimits, false, err.Error())
	} else {
		rep.set(LayerRlimits, true, detail)
	}
	if has(cfg.without, string(LayerSeccomp)) {
		rep.set(LayerSeccomp, false, "turned off by Options.Without")
	} else {
		detail, err := installSeccomp(os.Getpid())
		rep.set(LayerSeccomp, err == nil, detail)
	}
	return rep, cfg.tmp, nil
}
