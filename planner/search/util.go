package search

import (
	"math/bits"
	"slices"
)

func sortSlice(s []int32) { slices.Sort(s) }

func trailingZeros(w uint64) int { return bits.TrailingZeros64(w) }
