package asp

import "fmt"

// projectAnonymous rewrites negative body literals with anonymous variables
// ("not p(X,_)") as clingo does: the anonymous positions are projected out
// by a hidden predicate, "not #p1(X)" with "#p1(X) :- p(X,_).".
func projectAnonymous(r *Rule, g *grounder) *Rule {
	var body []Literal
	changed := false
	for _, l := range r.Body {
		al, ok := l.(*AtomLit)
		if !ok || al.Sign == Positive || !hasAnon(al.Atom) {
			body = append(body, l)
			continue
		}
		changed = true
		names := map[string]bool{}
		termVars(al.Atom, names)
		var vars []Term
		for _, n := range sortedKeys(names) {
			vars = append(vars, &Var{Pos: al.Pos, Name: n})
		}
		g.nproj++
		name := fmt.Sprintf("#p%d", g.nproj)
		aux := &Func{Pos: al.Pos, Name: name, Args: vars}
		if len(vars) == 0 {
			aux = &Func{Pos: al.Pos, Name: name}
		}
		def := &Rule{Pos: al.Pos, Head: &AtomHead{Pos: al.Pos, Atom: aux}, Body: []Literal{&AtomLit{Pos: al.Pos, Atom: al.Atom}}}
		g.extraStmts = append(g.extraStmts, def)
		body = append(body, &AtomLit{Pos: al.Pos, Sign: al.Sign, Atom: aux})
	}
	if !changed {
		return r
	}
	return &Rule{Pos: r.Pos, Head: r.Head, Body: body}
}

func hasAnon(t Term) bool {
	switch t := t.(type) {
	case *Var:
		return t.Name == "_"
	case *Func:
		for _, a := range t.Args {
			if hasAnon(a) {
				return true
			}
		}
	case *Pool:
		for _, a := range t.Alts {
			if hasAnon(a) {
				return true
			}
		}
	case *BinOp:
		return hasAnon(t.L) || hasAnon(t.R)
	case *UnOp:
		return hasAnon(t.X)
	case *Interval:
		return hasAnon(t.Lo) || hasAnon(t.Hi)
	}
	return false
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
