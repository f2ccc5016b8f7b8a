package search

// A state is a bit set over the problem's facts, packed in uint64 words.
type state []uint64

func (s state) has(f int32) bool { return s[f>>6]&(1<<(uint(f)&63)) != 0 }
func (s state) set(f int32)      { s[f>>6] |= 1 << (uint(f) & 63) }
func (s state) clear(f int32)    { s[f>>6] &^= 1 << (uint(f) & 63) }

func allIn(s state, fs []int32) bool {
	for _, f := range fs {
		if s[f>>6]&(1<<(uint(f)&63)) == 0 {
			return false
		}
	}
	return true
}

func noneIn(s state, fs []int32) bool {
	for _, f := range fs {
		if s[f>>6]&(1<<(uint(f)&63)) != 0 {
			return false
		}
	}
	return true
}

// stateTable is the closed list: every state reached, packed into one arena
// and found again through an open-addressing hash table of state ids.
type stateTable struct {
	words int
	arena []uint64
	table []int32 // -1 empty
	n     int32
}

func newStateTable(words int) *stateTable {
	r := &stateTable{words: words, table: make([]int32, 1<<12)}
	for i := range r.table {
		r.table[i] = -1
	}
	return r
}

func (r *stateTable) get(id int32) state {
	o := int(id) * r.words
	return state(r.arena[o : o+r.words : o+r.words])
}

func hashState(s state) uint64 {
	h := uint64(0x9e3779b97f4a7c15)
	for _, w := range s {
		h ^= w
		h *= 0xff51afd7ed558ccd
		h ^= h >> 32
	}
	return h ^ (h >> 29)
}

func equalState(a, b state) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// lookup returns the id of s, or -1.
func (r *stateTable) lookup(s state) int32 {
	mask := uint64(len(r.table) - 1)
	for i := hashState(s) & mask; ; i = (i + 1) & mask {
		id := r.table[i]
		if id < 0 {
			return -1
		}
		if equalState(r.get(id), s) {
			return id
		}
	}
}

// insert adds s (copied) and returns its id and true, or the id of the equal
// state already present and false.
func (r *stateTable) insert(s state) (int32, bool) {
	if int(r.n)*2 >= len(r.table) {
		r.grow()
	}
	mask := uint64(len(r.table) - 1)
	i := hashState(s) & mask
	for ; ; i = (i + 1) & mask {
		id := r.table[i]
		if id < 0 {
			break
		}
		if equalState(r.get(id), s) {
			return id, false
		}
	}
	id := r.n
	r.n++
	r.arena = append(r.arena, s...)
	r.table[i] = id
	return id, true
}

func (r *stateTable) grow() {
	t := make([]int32, len(r.table)*2)
	for i := range t {
		t[i] = -1
	}
	mask := uint64(len(t) - 1)
	for id := int32(0); id < r.n; id++ {
		i := hashState(r.get(id)) & mask
		for t[i] >= 0 {
			i = (i + 1) & mask
		}
		t[i] = id
	}
	r.table = t
}

// bytes estimates the table's memory use.
func (r *stateTable) bytes() int64 {
	return int64(cap(r.arena))*8 + int64(len(r.table))*4
}
