package pddl

import (
	"fmt"
	"math"
	"strconv"
)

// maxErrors bounds the errors collected from one file.
const maxErrors = 50

// Parse reads a PDDL file holding a domain, a problem, or one of each, and
// tells which it is: the results not present in the file are nil. On errors
// it returns what it could parse together with an ErrorList whose entries
// read file:line:col: message; name is the file name used in them.
func Parse(name string, src []byte) (*Domain, *Problem, error) {
	p := &parser{errs: &errorSink{file: name, limit: maxErrors}}
	var d *Domain
	var pr *Problem
	for _, s := range readSexprs(src, p.errs) {
		if !s.list || s.head() != "define" {
			p.errs.add(s.pos, "expected (define (domain ...) ...) or (define (problem ...) ...), found %s", s.describe())
			continue
		}
		if len(s.items) < 2 || !s.items[1].list {
			p.errs.add(s.pos, "define needs (domain NAME) or (problem NAME)")
			continue
		}
		switch s.items[1].head() {
		case "domain":
			if d != nil {
				p.errs.add(s.pos, "second domain in one file (first at %s)", d.Pos)
				continue
			}
			d = p.domain(s)
			d.File = name
		case "problem":
			if pr != nil {
				p.errs.add(s.pos, "second problem in one file (first at %s)", pr.Pos)
				continue
			}
			pr = p.problem(s)
			pr.File = name
		default:
			p.errs.add(s.items[1].pos, "define needs (domain NAME) or (problem NAME), found %s", s.items[1].describe())
		}
	}
	if d == nil && pr == nil && len(p.errs.list) == 0 {
		p.errs.add(Pos{1, 1}, "no (define ...) found")
	}
	return d, pr, p.errs.err()
}

// ParseDomain parses a file that must hold a domain (and may also hold a
// problem, which is ignored).
func ParseDomain(name string, src []byte) (*Domain, error) {
	d, pr, err := Parse(name, src)
	if d == nil && err == nil {
		return nil, ErrorList{{File: name, Pos: pr.Pos, Msg: "expected a domain, found problem " + pr.Name}}
	}
	return d, err
}

// ParseProblem parses a file that must hold a problem (and may also hold a
// domain, which is ignored).
func ParseProblem(name string, src []byte) (*Problem, error) {
	d, pr, err := Parse(name, src)
	if pr == nil && err == nil {
		return nil, ErrorList{{File: name, Pos: d.Pos, Msg: "expected a problem, found domain " + d.Name}}
	}
	return pr, err
}

type parser struct {
	errs *errorSink
}

// name returns the text of a name token, reporting anything else.
func (p *parser) name(s *sexpr, what string) string {
	if !s.isTok(tokName) {
		p.errs.add(s.pos, "expected %s, found %s", what, s.describe())
		return ""
	}
	return s.text
}

// defineName reads (domain NAME) or (problem NAME).
func (p *parser) defineName(s *sexpr) string {
	if len(s.items) != 2 {
		p.errs.add(s.pos, "(%s NAME) takes exactly one name", s.items[0].text)
		return ""
	}
	return p.name(s.items[1], "a name")
}

func (p *parser) domain(def *sexpr) *Domain {
	d := &Domain{Pos: def.pos, Name: p.defineName(def.items[1])}
	for _, sec := range def.items[2:] {
		if !sec.list || len(sec.items) == 0 || !sec.items[0].isTok(tokKeyword) {
			p.errs.add(sec.pos, "expected a domain section such as (:predicates ...), found %s", sec.describe())
			continue
		}
		args := sec.items[1:]
		switch sec.head() {
		case ":requirements":
			d.Requirements = append(d.Requirements, p.requirements(args)...)
		case ":types":
			for _, t := range p.typedList(args, tokName, "a type name") {
				if len(t.Type) > 1 {
					p.errs.add(t.Pos, "type %s: either as a supertype is not supported", t.Name)
				}
				d.Types = append(d.Types, t)
			}
		case ":constants":
			d.Constants = append(d.Constants, p.typedList(args, tokName, "a constant")...)
		case ":predicates":
			for _, a := range args {
				if !a.list || len(a.items) == 0 {
					p.errs.add(a.pos, "expected a predicate declaration (name ?x ...), found %s", a.describe())
					continue
				}
				d.Predicates = append(d.Predicates, &PredicateDecl{
					Name:   p.name(a.items[0], "a predicate name"),
					Params: p.typedList(a.items[1:], tokVar, "a variable"),
					Pos:    a.pos,
				})
			}
		case ":functions":
			d.Functions = append(d.Functions, p.functions(args)...)
		case ":action":
			d.Actions = append(d.Actions, p.action(sec))
		case ":derived":
			if r := p.derived(sec); r != nil {
				d.Derived = append(d.Derived, r)
			}
		case ":durative-action":
			p.errs.unsupported(sec.pos, "durative actions (:durative-action)")
		case ":constraints":
			p.errs.unsupported(sec.pos, "constraints (:constraints)")
		default:
			p.errs.add(sec.pos, "unknown domain section %s", sec.items[0].text)
		}
	}
	return d
}

