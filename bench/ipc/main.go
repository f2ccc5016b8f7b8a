// Command ipc runs the toolsmith planner on the IPC benchmark selection of
// fd-lama-first.tsv (212 problems of 32 domains: 10 for each of the first
// 14, 4 for each of the 18 added later), one process per problem as Fast
// Downward's figures were taken, and prints a markdown table comparing
// coverage, time and plan cost with Fast Downward's, with the peak resident
// memory of each planner process (Fast Downward's is not recorded).
//
//	go run ./bench/ipc -data /work/shared/data/ipc -timeout 60s
//	go run ./bench/ipc -data /work/shared/data/ipc -search astar -heuristic lmcut -per-domain 3 -timeout 30s
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
)

type row struct {
	domain, problem string
	fdExit          int
	fdSecs          float64
	fdCost          int64 // -1 when unsolved
	exit            int
	secs            float64
	cost            int64
	cpu             float64 // user+system seconds of the planner process
	rssMiB          float64 // peak resident set size of the planner process
	valid           bool    // the plan passed pddl.Validate
	// With -anytime: the cost of the first plan printed, the number of
	// plans printed and the seconds after which the last one came.
	firstCost int64
	plans     int
	lastSecs  float64
	note      string
}

func main() {
	data := flag.String("data", "../shared/data/ipc", "IPC benchmark folder holding fd-lama-first.tsv and one folder per domain")
	bin := flag.String("bin", "", "toolsmith binary (default: build ./cmd/toolsmith into a temporary folder)")
	timeout := flag.Duration("timeout", 60*time.Second, "time limit per problem")
	searchName := flag.String("search", "lama", "search passed to toolsmith pddl plan")
	heuristic := flag.String("heuristic", "", "heuristic passed to toolsmith pddl plan")
	jobs := flag.Int("jobs", 1, "problems run at the same time")
	perDomain := flag.Int("per-domain", 10, "run only the first N problems of each domain (the easiest of the selection)")
	domains := flag.String("domains", "", "comma-separated domains to run (default all)")
	tsvOut := flag.String("tsv", "", "also write raw results as TSV to this file")
	cpuLimit := flag.Bool("cpu-limit", true, "enforce the time limit on the planner's CPU time (read from /proc) rather than wall time, so that a loaded machine does not cut runs short; the wall limit is then -wall-factor times the time limit")
	wallFactor := flag.Float64("wall-factor", 5, "with -cpu-limit, the wall-clock limit as a multiple of the time limit")
	problems := flag.String("problems", "", "comma-separated domain/problem pairs to run (default: the selection)")
	anytime := flag.Bool("anytime", false, "run with --anytime until the time limit (wall clock, given to the planner) and report the first and the final plan's cost")
	flag.Parse()

	rows, err := readReference(filepath.Join(*data, "fd-lama-first.tsv"))
	if err != nil {
		fatal(err)
	}
	rows = selectRows(rows, *perDomain, *domains)
	if *problems != "" {
		want := map[string]bool{}
		for _, p := range strings.Split(*problems, ",") {
			want[p] = true
		}
		var keep []row
		for _, r := range rows {
			if want[r.domain+"/"+r.problem] {
				keep = append(keep, r)
			}
		}
		rows = keep
	}
	if *bin == "" {
		dir, err := os.MkdirTemp("", "ipc-bench")
		if err != nil {
			fatal(err)
		}
		defer os.RemoveAll(dir)
		*bin = filepath.Join(dir, "toolsmith")
		build := exec.Command("go", "build", "-o", *bin, "./cmd/toolsmith")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			fatal(fmt.Errorf("building toolsmith: %w", err))
		}
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < max(1, *jobs); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				runOne(*bin, *data, &rows[i], *timeout, *searchName, *heuristic, *cpuLimit, *wallFactor, *anytime)
				r := rows[i]
				fmt.Fprintf(os.Stderr, "%s/%s: exit %d %.3fs cpu %.3fs %.0f MiB cost %d (fd %d %.3fs %d) %s\n",
					r.domain, r.problem, r.exit, r.secs, r.cpu, r.rssMiB, r.cost, r.fdExit, r.fdSecs, r.fdCost, r.note)
			}
		}()
	}
	for i := range rows {
		next <- i
	}
	close(next)
	wg.Wait()
	if *tsvOut != "" {
		if err := writeTSV(*tsvOut, rows); err != nil {
			fatal(err)
		}
	}
	if *anytime {
		reportAnytime(os.Stdout, rows, *searchName, *timeout, *jobs)
		return
	}
	report(os.Stdout, rows, *searchName, *heuristic, *timeout, *jobs, *cpuLimit)
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "ipc:", err)
	os.Exit(1)
}

