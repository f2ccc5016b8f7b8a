//go:build unix

package sandbox

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// dataOverhead is added to the memory budget for RLIMIT_DATA: the worker's
// own runtime, interpreter and gRPC server (an idle toolsmith worker has a
// VmData of about 126 MiB, most of it the Go runtime's first heap arena).
const dataOverhead = 192 << 20

// applyLimits sets the worker's resource limits (soft and hard, so they can
// only go down) and forbids gaining privileges.
func applyLimits(c workerConfig) error {
	set := func(name string, res int, v uint64) error {
		if err := unix.Setrlimit(res, &unix.Rlimit{Cur: v, Max: v}); err != nil {
			return fmt.Errorf("setrlimit %s=%d: %w", name, v, err)
		}
		return nil
	}
	if !raceEnabled && c.memory > 0 {
		// The race detector maps terabytes of shadow memory, so a worker
		// built with -race relies on the memory watch alone.
		if err := set("RLIMIT_DATA", unix.RLIMIT_DATA, uint64(c.memory)+dataOverhead); err != nil {
			return err
		}
	}
	if c.cpuSeconds > 0 {
		if err := set("RLIMIT_CPU", unix.RLIMIT_CPU, c.cpuSeconds); err != nil {
			return err
		}
	}
	if c.openFiles > 0 {
		if err := set("RLIMIT_NOFILE", unix.RLIMIT_NOFILE, c.openFiles); err != nil {
			return err
		}
	}
	if c.processes > 0 {
		if err := set("RLIMIT_NPROC", unix.RLIMIT_NPROC, c.processes); err != nil {
			return err
		}
	}
	if err := set("RLIMIT_FSIZE", unix.RLIMIT_FSIZE, 0); err != nil {
		return err
	}
	if err := set("RLIMIT_CORE", unix.RLIMIT_CORE, 0); err != nil {
		return err
	}
	return noNewPrivileges()
}
