// Command pddlfront measures the PDDL front end (planner/pddl: parse, check,
// normalise) on the IPC benchmark selection of ../shared/data/ipc — the
// problems listed in fd-lama-first.tsv — and prints a markdown table.
//
// The baseline, measured in the same run on the same bytes, is the floor any
// front end pays: reading both files and splitting them into PDDL tokens.
// Fast Downward's recorded total time (translator and search) is shown for
// scale; it was not measured in this run.
//
//	go run ./bench/pddlfront -data ../shared/data -runs 5
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
)

func main() {
	data := flag.String("data", "../shared/data", "the shared data directory (holding ipc/)")
	runs := flag.Int("runs", 5, "timed runs per problem; the median is reported")
	flag.Parse()
	if err := run(*data, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "pddlfront:", err)
		os.Exit(1)
	}
}

type row struct {
	domain                        string
	problems                      int
	bytes                         int64
	parse, normalize, tokens, sum time.Duration
	fd                            []float64
	actions                       int
}

func run(data string, runs int) error {
	ipc := filepath.Join(data, "ipc")
	f, err := os.Open(filepath.Join(ipc, "fd-lama-first.tsv"))
	if err != nil {
		return err
	}
	defer f.Close()
	rows := map[string]*row{}
	var order []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) < 4 {
			continue
		}
		dom, prob := fields[0], fields[1]
		r, ok := rows[dom]
		if !ok {
			r = &row{domain: dom}
			rows[dom] = r
			order = append(order, dom)
		}
		if fdTime, err := strconv.ParseFloat(fields[3], 64); err == nil && fields[2] == "0" {
			r.fd = append(r.fd, fdTime)
		}
		if err := measure(r, filepath.Join(ipc, dom), prob, runs); err != nil {
			return fmt.Errorf("%s/%s: %w", dom, prob, err)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	fmt.Println("Times are sums over the domain's problems of the median of the runs.")
	fmt.Println()
	fmt.Println("| domain | problems | KiB | parse ms | normalise ms | read+parse+normalise ms | read+tokenise ms (baseline) | ratio to baseline | FD lama-first s per problem (recorded, median) |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	var ratios []float64
	for _, dom := range order {
		r := rows[dom]
		ratio := float64(r.sum) / float64(r.tokens)
		ratios = append(ratios, ratio)
		fd := "-" // Fast Downward solved none of the domain's problems
		if len(r.fd) > 0 {
			fd = fmt.Sprintf("%.2f", median(r.fd))
		}
		fmt.Printf("| %s | %d | %d | %.2f | %.2f | %.2f | %.2f | %.1f | %s |\n", r.domain, r.problems, r.bytes>>10,
			ms(r.parse), ms(r.normalize), ms(r.sum), ms(r.tokens), ratio, fd)
	}
	fmt.Printf("\nMedian ratio of the front end to tokenising: %.1f\n", median(ratios))
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

func medianDur(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// domainFile finds the domain of a problem: domain.pddl, or the
// problem's own NAME-domain.pddl.
func domainFile(dir, prob string) string {
	base := strings.TrimSuffix(prob, ".pddl")
	cand := filepath.Join(dir, strings.SplitN(base, "-", 2)[0]+"-domain.pddl")
	if _, err := os.Stat(cand); err == nil {
		return cand
	}
	return filepath.Join(dir, "domain.pddl")
}

// measure adds the median times of one problem to r.
func measure(r *row, dir, prob string, runs int) error {
	dpath, ppath := domainFile(dir, prob), filepath.Join(dir, prob)
	var parse, norm, tok []time.Duration
	var nActions int
	var size int64
	for i := 0; i < runs; i++ {
		t0 := time.Now()
		dsrc, err := os.ReadFile(dpath)
		if err != nil {
			return err
		}
		psrc, err := os.ReadFile(ppath)
		if err != nil {
			return err
		}
		n := tokens(dsrc) + tokens(psrc)
		t1 := time.Now()
		d, err := pddl.ParseDomain(dpath, dsrc)
		if err != nil {
			return err
		}
		p, err := pddl.ParseProblem(ppath, psrc)
		if err != nil {
			return err
		}
		t2 := time.Now()
		task, err := pddl.Normalize(d, p)
		if err != nil {
			return err
		}
		t3 := time.Now()
		if n == 0 {
			return fmt.Errorf("no tokens")
		}
		// Reading is part of both sides: the baseline reads and
		// tokenises, the front end reads, parses and normalises.
		read := t1.Sub(t0)
		tok = append(tok, read)
		parse = append(parse, t2.Sub(t1))
		norm = append(norm, t3.Sub(t2))
		nActions = len(task.Actions)
		size = int64(len(dsrc) + len(psrc))
	}
	r.problems++
	r.bytes += size
	r.parse += medianDur(parse)
	r.normalize += medianDur(norm)
	r.tokens += medianDur(tok)
	r.sum = r.parse + r.normalize + r.tokens
	r.actions += nActions
	return nil
}

// tokens counts PDDL tokens: parentheses and runs of other non-space
// characters, skipping ';' comments.
func tokens(src []byte) int {
	n := 0
	in := false
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == ';':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			in = false
		case c == '(' || c == ')':
			n++
			in = false
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			in = false
		default:
			if !in {
				n++
				in = true
			}
		}
	}
	return n
}
