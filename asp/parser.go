package asp

import (
	"strconv"
)

// Parse parses clingo source. name is used in positions (conventionally the
// file name, "-" or "<stdin>" for standard input). The error, if any, is an
// ErrorList of positioned errors.
func Parse(name string, src []byte) (*Program, error) {
	prog := &Program{}
	if err := prog.AddSource(name, src); err != nil {
		return nil, err
	}
	return prog, nil
}

// parser is a recursive-descent parser over the whole token list.
type parser struct {
	toks []token
	i    int
	errs ErrorList
	// skip is set in a "#program" part other than base, whose statements
	// clingo does not ground unless asked to (multi-shot solving).
	skip bool
}

// bailout is panicked to abandon the current statement after an error.
type bailout struct{}

func parseStatements(name string, src []byte) ([]Statement, ErrorList) {
	p := &parser{}
	lx := newLexer(name, src, &p.errs)
	for {
		t := lx.next()
		p.toks = append(p.toks, t)
		if t.kind == tEOF {
			break
		}
	}
	var stmts []Statement
	for p.tok().kind != tEOF {
		if s := p.statementRecover(); s != nil && !p.skip {
			stmts = append(stmts, s...)
		}
	}
	return stmts, p.errs
}

func (p *parser) tok() token { return p.toks[p.i] }

func (p *parser) peek(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) nextTok() token {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

func (p *parser) fail(pos Pos, format string, args ...any) {
	p.errs.add(pos, format, args...)
	panic(bailout{})
}

func (p *parser) unexpected() {
	t := p.tok()
	switch t.kind {
	case tIdent, tVar, tNum, tIllegal:
		p.fail(t.pos, "syntax error, unexpected %s", t.text)
	case tDirective:
		p.fail(t.pos, "syntax error, unexpected #%s", t.text)
	case tStr:
		p.fail(t.pos, "syntax error, unexpected string")
	}
	p.fail(t.pos, "syntax error, unexpected %s", t.kind)
}

func (p *parser) expect(k tokKind) token {
	if p.tok().kind != k {
		t := p.tok()
		if t.kind == tEOF {
			p.fail(t.pos, "syntax error, unexpected end of file, expecting %s", k)
		}
		p.unexpected()
	}
	return p.nextTok()
}

func (p *parser) accept(k tokKind) bool {
	if p.tok().kind == k {
		p.nextTok()
		return true
	}
	return false
}

// statementRecover parses one statement; after an error it skips to the
// token after the next '.'.
func (p *parser) statementRecover() (stmts []Statement) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
			stmts = nil
			for p.tok().kind != tEOF && p.tok().kind != tDot {
				p.nextTok()
			}
			p.accept(tDot)
		}
	}()
	return p.statement()
}

func (p *parser) unsupported(pos Pos, what string) {
	p.fail(pos, "%s is not supported", what)
}

func (p *parser) statement() []Statement {
	t := p.tok()
	switch t.kind {
	case tIf:
		p.nextTok()
		body := p.body()
		p.expect(tDot)
		return []Statement{&Rule{Pos: t.pos, Body: body}}
	case tWeakIf:
		return []Statement{p.weak()}
	case tDirective:
		return p.directive()
	}
	head := p.head()
	var body []Literal
	if p.accept(tIf) {
		body = p.body()
	}
	p.expect(tDot)
	return []Statement{&Rule{Pos: t.pos, Head: head, Body: body}}
}

