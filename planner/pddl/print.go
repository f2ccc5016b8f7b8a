package pddl

import (
	"io"
	"strconv"
	"strings"
)

// lineWidth is the width up to which the printer keeps a condition or
// effect on one line.
const lineWidth = 90

// String prints the domain as PDDL; parsing the result gives back an equal
// AST (positions aside).
func (d *Domain) String() string {
	var b strings.Builder
	b.WriteString("(define (domain " + d.Name + ")\n")
	if len(d.Requirements) > 0 {
		b.WriteString("  (:requirements " + strings.Join(d.Requirements, " ") + ")\n")
	}
	if len(d.Types) > 0 {
		b.WriteString("  (:types " + typedList(d.Types) + ")\n")
	}
	if len(d.Constants) > 0 {
		b.WriteString("  (:constants " + typedList(d.Constants) + ")\n")
	}
	if len(d.Predicates) > 0 {
		b.WriteString("  (:predicates")
		for _, p := range d.Predicates {
			b.WriteString("\n    " + skeleton(p.Name, p.Params))
		}
		b.WriteString(")\n")
	}
	if len(d.Functions) > 0 {
		b.WriteString("  (:functions")
		for i, f := range d.Functions {
			b.WriteString("\n    " + skeleton(f.Name, f.Params))
			typ := f.Type
			if typ == "" && laterTyped(d.Functions[i+1:]) {
				// Followed by typed declarations, an untyped one would
				// take their type when read back; number is what it
				// means anyway.
				typ = "number"
			}
			if typ != "" && (i+1 == len(d.Functions) || d.Functions[i+1].Type != f.Type) {
				b.WriteString(" - " + typ)
			}
		}
		b.WriteString(")\n")
	}
	for _, r := range d.Derived {
		b.WriteString("  (:derived " + skeleton(r.Name, r.Params) + "\n    ")
		writeFormula(&b, r.Body, 4)
		b.WriteString(")\n")
	}
	for _, a := range d.Actions {
		b.WriteString("  (:action " + a.Name + "\n")
		b.WriteString("    :parameters (" + typedList(a.Params) + ")")
		if a.Precondition != nil {
			b.WriteString("\n    :precondition ")
			writeFormula(&b, a.Precondition, 4+len(":precondition "))
		}
		if a.Effect != nil {
			b.WriteString("\n    :effect ")
			writeEffect(&b, a.Effect, 4+len(":effect "))
		}
		b.WriteString(")\n")
	}
	b.WriteString(")\n")
	return b.String()
}

func laterTyped(fs []*FunctionDecl) bool {
	for _, f := range fs {
		if f.Type != "" {
			return true
		}
	}
	return false
}

// String prints the problem as PDDL; parsing the result gives back an equal
// AST (positions aside).
func (p *Problem) String() string {
	var b strings.Builder
	b.WriteString("(define (problem " + p.Name + ")\n")
	b.WriteString("  (:domain " + p.Domain + ")\n")
	if len(p.Requirements) > 0 {
		b.WriteString("  (:requirements " + strings.Join(p.Requirements, " ") + ")\n")
	}
	if len(p.Objects) > 0 {
		b.WriteString("  (:objects " + typedList(p.Objects) + ")\n")
	}
	b.WriteString("  (:init")
	for _, f := range p.Init {
		b.WriteString("\n    " + atomString(f.Pred, f.Args))
	}
	for _, v := range p.InitValues {
		b.WriteString("\n    (= " + atomString(v.Func, v.Args) + " " + strconv.FormatInt(v.Value, 10) + ")")
	}
	b.WriteString(")\n")
	if p.Goal != nil {
		b.WriteString("  (:goal ")
		writeFormula(&b, p.Goal, 2+len("(:goal "))
		b.WriteString(")\n")
	}
	if m := p.Metric; m != nil {
		dir := "minimize"
		if m.Maximize {
			dir = "maximize"
		}
		b.WriteString("  (:metric " + dir + " " + atomString(m.Func, m.Args) + ")\n")
	}
	b.WriteString(")\n")
	return b.String()
}

