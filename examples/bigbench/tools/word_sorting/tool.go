package tool

import (
	"errors"
	"sort"
	"strings"
)

// Parse extracts the word list from "Sort the following words alphabetically: List: w1 w2 ...".
func Parse(input string) ([]string, error) {
	i := strings.Index(input, "List:")
	if i < 0 {
		return nil, errors.New("no \"List:\" in the input")
	}
	return strings.Fields(input[i+len("List:"):]), nil
}

// Solve sorts words alphabetically (byte order, as the task's answers do).
func Solve(words []string) []string {
	out := append([]string(nil), words...)
	sort.Strings(out)
	return out
}

// Format joins the sorted words with single spaces.
func Format(words []string) string {
	return strings.Join(words, " ")
}
