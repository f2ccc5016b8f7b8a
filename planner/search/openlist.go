package search

// entry is what open lists hold: a state id (eager search) or a parent
// state and the operator to apply to it (lazy search, which evaluates the
// successor only when the entry is taken).
type entry struct {
	id, op int32
}

// bucketList is a best-first open list: entries grouped in buckets by
// their key (k1, then k2), each bucket first in, first out, as Fast
// Downward's open lists are; an entry costs its 8 bytes. The keys present
// sit in a small min-heap.
type bucketList struct {
	keys    [][2]int64 // min-heap
	buckets map[[2]int64]*fifo
	pool    []*fifo
	n       int
	// The bucket of the last push: successors of one state share a key.
	lastKey    [2]int64
	lastBucket *fifo
}

type fifo struct {
	items []entry
	head  int
}

func (l *bucketList) push(k1, k2 int64, e entry) {
	k := [2]int64{k1, k2}
	b := l.lastBucket
	if b == nil || l.lastKey != k {
		if l.buckets == nil {
			l.buckets = map[[2]int64]*fifo{}
		}
		b = l.buckets[k]
		if b == nil {
			if n := len(l.pool); n > 0 {
				b, l.pool = l.pool[n-1], l.pool[:n-1]
			} else {
				b = &fifo{}
			}
			l.buckets[k] = b
			l.pushKey(k)
		}
		l.lastKey, l.lastBucket = k, b
	}
	b.items = append(b.items, e)
	l.n++
}

func (l *bucketList) pop() entry {
	k := l.keys[0]
	b := l.buckets[k]
	e := b.items[b.head]
	b.head++
	l.n--
	if b.head == len(b.items) {
		b.items, b.head = b.items[:0], 0
		delete(l.buckets, k)
		l.pool = append(l.pool, b)
		l.popKey()
		if l.lastBucket == b {
			l.lastBucket = nil
		}
	} else if b.head >= 1024 && b.head*2 >= len(b.items) {
		// Give the taken half of a long bucket back.
		n := copy(b.items, b.items[b.head:])
		b.items, b.head = b.items[:n], 0
	}
	return e
}

func (l *bucketList) len() int { return l.n }

func keyLess(a, b [2]int64) bool { return a[0] < b[0] || a[0] == b[0] && a[1] < b[1] }

func (l *bucketList) pushKey(k [2]int64) {
	l.keys = append(l.keys, k)
	h := l.keys
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if !keyLess(h[i], h[p]) {
			break
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
}

func (l *bucketList) popKey() {
	h := l.keys
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	for i := 0; ; {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && keyLess(h[r], h[c]) {
			c = r
		}
		if !keyLess(h[c], h[i]) {
			break
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
	l.keys = h
}

// bytes estimates the list's memory: its entries with the slack of their
// slices, and its buckets.
func (l *bucketList) bytes() int64 {
	return int64(l.n)*12 + int64(len(l.keys))*96
}

// alternation takes turns among several open lists, always popping from the
// non-empty list used least so far; boosting makes the lists of preferred
// successors win the next turns (LAMA's boost on progress).
type alternation struct {
	lists     []*bucketList
	priority  []int64
	preferred []bool
}

func (a *alternation) add(preferred bool) int {
	a.lists = append(a.lists, &bucketList{})
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

func (a *alternation) bytes() int64 {
	var n int64
	for _, l := range a.lists {
		n += l.bytes()
	}
	return n
}
