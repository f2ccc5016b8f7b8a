package pddl

// The AST mirrors PDDL text. Every node may be built from Go values: Pos
// fields may stay zero, and names are kept as written (PDDL compares them
// case-insensitively; the checker and Normalize do the same).

// Domain is a parsed (define (domain ...)).
type Domain struct {
	File string // file name used in error messages
	Pos  Pos
	Name string
	// Requirements lists the requirement keywords as written, with their
	// leading colon (":strips", ":typing", ...).
	Requirements []string
	// Types declares each type with its parent type (Type nil: object).
	Types      []TypedName
	Constants  []TypedName
	Predicates []*PredicateDecl
	Functions  []*FunctionDecl
	// Derived holds the rules of the derived predicates, (:derived ...)
	// sections, in the order written; a predicate may have several.
	Derived []*DerivedDef
	Actions []*ActionDef
}

// Problem is a parsed (define (problem ...)).
type Problem struct {
	File         string
	Pos          Pos
	Name         string
	Domain       string // the (:domain NAME) it refers to
	Requirements []string
	Objects      []TypedName
	// Init holds the atoms true initially; InitValues the initial values of
	// numeric functions, (= (f a b) 3).
	Init       []*Fact
	InitValues []*InitValue
	Goal       Formula // nil when the problem has no :goal
	Metric     *Metric // nil when there is none
}

// TypedName is a name (object, constant, type or variable) with its type: nil
// when no type is given, one name, or several for (either t1 t2 ...).
type TypedName struct {
	Name string
	Type []string
	Pos  Pos
}

// PredicateDecl declares a predicate.
type PredicateDecl struct {
	Name   string
	Params []TypedName
	Pos    Pos
}

// FunctionDecl declares a numeric function such as (total-cost) or
// (road-length ?a ?b - location). Type is "number" when given, else "".
type FunctionDecl struct {
	Name   string
	Params []TypedName
	Type   string
	Pos    Pos
}

// ActionDef is an action schema. Precondition and Effect are nil when the
// action has none.
type ActionDef struct {
	Name         string
	Params       []TypedName
	Precondition Formula
	Effect       EffectExpr
	Pos          Pos
}

// DerivedDef is one rule of a derived predicate, (:derived (Name Params...)
// Body). A derived atom holds in a state exactly when the body of one of its
// rules holds there; rules may refer to derived predicates, recursively
// through positive occurrences only (PDDL 2.2's stratification), and the
// meaning is then the least fixpoint. No action changes a derived predicate
// and the initial state does not list its atoms. Name is also declared in
// the domain's :predicates.
type DerivedDef struct {
	Name   string
	Params []TypedName
	Body   Formula
	Pos    Pos
}

// Fact is a ground atom of the initial state.
type Fact struct {
	Pred   string
	Args   []string
	Pos    Pos
	ArgPos []Pos // positions of Args when parsed
}

// InitValue is the initial value of a numeric function, (= (f a b) 3).
type InitValue struct {
	Func  string
	Args  []string
	Value int64
	Pos   Pos
}

// Metric is the problem's (:metric minimize|maximize (f args)).
type Metric struct {
	Maximize bool
	Func     string
	Args     []string
	Pos      Pos
}

// Formula is a goal description: an atom, a negation, a connective or a
// quantifier. Its concrete types are *AtomFormula, *NotFormula, *AndFormula,
// *OrFormula, *ImplyFormula, *ExistsFormula and *ForallFormula.
type Formula interface {
	// Position returns the position of the formula's opening parenthesis.
	Position() Pos
	formula()
}

// AtomFormula is a predicate applied to terms (variables "?x" or object
// names). Pred "=" is equality.
type AtomFormula struct {
	Pred string
	Args []string
	Pos  Pos
	// ArgPos holds the positions of Args when parsed (nil otherwise); the
	// checker reports an argument at its own position.
	ArgPos []Pos
}