func (p *parser) problem(def *sexpr) *Problem {
	pr := &Problem{Pos: def.pos, Name: p.defineName(def.items[1])}
	for _, sec := range def.items[2:] {
		if !sec.list || len(sec.items) == 0 || !sec.items[0].isTok(tokKeyword) {
			p.errs.add(sec.pos, "expected a problem section such as (:init ...), found %s", sec.describe())
			continue
		}
		args := sec.items[1:]
		switch sec.head() {
		case ":domain":
			if len(args) != 1 {
				p.errs.add(sec.pos, "(:domain NAME) takes exactly one name")
				continue
			}
			pr.Domain = p.name(args[0], "a domain name")
		case ":requirements":
			pr.Requirements = append(pr.Requirements, p.requirements(args)...)
		case ":objects":
			pr.Objects = append(pr.Objects, p.typedList(args, tokName, "an object")...)
		case ":init":
			p.init(pr, args)
		case ":goal":
			if len(args) != 1 {
				p.errs.add(sec.pos, "(:goal ...) takes exactly one condition")
				continue
			}
			if pr.Goal != nil {
				p.errs.add(sec.pos, "second :goal section")
				continue
			}
			pr.Goal = p.formula(args[0])
		case ":metric":
			pr.Metric = p.metric(sec)
		case ":constraints":
			p.errs.unsupported(sec.pos, "constraints (:constraints)")
		case ":length":
			// (:length (:serial n)) is an obsolete hint; accept and ignore.
		default:
			p.errs.add(sec.pos, "unknown problem section %s", sec.items[0].text)
		}
	}
	if pr.Domain == "" {
		p.errs.add(def.pos, "problem %s has no (:domain NAME)", pr.Name)
	}
	return pr
}

// requirements lists requirement keywords; unknown ones are errors, and
// those of unsupported features say so.
func (p *parser) requirements(args []*sexpr) []string {
	var out []string
	for _, a := range args {
		if !a.isTok(tokKeyword) {
			p.errs.add(a.pos, "expected a requirement such as :strips, found %s", a.describe())
			continue
		}
		switch r := lower(a.text); {
		case supportedRequirements[r]:
			out = append(out, a.text)
		case unsupportedRequirements[r]:
			p.errs.unsupported(a.pos, "requirement "+a.text)
		default:
			p.errs.add(a.pos, "unknown requirement %s", a.text)
		}
	}
	return out
}

var supportedRequirements = map[string]bool{
	":strips": true, ":typing": true, ":negative-preconditions": true,
	":disjunctive-preconditions": true, ":equality": true,
	":existential-preconditions": true, ":universal-preconditions": true,
	":quantified-preconditions": true, ":conditional-effects": true,
	":adl": true, ":action-costs": true, ":derived-predicates": true,
	// PDDL 1.2's name of negative preconditions, which Fast Downward
	// accepts too.
	":negation": true,
	// Numeric functions are accepted as far as action costs use them;
	// other uses are rejected where they occur.
	":fluents": true, ":numeric-fluents": true,
}

var unsupportedRequirements = map[string]bool{
	":durative-actions":      true,
	":duration-inequalities": true, ":continuous-effects": true,
	":timed-initial-literals": true, ":preferences": true,
	":constraints": true, ":object-fluents": true, ":time": true,
}

