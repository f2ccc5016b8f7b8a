package asp

import (
	"encoding/binary"
	"strings"
)

// sym is an interned ground term, an index into a symtab; 0 is "no symbol"
// (an unbound variable slot).
type sym uint32

const (
	symInf sym = 1
	symSup sym = 2
)

type symEntry struct {
	kind SymbolKind
	num  int64
	name string
	args []sym
}

// symtab interns ground terms so that equal terms share one sym and compare
// by ==. Each grounding has its own table.
type symtab struct {
	entries []symEntry
	nums    map[int64]sym
	strs    map[string]sym
	funs    map[string]sym
	names   map[string]uint32 // function names, numbered for compact keys
	key     []byte
}

func newSymtab() *symtab {
	t := &symtab{
		entries: []symEntry{{}, {kind: KindInf}, {kind: KindSup}},
		nums:    map[int64]sym{},
		strs:    map[string]sym{},
		funs:    map[string]sym{},
		names:   map[string]uint32{},
	}
	return t
}

func (t *symtab) num(n int64) sym {
	if s, ok := t.nums[n]; ok {
		return s
	}
	s := sym(len(t.entries))
	t.entries = append(t.entries, symEntry{kind: KindNumber, num: n})
	t.nums[n] = s
	return s
}

func (t *symtab) str(v string) sym {
	if s, ok := t.strs[v]; ok {
		return s
	}
	s := sym(len(t.entries))
	t.entries = append(t.entries, symEntry{kind: KindString, name: v})
	t.strs[v] = s
	return s
}

// fun interns name(args...); args is copied when a new entry is made.
func (t *symtab) fun(name string, args []sym) sym {
	id, ok := t.names[name]
	if !ok {
		id = uint32(len(t.names))
		t.names[name] = id
	}
	k := binary.LittleEndian.AppendUint32(t.key[:0], id)
	for _, a := range args {
		k = binary.LittleEndian.AppendUint32(k, uint32(a))
	}
	t.key = k
	if s, ok := t.funs[string(k)]; ok {
		return s
	}
	s := sym(len(t.entries))
	t.entries = append(t.entries, symEntry{kind: KindFunction, name: name, args: append([]sym(nil), args...)})
	t.funs[string(k)] = s
	return s
}

func (t *symtab) entry(s sym) *symEntry { return &t.entries[s] }

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
		if len(e.args) > 0 {
			args = make([]Symbol, len(e.args))
			for i, a := range e.args {
				args[i] = t.symbol(a)
			}
		}
		return Symbol{kind: KindFunction, name: e.name, args: args}
	}
	return Symbol{kind: e.kind, num: e.num, name: e.name}
}

func (t *symtab) rank(s sym) int {
	e := &t.entries[s]
	switch e.kind {
	case KindInf:
		return 0
	case KindNumber:
		return 1
	case KindFunction:
		if len(e.args) == 0 {
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
		return strings.Compare(ea.name, eb.name)
	case KindFunction:
		if len(ea.args) != len(eb.args) {
			return cmpInt(int64(len(ea.args)), int64(len(eb.args)))
		}
		if c := strings.Compare(ea.name, eb.name); c != 0 {
			return c
		}
		for i := range ea.args {
			if c := t.compare(ea.args[i], eb.args[i]); c != 0 {
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
	t.symbol(s).write(b)
}
