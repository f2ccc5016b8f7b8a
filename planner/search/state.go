package search

import "math/bits"

// A state is a bit set over the task's facts, packed in uint64 words:
// the working form of a state while it is expanded or evaluated. Stored
// states are packed further (see layout).
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

func newState(nFacts int) state { return make(state, max(1, (nFacts+63)/64)) }

// layout packs the primary facts of a state into a few 32-bit bins, as
// Fast Downward packs its finite-domain variables: the facts are divided
// into variables, groups of facts of which at most one is true in any
// reachable state (see mutexGroups), and a variable with k facts takes
// the bits to count to k (0 for none true, i+1 for facts[i]). A fact in no
// group is a variable of one bit. Variables do not straddle bins.
type layout struct {
	vars []packedVar
	bins int
}

type packedVar struct {
	facts []int32
	bin   int32
	shift uint32
	mask  uint32 // of the value, before shifting
}

// newLayout packs the given groups (disjoint sets of primary facts) and
// every other primary fact of t, largest variables first, each into the
// first bin with room (first-fit decreasing).
func newLayout(t *Task, groups [][]int32) *layout {
	inGroup := make([]bool, t.Primary)
	var vars []packedVar
	for _, g := range groups {
		for _, f := range g {
			inGroup[f] = true
		}
		vars = append(vars, packedVar{facts: g})
	}
	for f := range int32(t.Primary) {
		if !inGroup[f] {
			vars = append(vars, packedVar{facts: []int32{f}})
		}
	}
	width := func(v *packedVar) uint32 { return uint32(bits.Len(uint(len(v.facts)))) }
	order := make([]int, len(vars))
	for i := range order {
		order[i] = i
	}
	// Stable order by width, widest first, keeps the layout deterministic.
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && width(&vars[order[j]]) > width(&vars[order[j-1]]); j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	var used []uint32
	for _, i := range order {
		v := &vars[i]
		w := width(v)
		v.mask = 1<<w - 1
		b := 0
		for b < len(used) && used[b]+w > 32 {
			b++
		}
		if b == len(used) {
			used = append(used, 0)
		}
		v.bin, v.shift = int32(b), used[b]
		used[b] += w
	}
	return &layout{vars: vars, bins: max(1, len(used))}
}

// pack writes the packed form of s's primary facts into dst (l.bins long).
func (l *layout) pack(s state, dst []uint32) {
	clear(dst)
	for i := range l.vars {
		v := &l.vars[i]
		for j, f := range v.facts {
			if s.has(f) {
				dst[v.bin] |= uint32(j+1) << v.shift
				break
			}
		}
	}
}

// unpack sets the primary facts of dst from a packed state; the rest of
// dst (derived facts) is cleared.
func (l *layout) unpack(src []uint32, dst state) {
	clear(dst)
	for i := range l.vars {
		v := &l.vars[i]
		if x := src[v.bin] >> v.shift & v.mask; x != 0 {
			dst.set(v.facts[x-1])
		}
	}
}

// stateTable stores every state reached, packed, in fixed-size chunks (so
// that growing never copies the states), and finds a state's id through an
// open-addressing hash table.
type stateTable struct {
	bins   int
	chunks [][]uint32
	table  []int32 // -1 empty
	n      int32
}

// chunkStates is the number of states a chunk of the table holds.
const chunkStates = 1 << 14

func newStateTable(bins int) *stateTable {
	r := &stateTable{bins: bins, table: make([]int32, 1<<12)}
	for i := range r.table {
		r.table[i] = -1
	}
	return r
}

func (r *stateTable) get(id int32) []uint32 {
	o := int(id&(chunkStates-1)) * r.bins
	return r.chunks[id/chunkStates][o : o+r.bins : o+r.bins]
}

func hashPacked(s []uint32) uint64 {
	h := uint64(0x9e3779b97f4a7c15)
	for _, w := range s {
		h ^= uint64(w)
		h *= 0xff51afd7ed558ccd
		h ^= h >> 32
	}
	return h ^ (h >> 29)
}

func equalPacked(a, b []uint32) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// lookup returns the id of s, or -1.
func (r *stateTable) lookup(s []uint32) int32 {
	mask := uint64(len(r.table) - 1)
	for i := hashPacked(s) & mask; ; i = (i + 1) & mask {
		id := r.table[i]
		if id < 0 {
			return -1
		}
		if equalPacked(r.get(id), s) {
			return id
		}
	}
}

// insert adds s (copied) and returns its id and true, or the id of the equal
// state already present and false.
func (r *stateTable) insert(s []uint32) (int32, bool) {
	if int(r.n)*2 >= len(r.table) {
		r.grow()
	}
	mask := uint64(len(r.table) - 1)
	i := hashPacked(s) & mask
	for ; ; i = (i + 1) & mask {
		id := r.table[i]
		if id < 0 {
			break
		}
		if equalPacked(r.get(id), s) {
			return id, false
		}
	}
	id := r.n
	r.n++
	if int(id/chunkStates) == len(r.chunks) {
		r.chunks = append(r.chunks, make([]uint32, 0, chunkStates*r.bins))
	}
	c := &r.chunks[id/chunkStates]
	*c = append(*c, s...)
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
		i := hashPacked(r.get(id)) & mask
		for t[i] >= 0 {
			i = (i + 1) & mask
		}
		t[i] = id
	}
	r.table = t
}

// bytes estimates the table's memory: the packed states and the hash
// table.
func (r *stateTable) bytes() int64 {
	return int64(len(r.chunks))*chunkStates*int64(r.bins)*4 + int64(len(r.table))*4
}