// typedList reads "a b - t c - (either u v) d": tokens of kind want, each
// group optionally followed by "- TYPE".
func (p *parser) typedList(items []*sexpr, want tokKind, what string) []TypedName {
	var out []TypedName
	pending := 0 // names at the end of out still without a type
	for i := 0; i < len(items); i++ {
		s := items[i]
		if s.isTok(tokName) && s.text == "-" {
			if i+1 >= len(items) {
				p.errs.add(s.pos, "'-' must be followed by a type")
				break
			}
			if pending == 0 {
				p.errs.add(s.pos, "'-' without names before it")
			}
			i++
			typ := p.typeRef(items[i])
			for j := len(out) - pending; j < len(out); j++ {
				out[j].Type = typ
			}
			pending = 0
			continue
		}
		if !s.isTok(want) {
			p.errs.add(s.pos, "expected %s, found %s", what, s.describe())
			continue
		}
		out = append(out, TypedName{Name: s.text, Pos: s.pos})
		pending++
	}
	return out
}

// typeRef reads a type name or (either t...).
func (p *parser) typeRef(s *sexpr) []string {
	if s.isTok(tokName) {
		return []string{s.text}
	}
	if s.head() != "either" {
		p.errs.add(s.pos, "expected a type or (either ...), found %s", s.describe())
		return []string{"object"}
	}
	var out []string
	for _, t := range s.items[1:] {
		if n := p.name(t, "a type name"); n != "" {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		p.errs.add(s.pos, "(either) needs at least one type")
		return []string{"object"}
	}
	return out
}

// functions reads the :functions section: skeletons each optionally
// followed by "- number".
func (p *parser) functions(items []*sexpr) []*FunctionDecl {
	var out []*FunctionDecl
	pending := 0
	for i := 0; i < len(items); i++ {
		s := items[i]
		if s.isTok(tokName) && s.text == "-" {
			if i+1 >= len(items) {
				p.errs.add(s.pos, "'-' must be followed by a type")
				break
			}
			i++
			t := items[i]
			if !t.isTok(tokName) || lower(t.text) != "number" {
				p.errs.unsupported(t.pos, "function type "+t.describe()+" (only number is)")
				continue
			}
			for j := len(out) - pending; j < len(out); j++ {
				out[j].Type = t.text
			}
			pending = 0
			continue
		}
		if !s.list || len(s.items) == 0 {
			p.errs.add(s.pos, "expected a function declaration (name ?x ...), found %s", s.describe())
			continue
		}
		out = append(out, &FunctionDecl{
			Name:   p.name(s.items[0], "a function name"),
			Params: p.typedList(s.items[1:], tokVar, "a variable"),
			Pos:    s.pos,
		})
		pending++
	}
	return out
}

func (p *parser) action(sec *sexpr) *ActionDef {
	a := &ActionDef{Pos: sec.pos}
	if len(sec.items) < 2 {
		p.errs.add(sec.pos, "(:action NAME ...) needs a name")
		return a
	}
	a.Name = p.name(sec.items[1], "an action name")
	rest := sec.items[2:]
	seen := map[string]bool{}
	for i := 0; i < len(rest); i++ {
		k := rest[i]
		if !k.isTok(tokKeyword) {
			p.errs.add(k.pos, "expected :parameters, :precondition or :effect, found %s", k.describe())
			continue
		}
		key := lower(k.text)
		if i+1 >= len(rest) {
			p.errs.add(k.pos, "%s needs a value", k.text)
			break
		}
		if seen[key] {
			p.errs.add(k.pos, "%s given twice", k.text)
		}
		seen[key] = true
		i++
		v := rest[i]
		switch key {
		case ":parameters":
			if !v.list {
				p.errs.add(v.pos, ":parameters needs a list, found %s", v.describe())
				continue
			}
			a.Params = p.typedList(v.items, tokVar, "a variable")
		case ":precondition":
			if v.list && len(v.items) == 0 {
				continue // () means no precondition
			}
			a.Precondition = p.formula(v)
		case ":effect":
			if v.list && len(v.items) == 0 {
				continue
			}
			a.Effect = p.effect(v)
		default:
			p.errs.add(k.pos, "unknown action key %s", k.text)
		}
	}
	return a
}

// derived reads (:derived (name ?x - t ...) condition).
func (p *parser) derived(sec *sexpr) *DerivedDef {
	if len(sec.items) != 3 || !sec.items[1].list || len(sec.items[1].items) == 0 {
		p.errs.add(sec.pos, "(:derived (predicate ?x ...) condition) takes a predicate with its parameters and one condition")
		return nil
	}
	head := sec.items[1]
	return &DerivedDef{
		Name:   p.name(head.items[0], "a predicate name"),
		Params: p.typedList(head.items[1:], tokVar, "a variable"),
		Body:   p.formula(sec.items[2]),
		Pos:    sec.pos,
	}
}

// terms reads the arguments of an atom: variables and names, with their
// positions.
func (p *parser) terms(items []*sexpr) ([]string, []Pos) {
	out := make([]string, 0, len(items))
	pos := make([]Pos, 0, len(items))
	for _, t := range items {
		switch {
		case t.isTok(tokName) || t.isTok(tokVar):
			out = append(out, t.text)
			pos = append(pos, t.pos)
		case t.list:
			p.errs.unsupported(t.pos, "function term "+t.describe()+" as an argument")
		default:
			p.errs.add(t.pos, "expected a variable or an object name, found %s", t.describe())
		}
	}
	return out, pos
}

// termNames is terms without the positions.
func (p *parser) termNames(items []*sexpr) []string {
	out, _ := p.terms(items)
	return out
}

// headed reports whether s is a non-empty list headed by a name, as a
// condition or an effect must be; an empty list is the empty conjunction
// (false, with no error), and anything else is reported as not being what
// (or, for its head, neither a predicate nor keyword).
func (p *parser) headed(s *sexpr, what, keyword string) bool {
	switch {
	case !s.list:
		p.errs.add(s.pos, "expected %s in parentheses, found %s", what, s.describe())
	case len(s.items) == 0:
	case !s.items[0].isTok(tokName):
		p.errs.add(s.pos, "expected a predicate or %s, found %s", keyword, s.items[0].describe())
	default:
		return true
	}
	return false
}

// formula reads a goal description.
func (p *parser) formula(s *sexpr) Formula {
	if !p.headed(s, "a condition", "a connective") {
		return &AndFormula{Pos: s.pos}
	}
	args := s.items[1:]
	switch h := s.head(); h {
	case "and", "or":
		fs := make([]Formula, 0, len(args))
		for _, a := range args {
			fs = append(fs, p.formula(a))
		}
		if h == "and" {
			return &AndFormula{Args: fs, Pos: s.pos}
		}
		return &OrFormula{Args: fs, Pos: s.pos}
	case "not":
		if len(args) != 1 {
			p.errs.add(s.pos, "(not ...) takes exactly one condition")
			return &AndFormula{Pos: s.pos}
		}
		return &NotFormula{Arg: p.formula(args[0]), Pos: s.pos}
	case "imply":
		if len(args) != 2 {
			p.errs.add(s.pos, "(imply ...) takes exactly two conditions")
			return &AndFormula{Pos: s.pos}
		}
		return &ImplyFormula{If: p.formula(args[0]), Then: p.formula(args[1]), Pos: s.pos}
	case "exists", "forall":
		if len(args) != 2 || !args[0].list {
			p.errs.add(s.pos, "(%s (?x ...) condition) takes a parameter list and one condition", s.items[0].text)
			return &AndFormula{Pos: s.pos}
		}
		params := p.typedList(args[0].items, tokVar, "a variable")
		body := p.formula(args[1])
		if h == "exists" {
			return &ExistsFormula{Params: params, Body: body, Pos: s.pos}
		}
		return &ForallFormula{Params: params, Body: body, Pos: s.pos}
	case "<", "<=", ">", ">=":
		p.errs.unsupported(s.pos, "numeric comparison ("+h+" ...)")
		return &AndFormula{Pos: s.pos}
	case "=":
		for _, a := range args {
			if a.list {
				p.errs.unsupported(s.pos, "numeric comparison (= ...)")
				return &AndFormula{Pos: s.pos}
			}
		}
		if len(args) != 2 {
			p.errs.add(s.pos, "(= ...) takes exactly two terms")
		}
	case "preference":
		p.errs.unsupported(s.pos, "preferences")
		return &AndFormula{Pos: s.pos}
	}
	terms, pos := p.terms(args)
	return &AtomFormula{Pred: s.items[0].text, Args: terms, ArgPos: pos, Pos: s.pos}
}

// effect reads an action effect.
func (p *parser) effect(s *sexpr) EffectExpr {
	if !p.headed(s, "an effect", "an effect keyword") {
		return &AndEffect{Pos: s.pos}
	}
	args := s.items[1:]
	switch h := s.head(); h {
	case "and":
		es := make([]EffectExpr, 0, len(args))
		for _, a := range args {
			es = append(es, p.effect(a))
		}
		return &AndEffect{Effects: es, Pos: s.pos}
	case "not":
		if len(args) != 1 || !args[0].list || len(args[0].items) == 0 || !args[0].items[0].isTok(tokName) {
			p.errs.add(s.pos, "(not ...) in an effect takes exactly one atom")
			return &AndEffect{Pos: s.pos}
		}
		a := args[0]
		switch lower(a.items[0].text) {
		case "and", "or", "not", "forall", "when", "exists", "imply", "=":
			p.errs.add(a.pos, "(not ...) in an effect takes an atom, found %s", a.describe())
			return &AndEffect{Pos: s.pos}
		}
		terms, pos := p.terms(a.items[1:])
		return &LiteralEffect{Pred: a.items[0].text, Args: terms, ArgPos: pos, Negated: true, Pos: s.pos}
	case "forall":
		if len(args) != 2 || !args[0].list {
			p.errs.add(s.pos, "(forall (?x ...) effect) takes a parameter list and one effect")
			return &AndEffect{Pos: s.pos}
		}
		return &ForallEffect{Params: p.typedList(args[0].items, tokVar, "a variable"), Body: p.effect(args[1]), Pos: s.pos}
	case "when":
		if len(args) != 2 {
			p.errs.add(s.pos, "(when condition effect) takes a condition and one effect")
			return &AndEffect{Pos: s.pos}
		}
		return &WhenEffect{Cond: p.formula(args[0]), Body: p.effect(args[1]), Pos: s.pos}
	case "increase":
		if len(args) != 2 || !args[0].list || len(args[0].items) == 0 {
			p.errs.add(s.pos, "(increase (function ...) amount) takes a function term and an amount")
			return &AndEffect{Pos: s.pos}
		}
		fn := args[0]
		e := &IncreaseEffect{Func: p.name(fn.items[0], "a function name"), Args: p.termNames(fn.items[1:]), Pos: s.pos}
		e.Amount = p.numExpr(args[1])
		return e
	case "decrease", "assign", "scale-up", "scale-down":
		p.errs.unsupported(s.pos, "numeric effect ("+h+" ...)")
		return &AndEffect{Pos: s.pos}
	case "or", "exists", "imply", "=":
		p.errs.add(s.pos, "(%s ...) is not an effect", s.items[0].text)
		return &AndEffect{Pos: s.pos}
	}
	terms, pos := p.terms(args)
	return &LiteralEffect{Pred: s.items[0].text, Args: terms, ArgPos: pos, Pos: s.pos}
}

// numExpr reads an integer or a function term.
func (p *parser) numExpr(s *sexpr) NumExpr {
	if s.list {
		if len(s.items) == 0 || !s.items[0].isTok(tokName) {
			p.errs.add(s.pos, "expected a number or a function term, found %s", s.describe())
			return NumExpr{}
		}
		switch s.head() {
		case "+", "-", "*", "/":
			p.errs.unsupported(s.pos, "arithmetic ("+s.items[0].text+" ...)")
			return NumExpr{}
		}
		return NumExpr{Func: s.items[0].text, Args: p.termNames(s.items[1:])}
	}
	v, ok := p.number(s)
	if !ok {
		return NumExpr{}
	}
	return NumExpr{Value: v}
}

// number reads an integer (a float with an integral value is accepted).
func (p *parser) number(s *sexpr) (int64, bool) {
	if !s.isTok(tokName) {
		p.errs.add(s.pos, "expected a number, found %s", s.describe())
		return 0, false
	}
	if v, err := strconv.ParseInt(s.text, 10, 64); err == nil {
		return v, true
	}
	f, err := strconv.ParseFloat(s.text, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		p.errs.add(s.pos, "expected a number, found %s", s.describe())
		return 0, false
	}
	if f != math.Trunc(f) || math.Abs(f) > 1<<62 {
		p.errs.unsupported(s.pos, fmt.Sprintf("non-integer number %s", s.text))
		return 0, false
	}
	return int64(f), true
}

func (p *parser) init(pr *Problem, items []*sexpr) {
	for _, s := range items {
		if !s.list || len(s.items) == 0 || !s.items[0].isTok(tokName) {
			p.errs.add(s.pos, "expected an initial fact (pred obj ...), found %s", s.describe())
			continue
		}
		args := s.items[1:]
		switch s.head() {
		case "=":
			if len(args) == 2 && args[0].list {
				fn := args[0]
				if len(fn.items) == 0 {
					p.errs.add(fn.pos, "expected a function term")
					continue
				}
				v, ok := p.number(args[1])
				if !ok {
					continue
				}
				pr.InitValues = append(pr.InitValues, &InitValue{
					Func: p.name(fn.items[0], "a function name"), Args: p.names(fn.items[1:]), Value: v, Pos: s.pos})
				continue
			}
			p.errs.add(s.pos, "(= ...) in :init takes a function term and a number")
		case "not":
			// The initial state is closed-world: negative facts state
			// nothing. Check their shape and drop them.
			if len(args) != 1 || !args[0].list || len(args[0].items) == 0 {
				p.errs.add(s.pos, "(not ...) in :init takes exactly one atom")
			}
		case "at":
			if len(args) > 0 && args[0].isTok(tokName) {
				if _, err := strconv.ParseFloat(args[0].text, 64); err == nil {
					p.errs.unsupported(s.pos, "timed initial literals")
					continue
				}
			}
			pr.Init = append(pr.Init, p.fact(s))
		default:
			pr.Init = append(pr.Init, p.fact(s))
		}
	}
}

// fact reads an initial atom (pred obj ...).
func (p *parser) fact(s *sexpr) *Fact {
	f := &Fact{Pred: s.items[0].text, Pos: s.pos}
	for _, t := range s.items[1:] {
		if n := p.name(t, "an object name"); n != "" {
			f.Args = append(f.Args, n)
			f.ArgPos = append(f.ArgPos, t.pos)
		}
	}
	if f.Args == nil {
		f.Args, f.ArgPos = []string{}, []Pos{}
	}
	return f
}

// names reads object names (no variables).
func (p *parser) names(items []*sexpr) []string {
	out := make([]string, 0, len(items))
	for _, t := range items {
		if n := p.name(t, "an object name"); n != "" {
			out = append(out, n)
		}
	}
	return out
}

func (p *parser) metric(sec *sexpr) *Metric {
	args := sec.items[1:]
	if len(args) != 2 || !args[0].isTok(tokName) {
		p.errs.add(sec.pos, "(:metric minimize (total-cost)) takes a direction and an expression")
		return nil
	}
	m := &Metric{Pos: sec.pos}
	switch lower(args[0].text) {
	case "minimize":
	case "maximize":
		m.Maximize = true
	default:
		p.errs.add(args[0].pos, "expected minimize or maximize, found %s", args[0].describe())
		return nil
	}
	e := args[1]
	if !e.list || len(e.items) == 0 || !e.items[0].isTok(tokName) {
		p.errs.unsupported(e.pos, "metric "+e.describe()+" (only a function such as (total-cost) is)")
		return nil
	}
	switch e.head() {
	case "+", "-", "*", "/":
		p.errs.unsupported(e.pos, "metric arithmetic")
		return nil
	}
	m.Func = e.items[0].text
	m.Args = p.names(e.items[1:])
	return m
}
