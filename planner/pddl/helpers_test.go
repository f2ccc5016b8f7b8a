package pddl

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// readTestdata parses a domain and a problem under testdata/.
func readTestdata(t testing.TB, domain, problem string) (*Domain, *Problem) {
	t.Helper()
	dsrc, err := os.ReadFile("testdata/" + domain)
	if err != nil {
		t.Fatal(err)
	}
	d, err := ParseDomain(domain, dsrc)
	if err != nil {
		t.Fatal(err)
	}
	if problem == "" {
		return d, nil
	}
	psrc, err := os.ReadFile("testdata/" + problem)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseProblem(problem, psrc)
	if err != nil {
		t.Fatal(err)
	}
	return d, p
}

// normalizeText parses a domain and a problem given as text and normalises
// them.
func normalizeText(t testing.TB, domain, problem string) *Task {
	t.Helper()
	d, err := ParseDomain("domain.pddl", []byte(domain))
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseProblem("problem.pddl", []byte(problem))
	if err != nil {
		t.Fatal(err)
	}
	task, err := Normalize(d, p)
	if err != nil {
		t.Fatal(err)
	}
	return task
}

// actionString renders a normalised action compactly for comparisons:
// name(params | extra params) pre: literals; eff: effects; cost.
func actionString(t *Task, a *Action) string {
	var b strings.Builder
	vars := func(n int, forall []Param) func(Term) string {
		return func(tm Term) string {
			if tm.Var < 0 {
				return t.Objects[tm.Obj]
			}
			if tm.Var < len(a.Params) {
				return a.Params[tm.Var].Name
			}
			if i := tm.Var - len(a.Params); i < len(forall) {
				return forall[i].Name
			}
			return fmt.Sprintf("?#%d", tm.Var)
		}
	}
	lits := func(ls []Literal, name func(Term) string) string {
		var parts []string
		for _, l := range ls {
			s := "(" + l.Pred
			for _, tm := range l.Args {
				s += " " + name(tm)
			}
			s += ")"
			if l.Negated {
				s = "(not " + s + ")"
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, " ")
	}
	params := func(ps []Param) string {
		var parts []string
		for _, p := range ps {
			parts = append(parts, p.Name+":"+p.Type)
		}
		return strings.Join(parts, " ")
	}
	n := a.PlanArity()
	b.WriteString(a.Name + "(" + params(a.Params[:n]))
	if a.ExtraParams > 0 {
		b.WriteString(" | " + params(a.Params[n:]))
	}
	b.WriteString(")")
	b.WriteString(" pre: " + lits(a.Precondition, vars(0, nil)))
	for _, e := range a.Effects {
		b.WriteString("; ")
		name := vars(0, e.Forall)
		if len(e.Forall) > 0 {
			b.WriteString("forall(" + params(e.Forall) + ") ")
		}
		if len(e.Cond) > 0 {
			b.WriteString("when(" + lits(e.Cond, name) + ") ")
		}
		if e.Delete {
			b.WriteString("del ")
		} else {
			b.WriteString("add ")
		}
		b.WriteString(lits([]Literal{{Atom: e.Atom}}, name))
	}
	if a.Cost.Func != "" || a.Cost.Value != 0 {
		b.WriteString("; cost ")
		if a.Cost.Func != "" {
			b.WriteString(lits([]Literal{{Atom: Atom{Pred: a.Cost.Func, Args: a.Cost.Args}}}, vars(0, nil)) + "+")
		}
		fmt.Fprint(&b, a.Cost.Value)
	}
	return b.String()
}

// taskActions renders every action of t, one a line.
func taskActions(t *Task) string {
	var lines []string
	for i := range t.Actions {
		lines = append(lines, actionString(t, &t.Actions[i]))
	}
	return strings.Join(lines, "\n")
}

// goalString renders the goal of t.
func goalString(t *Task) string {
	var parts []string
	for _, g := range t.Goal {
		s := "(" + g.Pred
		for _, o := range g.Args {
			s += " " + t.Objects[o]
		}
		s += ")"
		if g.Negated {
			s = "(not " + s + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// axiomString renders an axiom as head(params) :- body, variables by their
// parameter names.
func axiomString(t *Task, ax *Axiom) string {
	name := func(tm Term) string {
		if tm.Var < 0 {
			return t.Objects[tm.Obj]
		}
		return ax.Params[tm.Var].Name
	}
	lit := func(l Literal) string {
		s := "(" + l.Pred
		for _, tm := range l.Args {
			s += " " + name(tm)
		}
		s += ")"
		if l.Negated {
			s = "(not " + s + ")"
		}
		return s
	}
	var ps, body []string
	for _, p := range ax.Params {
		ps = append(ps, p.Name+":"+p.Type)
	}
	for _, l := range ax.Body {
		body = append(body, lit(l))
	}
	return lit(Literal{Atom: ax.Head}) + " [" + strings.Join(ps, " ") + "] :- " + strings.Join(body, " ")
}

// taskAxioms renders every axiom of t, one a line.
func taskAxioms(t *Task) string {
	var lines []string
	for i := range t.Axioms {
		lines = append(lines, axiomString(t, &t.Axioms[i]))
	}
	return strings.Join(lines, "\n")
}
