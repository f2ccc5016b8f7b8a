package pddl

import "strings"

// Check reports what is wrong with a domain and, when p is not nil, a problem
// of it: undeclared types, predicates, functions, constants, objects and
// variables, wrong arities, duplicate declarations, a problem naming
// another domain, and arguments of a type the predicate does not declare.
// Every error names the offender and, when the AST came from the parser,
// its file:line:col. The result is nil or an ErrorList.
//
// Normalize and ValidateAST check the same except the argument types: as
// Fast Downward's translator does, they read an atom whose arguments do not
// fit the predicate's declared types as the atom it is, since the types
// that matter are those of the parameters and quantified variables.
func Check(d *Domain, p *Problem) error {
	_, errs := check(d, p, true)
	return errs.Err()
}

// symbols is what the checker learns about a domain and problem: it is the
// name resolution Normalize builds on. Keys are lower-cased names.
type symbols struct {
	types     map[string]*typeInfo
	typeOrder []string // lower-cased, declaration order, "object" first
	preds     map[string]*PredicateDecl
	// derived holds the predicates defined by :derived rules.
	derived  map[string]bool
	funcs    map[string]*FunctionDecl
	objects  []objectInfo
	objIndex map[string]int
	nConsts  int // objects[:nConsts] are the domain's constants
}

type typeInfo struct {
	name   string // as first written
	parent string // lower-cased; "" for object
}

type objectInfo struct {
	name  string   // as first written
	types []string // lower-cased declared types (several for either)
}

const objectType = "object"

// totalCost is the function action costs accumulate in.
const totalCost = "total-cost"

type checker struct {
	sym  *symbols
	errs *errorSink
	// inProblem is set while checking the problem: its objects are then
	// visible besides the domain's constants.
	inProblem bool
	// strict: report arguments whose type the predicate does not declare.
	strict bool
	// deferred holds names the domain uses without declaring them as
	// constants. Some published domains name objects that only their
	// problems declare; such a name is accepted when the problem declares
	// it and reported otherwise.
	deferred []*Error
}

// check resolves the names of d and p and reports what is wrong with them;
// argument types are checked only when strict.
func check(d *Domain, p *Problem, strict bool) (*symbols, ErrorList) {
	sym := &symbols{
		types:    map[string]*typeInfo{objectType: {name: objectType}},
		preds:    map[string]*PredicateDecl{},
		derived:  map[string]bool{},
		funcs:    map[string]*FunctionDecl{},
		objIndex: map[string]int{},
	}
	sym.typeOrder = []string{objectType}
	var all ErrorList
	if d == nil {
		return sym, ErrorList{{Msg: "no domain"}}
	}
	c := &checker{sym: sym, errs: &errorSink{file: d.File}, strict: strict}
	c.domain(d)
	domainErrs := c.errs
	var problemErrs ErrorList
	if p != nil {
		c.errs = &errorSink{file: p.File}
		c.inProblem = true
		c.problem(d, p)
		problemErrs = c.errs.list
		problemErrs.Sort()
	}
	for _, e := range c.deferred {
		if _, ok := sym.objIndex[lower(e.Msg)]; !ok || p == nil {
			domainErrs.list = append(domainErrs.list, &Error{File: e.File, Pos: e.Pos, Msg: "undeclared constant " + e.Msg})
		}
	}
	// The domain's errors first, then the problem's, each by position.
	domainErrs.list.Sort()
	all = append(domainErrs.list, problemErrs...)
	return sym, all
}

func (c *checker) domain(d *Domain) {
	c.declareTypes(d.Types)
	for _, k := range d.Constants {
		c.declareObject(k, "constant")
	}
	c.sym.nConsts = len(c.sym.objects)
	for _, pd := range d.Predicates {
		key := lower(pd.Name)
		if prev, ok := c.sym.preds[key]; ok {
			c.errs.add(pd.Pos, "predicate %s declared twice (first at %s)", pd.Name, prev.Pos)
			continue
		}
		if key == "=" {
			c.errs.add(pd.Pos, "predicate = is built in")
			continue
		}
		c.sym.preds[key] = pd
		c.declParams(pd.Params)
	}
	for _, fd := range d.Functions {
		key := lower(fd.Name)
		if prev, ok := c.sym.funcs[key]; ok {
			c.errs.add(fd.Pos, "function %s declared twice (first at %s)", fd.Name, prev.Pos)
			continue
		}
		c.sym.funcs[key] = fd
		c.declParams(fd.Params)
	}
	c.derivedRules(d.Derived)
	seen := map[string]*ActionDef{}
	for _, a := range d.Actions {
		key := lower(a.Name)
		if prev, ok := seen[key]; ok {
			c.errs.add(a.Pos, "action %s declared twice (first at %s)", a.Name, prev.Pos)
		}
		seen[key] = a
		scope := c.params(a.Params, nil)
		if a.Precondition != nil {
			c.formula(a.Precondition, scope)
		}
		if a.Effect != nil {
			c.effect(a.Effect, scope, false)
		}
	}
}