func readReference(path string) ([]row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rows []row
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Split(strings.TrimSpace(sc.Text()), "\t")
		if len(fs) < 5 {
			continue
		}
		r := row{domain: fs[0], problem: fs[1], fdCost: -1}
		r.fdExit, _ = strconv.Atoi(fs[2])
		r.fdSecs, _ = strconv.ParseFloat(fs[3], 64)
		if c, err := strconv.ParseInt(fs[4], 10, 64); err == nil {
			r.fdCost = c
		}
		rows = append(rows, r)
	}
	return rows, sc.Err()
}

func selectRows(rows []row, perDomain int, domains string) []row {
	want := map[string]bool{}
	for _, d := range strings.Split(domains, ",") {
		if d != "" {
			want[d] = true
		}
	}
	count := map[string]int{}
	var out []row
	for _, r := range rows {
		if len(want) > 0 && !want[r.domain] {
			continue
		}
		if count[r.domain] >= perDomain {
			continue
		}
		count[r.domain]++
		out = append(out, r)
	}
	return out
}

// domainFile finds the domain of a problem: domain.pddl in its folder, or a
// per-problem domain file (pNN-domain.pddl, domain_pNN.pddl).
func domainFile(dir, problem string) string {
	base := strings.TrimSuffix(problem, ".pddl")
	prefix, _, _ := strings.Cut(base, "-")
	for _, c := range []string{prefix + "-domain.pddl", "domain_" + problem, base + "-domain.pddl", "domain.pddl"} {
		p := filepath.Join(dir, c)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return filepath.Join(dir, "domain.pddl")
}

var (
	costLine = regexp.MustCompile(`; cost = (\d+)`)
	// anytimeLine is what toolsmith pddl plan --anytime prints on stderr
	// for every better plan.
	anytimeLine = regexp.MustCompile(`(?m)^; plan (\d+): length \d+, cost (\d+), after ([0-9.]+)(ms|s)$`)
)

func runOne(bin, data string, r *row, timeout time.Duration, searchName, heuristic string, cpuLimit bool, wallFactor float64, anytime bool) {
	dir := filepath.Join(data, r.domain)
	planFile, err := os.CreateTemp("", "plan")
	if err != nil {
		r.exit, r.note = -1, err.Error()
		return
	}
	planFile.Close()
	defer os.Remove(planFile.Name())
	wall := timeout
	if cpuLimit && !anytime {
		wall = time.Duration(wallFactor * float64(timeout))
	}
	args := []string{"pddl", "plan", domainFile(dir, r.problem), filepath.Join(dir, r.problem),
		"--search", searchName, "--timeout", wall.String(), "--plan-file", planFile.Name()}
	if heuristic != "" {
		args = append(args, "--heuristic", heuristic)
	}
	if anytime {
		// The planner stops itself at the time limit with the best plan
		// in the plan file; the CPU limit cannot strike first.
		args = append(args, "--anytime")
		cpuLimit = false
	}
	ctx, cancel := context.WithTimeout(context.Background(), wall+5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		r.exit, r.note = -1, err.Error()
		return
	}
	cpuKilled := false
	done := make(chan struct{})
	if cpuLimit {
		go func() {
			tick := time.NewTicker(100 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-done:
					return
				case <-tick.C:
					if c, ok := procCPU(cmd.Process.Pid); ok && c >= timeout.Seconds() {
						cpuKilled = true
						cmd.Process.Kill()
						return
					}
				}
			}
		}()
	}
	err = cmd.Wait()
	close(done)
	r.secs = time.Since(start).Seconds()
	if ps := cmd.ProcessState; ps != nil {
		r.cpu = (ps.UserTime() + ps.SystemTime()).Seconds()
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			r.rssMiB = float64(ru.Maxrss) / 1024 // KiB on Linux
		}
	}
	r.cost = -1
	if cpuKilled {
		r.exit, r.note = 11, "CPU time limit"
		return
	}
	if cpuLimit && r.secs >= wall.Seconds() {
		r.note = fmt.Sprintf("wall-clock cap %s reached after %.1f CPU s", wall, r.cpu)
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
		r.exit = 0
	case errors.As(err, &ee):
		r.exit = ee.ExitCode()
	default:
		r.exit, r.note = -1, err.Error()
		return
	}
	if r.exit != 0 {
		if lines := strings.Split(strings.TrimSpace(stderr.String()), "\n"); len(lines) > 0 {
			r.note = strings.TrimSpace(r.note + " " + lines[len(lines)-1])
		}
		return
	}
	plan, err := os.ReadFile(planFile.Name())
	if err != nil {
		r.note = err.Error()
		return
	}
	if m := costLine.FindSubmatch(plan); m != nil {
		r.cost, _ = strconv.ParseInt(string(m[1]), 10, 64)
	}
	if anytime {
		for i, m := range anytimeLine.FindAllStringSubmatch(stderr.String(), -1) {
			c, _ := strconv.ParseInt(m[2], 10, 64)
			if i == 0 {
				r.firstCost = c
			}
			r.plans++
			r.lastSecs, _ = strconv.ParseFloat(m[3], 64)
			if m[4] == "ms" {
				r.lastSecs /= 1000
			}
		}
	}
	// Every plan is checked independently of the planner.
	vcost, err := validate(domainFile(dir, r.problem), filepath.Join(dir, r.problem), plan)
	switch {
	case err != nil:
		r.note = "INVALID: " + err.Error()
		r.cost = -1
	case vcost != r.cost:
		r.note = fmt.Sprintf("INVALID: reported cost %d, validated cost %d", r.cost, vcost)
		r.cost = -1
	default:
		r.valid = true
	}
}

