package llmp

import "strings"

// ExtractProblem finds the problem file in a model's reply: the first
// fenced code block holding "(define", else the text from the first
// "(define" to the parenthesis that closes it (to the end when none does:
// the parser then reports what is missing). A reply without "(define" gives
// an error line for the model.
func ExtractProblem(reply string) (string, []string) {
	text := reply
	if block, ok := fencedDefine(reply); ok {
		text = block
	}
	start := indexDefine(text)
	if start < 0 {
		return "", []string{`the reply holds no problem file: expected "(define (problem NAME) ...)"`}
	}
	end := closingParen(text, start)
	return strings.TrimSpace(text[start:end]), nil
}

// fencedDefine returns the content of the first ``` fenced block that
// holds "(define".
func fencedDefine(s string) (string, bool) {
	for {
		i := strings.Index(s, "```")
		if i < 0 {
			return "", false
		}
		rest := s[i+3:]
		// Skip the info string ("pddl", "lisp", ...).
		if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
			rest = rest[nl+1:]
		} else {
			return "", false
		}
		j := strings.Index(rest, "```")
		if j < 0 {
			j = len(rest)
		}
		if indexDefine(rest[:j]) >= 0 {
			return rest[:j], true
		}
		if j == len(rest) {
			return "", false
		}
		s = rest[j+3:]
	}
}

// indexDefine returns the index of the "(" of the first "(define", allowing
// white space between them and any letter case, or -1.
func indexDefine(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] != '(' {
			continue
		}
		j := i + 1
		for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r') {
			j++
		}
		if len(s)-j >= 6 && strings.EqualFold(s[j:j+6], "define") {
			return i
		}
	}
	return -1
}

// closingParen returns the index just after the parenthesis that closes
// the one at open, skipping ';' comments, or len(s) when none does.
func closingParen(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case ';':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return len(s)
}
