package asp

// This file declares the syntax tree produced by Parse. Every node records
// the position where it starts.

// Term is a term of the syntax tree: *Var, *Num, *Str, *Func (constants,
// function terms and tuples), *Special (#inf, #sup), *BinOp, *UnOp,
// *Interval or *Pool.
type Term interface {
	Position() Pos
	term()
}

// Var is a variable; "_" is anonymous (each occurrence a fresh variable).
type Var struct {
	Pos  Pos
	Name string
}

// Num is an integer constant.
type Num struct {
	Pos Pos
	Val int64
}

// Str is a string constant (Val is decoded, without quotes).
type Str struct {
	Pos Pos
	Val string
}

// Func is a symbolic constant (no Args), a function term, or a tuple (empty
// Name). A one-element tuple is written "(t,)".
type Func struct {
	Pos  Pos
	Name string
	Args []Term
}

// Special is #inf or #sup.
type Special struct {
	Pos Pos
	Sup bool
}

// BinOp is a binary arithmetic term; Op is one of + - * / \ ** & ? ^.
type BinOp struct {
	Pos  Pos
	Op   string
	L, R Term
}

// UnOp is a unary arithmetic term; Op is "-", "~" or "|" (absolute value).
type UnOp struct {
	Pos Pos
	Op  string
	X   Term
}

// Interval is "Lo..Hi", standing for every integer in between.
type Interval struct {
	Pos    Pos
	Lo, Hi Term
}

// Pool is "a;b" inside parentheses or argument lists: the rule holding it is
// copied once per alternative.
type Pool struct {
	Pos  Pos
	Alts []Term
}

// Position returns where the node starts.
func (t *Var) Position() Pos { return t.Pos }

// Position returns where the node starts.
func (t *Num) Position() Pos { return t.Pos }

// Position returns where the node starts.
func (t *Str) Position() Pos { return t.Pos }

// Position returns where the node starts.
func (t *Func) Position() Pos { return t.Pos }

// Position returns where the node starts.
func (t *Special) Position() Pos { return t.Pos }

// Position returns where the node starts.
func (t *BinOp) Position() Pos { return t.Pos }

// Position returns where the node starts.
func (t *UnOp) Position() Pos { return t.Pos }

// Position returns where the node starts.
func (t *Interval) Position() Pos { return t.Pos }

// Position returns where the node starts.
func (t *Pool) Position() Pos { return t.Pos }
func (*Var) term()            {}
func (*Num) term()            {}
func (*Str) term()            {}
func (*Func) term()           {}
func (*Special) term()        {}
func (*BinOp) term()          {}
func (*UnOp) term()           {}
func (*Interval) term()       {}
func (*Pool) term()           {}

// Sign is the default negation in front of a literal.
type Sign uint8

// Signs of literals.
const (
	Positive Sign = iota
	Not           // not l
	NotNot        // not not l
)

// Literal is a body literal: *AtomLit, *CmpLit, *AggLit or *CondLit.
type Literal interface {
	Position() Pos
	literal()
}

// AtomLit is an atom, possibly default-negated. Atom is a *Func (a
// predicate with its arguments) or a *Pool of them.
type AtomLit struct {
	Pos  Pos
	Sign Sign
	Atom Term
}

// CmpLit is a comparison "L op R" with op one of = != < <= > >=.
type CmpLit struct {
	Pos  Pos
	Sign Sign
	Op   string
	L, R Term
}

// Guard is one side of an aggregate: "Term Op #agg" on the left, "#agg Op
// Term" on the right. Op is written as if the aggregate were on the left:
// "1 < #count{...}" has a Left guard with Op ">" meaning #count > 1.
type Guard struct {
	Op   string
	Term Term
}

// AggElem is an element "t1,...,tn : cond" of a body aggregate.
type AggElem struct {
	Pos   Pos
	Terms []Term
	Cond  []Literal
}

// AggLit is a body aggregate such as "2 <= #count{X : p(X)} < 5".
type AggLit struct {
	Pos   Pos
	Sign  Sign
	Fun   string // count, sum, sum+, min, max
	Elems []AggElem
	Left  *Guard
	Right *Guard
}

// CondLit is a conditional literal "l : c1, ..., cn" in a body.
type CondLit struct {
	Pos  Pos
	Lit  Literal // *AtomLit or *CmpLit
	Cond []Literal
}

// Position returns where the node starts.
func (l *AtomLit) Position() Pos { return l.Pos }

// Position returns where the node starts.
func (l *CmpLit) Position() Pos { return l.Pos }