// validate checks plan with pddl.Validate, on the normalised task, and with
// pddl.ValidateAST, on the domain and problem as written, and returns its
// cost.
func validate(domainPath, problemPath string, plan []byte) (int64, error) {
	dsrc, err := os.ReadFile(domainPath)
	if err != nil {
		return 0, err
	}
	psrc, err := os.ReadFile(problemPath)
	if err != nil {
		return 0, err
	}
	d, err := pddl.ParseDomain(domainPath, dsrc)
	if err != nil {
		return 0, err
	}
	p, err := pddl.ParseProblem(problemPath, psrc)
	if err != nil {
		return 0, err
	}
	task, err := pddl.Normalize(d, p)
	if err != nil {
		return 0, err
	}
	steps, err := pddl.ParsePlan(plan)
	if err != nil {
		return 0, err
	}
	cost, err := pddl.Validate(task, steps)
	if err != nil {
		return 0, err
	}
	// ValidateAST reads the formulas as written (quantifiers, derived
	// predicates iterated to their fixpoint) without Normalize, so a fault
	// the planner and Validate would share through Normalize shows here.
	astCost, err := pddl.ValidateAST(d, p, steps)
	if err != nil {
		return 0, fmt.Errorf("ValidateAST: %w", err)
	}
	if astCost != cost {
		return 0, fmt.Errorf("Validate says cost %d, ValidateAST %d", cost, astCost)
	}
	return cost, nil
}