// Fprint writes the PDDL text of a *Domain, *Problem, Formula or
// EffectExpr to w.
func Fprint(w io.Writer, node any) error {
	var s string
	switch n := node.(type) {
	case *Domain:
		s = n.String()
	case *Problem:
		s = n.String()
	case Formula:
		s = FormatFormula(n)
	case EffectExpr:
		s = FormatEffect(n)
	default:
		return &Error{Msg: "pddl.Fprint: cannot print a value of this type"}
	}
	_, err := io.WriteString(w, s)
	return err
}

// FormatFormula returns the PDDL text of a condition.
func FormatFormula(f Formula) string {
	var b strings.Builder
	writeFormula(&b, f, 0)
	return b.String()
}

// FormatEffect returns the PDDL text of an effect.
func FormatEffect(e EffectExpr) string {
	var b strings.Builder
	writeEffect(&b, e, 0)
	return b.String()
}

// typedList prints names grouped by type: "a b - t c - (either u v)". A name
// without a type that precedes typed ones is printed as "- object", which
// is what it means, since it would otherwise take the next group's type.
func typedList(ns []TypedName) string {
	var parts []string
	for i, n := range ns {
		parts = append(parts, n.Name)
		typ := n.Type
		last := i+1 == len(ns)
		if typ == nil && !last && laterTypedName(ns[i+1:]) {
			typ = []string{objectType}
		}
		if typ != nil && (last || !sameStrings(ns[i+1].Type, n.Type)) {
			parts = append(parts, "-", typeString(typ))
		}
	}
	return strings.Join(parts, " ")
}

func laterTypedName(ns []TypedName) bool {
	for _, n := range ns {
		if n.Type != nil {
			return true
		}
	}
	return false
}

func typeString(t []string) string {
	if len(t) == 1 {
		return t[0]
	}
	return "(either " + strings.Join(t, " ") + ")"
}

func skeleton(name string, params []TypedName) string {
	if len(params) == 0 {
		return "(" + name + ")"
	}
	return "(" + name + " " + typedList(params) + ")"
}

func atomString(pred string, args []string) string {
	if len(args) == 0 {
		return "(" + pred + ")"
	}
	return "(" + pred + " " + strings.Join(args, " ") + ")"
}

// writeFormula prints f at column indent: on one line when it fits, else
// with one argument of each connective per line.
func writeFormula(b *strings.Builder, f Formula, indent int) {
	if fits(func(w *flatWriter) { w.formula(f) }, lineWidth-indent) {
		(&flatWriter{b: b}).formula(f)
		return
	}
	switch f := f.(type) {
	case *AndFormula:
		writeBlock(b, "and", indent, f.Args...)
	case *OrFormula:
		writeBlock(b, "or", indent, f.Args...)
	case *NotFormula:
		b.WriteString("(not ")
		writeFormula(b, f.Arg, indent+5)
		b.WriteString(")")
	case *ImplyFormula:
		writeBlock(b, "imply", indent, f.If, f.Then)
	case *ExistsFormula:
		writeBlock(b, "exists ("+typedList(f.Params)+")", indent, f.Body)
	case *ForallFormula:
		writeBlock(b, "forall ("+typedList(f.Params)+")", indent, f.Body)
	default:
		(&flatWriter{b: b}).formula(f)
	}
}

func writeEffect(b *strings.Builder, e EffectExpr, indent int) {
	if fits(func(w *flatWriter) { w.effect(e) }, lineWidth-indent) {
		(&flatWriter{b: b}).effect(e)
		return
	}
	switch e := e.(type) {
	case *AndEffect:
		writeBlock(b, "and", indent, e.Effects...)
	case *ForallEffect:
		writeBlock(b, "forall ("+typedList(e.Params)+")", indent, e.Body)
	case *WhenEffect:
		writeBlock[any](b, "when", indent, e.Cond, e.Body)
	default:
		(&flatWriter{b: b}).effect(e)
	}
}

