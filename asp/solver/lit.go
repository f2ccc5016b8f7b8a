package solver

// lit is the solver's internal literal: variable v is 2v (true) and 2v+1
// (false). Variable 0 is the constant true; variables 1..NumAtoms are the
// program's atoms; the rest are bodies and auxiliary variables.
type lit uint32

func mkLit(v int32, neg bool) lit {
	if neg {
		return lit(v<<1 | 1)
	}
	return lit(v << 1)
}

func (l lit) v() int32  { return int32(l >> 1) }
func (l lit) neg() bool { return l&1 == 1 }
func (l lit) not() lit  { return l ^ 1 }

const (
	trueLit  lit = 0
	falseLit lit = 1
)

// fromLit converts a program literal into an internal literal.
func fromLit(l Lit) lit {
	if l < 0 {
		return mkLit(int32(-l), true)
	}
	return mkLit(int32(l), false)
}
