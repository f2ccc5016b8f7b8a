package search

import (
	"context"
	"testing"
	"time"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
)

type namedTask struct {
	name string
	task func(t testing.TB) *pddl.Task
	// optimal is the optimal plan cost.
	optimal int64
}

func smallTasks() []namedTask {
	return []namedTask{
		{"gripper-2", func(t testing.TB) *pddl.Task { return gripperTask(t, 2) }, 5},
		{"gripper-4", func(t testing.TB) *pddl.Task { return gripperTask(t, 4) }, 11},
		{"blocks-3-swap", func(t testing.TB) *pddl.Task { return blocksTask(t, []string{"a b c"}, []string{"c b a"}) }, 6},
		// probBLOCKS-4-0 from IPC 2000: optimal 6.
		{"blocks-4-0", func(t testing.TB) *pddl.Task {
			return blocksTask(t, []string{"c", "a", "b", "d"}, []string{"a b c d"})
		}, 6},
		{"blocks-5", func(t testing.TB) *pddl.Task {
			return blocksTask(t, []string{"a b c", "d e"}, []string{"e c", "b d a"})
		}, 10},
		{"logistics-2-1", func(t testing.TB) *pddl.Task { return logisticsTask(t, 2, []string{"pk1 p1 p2"}) }, 10},
		{"logistics-2-2", func(t testing.TB) *pddl.Task {
			return logisticsTask(t, 2, []string{"pk1 p1 p2", "pk2 a2 p1"})
		}, 16},
		{"lift", func(t testing.TB) *pddl.Task { return buildTask(t, liftTask(t)) }, 6},
	}
}

// TestOptimalCosts checks A* with each admissible heuristic against the
// known optimal costs (blind A* is exhaustive, so it checks them too).
func TestOptimalCosts(t *testing.T) {
	for _, nt := range smallTasks() {
		for _, h := range []string{"blind", "max", "lmcut"} {
			_, res := solve(t, nt.task(t), Options{Search: "astar", Heuristic: h})
			if res.Status != Solved {
				t.Errorf("%s astar(%s): %v", nt.name, h, res.Status)
				continue
			}
			if res.Cost != nt.optimal {
				t.Errorf("%s astar(%s): cost %d, optimal %d", nt.name, h, res.Cost, nt.optimal)
			}
		}
	}
}

// TestAllConfigurations runs every search with every heuristic and checks
// each plan (solve validates it) and its cost against the optimum.
func TestAllConfigurations(t *testing.T) {
	configs := []Options{{Search: "lama"}, {}, {Search: "lama", NoPreferred: true}}
	for _, s := range []string{"lazy", "gbfs", "wastar"} {
		for _, h := range []string{"ff", "add", "max", "lmcut", "blind"} {
			configs = append(configs, Options{Search: s, Heuristic: h})
		}
	}
	for _, nt := range smallTasks() {
		for _, o := range configs {
			_, res := solve(t, nt.task(t), o)
			if res.Status != Solved {
				t.Errorf("%s %s/%s: %v", nt.name, o.Search, o.Heuristic, res.Status)
				continue
			}
			if res.Cost < nt.optimal {
				t.Errorf("%s %s/%s: cost %d below the optimum %d", nt.name, o.Search, o.Heuristic, res.Cost, nt.optimal)
			}
		}
	}
}

