package asp

// ctKind is the kind of a compiled term.
type ctKind uint8

const (
	ctSym ctKind = iota // a ground term
	ctVar               // a variable slot
	ctFun               // a function term with at least one non-ground argument
	ctBin               // binary arithmetic
	ctUn                // unary arithmetic
)

// cterm is a term compiled for grounding: variables are slots of an
// environment ([]sym, 0 meaning unbound) and ground subterms are interned.
type cterm struct {
	kind ctKind
	sym  sym
	slot int
	name string // function name or operator
	args []*cterm
}

// vars appends the slots of the variables in t.
func (t *cterm) vars(out []int) []int {
	switch t.kind {
	case ctVar:
		out = append(out, t.slot)
	case ctFun, ctBin, ctUn:
		for _, a := range t.args {
			out = a.vars(out)
		}
	}
	return out
}

// bound reports whether every variable of t is bound in b.
func (t *cterm) bound(b []bool) bool {
	switch t.kind {
	case ctVar:
		return b[t.slot]
	case ctFun, ctBin, ctUn:
		for _, a := range t.args {
			if !a.bound(b) {
				return false
			}
		}
	}
	return true
}

// pattern reports whether t can be matched against a ground term when the
// variables in b are bound: arithmetic subterms must be fully bound.
func (t *cterm) pattern(b []bool) bool {
	switch t.kind {
	case ctFun:
		for _, a := range t.args {
			if !a.pattern(b) {
				return false
			}
		}
		return true
	case ctUn:
		return t.bound(b) || t.name == "-" && t.args[0].pattern(b)
	case ctBin:
		if t.bound(b) {
			return true
		}
		switch t.name {
		case "+", "-", "*":
			l, r := t.args[0], t.args[1]
			return l.bound(b) && r.pattern(b) || r.bound(b) && l.pattern(b)
		}
		return false
	}
	return true
}

// isBound reports whether every variable of t is bound in env.
func isBound(t *cterm, env []sym) bool {
	switch t.kind {
	case ctVar:
		return env[t.slot] != 0
	case ctFun, ctBin, ctUn:
		for _, a := range t.args {
			if !isBound(a, env) {
				return false
			}
		}
	}
	return true
}

// invert matches a linear term (-X, X+c, c+X, X-c, c-X, c*X, X*c) with
// an unbound variable part against the integer s, as clingo does.
func (g *grounder) invert(t *cterm, s sym, env []sym, trail *[]int) bool {
	if t.kind == ctUn && t.name == "-" && !g.st.isNum(s) {
		// -X against a function symbol: X is its classical negation.
		neg, ok := g.st.negated(s)
		return ok && g.match(t.args[0], neg, env, trail)
	}
	if !g.st.isNum(s) {
		return false
	}
	n := g.st.entry(s).num
	if t.kind == ctUn {
		return t.name == "-" && g.match(t.args[0], g.st.num(-n), env, trail)
	}
	l, r := t.args[0], t.args[1]
	lb := isBound(l, env)
	known, free := l, r
	if !lb {
		known, free = r, l
	}
	kv, ok := g.eval(known, env)
	if !ok || !g.st.isNum(kv) {
		return false
	}
	k := g.st.entry(kv).num
	var v int64
	switch t.name {
	case "+":
		v = n - k
	case "-":
		if lb {
			v = k - n
		} else {
			v = n + k
		}
	case "*":
		if k == 0 || n%k != 0 {
			return false
		}
		v = n / k
	default:
		return false
	}
	return g.match(free, g.st.num(v), env, trail)
}

// bind marks the variables of t as bound in b.
func (t *cterm) bind(b []bool) {
	for _, s := range t.vars(nil) {
		b[s] = true
	}
}

// eval evaluates t under env; ok is false when an operation is undefined
// (arithmetic on non-integers, division by zero).
func (g *grounder) eval(t *cterm, env []sym) (sym, bool) {
	switch t.kind {
	case ctSym:
		return t.sym, true
	case ctVar:
		return env[t.slot], env[t.slot] != 0
	case ctFun:
		var buf [8]sym
		args := buf[:0]
		for _, a := range t.args {
			v, ok := g.eval(a, env)
			if !ok {
				return 0, false
			}
			args = append(args, v)
		}
		return g.st.fun(t.name, args), true
	case ctUn:
		v, ok := g.eval(t.args[0], env)
		if !ok {
			return 0, false
		}
		if !g.st.isNum(v) {
			if t.name == "-" {
				return g.st.negated(v)
			}
			return 0, false
		}
		n := g.st.entry(v).num
		switch t.name {
		case "-":
			n = -n
		case "~":
			n = ^n
		case "|":
			if n < 0 {
				n = -n
			}
		}
		return g.st.num(n), true
	case ctBin:
		l, ok := g.eval(t.args[0], env)
		if !ok || !g.st.isNum(l) {
			return 0, false
		}
		r, ok := g.eval(t.args[1], env)
		if !ok || !g.st.isNum(r) {
			return 0, false
		}
		n, ok := arith(t.name, g.st.entry(l).num, g.st.entry(r).num)
		if !ok {
			return 0, false
		}
		return g.st.num(n), true
	}
	return 0, false
}

// arith applies a binary operator as clingo does: / and \ truncate toward
// zero, ** with a negative exponent is 0 unless the base is 1 or -1.
func arith(op string, a, b int64) (int64, bool) {
	switch op {
	case "+":
		return a + b, true
	case "-":
		return a - b, true
	case "*":
		return a * b, true
	case "/":
		if b == 0 {
			return 0, false
		}
		return a / b, true
	case "\\":
		if b == 0 {
			return 0, false
		}
		return a % b, true
	case "**":
		if b < 0 {
			switch a {
			case 0:
				return 0, false
			case 1:
				return 1, true
			case -1:
				if b%2 == 0 {
					return 1, true
				}
				return -1, true
			}
			return 0, true
		}
		r := int64(1)
		for ; b > 0; b-- {
			r *= a
		}
		return r, true
	case "&":
		return a & b, true
	case "?":
		return a | b, true
	case "^":
		return a ^ b, true
	}
	return 0, false
}

// match unifies the pattern t with the ground term s, binding unbound
// variables of env and recording their slots in *trail.
func (g *grounder) match(t *cterm, s sym, env []sym, trail *[]int) bool {
	switch t.kind {
	case ctSym:
		return t.sym == s
	case ctVar:
		if v := env[t.slot]; v != 0 {
			return v == s
		}
		env[t.slot] = s
		*trail = append(*trail, t.slot)
		return true
	case ctFun:
		e := g.st.entry(s)
		if e.kind != KindFunction || int(e.n) != len(t.args) || g.st.name(s) != t.name {
			return false
		}
		for i, a := range t.args {
			if !g.match(a, g.st.args(s)[i], env, trail) {
				return false
			}
		}
		return true
	}
	if !isBound(t, env) {
		return g.invert(t, s, env, trail)
	}
	v, ok := g.eval(t, env)
	return ok && v == s
}

// undo unbinds the slots recorded after mark.
func undo(env []sym, trail *[]int, mark int) {
	for _, s := range (*trail)[mark:] {
		env[s] = 0
	}
	*trail = (*trail)[:mark]
}

// compare evaluates "a op b" on symbols.
func (g *grounder) compare(op string, a, b sym) bool {
	c := g.st.compare(a, b)
	switch op {
	case "=":
		return c == 0
	case "!=":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	}
	return c >= 0
}
