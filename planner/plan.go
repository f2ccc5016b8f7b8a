package planner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// Status summarises a plan.
type Status string

// Plan statuses.
const (
	// StatusOK: every step can run with what is known.
	StatusOK Status = "ok"
	// StatusNeedsInfo: the plan asks the user for values (get_info steps).
	StatusNeedsInfo Status = "needs_info"
	// StatusInfeasible: no plan reaches the goals; Issues say why.
	StatusInfeasible Status = "infeasible"
	// StatusInvalid: the request or the API specifications are malformed.
	StatusInvalid Status = "invalid"
)

// IssueKind classifies an issue.
type IssueKind string

// Issue kinds.
const (
	IssueConflict     IssueKind = "conflict"      // two values for one slot or input
	IssueInvalidValue IssueKind = "invalid_value" // a value not among the allowed ones
	IssueForbidden    IssueKind = "forbidden"     // a call a policy forbids (or that failed)
	IssueUnknownAPI   IssueKind = "unknown_api"   // a goal naming no API of the registry
	IssueUnreachable  IssueKind = "unreachable"   // a value nothing can supply
	IssueInvalid      IssueKind = "invalid"       // malformed request or specification
	IssueAmbiguous    IssueKind = "ambiguous"     // a known key naming inputs of different things
)

// GetInfo is the API name of the steps that ask the user for a value.
const GetInfo = "get_info"

// Plan is the planner's answer, in the JSON form of DESIGN.md.
type Plan struct {
	Status Status `json:"status"`
	Steps  []Step `json:"steps"`
	// Issues says what is wrong with the request; its JSON name is
	// "problems", as DESIGN.md fixes it. (Problem, in this project, means a
	// PDDL problem only.)
	Issues []Issue `json:"problems"`
	// Cost is the sum of the steps' costs.
	Cost int64 `json:"cost"`
}

// Step is one call of a plan: an API call or a get_info question.
type Step struct {
	ID  string `json:"id"`
	API string `json:"api"`
	// Slot and Question are set on get_info steps; the step's output field
	// is its slot.
	Slot     string `json:"slot,omitempty"`
	Question string `json:"question,omitempty"`
	// Args binds the API's inputs by name.
	Args map[string]Arg `json:"args,omitempty"`
	// Instance is the tag of the instance called, when the request names
	// several calls of one API ("Airports.Search#origin"); see instances.go.
	Instance string `json:"instance,omitempty"`
	// Confirm asks the user before the call (registry flag or policy).
	Confirm bool `json:"confirm,omitempty"`
	// Effect is the API's effect (read, write or destructive); empty on
	// get_info steps.
	Effect registry.Effect `json:"effect,omitempty"`
	// Options, on a get_info step, asks the user to choose among the values
	// of an earlier step's output field instead of typing a value.
	Options *Choice `json:"options,omitempty"`
}

// Choice names the earlier step and output field whose values a get_info
// step offers as choices.
type Choice struct {
	From  string `json:"from"`
	Field string `json:"field"`
}

// Arg binds an input to a literal Value, or to the output Field of the
// earlier step From.
type Arg struct {
	Value any
	From  string
	Field string
}

// IsRef reports whether the argument refers to an earlier step.
func (a Arg) IsRef() bool { return a.From != "" }

// MarshalJSON writes {"value": v} or {"from": id, "field": f}.
func (a Arg) MarshalJSON() ([]byte, error) {
	if a.IsRef() {
		return json.Marshal(struct {
			From  string `json:"from"`
			Field string `json:"field"`
		}{a.From, a.Field})
	}
	v, err := json.Marshal(a.Value)
	if err != nil {
		return nil, err
	}
	return []byte(`{"value":` + string(v) + `}`), nil
}

// UnmarshalJSON reads either form.
func (a *Arg) UnmarshalJSON(data []byte) error {
	var raw struct {
		Value json.RawMessage `json:"value"`
		From  string          `json:"from"`
		Field string          `json:"field"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*a = Arg{From: raw.From, Field: raw.Field}
	if raw.From == "" && raw.Value != nil {
		dec := json.NewDecoder(bytes.NewReader(raw.Value))
		dec.UseNumber()
		return dec.Decode(&a.Value)
	}
	return nil
}

// Issue is something wrong with a request: a conflict, an invalid value, a
// forbidden call, an unknown API or a value nothing can supply.
type Issue struct {
	Kind    IssueKind `json:"kind"`
	Message string    `json:"message"`
	API     string    `json:"api,omitempty"`
	Input   string    `json:"input,omitempty"`
	Slot    string    `json:"slot,omitempty"`
	// Values lists the values given (conflicts, invalid values).
	Values []any `json:"values,omitempty"`
	// Allowed lists the values an input accepts (invalid values).
	Allowed []any `json:"allowed,omitempty"`
}

// Questions returns the get_info steps of the plan.
func (p *Plan) Questions() []Step {
	var qs []Step
	for _, s := range p.Steps {
		if s.API == GetInfo {
			qs = append(qs, s)
		}
	}
	return qs
}

// MarshalJSON keeps "steps" and "problems" as arrays even when empty.
func (p Plan) MarshalJSON() ([]byte, error) {
	type plain Plan
	q := plain(p)
	if q.Steps == nil {
		q.Steps = []Step{}
	}
	if q.Issues == nil {
		q.Issues = []Issue{}
	}
	return json.Marshal(q)
}

// Text renders the plan for people: one line per step.
func (p *Plan) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "status: %s  cost: %d\n", p.Status, p.Cost)
	for _, s := range p.Steps {
		if s.API == GetInfo {
			if c := s.Options; c != nil {
				fmt.Fprintf(&b, "  %s  choose %s among %s.%s: %s\n", s.ID, s.Slot, c.From, c.Field, s.Question)
				continue
			}
			fmt.Fprintf(&b, "  %s  ask %s: %s\n", s.ID, s.Slot, s.Question)
			continue
		}
		names := make([]string, 0, len(s.Args))
		for n := range s.Args {
			names = append(names, n)
		}
		sort.Strings(names)
		parts := make([]string, len(names))
		for i, n := range names {
			a := s.Args[n]
			if a.IsRef() {
				parts[i] = fmt.Sprintf("%s=%s.%s", n, a.From, a.Field)
			} else {
				v, _ := json.Marshal(a.Value)
				parts[i] = fmt.Sprintf("%s=%s", n, v)
			}
		}
		confirm := ""
		if s.Confirm {
			confirm = "  [confirm first]"
		}
		fmt.Fprintf(&b, "  %s  %s(%s)%s\n", s.ID, instanceName(s.API, s.Instance), strings.Join(parts, ", "), confirm)
	}
	for _, pr := range p.Issues {
		fmt.Fprintf(&b, "  problem %s: %s\n", pr.Kind, pr.Message)
	}
	return b.String()
}
