package search

// entry is what open lists hold: a state id (eager search) or a parent
// state and the operator to apply to it (lazy search), with the g value it
// was queued with.
type entry struct {
	id, op int32
	g      int64
}

type heapEntry struct {
	k1, k2 int64
	seq    uint64
	e      entry
}

// keyHeap is a min-heap on (k1, k2, insertion order): ties go first in,
// first out, as in Fast Downward's open lists.
type keyHeap struct {
	items []heapEntry
	seq   uint64
}

func (h *keyHeap) less(a, b *heapEntry) bool {
	if a.k1 != b.k1 {
		return a.k1 < b.k1
	}
	if a.k2 != b.k2 {
		return a.k2 < b.k2
	}
	return a.seq < b.seq
}

func (h *keyHeap) push(k1, k2 int64, e entry) {
	h.seq++
	h.items = append(h.items, heapEntry{k1, k2, h.seq, e})
	s := h.items
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(&s[i], &s[p]) {
			break
		}
		s[p], s[i] = s[i], s[p]
		i = p
	}
}

func (h *keyHeap) pop() entry {
	s := h.items
	top := s[0].e
	n := len(s) - 1
	s[0] = s[n]
	s = s[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && h.less(&s[r], &s[l]) {
			m = r
		}
		if !h.less(&s[m], &s[i]) {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	h.items = s
	return top
}

func (h *keyHeap) len() int { return len(h.items) }

// alternation takes turns among several open lists, always popping from the
// non-empty list used least so far; boosting makes the preferred-operator
// lists win the next 1000 turns (LAMA's boost on progress).
type alternation struct {
	lists     []*keyHeap
	priority  []int64
	preferred []bool
}

func (a *alternation) add(preferred bool) int {
	a.lists = append(a.lists, &keyHeap{})
	a.priority = append(a.priority, 0)
	a.preferred = append(a.preferred, preferred)
	return len(a.lists) - 1
}

func (a *alternation) pop() (entry, bool) {
	best := -1
	for i, l := range a.lists {
		if l.len() > 0 && (best < 0 || a.priority[i] < a.priority[best]) {
			best = i
		}
	}
	if best < 0 {
		return entry{}, false
	}
	a.priority[best]++
	return a.lists[best].pop(), true
}

func (a *alternation) boost(amount int64) {
	for i := range a.lists {
		if a.preferred[i] {
			a.priority[i] -= amount
		}
	}
}

func (a *alternation) size() int {
	n := 0
	for _, l := range a.lists {
		n += l.len()
	}
	return n
}
