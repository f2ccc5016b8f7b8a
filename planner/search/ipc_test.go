package search

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
)

var update = flag.Bool("update", false, "rewrite the golden plans")

type ipcCase struct {
	domain, problem string
	// optimal is the optimal plan cost (0: not checked with A*).
	optimal int64
	// lamaOnly: too large for the weaker configurations within a test.
	lamaOnly bool
}

// ipcCases lists the IPC problems under testdata/ipc; the optimal costs are
// the published ones (and blind A* confirms those it can reach quickly).
var ipcCases = []ipcCase{
	{"gripper", "prob01", 11, false},
	{"blocks", "probBLOCKS-4-0", 6, false},
	{"blocks", "probBLOCKS-5-1", 10, false},
	{"logistics00", "probLOGISTICS-4-0", 20, false},
	{"miconic", "s1-0", 4, false},
	{"miconic-simpleadl", "s4-2", 0, false},
	{"driverlog", "p01", 7, false},
	{"zenotravel", "p01", 1, false},
	{"depot", "p01", 10, false},
	{"rovers", "p01", 10, false},
	{"satellite", "p01-pfile1", 9, false},
	{"psr-small", "p01-s2-n1-l2-f50", 0, false},
	{"elevators-sat08-strips", "p01", 0, false},
	{"barman-sat11-strips", "pfile06-021", 0, true},
	{"visitall-sat11-strips", "problem12", 0, true},
	// Derived predicates (psr-large, philosophers, optical-telegraphs) and
	// conditions Normalize compiles into them (miconic-fulladl).
	{"psr-large", "p01-s29-n2-l5-f30", 6, false},
	{"philosophers", "p01-phil2", 18, false},
	{"optical-telegraphs", "p01-opt2", 28, true},
	{"miconic-fulladl", "f1-0", 4, false},
}

func loadIPC(t testing.TB, c ipcCase) *pddl.Task {
	t.Helper()
	dir := filepath.Join("testdata", "ipc", c.domain)
	dfile := filepath.Join(dir, "domain.pddl")
	if _, err := os.Stat(dfile); err != nil {
		prefix, _, _ := strings.Cut(c.problem, "-")
		dfile = filepath.Join(dir, prefix+"-domain.pddl")
	}
	dsrc, err := os.ReadFile(dfile)
	if err != nil {
		t.Fatal(err)
	}
	psrc, err := os.ReadFile(filepath.Join(dir, c.problem+".pddl"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := pddl.ParseDomain(dfile, dsrc)
	if err != nil {
		t.Fatal(err)
	}
	p, err := pddl.ParseProblem(c.problem, psrc)
	if err != nil {
		t.Fatal(err)
	}
	task, err := pddl.Normalize(d, p)
	if err != nil {
		t.Fatal(err)
	}
	return task
}

// TestGolden solves every IPC test problem with lama, validates the plan
// with pddl.Validate and compares it with the golden plan.
func TestGolden(t *testing.T) {
	for _, c := range ipcCases {
		t.Run(c.domain+"/"+c.problem, func(t *testing.T) {
			task := loadIPC(t, c)
			_, res := solve(t, task, Options{})
			if res.Status != Solved {
				t.Fatalf("status %v", res.Status)
			}
			got := pddl.FormatPlan(pddlSteps(res.Plan), res.Cost, task.UsesCost)
			golden := filepath.Join("testdata", "golden", c.domain+"-"+c.problem+".plan")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("plan differs from %s:\n%s", golden, got)
			}
		})
	}
}

// TestIPCOptimal checks A* with LM-cut and h_max against the optimal costs,
// and every other configuration for valid plans, on the IPC test problems.
func TestIPCOptimal(t *testing.T) {
	for _, c := range ipcCases {
		t.Run(c.domain+"/"+c.problem, func(t *testing.T) {
			if c.lamaOnly {
				t.Skip("lama only")
			}
			task := loadIPC(t, c)
			for _, o := range []Options{{Search: "gbfs"}, {Search: "lazy", Heuristic: "add"}, {Search: "wastar", Heuristic: "ff"}} {
				if _, res := solve(t, task, o); res.Status != Solved {
					t.Errorf("%s/%s: %v", o.Search, o.Heuristic, res.Status)
				}
			}
			if c.optimal == 0 {
				return
			}
			for _, h := range []string{"lmcut", "max"} {
				_, res := solve(t, task, Options{Search: "astar", Heuristic: h, MaxExpansions: 200000})
				if res.Status != Solved || res.Cost != c.optimal {
					t.Errorf("astar(%s): %v cost %d, optimal %d", h, res.Status, res.Cost, c.optimal)
				}
			}
		})
	}
}

func TestGroundIPCSizes(t *testing.T) {
	// Reachability must not lose operators a plan needs and must prune the
	// unreachable ones: gripper prob01 has 4 balls, 2 rooms, 2 grippers;
	// the moves from a room to itself change nothing and go too.
	p, err := Ground(context.Background(), loadIPC(t, ipcCases[0]))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Operators) != 2+16+16 || len(p.Facts) != 2+8+2+8 {
		t.Errorf("gripper prob01: %d operators, %d facts; want 34, 20", len(p.Operators), len(p.Facts))
	}
}
