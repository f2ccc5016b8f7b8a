package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/toolsmith-dev/toolsmith/planner"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// runOpenAPI plans every operation of an OpenAPI document as the only goal
// with nothing known, over the APIs read back from an embedded store (as
// toolsmith plan without --apis does), and reports the medians of loading
// and the percentiles of planning. Every plan must be ok or needs_info;
// the plans that break a safety rule (see unsafePlan) are counted, and
// printed on standard error.
func runOpenAPI(file string, rounds int) error {
	ctx := context.Background()
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	start := time.Now()
	apis, err := registry.ParseAPIs(file, data)
	if err != nil {
		return err
	}
	parse := time.Since(start)
	dir, err := os.MkdirTemp("", "bench-plan-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	store, err := registry.Open(ctx, filepath.Join(dir, "toolsmith.db"), registry.Options{NoSync: true})
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.PutAPIs(ctx, "bench", apis); err != nil {
		return err
	}
	start = time.Now()
	stored, err := store.ListAPIs(ctx, "bench")
	if err != nil {
		return err
	}
	load := time.Since(start)
	start = time.Now()
	p, err := planner.New(stored, planner.Options{})
	if err != nil {
		return err
	}
	build := time.Since(start)
	var times []time.Duration
	status := map[planner.Status]int{}
	unsafe := 0
	for r := 0; r < rounds; r++ {
		for _, a := range stored {
			start := time.Now()
			plan, err := p.Plan(ctx, planner.Request{Goals: []string{a.Name}})
			times = append(times, time.Since(start))
			if err != nil {
				return fmt.Errorf("%s: %w", a.Name, err)
			}
			if r > 0 {
				continue
			}
			status[plan.Status]++
			if why := unsafePlan(p, a.Name, plan); why != "" {
				unsafe++
				fmt.Fprintf(os.Stderr, "%s: %s\n%s", a.Name, why, plan.Text())
			}
		}
	}
	fmt.Printf("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %d ok, %d needs_info, %d other | %d |\n",
		filepath.Base(file), len(stored), ms(parse), ms(load), ms(build), ms(median(times)), ms(percentile(times, 0.9)),
		ms(percentile(times, 0.99)), ms(percentile(times, 1)), status[planner.StatusOK], status[planner.StatusNeedsInfo],
		len(stored)-status[planner.StatusOK]-status[planner.StatusNeedsInfo], unsafe)
	return nil
}

// unsafePlan says why a plan of goal breaks issue 12's safety rules, or ""
// when it keeps them: it calls a write or destructive API that is not the
// goal, a write or destructive step does not wait for confirmation, or a
// required input without a default is left unbound.
func unsafePlan(p *planner.Planner, goal string, plan *planner.Plan) string {
	for _, s := range plan.Steps {
		if s.API == planner.GetInfo {
			continue
		}
		if s.Effect.SideEffect() && s.API != goal {
			return fmt.Sprintf("step %s calls %s (%s), not a goal", s.ID, s.API, s.Effect)
		}
		if s.Effect.SideEffect() && !s.Confirm {
			return fmt.Sprintf("step %s (%s) does not wait for confirmation", s.ID, s.Effect)
		}
		a, _ := p.API(s.API)
		for _, in := range a.Inputs {
			if _, bound := s.Args[in.Name]; in.Required && in.Default == nil && !bound {
				return fmt.Sprintf("step %s: required input %s is not bound", s.ID, in.Name)
			}
		}
	}
	return ""
}
