package search

import (
	"fmt"
	"strings"
)

// Task is a grounded planning task: propositional facts, operators over
// them, an initial state and a goal. Facts are numbered 0..len(Facts)-1 and
// only fluent facts (those some operator can change) appear; static facts are
// folded into the operators during grounding.
type Task struct {
	// Facts names every fluent fact, e.g. "at ball1 rooma".
	Facts []string
	// Operators lists the reachable ground actions.
	Operators []Operator
	// Init lists the facts true initially; every other fact is false.
	Init []int32
	// Goal and NegGoal list the facts that must be true, respectively false,
	// in a goal state.
	Goal, NegGoal []int32
	// UsesCost reports whether operator costs come from the task's action
	// costs (otherwise every operator costs 1).
	UsesCost bool
	// Unsolvable is set when grounding already proves that no plan exists
	// (for instance, a goal fact is not even relaxed-reachable).
	Unsolvable bool
}

// Operator is a ground action. Pre and NegPre must hold (be true, resp.
// false) for it to apply; then its unconditional and conditional effects,
// evaluated in the state before the action, delete their facts first and add
// theirs afterwards (an atom both deleted and added ends up true).
type Operator struct {
	// Name is the action name and Args the objects a plan step names (the
	// action's parameters without those Normalize added for existential
	// variables).
	Name string
	Args []string
	// Hidden marks an operator Normalize compiled in that plans leave out.
	Hidden bool
	Pre    []int32
	// NegPre lists facts that must be false.
	NegPre   []int32
	Add, Del []int32
	Cond     []CondEffect
	Cost     int64
}

// CondEffect adds or deletes Fact when every fact of Pre is true and every
// fact of NegPre is false in the state the operator is applied in.
type CondEffect struct {
	Pre, NegPre []int32
	Fact        int32
	Delete      bool
}

// String returns the operator as "name arg1 arg2".
func (o *Operator) String() string {
	if len(o.Args) == 0 {
		return o.Name
	}
	return o.Name + " " + strings.Join(o.Args, " ")
}

// Applicable reports whether the operator applies in state (one bool per fact).
func (o *Operator) Applicable(state []bool) bool {
	for _, f := range o.Pre {
		if !state[f] {
			return false
		}
	}
	for _, f := range o.NegPre {
		if state[f] {
			return false
		}
	}
	return true
}

// Apply returns the successor of state (one bool per fact) under the operator;
// it does not check applicability.
func (o *Operator) Apply(state []bool) []bool {
	next := append([]bool(nil), state...)
	var condAdd []int32
	for _, ce := range o.Cond {
		if !condHolds(&ce, state) {
			continue
		}
		if ce.Delete {
			next[ce.Fact] = false
		} else {
			condAdd = append(condAdd, ce.Fact)
		}
	}
	for _, f := range o.Del {
		next[f] = false
	}
	for _, f := range o.Add {
		next[f] = true
	}
	for _, f := range condAdd {
		next[f] = true
	}
	return next
}

func condHolds(ce *CondEffect, state []bool) bool {
	for _, f := range ce.Pre {
		if !state[f] {
			return false
		}
	}
	for _, f := range ce.NegPre {
		if state[f] {
			return false
		}
	}
	return true
}

// IsGoal reports whether state (one bool per fact) satisfies the goal.
func (p *Task) IsGoal(state []bool) bool {
	for _, f := range p.Goal {
		if !state[f] {
			return false
		}
	}
	for _, f := range p.NegGoal {
		if state[f] {
			return false
		}
	}
	return true
}

// InitState returns the initial state as one bool per fact.
func (p *Task) InitState() []bool {
	s := make([]bool, len(p.Facts))
	for _, f := range p.Init {
		s[f] = true
	}
	return s
}

// Check simulates plan (operator indices) from the initial state and returns
// its cost, or an error naming the first step that does not apply or saying
// that the goal does not hold at the end. It checks the ground problem only;
// pddl.Validate checks a plan against the lifted task.
func (p *Task) Check(plan []int) (int64, error) {
	s := p.InitState()
	var cost int64
	for i, oi := range plan {
		if oi < 0 || oi >= len(p.Operators) {
			return 0, fmt.Errorf("step %d: no operator %d", i+1, oi)
		}
		o := &p.Operators[oi]
		if !o.Applicable(s) {
			return 0, fmt.Errorf("step %d: (%s) is not applicable", i+1, o)
		}
		s = o.Apply(s)
		cost += o.Cost
	}
	if !p.IsGoal(s) {
		return 0, fmt.Errorf("goal does not hold after %d steps", len(plan))
	}
	return cost, nil
}