// declareTypes registers the type hierarchy. A parent that is not declared
// itself is taken as a subtype of object, as most planners do.
func (c *checker) declareTypes(ts []TypedName) {
	for _, t := range ts {
		key := lower(t.Name)
		parent := objectType
		if len(t.Type) == 1 {
			parent = lower(t.Type[0])
		}
		if key == objectType {
			if parent != objectType {
				c.errs.add(t.Pos, "type object cannot have a parent")
			}
			continue
		}
		if prev, ok := c.sym.types[key]; ok && prev.parent != parent && prev.parent != objectType {
			c.errs.add(t.Pos, "type %s declared with two parents, %s and %s", t.Name, prev.parent, parent)
			continue
		}
		if _, ok := c.sym.types[key]; !ok {
			c.sym.typeOrder = append(c.sym.typeOrder, key)
		}
		c.sym.types[key] = &typeInfo{name: t.Name, parent: parent}
		if _, ok := c.sym.types[parent]; !ok {
			c.sym.types[parent] = &typeInfo{name: t.Type[0], parent: objectType}
			c.sym.typeOrder = append(c.sym.typeOrder, parent)
		}
	}
	// Cycles: following parents must reach object.
	for _, key := range c.sym.typeOrder {
		t := key
		for steps := 0; t != objectType; steps++ {
			if steps > len(c.sym.types) {
				var pos Pos
				for _, d := range ts {
					if lower(d.Name) == key {
						pos = d.Pos
					}
				}
				c.errs.add(pos, "type %s is its own ancestor", c.sym.types[key].name)
				c.sym.types[key].parent = objectType
				break
			}
			t = c.sym.types[t].parent
		}
	}
}

// typeRef checks the types of a declaration.
func (c *checker) typeRef(types []string, pos Pos, of string) {
	for _, t := range types {
		if _, ok := c.sym.types[lower(t)]; !ok {
			c.errs.add(pos, "undeclared type %s (of %s)", t, of)
		}
	}
}

func (c *checker) declareObject(o TypedName, what string) {
	c.typeRef(o.Type, o.Pos, o.Name)
	key := lower(o.Name)
	types := []string{objectType}
	if len(o.Type) > 0 {
		types = types[:0]
		for _, t := range o.Type {
			types = append(types, lower(t))
		}
	}
	if i, ok := c.sym.objIndex[key]; ok {
		if !sameStrings(c.sym.objects[i].types, types) {
			c.errs.add(o.Pos, "%s %s declared twice with different types", what, o.Name)
		} else if i >= c.sym.nConsts || what == "constant" {
			c.errs.add(o.Pos, "%s %s declared twice", what, o.Name)
		}
		// A problem may repeat a constant with its type; nothing to add.
		return
	}
	c.sym.objIndex[key] = len(c.sym.objects)
	c.sym.objects = append(c.sym.objects, objectInfo{name: o.Name, types: types})
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// declParams checks the parameters of a predicate or function declaration,
// where only their number and types matter (repeated names are accepted).
func (c *checker) declParams(ps []TypedName) {
	for _, v := range ps {
		c.typeRef(v.Type, v.Pos, v.Name)
	}
}

// isTypeAtom reports whether the atom f of a condition names a type, not
// a predicate, with one argument: as in Fast Downward, (truck ?x) then
// says that ?x is a truck. A predicate of the same name wins.
func (s *symbols) isTypeAtom(f *AtomFormula) bool {
	if len(f.Args) != 1 {
		return false
	}
	key := lower(f.Pred)
	if _, ok := s.preds[key]; ok {
		return false
	}
	_, ok := s.types[key]
	return ok
}

// scopeTypes maps the lower-cased variables in scope to their lower-cased
// types.
type scopeTypes map[string][]string

// lowerTypes lower-cases a declared type list; nil is object.
func lowerTypes(ts []string) []string {
	if len(ts) == 0 {
		return []string{objectType}
	}
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = lower(t)
	}
	return out
}

