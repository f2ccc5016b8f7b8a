package pddl

import "strings"

// Step is one step of a plan: an action name and the names of its
// arguments, as in the IPC plan line (action a b).
type Step struct {
	Action string
	Args   []string
	// Line is the line of the plan file the step was read from (0 when the
	// step was built in Go).
	Line int
}

// String formats the step as an IPC plan line, "(action a b)".
func (s Step) String() string {
	var b strings.Builder
	b.WriteByte('(')
	b.WriteString(s.Action)
	for _, a := range s.Args {
		b.WriteByte(' ')
		b.WriteString(a)
	}
	b.WriteByte(')')
	return b.String()
}

// PlanArity is the number of arguments a plan step of a gives: its
// parameters without the ExtraParams introduced by Normalize.
func (a *Action) PlanArity() int { return len(a.Params) - a.ExtraParams }

// PlanStep returns the plan step for applying action a with the objects
// args (indices into t.Objects, one per parameter of a).
func (t *Task) PlanStep(a *Action, args []int) Step {
	n := a.PlanArity()
	if n > len(args) {
		n = len(args)
	}
	step := Step{Action: a.Name, Args: make([]string, n)}
	for i := 0; i < n; i++ {
		step.Args[i] = t.Objects[args[i]]
	}
	return step
}
