package asp

import (
	"encoding/binary"
	"strconv"
	"strings"
)

// sym is an interned ground term, an index into a symtab; 0 is "no symbol"
// (an unbound variable slot).
type sym uint32

const (
	symInf sym = 1
	symSup sym = 2
)

// symEntry is an interned term, kept small: 24 bytes, arguments in a
// shared arena and names in a string table.
type symEntry struct {
	num  int64 // value of a number
	kind SymbolKind
	name uint32 // function name or string contents: index into strings
	off  uint32 // first argument in arena
	n    uint32 // number of arguments
}

// funKey identifies a function term of arity at most 3 without allocating.
type funKey struct {
	name, n    uint32
	a0, a1, a2 sym
}

// symtab interns ground terms so that equal terms share one sym and compare
// by ==. Each grounding has its own table.
type symtab struct {
	entries []symEntry
	arena   []sym
	strings []string
	strIdx  map[string]uint32
	nums    map[int64]sym
	small   [smallNums]sym // interned integers in [-smallNums/2, smallNums/2)
	strs    map[uint32]sym
	funs    map[funKey]sym
	bigFuns map[string]sym // arity above 3
	key     []byte
}

func newSymtab() *symtab {
	t := &symtab{
		entries: []symEntry{{}, {kind: KindInf}, {kind: KindSup}},
		strIdx:  map[string]uint32{},
		nums:    map[int64]sym{},
		strs:    map[uint32]sym{},
		funs:    map[funKey]sym{},
		bigFuns: map[string]sym{},
	}
	return t
}

// stringIndex interns a name or string value.
func (t *symtab) stringIndex(v string) uint32 {
	if i, ok := t.strIdx[v]; ok {
		return i
	}
	i := uint32(len(t.strings))
	t.strings = append(t.strings, v)
	t.strIdx[v] = i
	return i
}

// smallNums is how many integers around 0 are found without a map lookup.
const smallNums = 1024

func (t *symtab) num(n int64) sym {
	small := n >= -smallNums/2 && n < smallNums/2
	if small {
		if s := t.small[n+smallNums/2]; s != 0 {
			return s
		}
	} else if s, ok := t.nums[n]; ok {
		return s
	}
	s := sym(len(t.entries))
	t.entries = append(t.entries, symEntry{kind: KindNumber, num: n})
	if small {
		t.small[n+smallNums/2] = s
	} else {
		t.nums[n] = s
	}
	return s
}

func (t *symtab) str(v string) sym {
	i := t.stringIndex(v)
	if s, ok := t.strs[i]; ok {
		return s
	}
	s := sym(len(t.entries))
	t.entries = append(t.entries, symEntry{kind: KindString, name: i})
	t.strs[i] = s
	return s
}

// fun interns name(args...); args is copied when a new entry is made.
func (t *symtab) fun(name string, args []sym) sym {
	ni := t.stringIndex(name)
	var k funKey
	var big string
	if len(args) <= 3 {
		k = funKey{name: ni, n: uint32(len(args))}
		switch len(args) {
		case 3:
			k.a2 = args[2]
			fallthrough
		case 2:
			k.a1 = args[1]
			fallthrough
		case 1:
			k.a0 = args[0]
		}
		if s, ok := t.funs[k]; ok {
			return s
		}
	} else {
		b := binary.LittleEndian.AppendUint32(t.key[:0], ni)
		for _, a := range args {
			b = binary.LittleEndian.AppendUint32(b, uint32(a))
		}
		t.key = b
		if s, ok := t.bigFuns[string(b)]; ok {
			return s
		}
		big = string(b)
	}
	s := sym(len(t.entries))
	t.entries = append(t.entries, symEntry{kind: KindFunction, name: ni, off: uint32(len(t.arena)), n: uint32(len(args))})
	t.arena = append(t.arena, args...)
	if len(args) <= 3 {
		t.funs[k] = s
	} else {
		t.bigFuns[big] = s
	}
	return s
}

func (t *symtab) entry(s sym) *symEntry { return &t.entries[s] }