// params checks a parameter list and returns the scope extended by it.
func (c *checker) params(ps []TypedName, scope scopeTypes) scopeTypes {
	inner := make(scopeTypes, len(scope)+len(ps))
	for k, v := range scope {
		inner[k] = v
	}
	local := map[string]bool{}
	for _, v := range ps {
		key := lower(v.Name)
		if !strings.HasPrefix(v.Name, "?") {
			c.errs.add(v.Pos, "parameter %s must start with '?'", v.Name)
		}
		if local[key] {
			c.errs.add(v.Pos, "parameter %s declared twice", v.Name)
		}
		local[key] = true
		inner[key] = lowerTypes(v.Type)
		c.typeRef(v.Type, v.Pos, v.Name)
	}
	return inner
}

// atom checks a predicate's name, arity and arguments.
// argPos returns the position of argument i: its own when known, else the
// atom's.
func argPos(argPos []Pos, i int, pos Pos) Pos {
	if i < len(argPos) && argPos[i].IsValid() {
		return argPos[i]
	}
	return pos
}

func (c *checker) atom(pred string, args []string, aPos []Pos, pos Pos, scope scopeTypes) {
	if pred == "=" {
		if len(args) != 2 {
			c.errs.add(pos, "= takes 2 arguments, found %d", len(args))
		}
	} else if pd, ok := c.sym.preds[lower(pred)]; !ok {
		c.errs.add(pos, "unknown predicate %s", pred)
	} else if len(pd.Params) != len(args) {
		c.errs.add(pos, "predicate %s takes %d arguments, found %d", pred, len(pd.Params), len(args))
	} else if c.strict {
		c.argTypes(pd, args, aPos, pos, scope)
	}
	c.terms(args, aPos, pos, scope)
}

// argTypes checks that each argument can be of the type the predicate
// declares: an object must belong to it; a variable's type must overlap
// it (a variable of a supertype just ranges over fewer objects there).
func (c *checker) argTypes(pd *PredicateDecl, args []string, aPos []Pos, pos Pos, scope scopeTypes) {
	for i, a := range args {
		want := lowerTypes(pd.Params[i].Type)
		key := lower(a)
		var have []string
		variable := strings.HasPrefix(a, "?")
		if variable {
			have = scope[key]
		} else if o, ok := c.sym.objIndex[key]; ok {
			have = c.sym.objects[o].types
		}
		if have == nil || c.compatible(have, want, variable) {
			continue
		}
		c.errs.add(argPos(aPos, i, pos), "argument %d of %s: %s is of type %s, not %s", i+1, pd.Name, a, strings.Join(have, "|"), strings.Join(want, "|"))
	}
}

// compatible reports whether a term of the types have fits a parameter of
// the types want.
func (c *checker) compatible(have, want []string, variable bool) bool {
	for _, ts := range [2][]string{have, want} {
		for _, t := range ts {
			if _, ok := c.sym.types[t]; !ok {
				return true // an undeclared type, reported where it is declared
			}
		}
	}
	for _, h := range have {
		for _, w := range want {
			if c.subtype(h, w) || variable && c.subtype(w, h) {
				return true
			}
		}
	}
	return false
}

// subtype reports whether type t is sub or equal to type of.
func (c *checker) subtype(t, of string) bool {
	if of == objectType {
		return true
	}
	for steps := 0; t != "" && steps <= len(c.sym.types); steps++ {
		if t == of {
			return true
		}
		info, ok := c.sym.types[t]
		if !ok {
			return false
		}
		t = info.parent
	}
	return false
}

func (c *checker) terms(args []string, aPos []Pos, atomPos Pos, scope scopeTypes) {
	for i, a := range args {
		pos := argPos(aPos, i, atomPos)
		key := lower(a)
		if strings.HasPrefix(a, "?") {
			if _, ok := scope[key]; !ok {
				c.errs.add(pos, "undeclared variable %s", a)
			}
			continue
		}
		i, ok := c.sym.objIndex[key]
		switch {
		case !ok && c.inProblem:
			c.errs.add(pos, "undeclared object %s", a)
		case !ok || i >= c.sym.nConsts && !c.inProblem:
			c.deferred = append(c.deferred, &Error{File: c.errs.file, Pos: pos, Msg: a})
		}
	}
}

