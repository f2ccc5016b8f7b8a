package solver

import (
	"context"
	"fmt"
	"math/rand"
	"testing"
)

// decodeProgram reads a small ground program from arbitrary bytes: at most
// 8 atoms, every byte sequence is a valid program.
func decodeProgram(data []byte) *Program {
	pos := 0
	next := func() int {
		if pos >= len(data) {
			return 0
		}
		b := data[pos]
		pos++
		return int(b)
	}
	n := 1 + next()%8
	p := &Program{NumAtoms: n}
	lit := func() Lit {
		b := next()
		l := Lit(1 + b%n)
		if b&0x80 != 0 {
			l = -l
		}
		return l
	}
	nr := next() % 16
	for i := 0; i < nr && pos < len(data); i++ {
		k := next()
		var r Rule
		switch k % 4 {
		case 0, 1:
			r.Head = []Atom{Atom(1 + next()%n)}
		case 2:
			r.HeadKind = Choice
			for j := 1 + next()%3; j > 0; j-- {
				r.Head = append(r.Head, Atom(1+next()%n))
			}
		}
		if k&0x10 != 0 {
			r.BodyKind = Weight
			r.Bound = int64(next()%8) - 1
			for j := 1 + next()%4; j > 0; j-- {
				r.Body = append(r.Body, WeightedLit{Lit: lit(), Weight: int64(next() % 4)})
			}
		} else {
			for j := next() % 4; j > 0; j-- {
				r.Body = append(r.Body, WeightedLit{Lit: lit(), Weight: 1})
			}
		}
		p.Rules = append(p.Rules, r)
	}
	for a := 1; a <= n; a++ {
		p.Outputs = append(p.Outputs, Output{Text: fmt.Sprintf("a%d", a), Cond: []Lit{Lit(a)}})
	}
	for j := next() % 3; j > 0; j-- {
		o := Output{Text: fmt.Sprintf("t%d", next()%2)}
		for k := next() % 3; k > 0; k-- {
			o.Cond = append(o.Cond, lit())
		}
		p.Outputs = append(p.Outputs, o)
	}
	for j := next() % 3; j > 0; j-- {
		m := Minimize{Priority: next() % 3}
		for k := next() % 4; k > 0; k-- {
			m.Lits = append(m.Lits, WeightedLit{Lit: lit(), Weight: int64(next()%7) - 3})
		}
		p.Minimize = append(p.Minimize, m)
	}
	return p
}

// FuzzSolve compares Solve with the brute-force oracle on decoded programs.
func FuzzSolve(f *testing.F) {
	f.Add([]byte{2, 3, 0, 1, 1, 0, 2, 0, 1})
	f.Add([]byte{4, 6, 0, 0, 1, 1, 1, 1, 0, 1, 3, 0x81, 1, 0x11, 2, 3, 2, 1, 2, 0x82, 3})
	f.Add([]byte{7, 15, 2, 2, 1, 2, 0x12, 0, 3, 1, 1, 2, 2, 0x83, 1, 1, 5, 0, 0x85, 0, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Fuzz(func(t *testing.T, data []byte) {
		p := decodeProgram(data)
		if err := compare(p, 1); err != nil {
			t.Fatalf("%v\n%s", err, dump(p))
		}
	})
}

// FuzzSolveSoundness decodes larger programs (up to 40 atoms, beyond the
// oracle) and checks that every model is an answer set, reported once.
func FuzzSolveSoundness(f *testing.F) {
	f.Add([]byte{39, 200, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	f.Add([]byte{20, 120, 0x12, 3, 1, 0x81, 2, 5, 0x22, 7, 7, 7, 0x90, 4, 4, 1, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 {
			return
		}
		p := decodeProgram(data[2:])
		// Widen: shift atoms so that the decoded program spans more atoms.
		p.NumAtoms += int(data[0] % 32)
		for a := len(p.Outputs); a < p.NumAtoms; a++ {
			p.Outputs = append(p.Outputs, Output{Text: fmt.Sprintf("x%d", a+1), Cond: []Lit{Lit(a + 1)}})
		}
		// Outputs 0..NumAtoms-1 must show atoms 1..NumAtoms in order.
		var outs []Output
		for a := 1; a <= p.NumAtoms; a++ {
			outs = append(outs, Output{Text: fmt.Sprintf("a%d", a), Cond: []Lit{Lit(a)}})
		}
		p.Outputs = outs
		r := rand.New(rand.NewSource(int64(data[1])))
		for i := 0; i < int(data[1]%64); i++ { // extra rules over the wide atom range
			h := Atom(1 + r.Intn(p.NumAtoms))
			b := Lit(1 + r.Intn(p.NumAtoms))
			if r.Intn(3) == 0 {
				b = -b
			}
			p.Rules = append(p.Rules, Rule{Head: []Atom{h}, Body: []WeightedLit{{Lit: b, Weight: 1}, {Lit: Lit(1 + r.Intn(p.NumAtoms)), Weight: 1}}})
			if r.Intn(4) == 0 {
				p.Rules = append(p.Rules, Rule{HeadKind: Choice, Head: []Atom{h}})
			}
		}
		seen := map[string]bool{}
		_, err := Solve(context.Background(), p, Options{Models: 200, OptMode: OptIgnore}, func(m Model) bool {
			mm := make([]bool, p.NumAtoms+1)
			for _, k := range m.Shown {
				mm[k+1] = true
			}
			if !stable(p, mm) {
				t.Fatalf("model %v is not an answer set\n%s", m.Shown, dump(p))
			}
			key := fmt.Sprint(m.Shown)
			if seen[key] {
				t.Fatalf("duplicate model %v", m.Shown)
			}
			seen[key] = true
			return true
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
