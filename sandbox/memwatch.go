package sandbox

import (
	"runtime/metrics"
	"syscall"
)

// DefaultMemoryBytes is the default memory budget of a call.
const DefaultMemoryBytes = 256 << 20

// MinMemoryBytes is the smallest memory budget: the worker itself (its
// binary's pages and the runtime) takes about 15 MiB of it.
const MinMemoryBytes = 32 << 20

// memWatch holds a worker's resident memory under its budget from the
// inside. The budget bounds the whole worker process (its peak RSS, as the
// kernel counts it, and its cgroup where there is one): the worker's own
// resident memory when idle (the binary's pages, the runtime) is taken off
// first, and what remains, less a margin, is what the Go heap may grow by.
// The watch measures the memory the runtime holds for the process (heap
// objects, stacks, metadata; not address space it merely reserved).
type memWatch struct {
	limit   uint64 // the runtime's memory in use at which a call is stopped
	half    uint64 // idle use plus half of what the tool may take
	idle    uint64 // the runtime's memory in use when idle
	own     uint64 // the worker's resident memory when idle
	samples []metrics.Sample
}

func newMemWatch(budget uint64) *memWatch {
	m := &memWatch{samples: []metrics.Sample{
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
	}}
	m.idle = m.inUse()
	var ru syscall.Rusage
	// A race-built worker's RSS is mostly the detector's shadow memory,
	// which its cgroup makes room for beside the budget.
	if !raceEnabled && syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		m.own = uint64(ru.Maxrss) * 1024 // KiB on Linux
	}
	m.own = max(m.own, m.idle)
	room := budget / 4 // a floor for budgets below the worker's own size
	if budget > m.own+budget/16+room {
		room = budget - m.own - budget/16
	}
	m.limit, m.half = m.idle+room, m.idle+room/2
	return m
}

// inUse is the memory the runtime holds and has not returned or kept free.
func (m *memWatch) inUse() uint64 {
	metrics.Read(m.samples)
	v := func(i int) uint64 {
		if m.samples[i].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return m.samples[i].Value.Uint64()
	}
	return v(0) - v(1) - v(2)
}

// over reports the memory the tool has taken and whether the worker is over
// its limit.
func (m *memWatch) over() (tool uint64, over bool) {
	u := m.inUse()
	return u - min(u, m.idle), u > m.limit
}
