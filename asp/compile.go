package asp

import (
	"sort"
	"strings"
)

// itemKind is the kind of a compiled body item.
type itemKind uint8

const (
	iPos    itemKind = iota // positive atom: matches derived atoms
	iNeg                    // not atom
	iNotNot                 // not not atom
	iCmp                    // comparison of bound terms
	iAssign                 // pattern l matched against the value of r
	iRange                  // slot takes each integer of lo..hi
	iAgg                    // body aggregate
	iCond                   // conditional literal
)

// citem is one scheduled body item. Items run left to right; each binds the
// variables listed in binds.
type citem struct {
	kind itemKind
	pred *predicate
	args []*cterm

	mask    uint64   // iPos: argument positions bound before matching
	maskArg []*cterm // iPos: the bound arguments, in position order
	same    int      // iPos over a predicate of the rule's component: its ordinal, else -1

	op   string
	l, r *cterm // iCmp, iAssign (l pattern, r value); iRange (l lo, r hi)
	slot int    // iRange

	agg  *cagg
	cond *ccond
}

// cagg is a compiled body aggregate.
type cagg struct {
	fun    string
	sign   Sign
	elems  []celem
	guards []cguard // "aggregate op term"
	assign int      // slot bound to the aggregate's value, or -1
	pos    Pos
	// recursive is set when the elements depend on the component of the
	// rule's head.
	recursive bool
}

// monotone reports whether the aggregate literal can only become true, never
// false, as more atoms become true: then grounding may treat atoms not
// derived yet as false.
func (a *cagg) monotone() bool {
	if a.sign != Positive {
		return false
	}
	for _, gd := range a.guards {
		switch {
		case (a.fun == "count" || a.fun == "sum+" || a.fun == "max") && (gd.op == ">=" || gd.op == ">"):
		case a.fun == "min" && (gd.op == "<=" || gd.op == "<"):
		default:
			return false
		}
	}
	return true
}

type celem struct {
	terms []*cterm
	cond  []citem
}

type cguard struct {
	op   string
	term *cterm
}

// ccond is a compiled conditional literal "lit : cond".
type ccond struct {
	lit  citem // iPos (meaning the atom must hold) or iCmp
	cond []citem
}

// headKind is the kind of a compiled rule head.
type headKind uint8

const (
	hNone headKind = iota
	hAtom
	hChoice
	hDisj // a disjunction; its elements are in choice
)

// crule is a compiled rule.
type crule struct {
	pos    Pos
	head   headKind
	hpred  *predicate
	hargs  []*cterm
	choice *cchoice
	body   []citem
	nslots int
	names  []string // slot names, for messages

	bodyPreds []*predicate // every predicate the rule's body depends on
	headPreds []*predicate
	deferred  bool // grounded naively, emitted after its component's fixpoint
	nsame     int
}

type cchoice struct {
	elems  []cchoiceElem
	guards []cguard
}

type cchoiceElem struct {
	pred *predicate
	args []*cterm
	cond []citem
}

// compiler compiles one rule.
type compiler struct {
	g      *grounder
	vars   map[string]int
	names  []string
	pos    Pos
	preds  []*predicate
	unsafe bool
}

func (c *compiler) newSlot(name string) int {
	c.names = append(c.names, name)
	return len(c.names) - 1
}

// scope collects the items a compiled literal needs (intervals become fresh
// variables ranging over the interval) and its local variable names.
type scope struct {
	items  []citem
	locals map[string]int // nil: variables are global
}

func (c *compiler) slotOf(name string, sc *scope) int {
	if name == "_" {
		return c.newSlot("_")
	}
	if sc != nil && sc.locals != nil {
		if s, ok := sc.locals[name]; ok {
			return s
		}
		if _, ok := c.vars[name]; !ok {
			s := c.newSlot(name)
			sc.locals[name] = s
			return s
		}
	}
	if s, ok := c.vars[name]; ok {
		return s
	}
	s := c.newSlot(name)
	c.vars[name] = s
	return s
}

