package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/toolsmith-dev/toolsmith/asp"
)

// inProcess solves every .lp file of dir with package asp in this process
// (parse, ground, solve for the first model, or the optimum) and with a
// clingo process, and prints the latency percentiles of both.
func inProcess(dir, clingo string, runs int) {
	files, err := filepath.Glob(filepath.Join(dir, "*.lp"))
	if err != nil || len(files) == 0 {
		log.Fatalf("no .lp files in %s (%v)", dir, err)
	}
	var ours, theirs []time.Duration
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			log.Fatal(err)
		}
		var o, c []measurement
		for i := 0; i < runs; i++ {
			start := time.Now()
			prog, err := asp.Parse(f, src)
			if err != nil {
				log.Fatal(err)
			}
			gp, err := asp.Ground(context.Background(), prog, asp.GroundOptions{})
			if err != nil {
				log.Fatalf("%s: %v", f, err)
			}
			opts := asp.SolveOptions{Models: 1} // as clingo: the first model, or the optimum
			if len(gp.Program.Minimize) > 0 {
				opts.Models = 0
			}
			if _, err := gp.Solve(context.Background(), opts, nil); err != nil {
				log.Fatalf("%s: %v", f, err)
			}
			o = append(o, measurement{wall: time.Since(start)})
			m, err := run(clingo, []string{f})
			if err != nil {
				log.Fatal(err)
			}
			c = append(c, m)
		}
		ours = append(ours, median(o).wall)
		theirs = append(theirs, median(c).wall)
	}
	pct := func(ds []time.Duration, p float64) time.Duration {
		s := append([]time.Duration(nil), ds...)
		sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
		return s[int(p*float64(len(s)-1))]
	}
	fmt.Printf("\nIn process: %d programs of %s, parse + ground + solve (first model or optimum), median of %d runs each.\n\n", len(files), dir, runs)
	fmt.Println("| | p50 | p90 | max |")
	fmt.Println("|---|---:|---:|---:|")
	fmt.Printf("| asp in process | %s | %s | %s |\n", pct(ours, 0.5).Round(time.Microsecond), pct(ours, 0.9).Round(time.Microsecond), pct(ours, 1).Round(time.Microsecond))
	fmt.Printf("| clingo process | %s | %s | %s |\n", pct(theirs, 0.5).Round(time.Microsecond), pct(theirs, 0.9).Round(time.Microsecond), pct(theirs, 1).Round(time.Microsecond))
	fmt.Printf("| ratio | %.3f | %.3f | |\n", pct(ours, 0.5).Seconds()/pct(theirs, 0.5).Seconds(), pct(ours, 0.9).Seconds()/pct(theirs, 0.9).Seconds())
}
