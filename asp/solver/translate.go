package solver

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/toolsmith-dev/toolsmith/asp/internal/scc"
)

// builder translates a Program into solver constraints: the Clark completion
// with one variable per distinct rule body, native weight constraints, the
// unfounded-set checker for non-tight parts and the objective.
type builder struct {
	p       *Program
	s       *solver
	bodies  map[string]lit
	info    map[lit]*bodyInfo
	scc     []int32 // per atom, -1 when not on a positive loop
	support [][]lit // per atom: bodies of rules with it in the head (after completion)
	pairs   []supportPair
	// loopBudget is ufs.clauseBudget.
	loopBudget int
	scratch    []lit  // reused by normalBody
	key        []byte // reused body keys
	unsat      bool
}

type supportPair struct {
	a  Atom
	bl lit
}

type bodyInfo struct {
	weight bool
	lits   []lit
	w      []int64
	bound  int64
}

// problem is a translated program.
type problem struct {
	s       *solver
	p       *Program
	nlev    int
	texts   []lit   // per distinct output text (Project only)
	textID  []int32 // per output: index of the first output with its text
	project bool
	// shownMark is scratch for model: the text ids already shown.
	shownMark []bool
	conflict  bool // the program has no answer set (found while building)
}

// Error reports a Program that the solver cannot read.
type Error struct {
	Rule int // index into Program.Rules, -1 when not about a rule
	Msg  string
}

func (e *Error) Error() string {
	if e.Rule >= 0 {
		return fmt.Sprintf("solver: rule %d: %s", e.Rule, e.Msg)
	}
	return "solver: " + e.Msg
}

func validate(p *Program) error {
	if p.NumAtoms < 0 {
		return &Error{Rule: -1, Msg: "negative NumAtoms"}
	}
	okLit := func(l Lit) bool { return l != 0 && int(l.Atom()) <= p.NumAtoms }
	for i, r := range p.Rules {
		if r.HeadKind > Choice || r.BodyKind > Weight {
			return &Error{Rule: i, Msg: "unknown head or body kind"}
		}
		for _, a := range r.Head {
			if a <= 0 || int(a) > p.NumAtoms {
				return &Error{Rule: i, Msg: fmt.Sprintf("head atom %d out of range", a)}
			}
		}
		for _, wl := range r.Body {
			if !okLit(wl.Lit) {
				return &Error{Rule: i, Msg: fmt.Sprintf("body literal %d out of range", wl.Lit)}
			}
			if r.BodyKind == Weight && wl.Weight < 0 {
				return &Error{Rule: i, Msg: "negative weight in a rule body"}
			}
		}
	}
	for _, m := range p.Minimize {
		for _, wl := range m.Lits {
			if !okLit(wl.Lit) {
				return &Error{Rule: -1, Msg: fmt.Sprintf("minimize literal %d out of range", wl.Lit)}
			}
		}
	}
	for _, l := range p.Project {
		if !okLit(l) {
			return &Error{Rule: -1, Msg: fmt.Sprintf("projection literal %d out of range", l)}
		}
	}
	for _, o := range p.Outputs {
		for _, l := range o.Cond {
			if !okLit(l) {
				return &Error{Rule: -1, Msg: fmt.Sprintf("output %q: literal %d out of range", o.Text, l)}
			}
		}
	}
	return nil
}

