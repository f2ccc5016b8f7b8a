//go:build unix

package sandbox

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// tmpfsBytes is the size of the worker's private temporary directory (what a
// tool writes there also counts against its memory cgroup), and the file
// size limit.
const tmpfsBytes = 16 << 20

// dataOverhead is added to the memory budget for RLIMIT_DATA, which counts
// address space the Go runtime reserves but never touches (an idle worker's
// VmData is about 126 MiB, most of it the runtime's first heap arena). The
// cgroup, where there is one, holds the resident memory to the budget.
const dataOverhead = 192 << 20

// applyLimits sets the worker's resource limits, soft and hard, so they can
// only go down, and says what they are.
func applyLimits(c workerConfig) (string, error) {
	set := func(name string, res int, v uint64) error {
		if err := unix.Setrlimit(res, &unix.Rlimit{Cur: v, Max: v}); err != nil {
			return fmt.Errorf("setrlimit %s=%d: %w", name, v, err)
		}
		return nil
	}
	detail := fmt.Sprintf("cpu %ds, nofile %d, nproc %d, fsize %d MiB, core 0", c.cpuSeconds, c.openFiles, c.processes, tmpfsBytes>>20)
	if !raceEnabled && c.memory > 0 {
		// The race detector maps terabytes of shadow memory, so a worker
		// built with -race relies on its memory watch and cgroup.
		if err := set("RLIMIT_DATA", unix.RLIMIT_DATA, uint64(c.memory)+dataOverhead); err != nil {
			return "", err
		}
		detail = fmt.Sprintf("data %d MiB, ", (uint64(c.memory)+dataOverhead)>>20) + detail
	}
	for _, l := range []struct {
		name  string
		res   int
		value uint64
	}{
		{"RLIMIT_CPU", unix.RLIMIT_CPU, c.cpuSeconds},
		{"RLIMIT_NOFILE", unix.RLIMIT_NOFILE, c.openFiles},
		{"RLIMIT_NPROC", unix.RLIMIT_NPROC, c.processes},
		{"RLIMIT_FSIZE", unix.RLIMIT_FSIZE, tmpfsBytes},
		{"RLIMIT_CORE", unix.RLIMIT_CORE, 0},
	} {
		if l.value == 0 && l.res != unix.RLIMIT_CORE {
			continue
		}
		if err := set(l.name, l.res, l.value); err != nil {
			return "", err
		}
	}
	return detail, nil
}