func (p *parser) directive() []Statement {
	t := p.nextTok()
	switch t.text {
	case "show":
		return []Statement{p.show(t.pos)}
	case "const":
		name := p.expect(tIdent)
		p.expect(tEq)
		val := p.term()
		if p.accept(tLBrack) {
			p.expect(tIdent)
			p.expect(tRBrack)
		}
		p.expect(tDot)
		return []Statement{&Const{Pos: t.pos, Name: name.text, Value: val}}
	case "minimize", "minimise", "maximize", "maximise":
		opt := &Optimise{Pos: t.pos, Maximize: t.text[:3] == "max"}
		p.expect(tLBrace)
		if p.tok().kind != tRBrace {
			for {
				opt.Elems = append(opt.Elems, p.optElem())
				if !p.accept(tSemi) {
					break
				}
			}
		}
		p.expect(tRBrace)
		p.expect(tDot)
		return []Statement{opt}
	case "include":
		path := p.expect(tStr)
		p.expect(tDot)
		return []Statement{&Include{Pos: t.pos, Path: path.text}}
	case "defined":
		p.expect(tIdent)
		p.expect(tSlash)
		p.expect(tNum)
		p.expect(tDot)
		return nil
	case "program":
		// Parts other than base are read (their syntax is checked) but
		// not grounded, as clingo does without a multi-shot driver.
		name := p.expect(tIdent)
		params := false
		if p.accept(tLParen) {
			params = true
			if p.tok().kind != tRParen {
				for {
					p.expect(tIdent)
					if !p.accept(tComma) {
						break
					}
				}
			}
			p.expect(tRParen)
		}
		p.expect(tDot)
		p.skip = name.text != "base" || params
		return nil
	case "external":
		return p.external(t.pos)
	case "project":
		return []Statement{p.project(t.pos)}
	case "heuristic":
		// Domain heuristics steer clingo's search only with
		// --heuristic=Domain; they never change the answer sets.
		p.atomTerm(p.term())
		if p.accept(tColon) && p.tok().kind != tDot {
			p.body()
		}
		p.expect(tDot)
		p.expect(tLBrack)
		p.term()
		if p.accept(tAt) {
			p.term()
		}
		p.expect(tComma)
		p.term()
		p.expect(tRBrack)
		return nil
	case "count", "sum", "sum+", "min", "max":
		p.unsupported(t.pos, "head aggregate")
	case "true", "false", "inf", "sup":
		p.fail(t.pos, "syntax error, unexpected #%s", t.text)
	}
	p.unsupported(t.pos, "#"+t.text)
	return nil
}

// external parses "#external atom [: body]. [value]". Without a driver
// that assigns them, clingo reads an external atom as false, as true with
// [true], and as either with [free]; [false] and [release] are false. So
// the statement is dropped, or becomes the rule "atom :- body." or the
// choice "{ atom } :- body.". The body only selects the instances: its
// literals are expected to be decided by the grounder.
func (p *parser) external(pos Pos) []Statement {
	atom := p.atomTerm(p.term())
	var body []Literal
	if p.accept(tColon) && p.tok().kind != tDot {
		body = p.body()
	}
	p.expect(tDot)
	value := "false"
	if p.tok().kind == tLBrack {
		p.nextTok()
		v := p.expect(tIdent)
		p.expect(tRBrack)
		value = v.text
	}
	switch value {
	case "false", "release":
		return nil
	case "true":
		return []Statement{&Rule{Pos: pos, Head: &AtomHead{Pos: pos, Atom: atom}, Body: body}}
	case "free":
		return []Statement{&Rule{Pos: pos, Head: &ChoiceHead{Pos: pos, Elems: []ChoiceElem{{Pos: pos, Atom: atom}}}, Body: body}}
	}
	p.fail(pos, "unknown value [%s] of #external: use true, false, free or release", value)
	return nil
}

// signature parses "[-]name/arity." when it comes next (ok false, and
// nothing read, otherwise), as #show and #project take it.
func (p *parser) signature() (name string, arity int, ok bool) {
	k := 0
	if p.tok().kind == tMinus {
		k = 1
	}
	if p.peek(k).kind != tIdent || p.peek(k+1).kind != tSlash || p.peek(k+2).kind != tNum || p.peek(k+3).kind != tDot {
		return "", 0, false
	}
	if k == 1 {
		p.nextTok()
		name = "-"
	}
	name += p.nextTok().text
	p.nextTok()
	n := p.nextTok()
	p.nextTok()
	ar, err := strconv.Atoi(n.text)
	if err != nil {
		p.fail(n.pos, "arity out of range")
	}
	return name, ar, true
}

// project parses "#project p/n." or "#project atom [: body].".
func (p *parser) project(pos Pos) Statement {
	if name, ar, ok := p.signature(); ok {
		return &Project{Pos: pos, Name: name, Arity: ar}
	}
	atom := p.atomTerm(p.term())
	var body []Literal
	if p.accept(tColon) && p.tok().kind != tDot {
		body = p.body()
	}
	p.expect(tDot)
	return &Project{Pos: pos, Atom: atom, Body: body}
}

func (p *parser) show(pos Pos) Statement {
	if p.accept(tDot) {
		return &Show{Pos: pos, Arity: -1}
	}
	if name, ar, ok := p.signature(); ok {
		return &Show{Pos: pos, Name: name, Arity: ar}
	}
	t := p.term()
	var body []Literal
	if p.accept(tColon) {
		body = p.body()
	}
	p.expect(tDot)
	return &ShowTerm{Pos: pos, Term: t, Body: body}
}