func writeTSV(path string, rows []row) error {
	var b strings.Builder
	for _, r := range rows {
		c := "-"
		if r.cost >= 0 {
			c = strconv.FormatInt(r.cost, 10)
		}
		fmt.Fprintf(&b, "%s\t%s\t%d\t%.3f\t%s\t%.3f\t%.1f\n", r.domain, r.problem, r.exit, r.secs, c, r.cpu, r.rssMiB)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// solved: exit 0 and, for our runs, a plan that validated (the cost is
// cleared for an invalid one).
func solved(exit int, cost int64) bool { return exit == 0 && cost >= 0 }

func report(w io.Writer, rows []row, searchName, heuristic string, timeout time.Duration, jobs int, cpuLimit bool) {
	config := searchName
	if heuristic != "" {
		config += " --heuristic " + heuristic
	}
	limit := "wall-clock"
	if cpuLimit {
		limit = "CPU"
	}
	fmt.Fprintf(w, "Configuration: `--search %s`, %s of %s time per problem, %d at a time. Every plan was checked with pddl.Validate (on the normalised task) and pddl.ValidateAST (on the formulas as written); an invalid plan counts as unsolved. FD s is Fast Downward's recorded wall time (translator included, idle machine). MiB is the peak resident set size of our planner process (Fast Downward's memory is not recorded).\n\n", config, timeout, limit, jobs)
	fmt.Fprintln(w, "| domain | problem | FD exit | FD s | FD cost | exit | wall s | CPU s | MiB | cost | CPU/FD time | cost/FD cost |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
	type agg struct {
		n, fd, ours int
		ours20      int // solved within 20 CPU s, Fast Downward's limit on the later domains
		logW, logC  float64
		logN        float64
		costR       float64
		costN       int
		secs, cpus  []float64
		mem         []float64
	}
	per := map[string]*agg{}
	var order []string
	total := &agg{}
	for _, r := range rows {
		a := per[r.domain]
		if a == nil {
			a = &agg{}
			per[r.domain] = a
			order = append(order, r.domain)
		}
		tr, cr := "", ""
		for _, x := range []*agg{a, total} {
			x.n++
			if solved(r.fdExit, r.fdCost) {
				x.fd++
			}
			if solved(r.exit, r.cost) {
				x.ours++
				if r.cpu <= 20 {
					x.ours20++
				}
				x.secs = append(x.secs, r.secs)
				x.cpus = append(x.cpus, r.cpu)
				x.mem = append(x.mem, r.rssMiB)
			}
		}
		if solved(r.fdExit, r.fdCost) && solved(r.exit, r.cost) {
			tr = fmt.Sprintf("%.2f", r.cpu/r.fdSecs)
			for _, x := range []*agg{a, total} {
				x.logW += math.Log(r.secs / r.fdSecs)
				x.logC += math.Log(max(r.cpu, 0.001) / r.fdSecs)
				x.logN++
			}
			if r.fdCost > 0 {
				c := float64(r.cost) / float64(r.fdCost)
				cr = fmt.Sprintf("%.2f", c)
				for _, x := range []*agg{a, total} {
					x.costR += c
					x.costN++
				}
			}
		}
		fmt.Fprintf(w, "| %s | %s | %d | %.3f | %s | %d | %.3f | %.3f | %.0f | %s | %s | %s |\n",
			r.domain, r.problem, r.fdExit, r.fdSecs, costStr(r.fdCost), r.exit, r.secs, r.cpu, r.rssMiB, costStr(r.cost), tr, cr)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| domain | problems | FD solved | solved | solved ≤ 20 CPU s | geo-mean CPU/FD time | geo-mean wall/FD time | mean cost/FD cost | median CPU s | median wall s | median MiB | max MiB |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
	line := func(name string, a *agg) {
		gw, gc, cm := "-", "-", "-"
		if a.logN > 0 {
			gw = fmt.Sprintf("%.2f", math.Exp(a.logW/a.logN))
			gc = fmt.Sprintf("%.2f", math.Exp(a.logC/a.logN))
		}
		if a.costN > 0 {
			cm = fmt.Sprintf("%.3f", a.costR/float64(a.costN))
		}
		mx := "-"
		if len(a.mem) > 0 {
			mx = fmt.Sprintf("%.0f", slices.Max(a.mem))
		}
		fmt.Fprintf(w, "| %s | %d | %d | %d | %d | %s | %s | %s | %s | %s | %s | %s |\n", name, a.n, a.fd, a.ours, a.ours20, gc, gw, cm, median(a.cpus), median(a.secs), medianF(a.mem, "%.0f"), mx)
	}
	for _, d := range order {
		line(d, per[d])
	}
	line("**all**", total)
	fmt.Fprintln(w)
	for _, r := range rows {
		if r.note != "" {
			fmt.Fprintf(w, "- %s/%s: %s\n", r.domain, r.problem, r.note)
		}
	}
}

func costStr(c int64) string {
	if c < 0 {
		return "-"
	}
	return strconv.FormatInt(c, 10)
}

func median(xs []float64) string { return medianF(xs, "%.3f") }

// medianF formats the median of xs ("-" when empty).
func medianF(xs []float64, format string) string {
	if len(xs) == 0 {
		return "-"
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return fmt.Sprintf(format, s[len(s)/2])
}

// reportAnytime prints, per problem, the cost of the first and of the
// final plan of an anytime run against Fast Downward's lama-first cost.
func reportAnytime(w io.Writer, rows []row, searchName string, timeout time.Duration, jobs int) {
	fmt.Fprintf(w, "Configuration: `--search %s --anytime`, %s of wall-clock time per problem, %d at a time; the final plan (the best) was checked with pddl.Validate and pddl.ValidateAST. FD cost is Fast Downward's lama-first (first plan only).\n\n", searchName, timeout, jobs)
	fmt.Fprintln(w, "| domain | problem | FD cost | first cost | final cost | plans | last plan after s | final/first | final/FD |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
	var logF, logFD float64
	var nF, nFD int
	for _, r := range rows {
		ff, fd := "-", "-"
		if solved(r.exit, r.cost) && r.firstCost > 0 {
			x := float64(r.cost) / float64(r.firstCost)
			ff = fmt.Sprintf("%.2f", x)
			logF += math.Log(x)
			nF++
			if r.fdCost > 0 {
				y := float64(r.cost) / float64(r.fdCost)
				fd = fmt.Sprintf("%.2f", y)
				logFD += math.Log(y)
				nFD++
			}
		}
		first := "-"
		if r.plans > 0 {
			first = strconv.FormatInt(r.firstCost, 10)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %d | %.1f | %s | %s |\n", r.domain, r.problem, costStr(r.fdCost), first, costStr(r.cost), r.plans, r.lastSecs, ff, fd)
	}
	if nF > 0 {
		fmt.Fprintf(w, "\nGeometric mean final/first cost %.3f over %d problems", math.Exp(logF/float64(nF)), nF)
		if nFD > 0 {
			fmt.Fprintf(w, "; final/FD cost %.3f over %d", math.Exp(logFD/float64(nFD)), nFD)
		}
		fmt.Fprintln(w, ".")
	}
	for _, r := range rows {
		if r.note != "" {
			fmt.Fprintf(w, "- %s/%s: %s\n", r.domain, r.problem, r.note)
		}
	}
}

// procCPU returns the user+system CPU seconds of a running process from
// /proc/PID/stat (Linux; ok is false elsewhere).
func procCPU(pid int) (float64, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// Fields after the parenthesised command name; utime and stime are the
	// 14th and 15th fields, in clock ticks (100 per second on Linux).
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, false
	}
	u, err1 := strconv.ParseFloat(f[11], 64)
	st, err2 := strconv.ParseFloat(f[12], 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return (u + st) / 100, true
}
