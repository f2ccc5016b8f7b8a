package search

import (
	"iter"
	"math/bits"
)

// members yields the indexes of the set bits of a state or bitset, in
// increasing order.
func members(ws []uint64) iter.Seq[int32] {
	return func(yield func(int32) bool) {
		for wi, w := range ws {
			for w != 0 {
				if !yield(int32(wi*64 + bits.TrailingZeros64(w))) {
					return
				}
				w &= w - 1
			}
		}
	}
}