// writeBlock prints (head part...) with one part a line at column indent+2;
// the parts are formulas or effects.
func writeBlock[T any](b *strings.Builder, head string, indent int, parts ...T) {
	pad := "\n" + strings.Repeat(" ", indent+2)
	b.WriteString("(" + head)
	for _, x := range parts {
		b.WriteString(pad)
		switch x := any(x).(type) {
		case Formula:
			writeFormula(b, x, indent+2)
		case EffectExpr:
			writeEffect(b, x, indent+2)
		}
	}
	b.WriteString(")")
}

// flatWriter prints formulas and effects on one line, into b, or — when b
// is nil — only counts the bytes, giving up once they exceed limit. The
// printer asks whether a subtree fits a line at every level, so the count
// must stop early to keep printing linear in the size of the AST.
type flatWriter struct {
	b     *strings.Builder
	n     int
	limit int
}

// fits reports whether what print writes takes at most width bytes.
func fits(print func(*flatWriter), width int) bool {
	if width <= 0 {
		return false
	}
	w := &flatWriter{limit: width}
	print(w)
	return w.n <= width
}

func (w *flatWriter) str(s string) {
	w.n += len(s)
	if w.b != nil {
		w.b.WriteString(s)
	}
}

func (w *flatWriter) full() bool { return w.b == nil && w.n > w.limit }

func (w *flatWriter) formula(f Formula) {
	if w.full() {
		return
	}
	switch f := f.(type) {
	case *AtomFormula:
		w.str(atomString(f.Pred, f.Args))
	case *NotFormula:
		w.str("(not ")
		w.formula(f.Arg)
		w.str(")")
	case *AndFormula:
		w.str("(and")
		w.formulas(f.Args)
		w.str(")")
	case *OrFormula:
		w.str("(or")
		w.formulas(f.Args)
		w.str(")")
	case *ImplyFormula:
		w.str("(imply ")
		w.formula(f.If)
		w.str(" ")
		w.formula(f.Then)
		w.str(")")
	case *ExistsFormula:
		w.str("(exists (" + typedList(f.Params) + ") ")
		w.formula(f.Body)
		w.str(")")
	case *ForallFormula:
		w.str("(forall (" + typedList(f.Params) + ") ")
		w.formula(f.Body)
		w.str(")")
	default:
		w.str("(and)")
	}
}

func (w *flatWriter) formulas(fs []Formula) {
	for _, g := range fs {
		if w.full() {
			return
		}
		w.str(" ")
		w.formula(g)
	}
}

func (w *flatWriter) effect(e EffectExpr) {
	if w.full() {
		return
	}
	switch e := e.(type) {
	case *AndEffect:
		w.str("(and")
		for _, g := range e.Effects {
			if w.full() {
				return
			}
			w.str(" ")
			w.effect(g)
		}
		w.str(")")
	case *LiteralEffect:
		if e.Negated {
			w.str("(not " + atomString(e.Pred, e.Args) + ")")
		} else {
			w.str(atomString(e.Pred, e.Args))
		}
	case *ForallEffect:
		w.str("(forall (" + typedList(e.Params) + ") ")
		w.effect(e.Body)
		w.str(")")
	case *WhenEffect:
		w.str("(when ")
		w.formula(e.Cond)
		w.str(" ")
		w.effect(e.Body)
		w.str(")")
	case *IncreaseEffect:
		w.str("(increase " + atomString(e.Func, e.Args) + " " + numString(e.Amount) + ")")
	default:
		w.str("(and)")
	}
}

func numString(n NumExpr) string {
	if n.Func != "" {
		return atomString(n.Func, n.Args)
	}
	return strconv.FormatInt(n.Value, 10)
}