// term compiles t; ground subterms are interned.
func (c *compiler) term(t Term, sc *scope) *cterm {
	switch t := t.(type) {
	case *Var:
		return &cterm{kind: ctVar, slot: c.slotOf(t.Name, sc)}
	case *Num:
		return &cterm{kind: ctSym, sym: c.g.st.num(t.Val)}
	case *Str:
		return &cterm{kind: ctSym, sym: c.g.st.str(t.Val)}
	case *Special:
		if t.Sup {
			return &cterm{kind: ctSym, sym: symSup}
		}
		return &cterm{kind: ctSym, sym: symInf}
	case *Func:
		if len(t.Args) == 0 && t.Name != "" {
			if v, ok := c.g.consts[t.Name]; ok {
				return &cterm{kind: ctSym, sym: v}
			}
		}
		ct := &cterm{kind: ctFun, name: t.Name}
		ground := true
		for _, a := range t.Args {
			x := c.term(a, sc)
			ground = ground && x.kind == ctSym
			ct.args = append(ct.args, x)
		}
		if ground {
			args := make([]sym, len(ct.args))
			for i, a := range ct.args {
				args[i] = a.sym
			}
			return &cterm{kind: ctSym, sym: c.g.st.fun(t.Name, args)}
		}
		return ct
	case *BinOp:
		ct := &cterm{kind: ctBin, name: t.Op, args: []*cterm{c.term(t.L, sc), c.term(t.R, sc)}}
		return c.fold(ct)
	case *UnOp:
		return c.fold(&cterm{kind: ctUn, name: t.Op, args: []*cterm{c.term(t.X, sc)}})
	case *Interval:
		s := c.newSlot("#I")
		lo, hi := c.term(t.Lo, sc), c.term(t.Hi, sc)
		sc.items = append(sc.items, citem{kind: iRange, slot: s, l: lo, r: hi, same: -1})
		return &cterm{kind: ctVar, slot: s}
	case *Pool:
		// Pools are expanded before compilation; one left here is nested in
		// a constant definition.
		return c.term(t.Alts[0], sc)
	}
	return &cterm{kind: ctSym, sym: c.g.st.num(0)}
}

// fold evaluates arithmetic on ground arguments at compile time; undefined
// operations stay unevaluated and fail when grounding.
func (c *compiler) fold(ct *cterm) *cterm {
	for _, a := range ct.args {
		if a.kind != ctSym {
			return ct
		}
	}
	if v, ok := c.g.eval(ct, nil); ok {
		return &cterm{kind: ctSym, sym: v}
	}
	return ct
}

// atom compiles an atom term (a *Func after unpooling).
func (c *compiler) atom(t Term, sc *scope) (*predicate, []*cterm) {
	f, ok := t.(*Func)
	if !ok {
		return c.g.pred("#invalid", 0), nil
	}
	args := make([]*cterm, len(f.Args))
	for i, a := range f.Args {
		args[i] = c.term(a, sc)
	}
	p := c.g.pred(f.Name, len(args))
	c.preds = append(c.preds, p)
	return p, args
}

// literal compiles a body literal into sc.items (unscheduled).
func (c *compiler) literal(l Literal, sc *scope, outside map[string]bool) {
	switch l := l.(type) {
	case *AtomLit:
		p, args := c.atom(l.Atom, sc)
		k := iPos
		switch l.Sign {
		case Not:
			k = iNeg
		case NotNot:
			k = iNotNot
		}
		sc.items = append(sc.items, citem{kind: k, pred: p, args: args, same: -1})
	case *CmpLit:
		op := l.Op
		switch l.Sign {
		case Not:
			op = negateOp(op)
		}
		lt, rt := c.term(l.L, sc), c.term(l.R, sc)
		sc.items = append(sc.items, citem{kind: iCmp, op: op, l: lt, r: rt, same: -1})
	case *AggLit:
		a := &cagg{fun: l.Fun, sign: l.Sign, assign: -1, pos: l.Pos}
		for _, gd := range []*Guard{l.Left, l.Right} {
			if gd != nil {
				a.guards = append(a.guards, cguard{op: gd.Op, term: c.term(gd.Term, sc)})
			}
		}
		for _, e := range l.Elems {
			esc := &scope{locals: map[string]int{}}
			c.globalise(e.Terms, e.Cond, outside)
			var ce celem
			for _, t := range e.Terms {
				ce.terms = append(ce.terms, c.term(t, esc))
			}
			for _, cl := range e.Cond {
				c.literal(cl, esc, outside)
			}
			ce.cond = esc.items
			a.elems = append(a.elems, ce)
		}
		sc.items = append(sc.items, citem{kind: iAgg, agg: a, same: -1})
	case *CondLit:
		esc := &scope{locals: map[string]int{}}
		c.globalise(nil, append([]Literal{l.Lit}, l.Cond...), outside)
		lsc := &scope{locals: esc.locals}
		c.literal(l.Lit, lsc, outside)
		cc := &ccond{}
		for _, cl := range l.Cond {
			c.literal(cl, esc, outside)
		}
		// Intervals of the literal range over the condition.
		esc.items = append(esc.items, lsc.items[:len(lsc.items)-1]...)
		cc.lit = lsc.items[len(lsc.items)-1]
		cc.cond = esc.items
		sc.items = append(sc.items, citem{kind: iCond, cond: cc, same: -1})
	}
}