func (p *parser) weak() Statement {
	t := p.nextTok()
	body := p.body()
	p.expect(tDot)
	p.expect(tLBrack)
	e := OptElem{Pos: p.tok().pos, Cond: body}
	e.Weight = p.term()
	if p.accept(tAt) {
		e.Priority = p.term()
	}
	for p.accept(tComma) {
		e.Terms = append(e.Terms, p.term())
	}
	p.expect(tRBrack)
	return &Optimise{Pos: t.pos, Elems: []OptElem{e}}
}

func (p *parser) optElem() OptElem {
	e := OptElem{Pos: p.tok().pos}
	e.Weight = p.term()
	if p.accept(tAt) {
		e.Priority = p.term()
	}
	for p.accept(tComma) {
		e.Terms = append(e.Terms, p.term())
	}
	if p.accept(tColon) {
		e.Cond = p.condition()
	}
	return e
}

// head parses a rule head: an atom or a choice with optional guards.
func (p *parser) head() Head {
	t := p.tok()
	if t.kind == tDirective {
		switch t.text {
		case "count", "sum", "sum+", "min", "max":
			p.unsupported(t.pos, "head aggregate")
		case "true", "false":
			p.unsupported(t.pos, "#"+t.text+" in a head")
		}
	}
	if t.kind == tLBrace {
		return p.choice(t.pos, nil)
	}
	if isCmp(p.tok().kind) {
		p.unexpected()
	}
	term := p.term()
	if p.tok().kind == tLBrace {
		return p.choice(t.pos, &Guard{Op: ">=", Term: term})
	}
	if isCmp(p.tok().kind) && p.peek(1).kind == tLBrace {
		op := flipOp(cmpOp(p.nextTok().kind))
		return p.choice(t.pos, &Guard{Op: op, Term: term})
	}
	if isCmp(p.tok().kind) && p.peek(1).kind == tDirective {
		p.unsupported(t.pos, "head aggregate")
	}
	atom := p.atomTerm(term)
	switch p.tok().kind {
	case tSemi, tBar, tColon:
		return p.disjunction(t.pos, atom)
	case tComma:
		p.unsupported(p.tok().pos, "',' between head atoms (use ';' or '|')")
	}
	return &AtomHead{Pos: t.pos, Atom: atom}
}

// disjunction parses the rest of a disjunctive head whose first atom is
// first: elements "atom [: condition]" separated by ';' or '|'.
func (p *parser) disjunction(pos Pos, first Term) Head {
	h := &DisjunctiveHead{Pos: pos}
	e := ChoiceElem{Pos: pos, Atom: first}
	for {
		if p.accept(tColon) {
			if k := p.tok().kind; k != tSemi && k != tBar && k != tDot && k != tIf {
				e.Cond = p.condition()
			}
		}
		h.Elems = append(h.Elems, e)
		if !p.accept(tSemi) && !p.accept(tBar) {
			return h
		}
		e = ChoiceElem{Pos: p.tok().pos, Atom: p.atomTerm(p.term())}
	}
}

// atomTerm checks that t can stand for an atom.
func (p *parser) atomTerm(t Term) Term {
	switch t := t.(type) {
	case *Func:
		if t.Name == "" {
			p.fail(t.Pos, "syntax error, a tuple is not an atom")
		}
		return t
	case *Pool:
		for _, a := range t.Alts {
			p.atomTerm(a)
		}
		return t
	case *UnOp:
		// Classical negation: -p(t) is the atom of the predicate "-p",
		// which the grounder makes inconsistent with p(t).
		if f, ok := t.X.(*Func); ok && t.Op == "-" && f.Name != "" && f.Name[0] != '-' {
			return &Func{Pos: t.Pos, Name: "-" + f.Name, Args: f.Args}
		}
	}
	p.fail(t.Position(), "syntax error, expecting an atom")
	return nil
}

func (p *parser) choice(pos Pos, left *Guard) Head {
	p.expect(tLBrace)
	h := &ChoiceHead{Pos: pos, Left: left}
	if p.tok().kind != tRBrace {
		for {
			e := ChoiceElem{Pos: p.tok().pos}
			e.Atom = p.atomTerm(p.term())
			if p.accept(tColon) {
				e.Cond = p.condition()
			}
			h.Elems = append(h.Elems, e)
			if !p.accept(tSemi) {
				break
			}
		}
	}
	p.expect(tRBrace)
	if isCmp(p.tok().kind) {
		op := cmpOp(p.nextTok().kind)
		h.Right = &Guard{Op: op, Term: p.term()}
	} else if startsTerm(p.tok().kind) {
		h.Right = &Guard{Op: "<=", Term: p.term()}
	}
	return h
}