func build(ctx context.Context, p *Program, opts Options) (*problem, error) {
	if err := validate(p); err != nil {
		return nil, err
	}
	p, err := shift(p)
	if err != nil {
		return nil, err
	}
	b := &builder{
		p:       p,
		s:       newSolver(p.NumAtoms+1, opts.Seed),
		bodies:  map[string]lit{},
		info:    map[lit]*bodyInfo{},
		support: make([][]lit, p.NumAtoms+1),
	}
	// Size the clause slabs for the completion: about two clauses per rule
	// and literal.
	nlits := p.NumAtoms
	for i := range p.Rules {
		nlits += 3*len(p.Rules[i].Body) + 2*len(p.Rules[i].Head) + 2
	}
	b.s.clauseSlab = make([]clause, min(nlits/2+8, 1<<14))
	b.s.litSlab = make([]lit, 0, min(nlits+16, 1<<16))
	b.loopBudget = opts.loopBudget
	if b.loopBudget == 0 {
		b.loopBudget = 512
	}
	b.components()
	for i := range p.Rules {
		if i&4095 == 4095 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		b.rule(&p.Rules[i])
	}
	b.completion()
	b.loops()
	pr := &problem{s: b.s, p: p, conflict: b.unsat, textID: make([]int32, len(p.Outputs))}
	first := make(map[string]int32, len(p.Outputs))
	for i, o := range p.Outputs {
		id, ok := first[o.Text]
		if !ok {
			id = int32(i)
			first[o.Text] = id
		}
		pr.textID[i] = id
	}
	b.objective(pr, opts)
	if opts.Project {
		pr.project = true
		b.projection(pr)
	}
	return pr, nil
}

func (b *builder) clause(lits ...lit) {
	if !b.s.addClause(lits) {
		b.unsat = true
	}
}

// normalBody returns the literal standing for a conjunction, false when the
// conjunction can never hold.
func (b *builder) normalBody(lits []lit) (lit, bool) {
	ls := append(b.scratch[:0], lits...)
	b.scratch = ls
	slices.Sort(ls)
	out := ls[:0]
	for i, l := range ls {
		if i > 0 && l == ls[i-1] {
			continue
		}
		if i > 0 && l == ls[i-1].not() {
			return 0, false
		}
		out = append(out, l)
	}
	switch len(out) {
	case 0:
		return trueLit, true
	case 1:
		return out[0], true
	}
	key := append(b.key[:0], 'n')
	for _, l := range out {
		key = strconv.AppendUint(key, uint64(l), 36)
		key = append(key, ',')
	}
	b.key = key
	if bl, ok := b.bodies[string(key)]; ok {
		return bl, true
	}
	out = slices.Clone(out)
	bl := mkLit(b.s.newVar(), false)
	b.bodies[string(key)] = bl
	b.info[bl] = &bodyInfo{lits: out}
	long := append(b.scratch[:0], bl)
	for _, l := range out {
		b.clause(bl.not(), l)
		long = append(long, l.not())
	}
	b.scratch = long
	b.clause(long...)
	return bl, true
}

// weightBody returns the literal standing for sum >= bound.
func (b *builder) weightBody(body []WeightedLit, bound int64) (lit, bool) {
	// Literals are merged only with themselves: a and not a must stay
	// apart, since only a is a positive dependency.
	acc := map[lit]int64{}
	var lits []lit
	for _, wl := range body {
		if wl.Weight == 0 {
			continue
		}
		l := fromLit(wl.Lit)
		if _, ok := acc[l]; !ok {
			lits = append(lits, l)
		}
		acc[l] += wl.Weight
	}
	sort.Slice(lits, func(i, j int) bool { return lits[i] < lits[j] })
	ws := make([]int64, len(lits))
	for i, l := range lits {
		ws[i] = acc[l]
	}
	var total int64
	if bound <= 0 {
		return trueLit, true
	}
	for i := range ws {
		ws[i] = min(ws[i], bound)
		total += ws[i]
	}
	if total < bound {
		return 0, false
	}
	if total-minSlice(ws) < bound { // every literal is needed: a conjunction
		return b.normalBody(lits)
	}
	var sb strings.Builder
	sb.WriteString("w" + strconv.FormatInt(bound, 36))
	for i, l := range lits {
		sb.WriteString("," + strconv.FormatUint(uint64(l), 36) + ":" + strconv.FormatInt(ws[i], 36))
	}
	key := sb.String()
	if bl, ok := b.bodies[key]; ok {
		return bl, true
	}
	bl := mkLit(b.s.newVar(), false)
	b.bodies[key] = bl
	b.info[bl] = &bodyInfo{weight: true, lits: append([]lit(nil), lits...), w: append([]int64(nil), ws...), bound: bound}
	newWeightCons(b.s, bl, lits, ws, bound)
	return bl, true
}