// globalise makes the variables of an element that also occur outside it
// global slots, so that the element's scope finds them.
func (c *compiler) globalise(terms []Term, cond []Literal, outside map[string]bool) {
	names := map[string]bool{}
	for _, t := range terms {
		termVars(t, names)
	}
	for _, l := range cond {
		litVars(l, names, true)
	}
	for n := range names {
		if outside[n] {
			if _, ok := c.vars[n]; !ok {
				c.vars[n] = c.newSlot(n)
			}
		}
	}
}

func negateOp(op string) string {
	switch op {
	case "=":
		return "!="
	case "!=":
		return "="
	case "<":
		return ">="
	case "<=":
		return ">"
	case ">":
		return "<="
	}
	return "<"
}

// termVars adds the variable names of t (not "_").
func termVars(t Term, out map[string]bool) {
	switch t := t.(type) {
	case *Var:
		if t.Name != "_" {
			out[t.Name] = true
		}
	case *Func:
		for _, a := range t.Args {
			termVars(a, out)
		}
	case *BinOp:
		termVars(t.L, out)
		termVars(t.R, out)
	case *UnOp:
		termVars(t.X, out)
	case *Interval:
		termVars(t.Lo, out)
		termVars(t.Hi, out)
	case *Pool:
		for _, a := range t.Alts {
			termVars(a, out)
		}
	}
}

// litVars adds the variables of l that are global candidates: for
// aggregates only guard variables unless deep is set, for conditional
// literals none unless deep is set.
func litVars(l Literal, out map[string]bool, deep bool) {
	switch l := l.(type) {
	case *AtomLit:
		termVars(l.Atom, out)
	case *CmpLit:
		termVars(l.L, out)
		termVars(l.R, out)
	case *AggLit:
		for _, gd := range []*Guard{l.Left, l.Right} {
			if gd != nil {
				termVars(gd.Term, out)
			}
		}
		if deep {
			for _, e := range l.Elems {
				for _, t := range e.Terms {
					termVars(t, out)
				}
				for _, cl := range e.Cond {
					litVars(cl, out, true)
				}
			}
		}
	case *CondLit:
		if deep {
			litVars(l.Lit, out, true)
			for _, cl := range l.Cond {
				litVars(cl, out, true)
			}
		}
	}
}

// compileRule compiles a pool-free rule; unsafe rules are reported in errs.
func (g *grounder) compileRule(r *Rule) *crule {
	c := &compiler{g: g, vars: map[string]int{}, pos: r.Pos}
	cr := &crule{pos: r.Pos}
	// Variables that occur outside aggregates and conditional literals.
	outside := map[string]bool{}
	if h, ok := r.Head.(*AtomHead); ok {
		termVars(h.Atom, outside)
	}
	if h, ok := r.Head.(*ChoiceHead); ok {
		for _, gd := range []*Guard{h.Left, h.Right} {
			if gd != nil {
				termVars(gd.Term, outside)
			}
		}
	}
	for _, l := range r.Body {
		litVars(l, outside, false)
	}
	body := &scope{}
	for _, l := range r.Body {
		c.literal(l, body, outside)
	}
	cr.bodyPreds = c.preds
	c.preds = nil
	switch h := r.Head.(type) {
	case *AtomHead:
		cr.head = hAtom
		cr.hpred, cr.hargs = c.atom(h.Atom, body)
	case *ChoiceHead, *DisjunctiveHead:
		ch := &cchoice{}
		elems := []ChoiceElem(nil)
		if h, ok := h.(*ChoiceHead); ok {
			cr.head = hChoice
			elems = h.Elems
			for _, gd := range []*Guard{h.Left, h.Right} {
				if gd != nil {
					ch.guards = append(ch.guards, cguard{op: gd.Op, term: c.term(gd.Term, body)})
				}
			}
		} else {
			cr.head = hDisj
			elems = r.Head.(*DisjunctiveHead).Elems
		}
		for _, e := range elems {
			esc := &scope{locals: map[string]int{}}
			c.globalise([]Term{e.Atom}, e.Cond, outside)
			var ce cchoiceElem
			ce.pred, ce.args = c.atom(e.Atom, esc)
			c.preds = c.preds[:len(c.preds)-1]
			cr.headPreds = append(cr.headPreds, ce.pred)
			for _, cl := range e.Cond {
				c.literal(cl, esc, outside)
			}
			ce.cond = esc.items
			ch.elems = append(ch.elems, ce)
		}
		cr.choice = ch
		if cr.head == hDisj {
			g.checkOwnConditions(r.Pos, ch, cr.headPreds)
		}
		cr.bodyPreds = append(cr.bodyPreds, c.preds...)
	}
	if cr.head == hAtom {
		cr.headPreds = []*predicate{cr.hpred}
		c.preds = c.preds[:len(c.preds)-1]
	}
	bound := make([]bool, len(c.names)+64)
	cr.body = c.schedule(body.items, bound)
	// Head variables must be bound by the body.
	if cr.head == hAtom {
		c.requireBound(cr.hargs, bound)
	}
	if cr.head == hChoice || cr.head == hDisj {
		for i := range cr.choice.guards {
			c.requireBound([]*cterm{cr.choice.guards[i].term}, bound)
		}
		for i := range cr.choice.elems {
			e := &cr.choice.elems[i]
			eb := append([]bool(nil), bound...)
			e.cond = c.schedule(e.cond, eb)
			c.requireBound(e.args, eb)
		}
	}
	cr.nslots = len(c.names)
	cr.names = c.names
	if c.unsafe {
		return nil
	}
	return cr
}

