package search

import (
	"fmt"
	"strings"
)

// Task is a grounded planning task: propositional facts, operators and
// axioms over them, an initial state and a goal. Facts are numbered
// 0..len(Facts)-1; only fluent facts appear (static facts are folded into
// the operators and axioms during grounding). The first Primary facts are
// changed by operators; the others are derived: in every state they are
// what the axioms derive from the primary facts.
type Task struct {
	// Facts names every fluent fact, e.g. "at ball1 rooma".
	Facts []string
	// Primary counts the primary facts, Facts[:Primary]; Facts[Primary:]
	// are derived.
	Primary int
	// Operators lists the reachable ground actions.
	Operators []Operator
	// Axioms derive the derived facts, ordered by Layer.
	Axioms []Axiom
	// Init lists the primary facts true initially; every other primary fact
	// is false, and the derived facts follow from the axioms.
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
// theirs afterwards (an atom both deleted and added ends up true). Effects
// change primary facts only.
type Operator struct {
	// Name is the action name and Args the objects a plan step names (the
	// action's parameters without those Normalize added for existential
	// variables).
	Name string
	Args []string
	// Action is the index in pddl.Task.Actions of the action it
	// instantiates.
	Action int
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

// Axiom derives the derived fact Head when every fact of Pre is true and
// every fact of NegPre is false. Axioms are evaluated layer by layer, from
// layer 0 up, each layer to its fixpoint: a derived fact in NegPre always
// belongs to a lower layer than Head, one in Pre to a lower or the same
// layer. A derived fact no axiom derives is false.
type Axiom struct {
	Pre, NegPre []int32
	Head        int32
	Layer       int
}

// String returns the operator as "name arg1 arg2".
func (o *Operator) String() string {
	if len(o.Args) == 0 {
		return o.Name
	}
	return o.Name + " " + strings.Join(o.Args, " ")
}

// Applicable reports whether the operator applies in state (one bool per
// fact, derived facts included).
func (o *Operator) Applicable(state []bool) bool {
	return allTrue(state, o.Pre) && noneTrue(state, o.NegPre)
}

func allTrue(state []bool, fs []int32) bool {
	for _, f := range fs {
		if !state[f] {
			return false
		}
	}
	return true
}

func noneTrue(state []bool, fs []int32) bool {
	for _, f := range fs {
		if state[f] {
			return false
		}
	}
	return true
}

// Apply returns the successor of state (one bool per fact) under operator
// o, with its derived facts; it does not check applicability.
func (t *Task) Apply(state []bool, o int) []bool {
	op := &t.Operators[o]
	next := append([]bool(nil), state...)
	var condAdd []int32
	for _, ce := range op.Cond {
		if !allTrue(state, ce.Pre) || !noneTrue(state, ce.NegPre) {
			continue
		}
		if ce.Delete {
			next[ce.Fact] = false
		} else {
			condAdd = append(condAdd, ce.Fact)
		}
	}
	for _, f := range op.Del {
		next[f] = false
	}
	for _, f := range op.Add {
		next[f] = true
	}
	for _, f := range condAdd {
		next[f] = true
	}
	t.Derive(next)
	return next
}

// Derive sets the derived facts of state (one bool per fact) from its
// primary facts by evaluating the axioms layer by layer.
func (t *Task) Derive(state []bool) {
	clear(state[t.Primary:])
	for i := 0; i < len(t.Axioms); {
		j := i
		for j < len(t.Axioms) && t.Axioms[j].Layer == t.Axioms[i].Layer {
			j++
		}
		for changed := true; changed; {
			changed = false
			for _, ax := range t.Axioms[i:j] {
				if !state[ax.Head] && allTrue(state, ax.Pre) && noneTrue(state, ax.NegPre) {
					state[ax.Head] = true
					changed = true
				}
			}
		}
		i = j
	}
}

// IsGoal reports whether state (one bool per fact) satisfies the goal.
func (t *Task) IsGoal(state []bool) bool {
	return allTrue(state, t.Goal) && noneTrue(state, t.NegGoal)
}

// InitState returns the initial state as one bool per fact.
func (t *Task) InitState() []bool {
	s := make([]bool, len(t.Facts))
	for _, f := range t.Init {
		s[f] = true
	}
	t.Derive(s)
	return s
}

// Check simulates plan (operator indices) from the initial state and returns
// its cost, or an error naming the first step that does not apply or saying
// that the goal does not hold at the end. It checks the ground task only;
// pddl.Validate checks a plan against the lifted task.
func (t *Task) Check(plan []int) (int64, error) {
	s := t.InitState()
	var cost int64
	for i, oi := range plan {
		if oi < 0 || oi >= len(t.Operators) {
			return 0, fmt.Errorf("step %d: no operator %d", i+1, oi)
		}
		o := &t.Operators[oi]
		if !o.Applicable(s) {
			return 0, fmt.Errorf("step %d: (%s) is not applicable", i+1, o)
		}
		s = t.Apply(s, oi)
		cost += o.Cost
	}
	if !t.IsGoal(s) {
		return 0, fmt.Errorf("goal does not hold after %d steps", len(plan))
	}
	return cost, nil
}