// NotFormula is (not F).
type NotFormula struct {
	Arg Formula
	Pos Pos
}

// AndFormula is (and F...); with no arguments it is true.
type AndFormula struct {
	Args []Formula
	Pos  Pos
}

// OrFormula is (or F...); with no arguments it is false.
type OrFormula struct {
	Args []Formula
	Pos  Pos
}

// ImplyFormula is (imply If Then).
type ImplyFormula struct {
	If, Then Formula
	Pos      Pos
}

// ExistsFormula is (exists (params) Body).
type ExistsFormula struct {
	Params []TypedName
	Body   Formula
	Pos    Pos
}

// ForallFormula is (forall (params) Body).
type ForallFormula struct {
	Params []TypedName
	Body   Formula
	Pos    Pos
}

// Position returns the position of the AtomFormula.
func (f *AtomFormula) Position() Pos { return f.Pos }

// Position returns the position of the NotFormula.
func (f *NotFormula) Position() Pos { return f.Pos }

// Position returns the position of the AndFormula.
func (f *AndFormula) Position() Pos { return f.Pos }

// Position returns the position of the OrFormula.
func (f *OrFormula) Position() Pos { return f.Pos }

// Position returns the position of the ImplyFormula.
func (f *ImplyFormula) Position() Pos { return f.Pos }

// Position returns the position of the ExistsFormula.
func (f *ExistsFormula) Position() Pos { return f.Pos }

// Position returns the position of the ForallFormula.
func (f *ForallFormula) Position() Pos { return f.Pos }

func (*AtomFormula) formula()   {}
func (*NotFormula) formula()    {}
func (*AndFormula) formula()    {}
func (*OrFormula) formula()     {}
func (*ImplyFormula) formula()  {}
func (*ExistsFormula) formula() {}
func (*ForallFormula) formula() {}

// EffectExpr is an action effect. Its concrete types are *AndEffect,
// *LiteralEffect, *ForallEffect, *WhenEffect and *IncreaseEffect.
type EffectExpr interface {
	// Position returns the position of the effect's opening parenthesis.
	Position() Pos
	effect()
}

// AndEffect is (and E...).
type AndEffect struct {
	Effects []EffectExpr
	Pos     Pos
}

// LiteralEffect adds an atom, or deletes it when Negated: (not (p ...)).
type LiteralEffect struct {
	Pred    string
	Args    []string
	Negated bool
	Pos     Pos
	ArgPos  []Pos // positions of Args when parsed
}

// ForallEffect is (forall (params) Body).
type ForallEffect struct {
	Params []TypedName
	Body   EffectExpr
	Pos    Pos
}

// WhenEffect is the conditional effect (when Cond Body).
type WhenEffect struct {
	Cond Formula
	Body EffectExpr
	Pos  Pos
}

// IncreaseEffect is (increase (Func Args...) Amount); with :action-costs
// Func is total-cost.
type IncreaseEffect struct {
	Func   string
	Args   []string
	Amount NumExpr
	Pos    Pos
}

// NumExpr is a numeric expression: the constant Value, or the function term
// (Func Args...) when Func is set.
type NumExpr struct {
	Value int64
	Func  string
	Args  []string
}

// Position returns the position of the AndEffect.
func (e *AndEffect) Position() Pos { return e.Pos }

// Position returns the position of the LiteralEffect.
func (e *LiteralEffect) Position() Pos { return e.Pos }

// Position returns the position of the ForallEffect.
func (e *ForallEffect) Position() Pos { return e.Pos }

// Position returns the position of the WhenEffect.
func (e *WhenEffect) Position() Pos { return e.Pos }

// Position returns the position of the IncreaseEffect.
func (e *IncreaseEffect) Position() Pos { return e.Pos }

func (*AndEffect) effect()      {}
func (*LiteralEffect) effect()  {}
func (*ForallEffect) effect()   {}
func (*WhenEffect) effect()     {}
func (*IncreaseEffect) effect() {}