func startsTerm(k tokKind) bool {
	switch k {
	case tIdent, tVar, tAnon, tNum, tStr, tLParen, tMinus, tBar, tTilde:
		return true
	}
	return false
}

// body parses literals separated by ',' or ';'.
func (p *parser) body() []Literal {
	var lits []Literal
	for {
		lits = append(lits, p.bodyLiteral())
		if !p.accept(tComma) && !p.accept(tSemi) {
			return lits
		}
	}
}

// condition parses the literals of a condition, separated by ','.
func (p *parser) condition() []Literal {
	var lits []Literal
	for {
		lits = append(lits, p.literal())
		if !p.accept(tComma) {
			return lits
		}
	}
}

func (p *parser) bodyLiteral() Literal {
	pos := p.tok().pos
	l := p.literal()
	if p.tok().kind == tColon {
		switch l.(type) {
		case *AtomLit, *CmpLit:
		default:
			p.fail(p.tok().pos, "syntax error, unexpected :")
		}
		p.nextTok()
		var cond []Literal
		if k := p.tok().kind; k != tSemi && k != tDot && k != tComma {
			cond = p.condition()
		}
		return &CondLit{Pos: pos, Lit: l, Cond: cond}
	}
	return l
}

func (p *parser) literal() Literal {
	pos := p.tok().pos
	sign := Positive
	if p.tok().kind == tIdent && p.tok().text == "not" {
		p.nextTok()
		sign = Not
		if p.tok().kind == tIdent && p.tok().text == "not" {
			p.nextTok()
			sign = NotNot
		}
	}
	t := p.tok()
	switch t.kind {
	case tDirective:
		switch t.text {
		case "count", "sum", "sum+", "min", "max":
			return p.aggregate(pos, sign, nil)
		case "true", "false":
			p.nextTok()
			op := "="
			if t.text == "false" {
				op = "!="
			}
			return &CmpLit{Pos: pos, Sign: sign, Op: op, L: &Num{Pos: t.pos}, R: &Num{Pos: t.pos}}
		}
	case tLBrace:
		p.unsupported(t.pos, "a set aggregate in a body (use #count)")
	case tAmpName:
		p.unsupported(t.pos, "theory atom")
	}
	l := p.term()
	if isCmp(p.tok().kind) {
		opTok := p.nextTok()
		op := cmpOp(opTok.kind)
		if p.tok().kind == tDirective {
			switch p.tok().text {
			case "count", "sum", "sum+", "min", "max":
				return p.aggregate(pos, sign, &Guard{Op: flipOp(op), Term: l})
			}
		}
		if p.tok().kind == tLBrace {
			p.unsupported(p.tok().pos, "a set aggregate in a body (use #count)")
		}
		r := p.term()
		return &CmpLit{Pos: pos, Sign: sign, Op: op, L: l, R: r}
	}
	return &AtomLit{Pos: pos, Sign: sign, Atom: p.atomTerm(l)}
}

func (p *parser) aggregate(pos Pos, sign Sign, left *Guard) Literal {
	fn := p.nextTok()
	a := &AggLit{Pos: pos, Sign: sign, Fun: fn.text, Left: left}
	p.expect(tLBrace)
	if p.tok().kind != tRBrace {
		for {
			e := AggElem{Pos: p.tok().pos}
			if p.tok().kind != tColon {
				for {
					e.Terms = append(e.Terms, p.term())
					if !p.accept(tComma) {
						break
					}
				}
			}
			if p.accept(tColon) {
				e.Cond = p.condition()
			}
			a.Elems = append(a.Elems, e)
			if !p.accept(tSemi) {
				break
			}
		}
	}
	p.expect(tRBrace)
	if isCmp(p.tok().kind) {
		op := cmpOp(p.nextTok().kind)
		a.Right = &Guard{Op: op, Term: p.term()}
	}
	return a
}

func isCmp(k tokKind) bool {
	switch k {
	case tEq, tNeq, tLt, tLe, tGt, tGe:
		return true
	}
	return false
}

func cmpOp(k tokKind) string {
	switch k {
	case tEq:
		return "="
	case tNeq:
		return "!="
	case tLt:
		return "<"
	case tLe:
		return "<="
	case tGt:
		return ">"
	}
	return ">="
}

// flipOp turns "t op x" into "x flip(op) t".
func flipOp(op string) string {
	switch op {
	case "<":
		return ">"
	case "<=":
		return ">="
	case ">":
		return "<"
	case ">=":
		return "<="
	}
	return op
}

