package pddl

// Task is a normalised planning task: a domain and a problem joined, types
// resolved into the objects they hold, and ADL compiled away so that every
// action has a conjunctive precondition and (possibly conditional, possibly
// universally quantified) add and delete effects, every derived predicate
// is defined by rules with conjunctive bodies (Axioms), and the goal is a
// conjunction of ground literals. It is what planner/search grounds;
// Normalize produces it from a parsed Domain and Problem, and Go programs
// may also build one directly (Check verifies one).
//
// What Normalize guarantees beyond the field comments: Objects lists the
// domain's constants first, then the problem's objects, in declaration
// order; TypeObjects has an entry for "object", every declared type and
// every (either ...) type a parameter uses, each sorted; Init holds no
// duplicates; Goal never contains "=" (equalities between objects are
// decided during normalisation) nor a ground atom of a static predicate;
// names are spelled as declared.
type Task struct {
	Domain, Problem string
	// Objects lists every object and constant; Terms and atoms refer to
	// objects by index into this slice.
	Objects []string
	// TypeObjects maps each type name (including "object") to the indices of
	// the objects of that type or of any of its subtypes.
	TypeObjects map[string][]int
	// Predicates declares the predicates with their arity. Equality ("=") is
	// not declared here; it appears in conditions as an Atom whose Pred is "=".
	Predicates []Predicate
	Actions    []Action
	// Axioms define the derived predicates (Predicate.Derived).
	Axioms []Axiom
	// Init lists the atoms true in the initial state (closed world).
	Init []GroundAtom
	// InitValues holds the initial values of numeric functions used in
	// action costs (e.g. (= (road-length c1 c2) 12)).
	InitValues []FunctionValue
	// Goal is a conjunction of ground literals.
	Goal []GroundLiteral
	// UsesCost is set when the task has action costs (:action-costs and a
	// metric minimising total-cost); otherwise every action costs 1.
	UsesCost bool
}

// Predicate is a predicate name with its arity.
type Predicate struct {
	Name  string
	Arity int
	// Derived marks a predicate that Axioms decide: no action changes it,
	// the initial state does not list it, and in every state its atoms are
	// exactly those the axioms derive there (see Axiom).
	Derived bool
}

// Axiom is a rule for a derived predicate: Head holds for every assignment
// of objects to Params (of their types) under which every literal of Body
// holds. Head's arguments and Body's literals refer to Params by number.
//
// In a state, the derived atoms are the least fixpoint of the rules taken
// stratum by stratum: a rule's body may mention a derived predicate
// negatively only when that predicate does not depend on the rule's head
// (Check reports a task whose axioms are not stratified so), and a negated
// derived atom in a body is true when the lower strata did not derive it.
// A derived atom no rule derives is false (negation by failure).
type Axiom struct {
	Head   Atom
	Params []Param
	Body   []Literal
}

// Param is an action or quantifier parameter. Type names the type whose
// objects it ranges over ("object" for untyped); Either types are resolved by
// Normalize into a type of their own, registered in Task.TypeObjects.
type Param struct {
	Name string // with its leading '?', as written
	Type string
}

// Term is an argument of a lifted atom: a variable or an object. Variables are
// numbered in scope order: an action's parameters first (0..len(Params)-1),
// then the parameters of an enclosing effect's Forall.
type Term struct {
	Var int // variable number, or -1 for an object
	Obj int // object index when Var is -1
}

// Atom is a lifted atom. Pred "=" compares its two arguments.
type Atom struct {
	Pred string
	Args []Term
}

// Literal is an atom or its negation.
type Literal struct {
	Atom
	Negated bool
}

// Effect adds or deletes one atom, for every assignment of Forall's
// parameters, when every literal of Cond holds in the state before the action.
type Effect struct {
	Forall []Param
	Cond   []Literal
	Atom   Atom
	Delete bool
}

// Cost is an action's cost expression: Value alone, or — when Func is set —
// the initial value of the function Func applied to Args (as in
// (increase (total-cost) (road-length ?from ?to))), plus Value.
type Cost struct {
	Func  string
	Args  []Term
	Value int64
}

// Action is a lifted action schema with a conjunctive precondition.
//
// Names need not be unique: Normalize splits an action with a disjunctive
// precondition into one Action per disjunct, each with the domain action's
// name, because that name (with the first len(Params)-ExtraParams
// arguments) is what a plan step says. Use PlanStep to print a step.
type Action struct {
	Name         string
	Params       []Param
	Precondition []Literal
	Effects      []Effect
	Cost         Cost
	// ExtraParams counts the trailing Params that Normalize introduced for
	// existentially quantified precondition variables: they are chosen by
	// the planner but are not part of the plan step.
	ExtraParams int
}

// GroundAtom is a predicate applied to objects (indices into Task.Objects).
type GroundAtom struct {
	Pred string
	Args []int
}

// GroundLiteral is a ground atom or its negation.
type GroundLiteral struct {
	GroundAtom
	Negated bool
}

// FunctionValue is the initial value of a numeric function applied to objects.
type FunctionValue struct {
	Func  string
	Args  []int
	Value int64
}