func minSlice(ws []int64) int64 {
	m := ws[0]
	for _, w := range ws[1:] {
		m = min(m, w)
	}
	return m
}

func (b *builder) rule(r *Rule) {
	var bl lit
	var ok bool
	if r.BodyKind == Weight {
		bl, ok = b.weightBody(r.Body, r.Bound)
	} else {
		lits := make([]lit, len(r.Body))
		for i, wl := range r.Body {
			lits[i] = fromLit(wl.Lit)
		}
		bl, ok = b.normalBody(lits)
	}
	if !ok {
		return // the body never holds
	}
	if r.HeadKind == Disjunctive {
		if len(r.Head) == 0 {
			b.clause(bl.not())
			return
		}
		a := r.Head[0]
		b.clause(bl.not(), mkLit(int32(a), false))
		b.pairs = append(b.pairs, supportPair{a, bl})
		return
	}
	for _, a := range r.Head {
		b.pairs = append(b.pairs, supportPair{a, bl})
	}
}

// completion adds, for every atom, that it implies one of its bodies.
func (b *builder) completion() {
	sort.Slice(b.pairs, func(i, j int) bool {
		if b.pairs[i].a != b.pairs[j].a {
			return b.pairs[i].a < b.pairs[j].a
		}
		return b.pairs[i].bl < b.pairs[j].bl
	})
	flat := make([]lit, len(b.pairs))
	for i, pr := range b.pairs {
		flat[i] = pr.bl
	}
	for i := 0; i < len(b.pairs); {
		j := i
		for j < len(b.pairs) && b.pairs[j].a == b.pairs[i].a {
			j++
		}
		b.support[b.pairs[i].a] = flat[i:j:j]
		i = j
	}
	b.pairs = nil
	var c []lit
	for a := 1; a <= b.p.NumAtoms; a++ {
		sup := b.support[a]
		out := sup[:0]
		fact := false
		for i, l := range sup {
			if l == trueLit {
				fact = true
			}
			if i == 0 || l != sup[i-1] {
				out = append(out, l)
			}
		}
		b.support[a] = out
		if fact {
			continue
		}
		c = append(append(c[:0], mkLit(int32(a), true)), out...)
		b.clause(c...)
	}
}

// components computes the strongly connected components of the positive
// dependency graph and marks the atoms on positive loops.
func (b *builder) components() {
	n := b.p.NumAtoms
	adj := make([][]int32, n+1)
	self := make([]bool, n+1)
	for _, r := range b.p.Rules {
		for _, h := range r.Head {
			for _, wl := range r.Body {
				if wl.Lit > 0 && (r.BodyKind == Normal || wl.Weight > 0) {
					adj[h] = append(adj[h], int32(wl.Lit))
					if int32(wl.Lit) == int32(h) {
						self[h] = true
					}
				}
			}
		}
	}
	// Only components on a positive loop (more than one atom, or one atom
	// depending on itself) are numbered, in the order Tarjan finds them; the
	// other atoms get -1.
	comp := scc.Tarjan(adj)
	cyclic := make([]bool, n+1)
	size := make([]int, n+1)
	for _, c := range comp {
		size[c]++
	}
	for a, c := range comp {
		if size[c] > 1 || self[a] {
			cyclic[c] = true
		}
	}
	id := make([]int32, n+1)
	next := int32(0)
	for c := range id {
		id[c] = -1
		if cyclic[c] {
			id[c] = next
			next++
		}
	}
	b.scc = make([]int32, n+1)
	for a, c := range comp {
		b.scc[a] = id[c]
	}
}

