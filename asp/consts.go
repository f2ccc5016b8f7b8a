package asp

import "fmt"

// defineConsts evaluates the #const definitions; overrides win over them.
func (g *grounder) defineConsts(prog *Program, overrides map[string]Symbol) error {
	for name, v := range overrides {
		g.consts[name] = g.st.intern(v)
	}
	for _, s := range prog.Statements {
		c, ok := s.(*Const)
		if !ok {
			continue
		}
		if _, over := overrides[c.Name]; over {
			continue
		}
		if _, dup := g.consts[c.Name]; dup {
			g.errs.add(c.Pos, "redefinition of constant %s", c.Name)
			continue
		}
		cp := &compiler{g: g, vars: map[string]int{}, pos: c.Pos}
		sc := &scope{}
		t := cp.term(c.Value, sc)
		if len(t.vars(nil)) > 0 || len(sc.items) > 0 {
			g.errs.add(c.Pos, "constant %s must be defined by a ground term", c.Name)
			continue
		}
		v, ok := g.eval(t, nil)
		if !ok {
			g.errs.add(c.Pos, "constant %s must be defined by a ground term", c.Name)
			continue
		}
		g.consts[c.Name] = v
	}
	return g.errs.err()
}

// ParseConst parses "name=value" as given to clingo's -c option.
func ParseConst(s string) (string, Symbol, error) {
	for i := 0; i < len(s); i++ {
		if s[i] == '=' {
			name := s[:i]
			if !validName(name) {
				return "", Symbol{}, fmt.Errorf("asp: invalid constant name %q", name)
			}
			v, err := ParseTerm(s[i+1:])
			return name, v, err
		}
	}
	return "", Symbol{}, fmt.Errorf("asp: constant definition %q is not NAME=VALUE", s)
}

// ParseTerm parses and evaluates a ground term such as "42", "f(a,\"s\")"
// or "(1,2)".
func ParseTerm(s string) (Symbol, error) {
	p := &parser{}
	lx := newLexer("<term>", []byte(s), &p.errs)
	for {
		t := lx.next()
		p.toks = append(p.toks, t)
		if t.kind == tEOF {
			break
		}
	}
	var t Term
	func() {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(bailout); !ok {
					panic(r)
				}
			}
		}()
		t = p.term()
		if p.tok().kind != tEOF {
			p.unexpected()
		}
	}()
	if err := p.errs.err(); err != nil {
		return Symbol{}, err
	}
	g := &grounder{st: newSymtab(), consts: map[string]sym{}, preds: map[predKey]*predicate{}}
	cp := &compiler{g: g, vars: map[string]int{}}
	sc := &scope{}
	ct := cp.term(t, sc)
	if ct.kind != ctSym || len(sc.items) > 0 {
		return Symbol{}, fmt.Errorf("asp: %q is not a ground term", s)
	}
	return g.st.symbol(ct.sym), nil
}