// TestActionCosts: a road network where the cheap route takes more steps.
func TestActionCosts(t *testing.T) {
	sp := taskSpec{
		objects: "a b c d - city",
		actions: []actSpec{{name: "drive", params: "city city", pre: []string{"at ?0", "road ?0 ?1"},
			eff: []string{"at ?1", "del at ?0"}, cost: "len ?0 ?1"}},
		init:  []string{"at a", "road a d", "road a b", "road b c", "road c d"},
		goal:  []string{"at d"},
		costs: map[string]int64{"len a d": 10, "len a b": 2, "len b c": 2, "len c d": 2},
	}
	for _, o := range []Options{{Search: "astar", Heuristic: "lmcut"}, {Search: "astar", Heuristic: "max"}, {Search: "wastar", Weight: 1, Heuristic: "add"}} {
		_, res := solve(t, buildTask(t, sp), o)
		if res.Status != Solved || res.Cost != 6 || len(res.Plan) != 3 {
			t.Errorf("%s/%s: status %v cost %d steps %d, want cost 6 in 3 steps", o.Search, o.Heuristic, res.Status, res.Cost, len(res.Plan))
		}
	}
	// Costs above the bucket-queue limit take the binary-heap path.
	big := sp
	big.costs = map[string]int64{}
	for k, v := range sp.costs {
		big.costs[k] = v * 100
	}
	for _, o := range []Options{{Search: "astar", Heuristic: "lmcut"}, {Search: "astar", Heuristic: "max"}, {Search: "gbfs", Heuristic: "add"}} {
		_, res := solve(t, buildTask(t, big), o)
		if res.Status != Solved || (o.Search == "astar" && res.Cost != 600) {
			t.Errorf("large costs %s/%s: status %v cost %d, want 600", o.Search, o.Heuristic, res.Status, res.Cost)
		}
	}
	// lama searches on unit costs: the one-step route.
	_, res := solve(t, buildTask(t, sp), Options{})
	if res.Status != Solved || len(res.Plan) != 1 || res.Cost != 10 {
		t.Errorf("lama: status %v cost %d steps %d, want cost 10 in 1 step", res.Status, res.Cost, len(res.Plan))
	}
}

func TestUnsolvable(t *testing.T) {
	// The robot can carry the ball to r2 but never return, and the goal
	// forbids it to be in r2 at the end.
	sp := taskSpec{
		objects: "r1 r2 r3 - room; b - ball",
		actions: []actSpec{
			{name: "move", params: "room room", pre: []string{"at-robby ?0", "door ?0 ?1"}, eff: []string{"at-robby ?1", "del at-robby ?0"}},
			{name: "pick", params: "ball room", pre: []string{"at ?0 ?1", "at-robby ?1", "not holding ?0"}, eff: []string{"holding ?0", "del at ?0 ?1"}},
			{name: "drop", params: "ball room", pre: []string{"holding ?0", "at-robby ?1"}, eff: []string{"at ?0 ?1", "del holding ?0"}},
		},
		init: []string{"at-robby r1", "at b r1", "door r1 r2"},
		goal: []string{"at b r2", "not at-robby r2"},
	}
	for _, o := range []Options{{}, {Search: "gbfs"}, {Search: "astar"}, {Search: "lazy", Heuristic: "add"}} {
		_, res := solve(t, buildTask(t, sp), o)
		if res.Status != Unsolvable {
			t.Errorf("%s: status %v, want unsolvable (plan %v)", o.Search, res.Status, res.Plan)
		}
	}
	// With the way back, it is solvable.
	sp.init = append(sp.init, "door r2 r1")
	_, res := solve(t, buildTask(t, sp), Options{Search: "astar", Heuristic: "blind"})
	if res.Status != Solved || res.Cost != 4 {
		t.Errorf("with the door back: %v cost %d, want solved with cost 4", res.Status, res.Cost)
	}
}

func TestLimits(t *testing.T) {
	task := gripperTask(t, 12)
	p, err := Ground(context.Background(), task)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Plan(context.Background(), p, Options{Search: "astar", Heuristic: "blind", MaxExpansions: 100})
	if err != nil || res.Status != Limit || res.Reason != "expansions" {
		t.Fatalf("expansion limit: %+v %v", res, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err = Plan(ctx, p, Options{Search: "astar", Heuristic: "blind"})
	if err != nil || res.Status != Limit {
		t.Fatalf("cancelled: %+v %v", res, err)
	}
	res, err = Plan(context.Background(), p, Options{Search: "astar", Heuristic: "blind", Timeout: time.Millisecond})
	if err != nil || res.Status != Limit || res.Reason != "time" {
		t.Fatalf("timeout: %+v %v", res, err)
	}
	if _, err := Plan(context.Background(), p, Options{Search: "dfs"}); err == nil {
		t.Fatal("unknown search accepted")
	}
}