// args returns the arguments of a function term (nil otherwise); the
// caller must not modify them.
func (t *symtab) args(s sym) []sym {
	e := &t.entries[s]
	if e.n == 0 {
		return nil
	}
	return t.arena[e.off : e.off+e.n : e.off+e.n]
}

// negated returns -s for a function symbol s with a name: the same function
// with its classical negation flipped ("f(1)" and "-f(1)"). Numbers,
// strings, tuples and #inf/#sup have none.
func (t *symtab) negated(s sym) (sym, bool) {
	e := t.entry(s)
	if e.kind != KindFunction {
		return 0, false
	}
	name := t.name(s)
	switch {
	case name == "":
		return 0, false
	case name[0] == '-':
		name = name[1:]
	default:
		name = "-" + name
	}
	return t.fun(name, t.args(s)), true
}

// name returns a function's name or a string's contents.
func (t *symtab) name(s sym) string {
	e := &t.entries[s]
	if e.kind != KindFunction && e.kind != KindString {
		return ""
	}
	return t.strings[e.name]
}

func (t *symtab) isNum(s sym) bool { return t.entries[s].kind == KindNumber }

// intern converts a public Symbol.
func (t *symtab) intern(s Symbol) sym {
	switch s.kind {
	case KindInf:
		return symInf
	case KindSup:
		return symSup
	case KindNumber:
		return t.num(s.num)
	case KindString:
		return t.str(s.name)
	}
	args := make([]sym, len(s.args))
	for i, a := range s.args {
		args[i] = t.intern(a)
	}
	return t.fun(s.name, args)
}

// symbol converts back to a public Symbol.
func (t *symtab) symbol(s sym) Symbol {
	e := &t.entries[s]
	switch e.kind {
	case KindFunction:
		var args []Symbol
		if e.n > 0 {
			args = make([]Symbol, e.n)
			for i, a := range t.args(s) {
				args[i] = t.symbol(a)
			}
		}
		return Symbol{kind: KindFunction, name: t.strings[e.name], args: args}
	case KindString:
		return Symbol{kind: KindString, name: t.strings[e.name]}
	}
	return Symbol{kind: e.kind, num: e.num}
}

func (t *symtab) rank(s sym) int {
	e := &t.entries[s]
	switch e.kind {
	case KindInf:
		return 0
	case KindNumber:
		return 1
	case KindFunction:
		if e.n == 0 {
			return 2
		}
		return 4
	case KindString:
		return 3
	}
	return 5
}

// compare orders interned symbols as Compare does.
func (t *symtab) compare(a, b sym) int {
	if a == b {
		return 0
	}
	ra, rb := t.rank(a), t.rank(b)
	if ra != rb {
		return cmpInt(int64(ra), int64(rb))
	}
	ea, eb := &t.entries[a], &t.entries[b]
	switch ea.kind {
	case KindNumber:
		return cmpInt(ea.num, eb.num)
	case KindString:
		return strings.Compare(t.strings[ea.name], t.strings[eb.name])
	case KindFunction:
		if ea.n != eb.n {
			return cmpInt(int64(ea.n), int64(eb.n))
		}
		if c := compareNames(t.strings[ea.name], t.strings[eb.name]); c != 0 {
			return c
		}
		aa, ba := t.args(a), t.args(b)
		for i := range aa {
			if c := t.compare(aa[i], ba[i]); c != 0 {
				return c
			}
		}
	}
	return 0
}

// text prints s as clingo does.
func (t *symtab) text(s sym) string {
	var b strings.Builder
	t.write(&b, s)
	return b.String()
}

func (t *symtab) write(b *strings.Builder, s sym) {
	e := &t.entries[s]
	switch e.kind {
	case KindNumber:
		b.WriteString(strconv.FormatInt(e.num, 10))
	case KindString:
		writeQuoted(b, t.strings[e.name])
	case KindFunction:
		name := t.strings[e.name]
		b.WriteString(name)
		if e.n == 0 && name != "" {
			return
		}
		b.WriteByte('(')
		for i, a := range t.args(s) {
			if i > 0 {
				b.WriteByte(',')
			}
			t.write(b, a)
		}
		if e.n == 1 && name == "" {
			b.WriteByte(',')
		}
		b.WriteByte(')')
	default:
		t.symbol(s).write(b)
	}
}
