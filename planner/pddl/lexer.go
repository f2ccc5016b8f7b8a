package pddl

import "strings"

// tokKind classifies a token.
type tokKind int

const (
	tokEOF tokKind = iota
	tokLParen
	tokRParen
	tokName    // a name or number: anything that is not a variable or keyword
	tokVar     // ?name
	tokKeyword // :name
)

type token struct {
	kind tokKind
	pos  Pos
	text string
}

// lexer splits PDDL source into tokens. PDDL is case-insensitive; tokens keep
// their spelling and comparisons lower-case them.
type lexer struct {
	src       []byte
	off       int
	line, col int
	errs      *errorSink
}

func newLexer(src []byte, errs *errorSink) *lexer {
	l := &lexer{src: src, line: 1, col: 1, errs: errs}
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		l.off = 3 // a UTF-8 byte order mark, as some editors write
	}
	return l
}

func (l *lexer) advance() {
	if l.src[l.off] == '\n' {
		l.line++
		l.col = 1
	} else {
		l.col++
	}
	l.off++
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', ';', ' ', '\t', '\n', '\r', '\f', '\v':
		return true
	}
	return false
}

// next returns the next token, skipping white space and ';' comments.
func (l *lexer) next() token {
	for l.off < len(l.src) {
		c := l.src[l.off]
		switch {
		case c == ';':
			for l.off < len(l.src) && l.src[l.off] != '\n' {
				l.advance()
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			l.advance()
		default:
			goto tok
		}
	}
	return token{kind: tokEOF, pos: Pos{l.line, l.col}}
tok:
	pos := Pos{l.line, l.col}
	switch c := l.src[l.off]; c {
	case '(':
		l.advance()
		return token{kind: tokLParen, pos: pos, text: "("}
	case ')':
		l.advance()
		return token{kind: tokRParen, pos: pos, text: ")"}
	}
	// A name ends at a delimiter or at a '?', which starts a variable:
	// "(aircraft?a)" is the predicate aircraft applied to ?a, as in
	// VAL's lexer.
	start := l.off
	l.advance()
	for l.off < len(l.src) && !isDelim(l.src[l.off]) && l.src[l.off] != '?' {
		l.advance()
	}
	text := string(l.src[start:l.off])
	kind := tokName
	switch text[0] {
	case '?':
		kind = tokVar
	case ':':
		kind = tokKeyword
	}
	if (kind == tokVar || kind == tokKeyword) && len(text) == 1 {
		l.errs.add(pos, "%q must be followed by a name", text)
	}
	for i := 0; i < len(text); i++ {
		if text[i] < 0x20 || text[i] == 0x7f {
			l.errs.add(pos, "control character %q in %q", text[i], text)
			break
		}
	}
	return token{kind: kind, pos: pos, text: text}
}

// lower returns s in lower case; PDDL names compare case-insensitively.
func lower(s string) string { return strings.ToLower(s) }
