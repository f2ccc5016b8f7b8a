package tool

import (
	"errors"
	"fmt"
	"strings"
)

// Parse extracts the bracket sequence after "Input:".
func Parse(input string) ([]string, error) {
	i := strings.LastIndex(input, "Input:")
	if i < 0 {
		return nil, errors.New("no \"Input:\" in the input")
	}
	return strings.Fields(input[i+len("Input:"):]), nil
}

// Solve returns the closing brackets that complete the sequence, innermost first.
func Solve(seq []string) ([]string, error) {
	pairs := map[string]string{"(": ")", "[": "]", "{": "}", "<": ">"}
	var stack []string
	for i, tok := range seq {
		if closer, ok := pairs[tok]; ok {
			stack = append(stack, closer)
			continue
		}
		if len(stack) == 0 || stack[len(stack)-1] != tok {
			return nil, fmt.Errorf("token %d %q does not close an open bracket", i+1, tok)
		}
		stack = stack[:len(stack)-1]
	}
	out := make([]string, 0, len(stack))
	for i := len(stack) - 1; i >= 0; i-- {
		out = append(out, stack[i])
	}
	return out, nil
}

// Format joins the closing brackets with spaces.
func Format(closers []string) string {
	return strings.Join(closers, " ")
}
