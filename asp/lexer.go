package asp

import (
	"strings"
	"unicode/utf8"
)

// tokKind is the kind of a lexical token.
type tokKind uint8

const (
	tEOF tokKind = iota
	tIdent
	tVar
	tAnon // _
	tNum
	tStr
	tDirective // #name
	tLParen
	tRParen
	tLBrack
	tRBrack
	tLBrace
	tRBrace
	tComma
	tSemi
	tDot
	tDots
	tColon
	tIf     // :-
	tWeakIf // :~
	tEq     // = or ==
	tNeq
	tLt
	tLe
	tGt
	tGe
	tPlus
	tMinus
	tStar
	tPow
	tSlash
	tBackslash
	tBar
	tAmp
	tQuestion
	tCaret
	tTilde
	tAt
	tAmpName // &name (theory atoms: rejected)
	tIllegal
)

var tokNames = [...]string{
	tEOF: "end of file", tIdent: "identifier", tVar: "variable", tAnon: "_", tNum: "number",
	tStr: "string", tDirective: "directive", tLParen: "(", tRParen: ")", tLBrack: "[",
	tRBrack: "]", tLBrace: "{", tRBrace: "}", tComma: ",", tSemi: ";", tDot: ".",
	tDots: "..", tColon: ":", tIf: ":-", tWeakIf: ":~", tEq: "=", tNeq: "!=", tLt: "<",
	tLe: "<=", tGt: ">", tGe: ">=", tPlus: "+", tMinus: "-", tStar: "*", tPow: "**",
	tSlash: "/", tBackslash: "\\", tBar: "|", tAmp: "&", tQuestion: "?", tCaret: "^",
	tTilde: "~", tAt: "@", tAmpName: "theory atom", tIllegal: "illegal character",
}

func (k tokKind) String() string { return tokNames[k] }

// token is one lexical token; text holds identifiers, numbers, the decoded
// value of strings and directive names (without '#').
type token struct {
	kind tokKind
	pos  Pos
	text string
}

// lexer splits clingo source into tokens.
type lexer struct {
	file string
	src  []byte
	off  int
	line int
	col  int
	errs *ErrorList
}

func newLexer(file string, src []byte, errs *ErrorList) *lexer {
	return &lexer{file: file, src: src, line: 1, col: 1, errs: errs}
}

func (l *lexer) pos() Pos { return Pos{File: l.file, Line: l.line, Col: l.col} }

func (l *lexer) advance(n int) {
	for i := 0; i < n && l.off < len(l.src); i++ {
		if l.src[l.off] == '\n' {
			l.line++
			l.col = 1
		} else {
			l.col++
		}
		l.off++
	}
}

func (l *lexer) peekByte(i int) byte {
	if l.off+i < len(l.src) {
		return l.src[l.off+i]
	}
	return 0
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '\'' || isLetter(c) || isDigit(c)
}
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLower(c byte) bool  { return c >= 'a' && c <= 'z' }
func isUpper(c byte) bool  { return c >= 'A' && c <= 'Z' }

// skip skips white space and comments.
func (l *lexer) skip() {
	for l.off < len(l.src) {
		c := l.src[l.off]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			l.advance(1)
		case c == '%' && l.peekByte(1) == '*':
			start := l.pos()
			l.advance(2)
			for {
				if l.off >= len(l.src) {
					l.errs.add(start, "syntax error, unterminated block comment")
					return
				}
				if l.src[l.off] == '*' && l.peekByte(1) == '%' {
					l.advance(2)
					break
				}
				l.advance(1)
			}
		case c == '%':
			for l.off < len(l.src) && l.src[l.off] != '\n' {
				l.advance(1)
			}
		default:
			return
		}
	}
}

