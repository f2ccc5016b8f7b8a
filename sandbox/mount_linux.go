package sandbox

import (
	"bufio"
	"debug/elf"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/sys/unix"
)

// boundFile is a file of the host that the worker's root holds read-only.
type boundFile struct {
	target string // its path in the worker's root
	source string // its path on the host
}

// neededFiles lists the files the worker's binary needs to be executed
// again inside the new root: its ELF interpreter (under the name the binary
// asks for) and the shared libraries mapped into this process. env is the
// loader's search path for them. A static binary needs none.
func neededFiles() (files []boundFile, env []string, err error) {
	f, err := elf.Open("/proc/self/exe")
	if err != nil {
		return nil, nil, fmt.Errorf("reading the worker binary: %w", err)
	}
	defer f.Close()
	interp := ""
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			b := make([]byte, p.Filesz)
			if _, err := p.ReadAt(b, 0); err != nil {
				return nil, nil, fmt.Errorf("reading the ELF interpreter's name: %w", err)
			}
			interp = strings.TrimRight(string(b), "\x00")
		}
	}
	if interp == "" {
		return nil, nil, nil
	}
	real, err := filepath.EvalSymlinks(interp)
	if err != nil {
		return nil, nil, fmt.Errorf("ELF interpreter: %w", err)
	}
	files = append(files, boundFile{target: interp, source: real})
	maps, err := os.Open("/proc/self/maps")
	if err != nil {
		return nil, nil, err
	}
	defer maps.Close()
	exe, _ := os.Readlink("/proc/self/exe")
	var dirs []string
	sc := bufio.NewScanner(maps)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 6 || !strings.HasPrefix(fields[5], "/") || fields[5] == exe {
			continue
		}
		p := fields[5]
		if slices.ContainsFunc(files, func(b boundFile) bool { return b.target == p }) {
			continue
		}
		if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() {
			continue
		}
		files = append(files, boundFile{target: p, source: p})
		if p != real && !slices.Contains(dirs, filepath.Dir(p)) {
			dirs = append(dirs, filepath.Dir(p))
		}
	}
	if len(dirs) > 0 {
		env = []string{"LD_LIBRARY_PATH=" + strings.Join(dirs, ":")}
	}
	return files, env, sc.Err()
}

// buildRoot replaces the process's root by an empty tmpfs holding the files
// read-only and a private tmpfs of tmpBytes at /tmp, and makes it
// read-only; the host's file system is then out of reach. The mount
// namespace is the worker's own, so none of this is seen outside.
func buildRoot(files []boundFile, tmpBytes int) error {
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("making mounts private: %w", err)
	}
	// The new root is staged on /tmp, which every system has.
	base := "/tmp"
	if err := unix.Mount("tmpfs", base, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "size=1m,mode=0755"); err != nil {
		return fmt.Errorf("mounting the new root: %w", err)
	}
	for _, f := range files {
		t := filepath.Join(base, f.target)
		if err := os.MkdirAll(filepath.Dir(t), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(t, nil, 0o644); err != nil {
			return err
		}
		if err := unix.Mount(f.source, t, "", unix.MS_BIND, ""); err != nil {
			return fmt.Errorf("binding %s: %w", f.source, err)
		}
		var st unix.Statfs_t
		if err := unix.Statfs(f.source, &st); err != nil {
			return err
		}
		// A remount must keep the flags the source's mount has locked.
		flags := uintptr(unix.MS_BIND | unix.MS_REMOUNT | unix.MS_RDONLY | unix.MS_NOSUID | unix.MS_NODEV)
		for _, m := range []struct{ st, ms uintptr }{
			{unix.ST_NOEXEC, unix.MS_NOEXEC}, {unix.ST_NOATIME, unix.MS_NOATIME},
			{unix.ST_NODIRATIME, unix.MS_NODIRATIME}, {unix.ST_RELATIME, unix.MS_RELATIME},
		} {
			if uintptr(st.Flags)&m.st != 0 {
				flags |= m.ms
			}
		}
		if err := unix.Mount("", t, "", flags, ""); err != nil {
			return fmt.Errorf("making %s read-only: %w", f.target, err)
		}
	}
	tmp := filepath.Join(base, "tmp")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return err
	}
	if err := unix.Mount("tmpfs", tmp, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, fmt.Sprintf("size=%d,mode=0777", tmpBytes)); err != nil {
		return fmt.Errorf("mounting the private /tmp: %w", err)
	}
	if err := os.Chdir(base); err != nil {
		return err
	}
	// pivot_root(".", ".") stacks the old root on the new one; detaching
	// it leaves the new root alone.
	if err := unix.PivotRoot(".", "."); err != nil {
		return fmt.Errorf("pivot_root: %w", err)
	}
	if err := unix.Unmount(".", unix.MNT_DETACH); err != nil {
		return fmt.Errorf("detaching the old root: %w", err)
	}
	if err := os.Chdir("/"); err != nil {
		return err
	}
	if err := unix.Mount("", "/", "", unix.MS_BIND|unix.MS_REMOUNT|unix.MS_RDONLY|unix.MS_NOSUID|unix.MS_NODEV, ""); err != nil {
		return fmt.Errorf("making the root read-only: %w", err)
	}
	return nil
}
