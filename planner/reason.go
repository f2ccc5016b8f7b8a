package planner

import (
	"context"
	"errors"
	"fmt"
)

// reasoner solves an ASP program and returns the shown atoms of its first
// answer set; sat is false when the program has none.
type reasoner interface {
	solve(ctx context.Context, program string) (atoms []string, sat bool, err error)
}

// PolicyError reports an ASP program (built-in or policy) the solver
// rejected, such as a syntax error.
type PolicyError struct{ Err error }

func (e *PolicyError) Error() string { return "planner rules: " + e.Err.Error() }
func (e *PolicyError) Unwrap() error { return e.Err }

// analysis is what the answer set says about a request.
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

// analyse solves facts with the rules and reads the answer set.
func analyse(ctx context.Context, r reasoner, w *factWriter, rules string) (*analysis, error) {
	atoms, sat, err := r.solve(ctx, w.b.String()+rules)
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
	for _, text := range atoms {
		a, err := parseShown(text)
		if err != nil {
			return nil, &PolicyError{Err: err}
		}
		if err := an.add(a, w); err != nil {
			return nil, &PolicyError{Err: fmt.Errorf("%s: %w", text, err)}
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

func (an *analysis) add(a shownAtom, w *factWriter) error {
	n := shownArity(a.pred)
	if n < 0 {
		return nil // a policy's own #show
	}
	if len(a.args) != n {
		return errArity
	}
	arg := func(i int) string { return unquote(a.args[i]) }
	val := func(i int) any {
		if v, ok := w.values[a.args[i]]; ok {
			return v
		}
		return arg(i) // a value made up by a policy
	}
	switch a.pred {
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