// loops sets up the unfounded-set checker when the program is not tight.
func (b *builder) loops() {
	n := b.p.NumAtoms
	cyclic := false
	for a := 1; a <= n; a++ {
		if b.scc[a] >= 0 {
			cyclic = true
			break
		}
	}
	if !cyclic {
		return
	}
	u := &ufs{
		scc:      append([]int32(nil), b.scc...),
		supports: make([][]int32, n+1),
		deps:     make([][]int32, n+1),
	}
	ids := map[lit]int32{}
	for a := 1; a <= n; a++ {
		if b.scc[a] < 0 {
			continue
		}
		for _, bl := range b.support[a] {
			id, ok := ids[bl]
			if !ok {
				id = int32(len(u.bodies))
				ids[bl] = id
				ub := ufsBody{lit: bl}
				switch inf := b.info[bl]; {
				case inf == nil: // a single literal or true
					if bl != trueLit && !bl.neg() {
						ub.lits = []lit{bl}
					}
				case inf.weight:
					ub.weight, ub.lits, ub.w, ub.bound = true, inf.lits, inf.w, inf.bound
				default:
					for _, l := range inf.lits {
						if !l.neg() {
							ub.lits = append(ub.lits, l)
						}
					}
				}
				for _, l := range ub.lits {
					if x := l.v(); !l.neg() && int(x) <= n && b.scc[x] >= 0 {
						if d := u.deps[x]; len(d) == 0 || d[len(d)-1] != id {
							u.deps[x] = append(u.deps[x], id)
						}
					}
				}
				u.bodies = append(u.bodies, ub)
			}
			u.bodies[id].heads = append(u.bodies[id].heads, int32(a))
			u.supports[a] = append(u.supports[a], id)
		}
	}
	u.clauseBudget = b.loopBudget
	b.s.ufs = u
	u.init(b.s)
}

// objective translates the Minimize levels (higher priority first).
func (b *builder) objective(pr *problem, opts Options) {
	if len(b.p.Minimize) == 0 || opts.OptMode == OptIgnore {
		return
	}
	var prios []int
	for _, m := range b.p.Minimize {
		if len(m.Lits) > 0 {
			prios = append(prios, m.Priority)
		}
	}
	if len(prios) == 0 {
		return
	}
	sort.Sort(sort.Reverse(sort.IntSlice(prios)))
	levelOf := map[int]int32{}
	for _, p := range prios {
		if _, ok := levelOf[p]; !ok {
			levelOf[p] = int32(len(levelOf))
		}
	}
	nlev := len(levelOf)
	offset := make([]int64, nlev)
	type key struct {
		l   lit
		lev int32
	}
	acc := map[key]int64{}
	var keys []key
	for _, m := range b.p.Minimize {
		lev, ok := levelOf[m.Priority]
		if !ok {
			continue
		}
		for _, wl := range m.Lits {
			l, w := fromLit(wl.Lit), wl.Weight
			if w < 0 {
				offset[lev] += w
				l, w = l.not(), -w
			}
			if w == 0 {
				continue
			}
			k := key{l, lev}
			if _, ok := acc[k]; !ok {
				keys = append(keys, k)
			}
			acc[k] += w
		}
	}
	var entries []minEntry
	for _, k := range keys {
		entries = append(entries, minEntry{l: k.l, w: acc[k], lev: k.lev})
	}
	pr.nlev = nlev
	b.s.minc = newMinimize(b.s, nlev, entries, offset)
}

// projection defines one literal per distinct output text, true when some
// output with that text has its condition true.
func (b *builder) projection(pr *problem) {
	if len(b.p.Project) > 0 {
		for _, l := range b.p.Project {
			pr.texts = append(pr.texts, fromLit(l))
		}
		return
	}
	byText := map[string]int{}
	var conds [][]lit
	for _, o := range b.p.Outputs {
		lits := make([]lit, len(o.Cond))
		for i, l := range o.Cond {
			lits[i] = fromLit(l)
		}
		c, ok := b.normalBody(lits)
		k, seen := byText[o.Text]
		if !seen {
			k = len(conds)
			byText[o.Text] = k
			conds = append(conds, nil)
		}
		if ok {
			conds[k] = append(conds[k], c)
		}
	}
	for _, cs := range conds {
		switch len(cs) {
		case 0:
			continue
		case 1:
			pr.texts = append(pr.texts, cs[0])
			continue
		}
		t := mkLit(b.s.newVar(), false)
		long := []lit{t.not()}
		for _, c := range cs {
			b.clause(c.not(), t)
			long = append(long, c)
		}
		b.clause(long...)
		pr.texts = append(pr.texts, t)
	}
}
