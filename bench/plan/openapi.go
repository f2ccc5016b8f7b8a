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
// and of planning. Every plan must be ok or needs_info and call no write or
// destructive API but its goal.
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
	for r := 0; r < rounds; r++ {
		for _, a := range stored {
			start := time.Now()
			plan, err := p.Plan(ctx, planner.Request{Goals: []string{a.Name}})
			times = append(times, time.Since(start))
			if err != nil {
				return fmt.Errorf("%s: %w", a.Name, err)
			}
			if r == 0 {
				status[plan.Status]++
			}
			for _, s := range plan.Steps {
				if s.API != planner.GetInfo && s.API != a.Name && s.Effect.SideEffect() {
					return fmt.Errorf("%s: the plan calls %s (%s), not a goal", a.Name, s.API, s.Effect)
				}
			}
		}
	}
	fmt.Printf("| %s | %d | %s | %s | %s | %s | %s | %s | %d ok, %d needs_info, %d other |\n",
		filepath.Base(file), len(stored), ms(parse), ms(load), ms(build), ms(median(times)), ms(percentile(times, 0.9)),
		ms(percentile(times, 1)), status[planner.StatusOK], status[planner.StatusNeedsInfo],
		len(stored)-status[planner.StatusOK]-status[planner.StatusNeedsInfo])
	return nil
}
