package search

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
)

func packState(p *Task, facts []int32) state {
	s := make(state, (len(p.Facts)+63)/64+1)
	for _, f := range facts {
		s.set(f)
	}
	return s[:max(1, (len(p.Facts)+63)/64)]
}

// TestHeuristicValues checks each heuristic on gripper with two balls in
// the initial state, where the values can be worked out by hand: h_max 2
// (pick, then drop needing the robot moved), h_add 6 (each goal costs
// pick+move+drop), h_FF 5 (one move, two picks, two drops), LM-cut 5 (the
// optimum: each of the five actions is its own cut), blind 1.
func TestHeuristicValues(t *testing.T) {
	p, err := Ground(context.Background(), gripperTask(t, 2))
	if err != nil {
		t.Fatal(err)
	}
	s := packState(p, p.Init)
	want := map[string]int64{"max": 2, "add": 6, "ff": 5, "lmcut": 5, "blind": 1}
	for name, w := range want {
		h, err := newHeuristic(name, p, false)
		if err != nil {
			t.Fatal(err)
		}
		if got := h.evaluate(evalAt(s)); got != w {
			t.Errorf("%s(init) = %d, want %d", name, got, w)
		}
	}
	// In a goal state every heuristic is 0.
	goal := packState(p, append(slices.Clone(p.Goal), p.Init...))
	for name := range want {
		h, _ := newHeuristic(name, p, false)
		if got := h.evaluate(evalAt(goal)); got != 0 {
			t.Errorf("%s(goal) = %d, want 0", name, got)
		}
	}
	// FF's preferred operators in the initial state: the picks and the move
	// of its relaxed plan, all applicable.
	ffh := newFF(p, costNormal)
	ffh.evaluate(evalAt(s))
	initBools := p.InitState()
	all := make([]int32, len(p.Operators))
	for i := range all {
		all[i] = int32(i)
	}
	prefs := ffh.preferred(nil, all)
	if len(prefs) == 0 {
		t.Fatal("no preferred operators")
	}
	for _, o := range prefs {
		if !p.Operators[o].Applicable(initBools) {
			t.Errorf("preferred operator %s not applicable", &p.Operators[o])
		}
	}
}

// TestAdmissible compares h_max and LM-cut with the true cost (from blind
// A*) in random reachable states of small problems, and checks
// h_max <= LM-cut.
func TestAdmissible(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, nt := range smallTasks() {
		task := nt.task(t)
		p, err := Ground(context.Background(), task)
		if err != nil {
			t.Fatal(err)
		}
		hmax, _ := newHeuristic("max", p, false)
		lmc, _ := newHeuristic("lmcut", p, false)
		for trial := 0; trial < 5; trial++ {
			// Random walk from the initial state.
			cur := p.InitState()
			for k := 0; k < rng.IntN(8); k++ {
				var app []int
				for i := range p.Operators {
					if p.Operators[i].Applicable(cur) {
						app = append(app, i)
					}
				}
				if len(app) == 0 {
					break
				}
				cur = p.Apply(cur, app[rng.IntN(len(app))])
			}
			var facts []int32
			for f, v := range cur {
				if v {
					facts = append(facts, int32(f))
				}
			}
			sub := *p
			sub.Init = facts
			res, err := Plan(context.Background(), &sub, Options{Search: "astar", Heuristic: "blind"})
			if err != nil {
				t.Fatal(err)
			}
			s := packState(p, facts)
			hm, lc := hmax.evaluate(evalAt(s)), lmc.evaluate(evalAt(s))
			if res.Status == Unsolvable {
				continue
			}
			if hm > lc || lc > res.Cost {
				t.Errorf("%s: h_max %d, LM-cut %d, optimal %d", nt.name, hm, lc, res.Cost)
			}
		}
	}
}

func TestLandmarks(t *testing.T) {
	p, err := Ground(context.Background(), gripperTask(t, 2))
	if err != nil {
		t.Fatal(err)
	}
	lg := findLandmarks(p, mutexGroups(p))
	var got []string
	for _, lm := range lg.lms {
		name := ""
		for i, f := range lm.facts {
			if i > 0 {
				name += " | "
			}
			name += p.Facts[f]
		}
		got = append(got, name)
	}
	for _, w := range []string{"at ball1 roomb", "at-robby roomb", "carry ball1 left | carry ball1 right", "carry ball2 left | carry ball2 right"} {
		if !slices.Contains(got, w) {
			t.Errorf("landmark %q missing from %q", w, got)
		}
	}
	// The landmark count is the number of landmarks not yet reached: in the
	// initial state two goals, at-robby roomb and the two carry
	// disjunctions.
	h := newLandmarkSum(p, mutexGroups(p), costOne)
	s := packState(p, p.Init)
	if v := h.evaluate(evalAt(s)); v != 5 {
		t.Errorf("landmark count(init) = %d, want 5", v)
	}
}

// TestSuccessorGenerator compares the decision trie with a scan of every
// operator in random reachable states.
func TestSuccessorGenerator(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, nt := range smallTasks() {
		p, err := Ground(context.Background(), nt.task(t))
		if err != nil {
			t.Fatal(err)
		}
		sg := newSuccGen(p.Operators)
		cur := p.InitState()
		for step := 0; step < 30; step++ {
			var facts []int32
			for f, v := range cur {
				if v {
					facts = append(facts, int32(f))
				}
			}
			got := sg.applicable(packState(p, facts), nil)
			slices.Sort(got)
			var want []int32
			for i := range p.Operators {
				if p.Operators[i].Applicable(cur) {
					want = append(want, int32(i))
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%s: applicable %v, want %v", nt.name, got, want)
			}
			if len(want) == 0 {
				break
			}
			cur = p.Apply(cur, int(want[rng.IntN(len(want))]))
		}
	}
}

func TestStateTable(t *testing.T) {
	r := newStateTable(2)
	rng := rand.New(rand.NewPCG(5, 6))
	seen := map[[2]uint32]int32{}
	for i := 0; i < 40000; i++ {
		s := []uint32{rng.Uint32() & 0xff, rng.Uint32() & 0x3f}
		id, isNew := r.insert(s)
		k := [2]uint32{s[0], s[1]}
		if old, ok := seen[k]; ok {
			if isNew || id != old {
				t.Fatalf("state %v: id %d new %v, had %d", s, id, isNew, old)
			}
			continue
		}
		if !isNew {
			t.Fatalf("state %v reported as known", s)
		}
		seen[k] = id
		if got := r.lookup(s); got != id || !equalPacked(r.get(id), s) {
			t.Fatalf("lookup %v = %d, want %d", s, got, id)
		}
	}
}
