package planner

import (
	"context"
	"errors"
	"fmt"

	"github.com/toolsmith-dev/toolsmith/asp"
)

// program is what the reasoner solves: the facts of a request and the
// rules (built-in, policies, and the policies of the namespaces taking
// part), parsed once by New.
type program struct {
	facts *facts
	rules []asp.Statement
	// ruleText is the rules' source, for reasoners that read text.
	ruleText string
}

// text returns the whole program as ASP text: the facts, then the rules.
func (pr *program) text() string { return pr.facts.text() + pr.ruleText }

// reasoner solves a program and returns the shown atoms of its first
// answer set; sat is false when the program has none.
type reasoner interface {
	solve(ctx context.Context, pr *program) (atoms []asp.Symbol, sat bool, err error)
}

// PolicyError reports an ASP program (built-in or policy) the solver
// rejected, such as a syntax error.
type PolicyError struct{ Err error }

func (e *PolicyError) Error() string { return "planner rules: " + e.Err.Error() }
func (e *PolicyError) Unwrap() error { return e.Err }

// program returns the program of f: its facts with the planner's rules and
// the policies of f's namespaces.
func (p *Planner) program(f *facts) *program {
	pr := &program{facts: f, rules: p.ruleStmts, ruleText: p.rules}
	for _, ns := range f.namespaces {
		if r, ok := p.nsRules[ns]; ok {
			pr.rules = append(pr.rules[:len(pr.rules):len(pr.rules)], r.stmts...)
			pr.ruleText += "\n" + r.text + "\n"
		}
	}
	return pr
}

// analysis is the value of the answer-set stage: what the answer set says
// about a request.
type analysis struct {
	sat          bool
	values       map[inKey]any
	defaulted    map[inKey]bool
	conflict     map[inKey]bool
	slotConflict map[string]bool
	invalid      map[inKey][]any
	unknownAPI   []string
	forbidden    map[string][]string
	needInput    map[inKey]bool
	extraNeed    map[string][]string
	askSlot      map[string]bool
	confirm      map[string]bool
	preferred    map[string]bool
	notMeans     map[string]bool // write or destructive APIs that are not goals
}

// answerSet is the answer-set stage: it solves the facts with the rules
// and reads the answer set.
func (p *Planner) answerSet(ctx context.Context, f *facts) (*analysis, error) {
	atoms, sat, err := p.reasoner.solve(ctx, p.program(f))
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &PolicyError{Err: err}
	}
	an := &analysis{
		sat:          sat,
		values:       map[inKey]any{},
		defaulted:    map[inKey]bool{},
		conflict:     map[inKey]bool{},
		slotConflict: map[string]bool{},
		invalid:      map[inKey][]any{},
		forbidden:    map[string][]string{},
		needInput:    map[inKey]bool{},
		extraNeed:    map[string][]string{},
		askSlot:      map[string]bool{},
		confirm:      map[string]bool{},
		preferred:    map[string]bool{},
		notMeans:     map[string]bool{},
	}
	for _, a := range atoms {
		if err := an.add(a, f); err != nil {
			return nil, &PolicyError{Err: fmt.Errorf("%s: %w", a, err)}
		}
	}
	return an, nil
}

var errArity = errors.New("unexpected number of arguments")

// shownArity returns the arity of a predicate the built-in rules show, or -1.
func shownArity(pred string) int {
	switch pred {
	case "slot_conflict", "unknown_api", "ask_slot", "confirm", "preferred", "not_means":
		return 1
	case "defaulted", "conflict", "forbidden", "need_input", "extra_need":
		return 2
	case "value", "invalid":
		return 3
	}
	return -1
}

// add records one shown atom. Value terms are looked up in f, to give back
// the Go values the request had.
func (an *analysis) add(a asp.Symbol, f *facts) error {
	if a.Kind() != asp.KindFunction {
		return nil // a policy's own #show of a number or string
	}
	n := shownArity(a.Name())
	if n < 0 {
		return nil // a policy's own #show
	}
	args := a.Args()
	if len(args) != n {
		return errArity
	}
	arg := func(i int) string {
		if args[i].Kind() == asp.KindString {
			return args[i].Name()
		}
		return args[i].String()
	}
	val := func(i int) any {
		if v, ok := f.values[keyOf(args[i])]; ok {
			return v
		}
		return arg(i) // a value made up by a policy
	}
	switch a.Name() {
	case "value":
		an.values[inKey{arg(0), arg(1)}] = val(2)
	case "defaulted":
		an.defaulted[inKey{arg(0), arg(1)}] = true
	case "conflict":
		an.conflict[inKey{arg(0), arg(1)}] = true
	case "slot_conflict":
		an.slotConflict[arg(0)] = true
	case "invalid":
		k := inKey{arg(0), arg(1)}
		an.invalid[k] = append(an.invalid[k], val(2))
	case "unknown_api":
		an.unknownAPI = append(an.unknownAPI, arg(0))
	case "forbidden":
		an.forbidden[arg(0)] = append(an.forbidden[arg(0)], arg(1))
	case "need_input":
		an.needInput[inKey{arg(0), arg(1)}] = true
	case "extra_need":
		an.extraNeed[arg(0)] = append(an.extraNeed[arg(0)], arg(1))
	case "ask_slot":
		an.askSlot[arg(0)] = true
	case "confirm":
		an.confirm[arg(0)] = true
	case "preferred":
		an.preferred[arg(0)] = true
	case "not_means":
		an.notMeans[arg(0)] = true
	}
	return nil
}
