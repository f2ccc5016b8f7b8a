package asp

import (
	"strconv"
	"strings"
)

// SymbolKind is the type of a ground term.
type SymbolKind uint8

// Kinds of symbols. Compare orders them as clingo does: #inf < numbers <
// symbolic constants < strings < functions with arguments (by arity, name,
// then arguments) < #sup.
const (
	KindNumber   SymbolKind = iota
	KindString              // a string
	KindFunction            // symbolic constants, function terms and tuples
	KindInf                 // #inf
	KindSup                 // #sup
)

// Symbol is a ground term: an integer, a string, a symbolic constant, a
// function term, a tuple (a function with an empty name) or #inf/#sup. The
// zero value is the integer 0. Symbols are values: compare them with Equal
// or Compare.
type Symbol struct {
	kind SymbolKind
	num  int64
	name string
	args []Symbol
}

// Number returns the integer symbol n.
func Number(n int64) Symbol { return Symbol{kind: KindNumber, num: n} }

// String returns the string symbol s.
func String(s string) Symbol { return Symbol{kind: KindString, name: s} }

// Function returns the function symbol name(args...); with no args it is a
// symbolic constant, with an empty name a tuple.
func Function(name string, args ...Symbol) Symbol {
	return Symbol{kind: KindFunction, name: name, args: append([]Symbol(nil), args...)}
}

// Tuple returns the tuple (args...).
func Tuple(args ...Symbol) Symbol { return Function("", args...) }

// Infimum returns #inf, the smallest symbol.
func Infimum() Symbol { return Symbol{kind: KindInf} }

// Supremum returns #sup, the largest symbol.
func Supremum() Symbol { return Symbol{kind: KindSup} }

// Kind returns the type of s.
func (s Symbol) Kind() SymbolKind { return s.kind }

// Int returns the value of a number symbol (0 for other kinds).
func (s Symbol) Int() int64 { return s.num }

// Name returns the name of a function or the text of a string symbol.
func (s Symbol) Name() string { return s.name }

// Args returns the arguments of a function symbol; the caller must not
// modify them.
func (s Symbol) Args() []Symbol { return s.args }

// Equal reports whether s and t are the same symbol.
func (s Symbol) Equal(t Symbol) bool { return Compare(s, t) == 0 }

// rank orders symbol kinds as clingo does: constants (functions without
// arguments) before strings before functions with arguments.
func (s Symbol) rank() int {
	switch s.kind {
	case KindInf:
		return 0
	case KindNumber:
		return 1
	case KindFunction:
		if len(s.args) == 0 {
			return 2
		}
		return 4
	case KindString:
		return 3
	}
	return 5
}

// Compare orders symbols as clingo does and returns -1, 0 or +1.
func Compare(a, b Symbol) int {
	ra, rb := a.rank(), b.rank()
	if ra != rb {
		return cmpInt(int64(ra), int64(rb))
	}
	switch a.kind {
	case KindNumber:
		return cmpInt(a.num, b.num)
	case KindString:
		return strings.Compare(a.name, b.name)
	case KindFunction:
		if len(a.args) != len(b.args) {
			return cmpInt(int64(len(a.args)), int64(len(b.args)))
		}
		if c := compareNames(a.name, b.name); c != 0 {
			return c
		}
		for i := range a.args {
			if c := Compare(a.args[i], b.args[i]); c != 0 {
				return c
			}
		}
	}
	return 0
}

// compareNames orders function names as clingo does: by the name without
// its classical negation, then positive before negated ("p" < "-p" < "q").
func compareNames(a, b string) int {
	na, nb := strings.HasPrefix(a, "-"), strings.HasPrefix(b, "-")
	if c := strings.Compare(strings.TrimPrefix(a, "-"), strings.TrimPrefix(b, "-")); c != 0 || na == nb {
		return c
	}
	if na {
		return 1
	}
	return -1
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// String prints s as clingo does.
func (s Symbol) String() string {
	var b strings.Builder
	s.write(&b)
	return b.String()
}

func (s Symbol) write(b *strings.Builder) { s.writeText(b, false) }

// writeText writes s as clingo prints it; with json, string symbols are
// written as JSONString documents them.
func (s Symbol) writeText(b *strings.Builder, json bool) {
	switch s.kind {
	case KindInf:
		b.WriteString("#inf")
	case KindSup:
		b.WriteString("#sup")
	case KindNumber:
		b.WriteString(strconv.FormatInt(s.num, 10))
	case KindString:
		if json {
			writeQuotedJSON(b, s.name)
		} else {
			writeQuoted(b, s.name)
		}
	case KindFunction:
		b.WriteString(s.name)
		if len(s.args) == 0 && s.name != "" {
			return
		}
		b.WriteByte('(')
		for i, a := range s.args {
			if i > 0 {
				b.WriteByte(',')
			}
			a.writeText(b, json)
		}
		if len(s.args) == 1 && s.name == "" {
			b.WriteByte(',')
		}
		b.WriteByte(')')
	}
}

func writeQuoted(b *strings.Builder, s string) { writeEscaped(b, s, `"`, `\n`) }

// writeQuotedJSON is writeQuoted for inside a JSON string: the quotes are
// escaped, and the newline escape itself once more.
func writeQuotedJSON(b *strings.Builder, s string) { writeEscaped(b, s, `\"`, `\\n`) }

func writeEscaped(b *strings.Builder, s, quote, newline string) {
	b.WriteString(quote)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(newline)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteString(quote)
}

// JSONString returns s as clingo's --outf=2 writes it: a JSON string
// literal holding the symbol's text. As in clingo, string symbols inside it
// are written with their quotes as \" and their contents escaped once
// (" as \", \ as \\, newline as \\n), so that decoding the JSON yields
// the raw contents between plain quotes.
func (s Symbol) JSONString() string {
	var b strings.Builder
	b.WriteByte('"')
	s.writeText(&b, true)
	b.WriteByte('"')
	return b.String()
}
