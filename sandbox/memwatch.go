package sandbox

import "runtime/metrics"

// DefaultMemoryBytes is the default memory budget of a call.
const DefaultMemoryBytes = 256 << 20

// memWatch measures the memory the Go runtime holds for the process
// (heap objects, stacks, metadata; not address space it merely reserved)
// and compares it with a budget on top of what the worker used when idle.
type memWatch struct {
	limit   uint64
	half    uint64 // the idle use plus half the budget
	samples []metrics.Sample
}

func newMemWatch(budget uint64) *memWatch {
	m := &memWatch{samples: []metrics.Sample{
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
	}}
	idle := m.inUse()
	m.limit, m.half = idle+budget, idle+budget/2
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

// over reports the memory in use and whether it exceeds the limit.
func (m *memWatch) over() (uint64, bool) {
	u := m.inUse()
	return u, u > m.limit
}
