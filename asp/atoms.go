package asp

import (
	"encoding/binary"

	"github.com/toolsmith-dev/toolsmith/asp/solver"
)

type predKey struct {
	name  string
	arity int
}

// predicate holds the atoms derived for one name/arity, in derivation
// order, with indexes on bound argument positions built on first use.
type predicate struct {
	name   string
	arity  int
	hidden bool // introduced by the grounder

	atoms []int32 // derived atoms, indices into grounder.atoms, by generation
	index map[uint64]map[string][]int32

	comp int  // strongly connected component; -1 when no rule derives it
	done bool // every atom that can be derived has been
}

// atomRec is one ground atom.
type atomRec struct {
	sym     sym
	derived bool // appears in the head of a ground rule (possibly true)
	fact    bool // true in every answer set
	gen     int32
	id      solver.Atom // 0 until the atom is used in the ground program
}

func (g *grounder) pred(name string, arity int) *predicate {
	k := predKey{name, arity}
	if p, ok := g.preds[k]; ok {
		return p
	}
	p := &predicate{name: name, arity: arity, comp: -1, hidden: len(name) > 0 && name[0] == '#'}
	g.preds[k] = p
	g.predList = append(g.predList, p)
	return p
}

// lookupAtom returns the record index of s, or -1.
func (g *grounder) lookupAtom(s sym) int32 {
	if int(s) < len(g.atomBySym) {
		return g.atomBySym[s] - 1
	}
	return -1
}

// refAtom returns the record of s, creating an underived one if needed.
func (g *grounder) refAtom(p *predicate, s sym) int32 {
	if i := g.lookupAtom(s); i >= 0 {
		return i
	}
	i := int32(len(g.atoms))
	g.atoms = append(g.atoms, atomRec{sym: s})
	for int(s) >= len(g.atomBySym) {
		g.atomBySym = append(g.atomBySym, 0)
	}
	g.atomBySym[s] = i + 1
	return i
}

// derive marks s as derived (and as a fact when fact is set) and returns its
// record index.
func (g *grounder) derive(p *predicate, s sym, fact bool) int32 {
	i := g.refAtom(p, s)
	a := &g.atoms[i]
	if fact {
		a.fact = true
	}
	if a.derived {
		return i
	}
	a.derived = true
	a.gen = g.gen
	g.newAtoms++
	p.atoms = append(p.atoms, i)
	for mask, idx := range p.index {
		k := g.indexKey(mask, g.st.args(s))
		idx[k] = append(idx[k], i)
	}
	return i
}

func (g *grounder) indexKey(mask uint64, args []sym) string {
	k := g.keyBuf[:0]
	for i, a := range args {
		if i < 64 && mask&(1<<uint(i)) != 0 {
			k = binary.LittleEndian.AppendUint32(k, uint32(a))
		}
	}
	g.keyBuf = k
	return string(k)
}

// candidates returns the derived atoms of p whose arguments at the
// positions of mask equal vals (in position order).
func (g *grounder) candidates(p *predicate, mask uint64, vals []sym) []int32 {
	if mask == 0 {
		return p.atoms
	}
	if p.index == nil {
		p.index = map[uint64]map[string][]int32{}
	}
	idx, ok := p.index[mask]
	if !ok {
		idx = map[string][]int32{}
		for _, i := range p.atoms {
			k := g.indexKey(mask, g.st.args(g.atoms[i].sym))
			idx[k] = append(idx[k], i)
		}
		p.index[mask] = idx
	}
	k := g.keyBuf[:0]
	for _, v := range vals {
		k = binary.LittleEndian.AppendUint32(k, uint32(v))
	}
	g.keyBuf = k
	return idx[string(k)]
}

// atomID returns the solver atom of record i, numbering it on first use.
func (g *grounder) atomID(i int32) solver.Atom {
	a := &g.atoms[i]
	if a.id == 0 {
		a.id = g.newAtomID()
	}
	return a.id
}

func (g *grounder) newAtomID() solver.Atom {
	g.out.NumAtoms++
	return solver.Atom(g.out.NumAtoms)
}
