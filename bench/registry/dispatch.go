package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/toolsmith-dev/toolsmith/registry"
)

// bbhTasks are the six BIG-Bench tasks of the LATM evaluation.
var bbhTasks = []string{"chinese_remainder_theorem", "dyck_languages", "logical_deduction_five_objects",
	"schedule_meeting", "tracking_shuffled_objects_five_objects", "word_sorting"}

// dispatch measures how well relevance search alone routes BIG-Bench
// requests to the tool of their task: one tool per task whose demos are the
// task's first three examples (LATM's training share), queried with the
// examples from the eleventh on; then the same with NESTFUL-made distractor
// tools in the registry, and NESTFUL requests (no BBH tool fits them) to see
// whether Coverage separates "has a tool" from "unknown".
func dispatch(ctx context.Context, dir string, store registry.Store, distractors []*registry.Tool, requests []string) {
	type example struct{ Input string }
	queries := map[string][]string{}
	for _, task := range bbhTasks {
		data, err := os.ReadFile(filepath.Join(dir, task+".json"))
		check(err)
		var doc struct {
			Examples []example `json:"examples"`
		}
		check(json.Unmarshal(data, &doc))
		t := &registry.Tool{Name: task, Family: task, Entry: "Solve",
			Source: "package main\n\nfunc Solve(s string) string { return s }\n"}
		for _, ex := range doc.Examples[:3] {
			t.Demos = append(t.Demos, registry.Demo{Input: ex.Input})
		}
		_, err = store.PutTool(ctx, t)
		check(err)
		for _, ex := range doc.Examples[10:] {
			queries[task] = append(queries[task], ex.Input)
		}
	}
	se := registry.NewSearcher(store, registry.SearchOptions{})
	accuracy := func() (float64, []float64) {
		right, total := 0, 0
		var cover []float64
		for _, task := range bbhTasks {
			for _, q := range queries[task] {
				hits, err := se.Tools(ctx, "", q, registry.ToolQuery{Limit: 1})
				check(err)
				total++
				if len(hits) == 1 && hits[0].Tool.Name == task {
					right++
					cover = append(cover, hits[0].Coverage)
				}
			}
		}
		return float64(right) / float64(total), cover
	}
	acc6, cover := accuracy()
	var unknown []float64
	for _, q := range requests {
		hits, err := se.Tools(ctx, "", q, registry.ToolQuery{Limit: 1})
		check(err)
		c := 0.0
		if len(hits) == 1 {
			c = hits[0].Coverage
		}
		unknown = append(unknown, c)
	}
	for _, t := range distractors {
		_, err := store.PutTool(ctx, t)
		check(err)
	}
	accMany, _ := accuracy()
	n := 0
	for _, task := range bbhTasks {
		n += len(queries[task])
	}
	fmt.Printf("\n### Dispatch by relevance alone: BIG-Bench requests to their task's tool (%d requests)\n\n", n)
	fmt.Println("| registry | top-1 accuracy | baseline: LATM's GPT-3.5 dispatcher (paper) |")
	fmt.Println("| --- | --- | --- |")
	fmt.Printf("| the 6 BBH tools (3 demos each) | %.1f%% | 95%% ± 2%% |\n", 100*acc6)
	fmt.Printf("| the 6 BBH tools + %d NESTFUL-made tools | %.1f%% | 95%% ± 2%% |\n", len(distractors), 100*accMany)
	// Tool or unknown: pick the Coverage threshold on the even-numbered
	// requests, evaluate it on the odd-numbered ones.
	half := func(xs []float64, parity int) []float64 {
		var out []float64
		for i, x := range xs {
			if i%2 == parity {
				out = append(out, x)
			}
		}
		return out
	}
	decide := func(known, unknown []float64, wrong int, t float64) float64 {
		ok := 0
		for _, c := range known {
			if c >= t {
				ok++
			}
		}
		for _, c := range unknown {
			if c < t {
				ok++
			}
		}
		return float64(ok) / float64(len(known)+len(unknown)+wrong)
	}
	wrong := n - len(cover)
	best, bestT := 0.0, 0.0
	for t := 0.01; t < 1; t += 0.01 {
		if a := decide(half(cover, 0), half(unknown, 0), wrong/2, t); a > best {
			best, bestT = a, t
		}
	}
	held := decide(half(cover, 1), half(unknown, 1), wrong-wrong/2, bestT)
	fmt.Printf("\n| decision | accuracy | baseline: LATM's dispatcher, tool vs new tool (paper) |\n| --- | --- | --- |\n")
	fmt.Printf("| a BBH tool fits (%d BBH requests) vs unknown (%d NESTFUL requests): Coverage >= %.2f, chosen on even-numbered requests, scored on odd-numbered | %.1f%% | 96%% ± 3%% |\n",
		n, len(unknown), bestT, 100*held)
	slices.Sort(cover)
	slices.Sort(unknown)
	fmt.Printf("\nCoverage of the top hit (6 BBH tools): BBH requests routed right p5 %.2f, median %.2f; "+
		"NESTFUL requests (no fitting tool) median %.2f, p95 %.2f.\n",
		cover[len(cover)*5/100], cover[len(cover)/2], unknown[len(unknown)/2], unknown[len(unknown)*95/100])
}