func (c *compiler) requireBound(ts []*cterm, bound []bool) {
	var missing []int
	for _, t := range ts {
		for _, s := range t.vars(nil) {
			if !bound[s] {
				missing = append(missing, s)
			}
		}
	}
	if len(missing) > 0 {
		c.reportUnsafe(missing)
	}
}

func (c *compiler) reportUnsafe(slots []int) {
	if c.unsafe {
		return
	}
	c.unsafe = true
	seen := map[string]bool{}
	var names []string
	for _, s := range slots {
		n := c.names[s]
		if n == "#I" {
			n = "interval"
		}
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	sort.Strings(names)
	c.g.errs.add(c.pos, "unsafe variables in rule: %s", strings.Join(names, ", "))
}

// schedule orders items so that every item's inputs are bound when it runs;
// bound is updated with the variables bound by the items.
func (c *compiler) schedule(items []citem, bound []bool) []citem {
	for len(bound) < len(c.names) {
		bound = append(bound, false)
	}
	var out []citem
	pending := append([]citem(nil), items...)
	for len(pending) > 0 {
		best, bestScore := -1, -1
		for i := range pending {
			if s := c.readiness(&pending[i], bound); s > bestScore {
				best, bestScore = i, s
			}
		}
		if best < 0 {
			var missing []int
			for i := range pending {
				missing = append(missing, c.neededVars(&pending[i], bound)...)
			}
			if len(missing) == 0 {
				for i := range pending {
					for _, s := range itemVars(&pending[i]) {
						if !bound[s] {
							missing = append(missing, s)
						}
					}
				}
			}
			c.reportUnsafe(missing)
			return out
		}
		it := pending[best]
		pending = append(pending[:best], pending[best+1:]...)
		out = append(out, c.finish(it, bound))
	}
	return out
}

// readiness scores an item that can run now (higher runs first) or returns
// -1: filters first, then assignments, then atoms with most bound arguments.
func (c *compiler) readiness(it *citem, bound []bool) int {
	allBound := func(ts ...*cterm) bool {
		for _, t := range ts {
			if !t.bound(bound) {
				return false
			}
		}
		return true
	}
	switch it.kind {
	case iNeg, iNotNot:
		if allBound(it.args...) {
			return 1000
		}
	case iCmp:
		if allBound(it.l, it.r) {
			return 1000
		}
		if it.op == "=" && (allBound(it.r) && it.l.pattern(bound) || allBound(it.l) && it.r.pattern(bound)) {
			return 900
		}
	case iRange:
		if allBound(it.l, it.r) {
			return 800
		}
	case iAgg:
		if !c.aggGlobalsBound(it.agg, bound) {
			return -1
		}
		if c.assignGuard(it.agg, bound) >= 0 {
			return 100
		}
		for _, gd := range it.agg.guards {
			if !gd.term.bound(bound) {
				return -1
			}
		}
		return 1000
	case iCond:
		for _, s := range condGlobals(it.cond, c) {
			if !bound[s] {
				return -1
			}
		}
		return 1000
	case iPos:
		score := 200
		for _, a := range it.args {
			if !a.pattern(bound) {
				return -1
			}
			if a.bound(bound) {
				score += 10
			}
		}
		return score
	}
	return -1
}

// isGlobal reports whether slot s is a rule-level variable.
func (c *compiler) isGlobal(s int) bool {
	n := c.names[s]
	if g, ok := c.vars[n]; ok && g == s {
		return true
	}
	return false
}

func (c *compiler) aggGlobalsBound(a *cagg, bound []bool) bool {
	for _, e := range a.elems {
		for _, t := range e.terms {
			for _, s := range t.vars(nil) {
				if c.isGlobal(s) && !bound[s] {
					return false
				}
			}
		}
		for i := range e.cond {
			for _, s := range itemVars(&e.cond[i]) {
				if c.isGlobal(s) && !bound[s] {
					return false
				}
			}
		}
	}
	return true
}

func condGlobals(cc *ccond, c *compiler) []int {
	var out []int
	for _, s := range itemVars(&cc.lit) {
		if c.isGlobal(s) {
			out = append(out, s)
		}
	}
	for i := range cc.cond {
		for _, s := range itemVars(&cc.cond[i]) {
			if c.isGlobal(s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// assignGuard returns the index of the guard "= X" with X an unbound
// variable, or -1.
func (c *compiler) assignGuard(a *cagg, bound []bool) int {
	if len(a.guards) != 1 || a.guards[0].op != "=" || a.sign != Positive {
		return -1
	}
	t := a.guards[0].term
	if t.kind == ctVar && !bound[t.slot] {
		return 0
	}
	return -1
}

func itemVars(it *citem) []int {
	var out []int
	for _, a := range it.args {
		out = a.vars(out)
	}
	if it.l != nil {
		out = it.l.vars(out)
	}
	if it.r != nil {
		out = it.r.vars(out)
	}
	if it.kind == iRange {
		out = append(out, it.slot)
	}
	if it.agg != nil {
		for _, gd := range it.agg.guards {
			out = gd.term.vars(out)
		}
		for _, e := range it.agg.elems {
			for _, t := range e.terms {
				out = t.vars(out)
			}
			for i := range e.cond {
				out = append(out, itemVars(&e.cond[i])...)
			}
		}
	}
	if it.cond != nil {
		out = append(out, itemVars(&it.cond.lit)...)
		for i := range it.cond.cond {
			out = append(out, itemVars(&it.cond.cond[i])...)
		}
	}
	return out
}

// finish completes a ready item (schedules nested conditions, turns
// comparisons into assignments, computes index masks) and marks what it
// binds.
func (c *compiler) finish(it citem, bound []bool) citem {
	switch it.kind {
	case iCmp:
		if !(it.l.bound(bound) && it.r.bound(bound)) {
			if !it.r.bound(bound) {
				it.l, it.r = it.r, it.l
			}
			it.kind = iAssign
			it.l.bind(bound)
		}
	case iRange:
		bound[it.slot] = true
	case iPos:
		for i, a := range it.args {
			if a.bound(bound) && i < 64 {
				it.mask |= 1 << uint(i)
				it.maskArg = append(it.maskArg, a)
			}
		}
		for _, a := range it.args {
			a.bind(bound)
		}
	case iAgg:
		a := it.agg
		if gi := c.assignGuard(a, bound); gi >= 0 {
			a.assign = a.guards[gi].term.slot
		}
		for i := range a.elems {
			eb := append([]bool(nil), bound...)
			a.elems[i].cond = c.schedule(a.elems[i].cond, eb)
			c.requireBound(a.elems[i].terms, eb)
		}
		if a.assign >= 0 {
			bound[a.assign] = true
		}
	case iCond:
		eb := append([]bool(nil), bound...)
		it.cond.cond = c.schedule(it.cond.cond, eb)
		// The literal is checked, never used to bind: its variables must be
		// bound by the rule or the condition.
		lit := &it.cond.lit
		terms := append([]*cterm(nil), lit.args...)
		if lit.l != nil {
			terms = append(terms, lit.l, lit.r)
		}
		c.requireBound(terms, eb)
	}
	return it
}

// neededVars returns the unbound variables that keep a stuck item from
// running (for the unsafe-variable message).
func (c *compiler) neededVars(it *citem, bound []bool) []int {
	var out []int
	add := func(ts ...*cterm) {
		for _, t := range ts {
			for _, s := range t.vars(nil) {
				if !bound[s] {
					out = append(out, s)
				}
			}
		}
	}
	switch it.kind {
	case iPos:
		for _, a := range it.args {
			if !a.pattern(bound) {
				add(a)
			}
		}
	case iNeg, iNotNot:
		add(it.args...)
	case iCmp, iRange:
		add(it.l, it.r)
	case iAgg:
		for _, gd := range it.agg.guards {
			add(gd.term)
		}
		for _, s := range itemVars(it) {
			if c.isGlobal(s) && !bound[s] {
				out = append(out, s)
			}
		}
	case iCond:
		for _, s := range condGlobals(it.cond, c) {
			if !bound[s] {
				out = append(out, s)
			}
		}
	}
	return out
}
