package tool

// Complete returns the closing brackets that complete a Dyck-language
// prefix such as "( [ {" (BIG-Bench dyck_languages), or an error when the
// prefix is not well-formed.
func Complete(prefix string) (string, error) {
	pairs := map[rune]rune{'(': ')', '[': ']', '{': '}', '<': '>'}
	var stack []rune
	for _, c := range prefix {
		switch c {
		case '(', '[', '{', '<':
			stack = append(stack, c)
		case ')', ']', '}', '>':
			if len(stack) == 0 || pairs[stack[len(stack)-1]] != c {
				return "", &mismatch{c}
			}
			stack = stack[:len(stack)-1]
		}
	}
	out := ""
	for i := len(stack) - 1; i >= 0; i-- {
		if out != "" {
			out += " "
		}
		out += string(pairs[stack[i]])
	}
	return out, nil
}

type mismatch struct{ c rune }

func (m *mismatch) Error() string { return "unexpected " + string(m.c) }