// next returns the next token.
func (l *lexer) next() token {
	l.skip()
	p := l.pos()
	if l.off >= len(l.src) {
		return token{kind: tEOF, pos: p}
	}
	c := l.src[l.off]
	word := func() string {
		s := l.off
		for l.off < len(l.src) && isIdentByte(l.src[l.off]) {
			l.advance(1)
		}
		return string(l.src[s:l.off])
	}
	switch {
	case isLetter(c) || c == '_':
		// Identifiers start (after underscores) with a lower-case letter,
		// variables with an upper-case one; "_" alone is anonymous.
		w := word()
		j := 0
		for j < len(w) && w[j] == '_' {
			j++
		}
		switch {
		case w == "_":
			return token{kind: tAnon, pos: p, text: w}
		case j < len(w) && isUpper(w[j]):
			return token{kind: tVar, pos: p, text: w}
		case j < len(w) && isLower(w[j]):
			return token{kind: tIdent, pos: p, text: w}
		}
		return token{kind: tIllegal, pos: p, text: w}
	case isDigit(c):
		s := l.off
		for l.off < len(l.src) && isDigit(l.src[l.off]) {
			l.advance(1)
		}
		return token{kind: tNum, pos: p, text: string(l.src[s:l.off])}
	case c == '"':
		return l.str(p)
	case c == '#':
		l.advance(1)
		w := word()
		if w == "" {
			return token{kind: tIllegal, pos: p, text: "#"}
		}
		if w == "sum" && l.peekByte(0) == '+' {
			l.advance(1)
			w = "sum+"
		}
		return token{kind: tDirective, pos: p, text: w}
	case c == '&':
		if isLower(l.peekByte(1)) {
			l.advance(1)
			return token{kind: tAmpName, pos: p, text: word()}
		}
	}
	two := func(k tokKind) token { l.advance(2); return token{kind: k, pos: p} }
	one := func(k tokKind) token { l.advance(1); return token{kind: k, pos: p} }
	n := l.peekByte(1)
	switch c {
	case '(':
		return one(tLParen)
	case ')':
		return one(tRParen)
	case '[':
		return one(tLBrack)
	case ']':
		return one(tRBrack)
	case '{':
		return one(tLBrace)
	case '}':
		return one(tRBrace)
	case ',':
		return one(tComma)
	case ';':
		return one(tSemi)
	case '.':
		if n == '.' {
			return two(tDots)
		}
		return one(tDot)
	case ':':
		switch n {
		case '-':
			return two(tIf)
		case '~':
			return two(tWeakIf)
		}
		return one(tColon)
	case '=':
		if n == '=' {
			return two(tEq)
		}
		return one(tEq)
	case '!':
		if n == '=' {
			return two(tNeq)
		}
	case '<':
		if n == '=' {
			return two(tLe)
		}
		if n == '>' {
			return two(tNeq)
		}
		return one(tLt)
	case '>':
		if n == '=' {
			return two(tGe)
		}
		return one(tGt)
	case '+':
		return one(tPlus)
	case '-':
		return one(tMinus)
	case '*':
		if n == '*' {
			return two(tPow)
		}
		return one(tStar)
	case '/':
		return one(tSlash)
	case '\\':
		return one(tBackslash)
	case '|':
		return one(tBar)
	case '&':
		return one(tAmp)
	case '?':
		return one(tQuestion)
	case '^':
		return one(tCaret)
	case '~':
		return one(tTilde)
	case '@':
		return one(tAt)
	}
	r, size := utf8.DecodeRune(l.src[l.off:])
	l.advance(size)
	return token{kind: tIllegal, pos: p, text: string(r)}
}

// str lexes a string literal, decoding the escapes \" \\ \n and \t.
func (l *lexer) str(p Pos) token {
	l.advance(1)
	var b strings.Builder
	for {
		if l.off >= len(l.src) || l.src[l.off] == '\n' {
			l.errs.add(p, "syntax error, unterminated string")
			return token{kind: tStr, pos: p, text: b.String()}
		}
		c := l.src[l.off]
		switch c {
		case '"':
			l.advance(1)
			return token{kind: tStr, pos: p, text: b.String()}
		case '\\':
			switch l.peekByte(1) {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case '\\':
				b.WriteByte('\\')
			case '"':
				b.WriteByte('"')
			default:
				l.errs.add(l.pos(), "syntax error, invalid escape sequence in string")
				l.advance(1)
				continue
			}
			l.advance(2)
		default:
			b.WriteByte(c)
			l.advance(1)
		}
	}
}
