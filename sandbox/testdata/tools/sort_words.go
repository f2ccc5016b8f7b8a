package tool

import (
	"sort"
	"strings"
)

// SortWords sorts the words of a sentence alphabetically (BIG-Bench word
// sorting).
func SortWords(sentence string) string {
	words := strings.Fields(sentence)
	sort.Strings(words)
	return strings.Join(words, " ")
}
