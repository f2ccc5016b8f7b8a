package llmp

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
	"github.com/toolsmith-dev/toolsmith/planner/search"
)

// Plan is what Solve found.
type Plan struct {
	// Status is search.Solved, Unsolvable or Limit.
	Status search.Status
	// Reason says which limit ended the search (Status Limit).
	Reason string
	// Steps and Cost are set when Status is Solved; UsesCost tells whether
	// Cost sums action costs or counts steps.
	Steps    []pddl.Step
	Cost     int64
	UsesCost bool
	Stats    search.Stats
}

// Solve grounds task and searches it with opts; opts.Timeout bounds
// grounding and search together. Limits end it with Status Limit; an error
// means invalid options or a task the grounder rejects.
func Solve(ctx context.Context, task *pddl.Task, opts search.Options) (*Plan, error) {
	start := time.Now()
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	g, err := search.Ground(ctx, task)
	if err != nil {
		if ctx.Err() != nil {
			return &Plan{Status: search.Limit, Reason: "time limit reached while grounding"}, nil
		}
		return nil, fmt.Errorf("llmp: grounding: %w", err)
	}
	if opts.Timeout > 0 {
		if opts.Timeout -= time.Since(start); opts.Timeout <= 0 {
			return &Plan{Status: search.Limit, Reason: "time limit reached while grounding"}, nil
		}
	}
	res, err := search.Plan(ctx, g, opts)
	if err != nil {
		return nil, fmt.Errorf("llmp: %w", err)
	}
	p := &Plan{Status: res.Status, Reason: res.Reason, Cost: res.Cost, UsesCost: g.UsesCost, Stats: res.Stats}
	if p.Status == search.Limit && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		p.Reason = "time" // the context's deadline came before the search's own
	}
	for _, s := range res.Plan {
		p.Steps = append(p.Steps, pddl.Step{Action: s.Action, Args: s.Args})
	}
	return p, nil
}

// CheckOptions returns the error Solve would return for opts because they
// name an unknown search or heuristic (a *search.OptionError), by solving
// an empty task: so that a misspelt option fails before any model call.
func CheckOptions(opts search.Options) error {
	d, err := pddl.ParseDomain("check.pddl", []byte("(define (domain check))"))
	if err != nil {
		return err
	}
	p, err := pddl.ParseProblem("check.pddl", []byte("(define (problem check) (:domain check) (:goal (and)))"))
	if err != nil {
		return err
	}
	task, err := pddl.Normalize(d, p)
	if err != nil {
		return err
	}
	opts.Timeout = time.Second
	_, err = Solve(context.Background(), task, opts)
	return err
}