func (c *checker) formula(f Formula, scope scopeTypes) {
	switch f := f.(type) {
	case *AtomFormula:
		if c.sym.isTypeAtom(f) {
			c.terms(f.Args, f.ArgPos, f.Pos, scope)
			return
		}
		c.atom(f.Pred, f.Args, f.ArgPos, f.Pos, scope)
	case *NotFormula:
		c.formula(f.Arg, scope)
	case *AndFormula:
		for _, g := range f.Args {
			c.formula(g, scope)
		}
	case *OrFormula:
		for _, g := range f.Args {
			c.formula(g, scope)
		}
	case *ImplyFormula:
		c.formula(f.If, scope)
		c.formula(f.Then, scope)
	case *ExistsFormula:
		c.formula(f.Body, c.params(f.Params, scope))
	case *ForallFormula:
		c.formula(f.Body, c.params(f.Params, scope))
	case nil:
		c.errs.add(Pos{}, "missing condition")
	default:
		c.errs.add(f.Position(), "unknown condition type %T", f)
	}
}

func (c *checker) effect(e EffectExpr, scope scopeTypes, nested bool) {
	switch e := e.(type) {
	case *AndEffect:
		for _, g := range e.Effects {
			c.effect(g, scope, nested)
		}
	case *LiteralEffect:
		if e.Pred == "=" {
			c.errs.add(e.Pos, "an effect cannot change =")
		}
		if c.sym.derived[lower(e.Pred)] {
			c.errs.add(e.Pos, "an effect cannot change the derived predicate %s", e.Pred)
		}
		c.atom(e.Pred, e.Args, e.ArgPos, e.Pos, scope)
	case *ForallEffect:
		c.effect(e.Body, c.params(e.Params, scope), true)
	case *WhenEffect:
		c.formula(e.Cond, scope)
		c.effect(e.Body, scope, true)
	case *IncreaseEffect:
		if lower(e.Func) != totalCost {
			c.errs.unsupported(e.Pos, "numeric fluent "+e.Func+" (only total-cost may be increased)")
			return
		}
		if nested {
			c.errs.unsupported(e.Pos, "a cost inside forall or when")
		}
		c.function(e.Func, e.Args, e.Pos, scope)
		if e.Amount.Func != "" {
			c.function(e.Amount.Func, e.Amount.Args, e.Pos, scope)
			if lower(e.Amount.Func) == totalCost {
				c.errs.add(e.Pos, "total-cost cannot be a cost amount")
			}
		} else if e.Amount.Value < 0 {
			c.errs.add(e.Pos, "negative action cost %d", e.Amount.Value)
		}
	case nil:
		c.errs.add(Pos{}, "missing effect")
	default:
		c.errs.add(e.Position(), "unknown effect type %T", e)
	}
}

// function checks a function term; total-cost needs no declaration.
func (c *checker) function(name string, args []string, pos Pos, scope scopeTypes) {
	fd, ok := c.sym.funcs[lower(name)]
	switch {
	case !ok && lower(name) == totalCost:
		if len(args) != 0 {
			c.errs.add(pos, "total-cost takes no arguments")
		}
	case !ok:
		c.errs.add(pos, "unknown function %s", name)
	case len(fd.Params) != len(args):
		c.errs.add(pos, "function %s takes %d arguments, found %d", name, len(fd.Params), len(args))
	}
	c.terms(args, nil, pos, scope)
}

func (c *checker) problem(d *Domain, p *Problem) {
	if p.Domain != "" && d.Name != "" && lower(p.Domain) != lower(d.Name) {
		c.errs.add(p.Pos, "problem %s is for domain %s, not %s", p.Name, p.Domain, d.Name)
	}
	for _, o := range p.Objects {
		c.declareObject(o, "object")
	}
	for _, f := range p.Init {
		if f.Pred == "=" {
			c.errs.add(f.Pos, "= cannot be an initial fact")
			continue
		}
		if c.sym.derived[lower(f.Pred)] {
			c.errs.add(f.Pos, "the derived predicate %s cannot be an initial fact (its rules decide it)", f.Pred)
			continue
		}
		c.atom(f.Pred, f.Args, f.ArgPos, f.Pos, nil)
	}
	for _, v := range p.InitValues {
		c.function(v.Func, v.Args, v.Pos, nil)
	}
	if p.Goal != nil {
		c.formula(p.Goal, nil)
	}
	if m := p.Metric; m != nil {
		c.function(m.Func, m.Args, m.Pos, nil)
		if m.Maximize || lower(m.Func) != totalCost {
			c.errs.unsupported(m.Pos, "metric other than (minimize (total-cost))")
		}
	}
}
