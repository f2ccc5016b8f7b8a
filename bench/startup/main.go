// Command startup measures start-up: `toolsmith version` against `clingo
// --version` and /bin/true, interleaved run by run so load affects all
// alike, and reports medians.
//
//	go build -o bin/toolsmith ./cmd/toolsmith && go run ./bench/startup -toolsmith bin/toolsmith
package main

import (
	"flag"
	"fmt"
	"log"
	"os/exec"
	"sort"
	"time"
)

func main() {
	bin := flag.String("toolsmith", "bin/toolsmith", "toolsmith binary")
	runs := flag.Int("runs", 200, "runs of each command")
	flag.Parse()
	cmds := []struct {
		name string
		argv []string
	}{
		{"toolsmith version", []string{*bin, "version"}},
		{"clingo --version", []string{"clingo", "--version"}},
		{"/bin/true", []string{"/bin/true"}},
	}
	times := make([][]time.Duration, len(cmds))
	for i := 0; i < *runs; i++ {
		for j, c := range cmds {
			start := time.Now()
			if err := exec.Command(c.argv[0], c.argv[1:]...).Run(); err != nil {
				log.Fatalf("%s: %v", c.name, err)
			}
			times[j] = append(times[j], time.Since(start))
		}
	}
	med := func(d []time.Duration) time.Duration {
		sort.Slice(d, func(a, b int) bool { return d[a] < d[b] })
		return d[len(d)/2]
	}
	fmt.Println("| command | median | ratio to clingo |")
	fmt.Println("| --- | --- | --- |")
	clingo := med(times[1])
	for j, c := range cmds {
		m := med(times[j])
		fmt.Printf("| %s | %.2f ms | %.2f |\n", c.name, float64(m.Microseconds())/1000, float64(m)/float64(clingo))
	}
}