// Term grammar, lowest precedence first: .. ? ^ & (+ -) (* / \) ** unary.
func (p *parser) term() Term {
	l := p.binTerm(0)
	if p.tok().kind == tDots {
		pos := p.nextTok().pos
		r := p.binTerm(0)
		return &Interval{Pos: pos, Lo: l, Hi: r}
	}
	return l
}

var binLevels = [][]tokKind{
	{tQuestion},
	{tCaret},
	{tAmp},
	{tPlus, tMinus},
	{tStar, tSlash, tBackslash},
}

var binOps = map[tokKind]string{
	tQuestion: "?", tCaret: "^", tAmp: "&", tPlus: "+", tMinus: "-",
	tStar: "*", tSlash: "/", tBackslash: "\\", tPow: "**",
}

func (p *parser) binTerm(level int) Term {
	if level == len(binLevels) {
		return p.powTerm()
	}
	l := p.binTerm(level + 1)
	for {
		k := p.tok().kind
		found := false
		for _, op := range binLevels[level] {
			if k == op {
				found = true
			}
		}
		if !found {
			return l
		}
		t := p.nextTok()
		r := p.binTerm(level + 1)
		l = &BinOp{Pos: t.pos, Op: binOps[k], L: l, R: r}
	}
}

func (p *parser) powTerm() Term {
	l := p.unaryTerm()
	if p.tok().kind == tPow {
		t := p.nextTok()
		r := p.powTerm()
		return &BinOp{Pos: t.pos, Op: "**", L: l, R: r}
	}
	return l
}

func (p *parser) unaryTerm() Term {
	t := p.tok()
	switch t.kind {
	case tMinus:
		p.nextTok()
		x := p.unaryTerm()
		if n, ok := x.(*Num); ok {
			return &Num{Pos: t.pos, Val: -n.Val}
		}
		return &UnOp{Pos: t.pos, Op: "-", X: x}
	case tTilde:
		p.nextTok()
		return &UnOp{Pos: t.pos, Op: "~", X: p.unaryTerm()}
	}
	return p.primary()
}

func (p *parser) primary() Term {
	t := p.tok()
	switch t.kind {
	case tNum:
		p.nextTok()
		v, err := strconv.ParseInt(t.text, 10, 64)
		if err != nil {
			p.fail(t.pos, "integer %s out of range", t.text)
		}
		return &Num{Pos: t.pos, Val: v}
	case tStr:
		p.nextTok()
		return &Str{Pos: t.pos, Val: t.text}
	case tVar, tAnon:
		p.nextTok()
		return &Var{Pos: t.pos, Name: t.text}
	case tIdent:
		if t.text == "not" {
			p.unexpected()
		}
		p.nextTok()
		if p.tok().kind == tLParen {
			p.nextTok()
			return p.args(t.pos, t.text)
		}
		return &Func{Pos: t.pos, Name: t.text}
	case tDirective:
		switch t.text {
		case "inf", "infimum":
			p.nextTok()
			return &Special{Pos: t.pos}
		case "sup", "supremum":
			p.nextTok()
			return &Special{Pos: t.pos, Sup: true}
		}
	case tLParen:
		p.nextTok()
		return p.args(t.pos, "")
	case tBar:
		p.nextTok()
		x := p.term()
		p.expect(tBar)
		return &UnOp{Pos: t.pos, Op: "|", X: x}
	case tAmpName:
		p.unsupported(t.pos, "theory atom")
	case tEOF:
		p.fail(t.pos, "syntax error, unexpected end of file")
	}
	p.unexpected()
	return nil
}

// args parses an argument list after '(' up to and including ')': terms
// separated by ',' and alternatives separated by ';'. With an empty name the
// list is a tuple, a parenthesised term or a pool.
func (p *parser) args(pos Pos, name string) Term {
	var alts []Term
	for {
		var terms []Term
		trailingComma := false
		for k := p.tok().kind; k != tRParen && k != tSemi; k = p.tok().kind {
			terms = append(terms, p.term())
			trailingComma = false
			if !p.accept(tComma) {
				break
			}
			trailingComma = true
		}
		var alt Term
		switch {
		case name == "" && len(terms) == 1 && !trailingComma:
			alt = terms[0]
		default:
			alt = &Func{Pos: pos, Name: name, Args: terms}
		}
		alts = append(alts, alt)
		if !p.accept(tSemi) {
			break
		}
	}
	p.expect(tRParen)
	if len(alts) == 1 {
		return alts[0]
	}
	return &Pool{Pos: pos, Alts: alts}
}