// Position returns where the node starts.
func (l *AggLit) Position() Pos { return l.Pos }

// Position returns where the node starts.
func (l *CondLit) Position() Pos { return l.Pos }
func (*AtomLit) literal()        {}
func (*CmpLit) literal()         {}
func (*AggLit) literal()         {}
func (*CondLit) literal()        {}

// Head is a rule head: *AtomHead, *ChoiceHead or *DisjunctiveHead. A nil
// Head is an integrity constraint.
type Head interface {
	Position() Pos
	head()
}

// AtomHead is the head of a normal rule or fact.
type AtomHead struct {
	Pos  Pos
	Atom Term // *Func or *Pool
}

// ChoiceElem is an element "a : cond" of a choice head.
type ChoiceElem struct {
	Pos  Pos
	Atom Term
	Cond []Literal
}

// ChoiceHead is "l { e1; ...; en } u".
type ChoiceHead struct {
	Pos   Pos
	Elems []ChoiceElem
	Left  *Guard
	Right *Guard
}

// DisjunctiveHead is "e1; ...; en" (or "e1 | ... | en"), at least two
// elements or one with a condition ("p(X) : q(X) :- r."): when the body
// holds, an element's atom holds, and answer sets are minimal. Elements
// are ChoiceElems; a condition must be decided by the grounder (facts),
// and the program must be head-cycle-free.
type DisjunctiveHead struct {
	Pos   Pos
	Elems []ChoiceElem
}

// Position returns where the node starts.
func (h *AtomHead) Position() Pos { return h.Pos }

// Position returns where the node starts.
func (h *DisjunctiveHead) Position() Pos { return h.Pos }

// Position returns where the node starts.
func (h *ChoiceHead) Position() Pos { return h.Pos }
func (*AtomHead) head()             {}
func (*ChoiceHead) head()           {}
func (*DisjunctiveHead) head()      {}

// Statement is a top-level statement: *Rule, *Const, *Show, *ShowTerm,
// *Optimise, *Project.
type Statement interface {
	Position() Pos
	statement()
}

// Rule is a fact, normal rule, choice rule or integrity constraint.
type Rule struct {
	Pos  Pos
	Head Head // nil for an integrity constraint
	Body []Literal
}

// Const is "#const name = value.". Default constants can be overridden when
// grounding.
type Const struct {
	Pos   Pos
	Name  string
	Value Term
}

// Show is "#show p/n." or, with an empty Name and Arity -1, "#show.".
type Show struct {
	Pos   Pos
	Name  string
	Arity int
}

// ShowTerm is "#show t : body.".
type ShowTerm struct {
	Pos  Pos
	Term Term
	Body []Literal
}

// OptElem is one element "w@p, t1, ..., tn : cond" of an optimisation
// statement, or the bracket of a weak constraint (Cond is then its body).
type OptElem struct {
	Pos      Pos
	Weight   Term
	Priority Term // nil means 0
	Terms    []Term
	Cond     []Literal
}

// Project is "#project p/n." (Atom nil) or "#project a : body.": with
// projection (SolveOptions.Project) models are told apart by the atoms it
// names instead of the shown ones. Without projection it has no effect.
type Project struct {
	Pos   Pos
	Name  string // of "#project p/n."
	Arity int
	Atom  Term // of "#project a : body."
	Body  []Literal
}

// Optimise is a #minimize or #maximize statement or a weak constraint.
type Optimise struct {
	Pos      Pos
	Maximize bool
	Elems    []OptElem
}

// Position returns where the node starts.
func (s *Rule) Position() Pos { return s.Pos }

// Position returns where the node starts.
func (s *Const) Position() Pos { return s.Pos }

// Position returns where the node starts.
func (s *Show) Position() Pos { return s.Pos }

// Position returns where the node starts.
func (s *ShowTerm) Position() Pos { return s.Pos }

// Position returns where the node starts.
func (s *Optimise) Position() Pos { return s.Pos }

// Position returns where the node starts.
func (s *Project) Position() Pos { return s.Pos }
func (*Rule) statement()         {}
func (*Const) statement()        {}
func (*Show) statement()         {}
func (*ShowTerm) statement()     {}
func (*Optimise) statement()     {}
func (*Project) statement()      {}

// Include is "#include "file".": Program.AddFile reads the file, relative
// to the including file's directory.
type Include struct {
	Pos  Pos
	Path string
}

// Position returns where the node starts.
func (s *Include) Position() Pos { return s.Pos }
func (*Include) statement()      {}
