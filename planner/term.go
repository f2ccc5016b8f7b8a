package planner

import (
	"fmt"
	"strings"
)

// shownAtom is an atom of an answer set as text: its predicate and its
// arguments, each kept as the term's text in canonical form (strings quoted,
// integers as digits), ready to be looked up in factWriter.values.
type shownAtom struct {
	pred string
	args []string
}

// parseShown parses an atom such as value("A","i",3).
func parseShown(s string) (shownAtom, error) {
	s = strings.TrimSpace(s)
	open := strings.IndexByte(s, '(')
	if open < 0 {
		return shownAtom{pred: s}, nil
	}
	if !strings.HasSuffix(s, ")") {
		return shownAtom{}, fmt.Errorf("atom %q: missing ')'", s)
	}
	args, ok := splitTop(s[open+1:len(s)-1], ',')
	if !ok {
		return shownAtom{}, fmt.Errorf("atom %q: unbalanced term", s)
	}
	for i := range args {
		args[i] = strings.TrimSpace(args[i])
	}
	return shownAtom{pred: s[:open], args: args}, nil
}

// splitTop splits s at each sep outside strings and parentheses, like
// strings.Split (empty parts are kept); ok is false when a string or a
// parenthesis is left open.
func splitTop(s string, sep byte) (parts []string, ok bool) {
	depth, inStr, start := 0, false, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inStr:
			if c == '\\' {
				i++
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == sep && depth == 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:]), !inStr && depth == 0
}

// unquote returns the string a quoted term stands for, or the term itself.
func unquote(t string) string {
	if len(t) < 2 || t[0] != '"' || t[len(t)-1] != '"' {
		return t
	}
	var b strings.Builder
	for i := 1; i < len(t)-1; i++ {
		c := t[i]
		if c == '\\' && i+1 < len(t)-1 {
			i++
			switch t[i] {
			case 'n':
				b.WriteByte('\n')
			default:
				b.WriteByte(t[i])
			}
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
