package search

import (
	"slices"
	"strings"
)

// maxInvariantCandidates bounds the candidates mutexGroups examines.
const maxInvariantCandidates = 256

// invPart is one predicate of an invariant candidate: its facts belong to
// the instance named by the arguments at the positions params (in that
// order); the other positions are counted.
type invPart struct {
	pred   string
	params []int
}

// invariant is a candidate invariant: for every assignment of objects to
// its parameters, at most one of the facts of its parts with those
// objects at the parameter positions is true in any reachable state.
type invariant []invPart

func (c invariant) key() string {
	parts := make([]string, len(c))
	for i, p := range c {
		var b strings.Builder
		b.WriteString(p.pred)
		for _, x := range p.params {
			b.WriteByte(' ')
			b.WriteByte(byte('0' + x))
		}
		parts[i] = b.String()
	}
	slices.Sort(parts)
	return strings.Join(parts, "|")
}

// mutexInfo is what mutexGroups finds: the groups of primary facts of
// which at most one is true in every reachable state, and for each
// primary fact the groups it belongs to.
type mutexInfo struct {
	groups     [][]int32
	factGroups [][]int32
}

// mutex reports whether facts a and b are never true together (they share
// a group).
func (m *mutexInfo) mutex(a, b int32) bool {
	if m == nil || a == b || int(a) >= len(m.factGroups) || int(b) >= len(m.factGroups) {
		return false
	}
	ga, gb := m.factGroups[a], m.factGroups[b]
	for i, j := 0, 0; i < len(ga) && j < len(gb); {
		switch {
		case ga[i] == gb[j]:
			return true
		case ga[i] < gb[j]:
			i++
		default:
			j++
		}
	}
	return false
}

// mutexGroups finds groups of primary facts of which at most one is true
// in every reachable state, as Fast Downward's invariant synthesis does but
// on the ground task: a candidate (a set of predicates, each with the
// argument positions that name the group) is kept when the initial state
// holds at most one fact of each group and every operator that adds a
// fact of a group also deletes one of its preconditions in that group;
// when an operator adds without such a delete, the candidate is extended
// by the predicate of one of the operator's deleted preconditions, and
// tried again. The groups of the invariants found are returned, each with
// at least two facts.
func mutexGroups(t *Task) *mutexInfo {
	fi := newFactIndex(t)
	var queue []invariant
	seen := map[string]bool{}
	push := func(c invariant) {
		k := c.key()
		if !seen[k] && len(seen) < maxInvariantCandidates {
			seen[k] = true
			queue = append(queue, c)
		}
	}
	for _, pred := range fi.preds {
		n := fi.arity[pred]
		// One counted position, or none (which alone holds trivially
		// but may grow into a group of several predicates).
		for counted := -1; counted < n; counted++ {
			var params []int
			for i := range n {
				if i != counted {
					params = append(params, i)
				}
			}
			push(invariant{{pred, params}})
		}
	}
	info := &mutexInfo{}
	seenGroup := map[string]bool{}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		ok, extend := fi.check(c)
		if !ok {
			for _, e := range extend {
				push(e)
			}
			continue
		}
		for _, g := range fi.groups(c) {
			if len(g) < 2 {
				continue
			}
			k := string(int32sKey(g))
			if !seenGroup[k] {
				seenGroup[k] = true
				info.groups = append(info.groups, g)
			}
		}
	}
	info.factGroups = make([][]int32, t.Primary)
	for gi, g := range info.groups {
		for _, f := range g {
			info.factGroups[f] = append(info.factGroups[f], int32(gi))
		}
	}
	return info
}

// factIndex describes the primary facts of a task by predicate and
// argument objects (parsed from their names).
type factIndex struct {
	t      *Task
	pred   []string   // per primary fact
	args   [][]string // per primary fact
	preds  []string   // every predicate, in order of first appearance
	arity  map[string]int
	byPred map[string][]int32
	init   []bool
}

func newFactIndex(t *Task) *factIndex {
	fi := &factIndex{t: t, arity: map[string]int{}, byPred: map[string][]int32{}, init: make([]bool, t.Primary)}
	for f := range int32(t.Primary) {
		fs := strings.Fields(t.Facts[f])
		pred := ""
		if len(fs) > 0 {
			pred = fs[0]
			fs = fs[1:]
		}
		fi.pred = append(fi.pred, pred)
		fi.args = append(fi.args, fs)
		if _, ok := fi.arity[pred]; !ok {
			fi.arity[pred] = len(fs)
			fi.preds = append(fi.preds, pred)
		}
		fi.byPred[pred] = append(fi.byPred[pred], f)
	}
	for _, f := range t.Init {
		if int(f) < t.Primary {
			fi.init[f] = true
		}
	}
	return fi
}

// instance returns the instance of c that primary fact f belongs to, and
// whether it belongs to c at all.
func (fi *factIndex) instance(c invariant, f int32) (string, bool) {
	if int(f) >= fi.t.Primary {
		return "", false
	}
	for _, p := range c {
		if p.pred != fi.pred[f] || len(fi.args[f]) != fi.arity[p.pred] {
			continue
		}
		var b strings.Builder
		for _, x := range p.params {
			b.WriteString(fi.args[f][x])
			b.WriteByte(' ')
		}
		return b.String(), true
	}
	return "", false
}

// check verifies c; when it fails on an operator adding a fact without
// deleting one of the same group, it proposes c extended by the predicates
// of the operator's deleted preconditions.
func (fi *factIndex) check(c invariant) (ok bool, extend []invariant) {
	counts := map[string]int{}
	for f := range int32(fi.t.Primary) {
		if fi.init[f] {
			if inst, in := fi.instance(c, f); in {
				counts[inst]++
				if counts[inst] > 1 {
					return false, nil
				}
			}
		}
	}
	for oi := range fi.t.Operators {
		o := &fi.t.Operators[oi]
		// The groups of the preconditions the operator deletes.
		var freed []string
		for _, d := range o.Del {
			if _, isPre := slices.BinarySearch(o.Pre, d); !isPre {
				continue
			}
			if inst, in := fi.instance(c, d); in {
				freed = append(freed, inst)
			}
		}
		var added []string
		addOne := func(a int32, freedToo []string) bool {
			inst, in := fi.instance(c, a)
			if !in {
				return true
			}
			if _, isPre := slices.BinarySearch(o.Pre, a); isPre {
				return true // already true: nothing changes
			}
			if slices.Contains(added, inst) {
				return false // two facts of one group added
			}
			added = append(added, inst)
			return slices.Contains(freed, inst) || slices.Contains(freedToo, inst)
		}
		for _, a := range o.Add {
			if !addOne(a, nil) {
				return false, fi.extensions(c, o, a)
			}
		}
		for _, ce := range o.Cond {
			if ce.Delete {
				continue
			}
			// A conditional delete of the same group, of a fact the
			// condition or precondition requires, under a condition this
			// one implies, balances a conditional add.
			var freedToo []string
			for _, de := range o.Cond {
				if !de.Delete {
					continue
				}
				if !slices.Contains(ce.Pre, de.Fact) && !slices.Contains(o.Pre, de.Fact) {
					continue
				}
				if !subsetOf(de.Pre, ce.Pre, o.Pre) || !subsetOf(de.NegPre, ce.NegPre, o.NegPre) {
					continue
				}
				if inst, in := fi.instance(c, de.Fact); in {
					freedToo = append(freedToo, inst)
				}
			}
			if !addOne(ce.Fact, freedToo) {
				return false, fi.extensions(c, o, ce.Fact)
			}
		}
	}
	return true, nil
}

func subsetOf(small, a, b []int32) bool {
	for _, x := range small {
		if !slices.Contains(a, x) && !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// extensions proposes c extended by the predicate of a precondition that o
// deletes, with the positions at which that fact holds the group's objects
// of the added fact a.
func (fi *factIndex) extensions(c invariant, o *Operator, a int32) []invariant {
	var params []string
	for _, p := range c {
		if p.pred == fi.pred[a] {
			for _, x := range p.params {
				params = append(params, fi.args[a][x])
			}
			break
		}
	}
	var out []invariant
	for _, d := range o.Del {
		if _, isPre := slices.BinarySearch(o.Pre, d); !isPre || int(d) >= fi.t.Primary {
			continue
		}
		q := fi.pred[d]
		if slices.ContainsFunc(c, func(p invPart) bool { return p.pred == q }) {
			continue
		}
		// Each group object must sit at one position of d; the other
		// positions are counted.
		pos := make([]int, len(params))
		ok := true
		for i, v := range params {
			pos[i] = -1
			for j, x := range fi.args[d] {
				if x == v && !slices.Contains(pos[:i], j) {
					pos[i] = j
					break
				}
			}
			ok = ok && pos[i] >= 0
		}
		if !ok || len(fi.args[d])-len(params) > 1 {
			continue
		}
		ext := append(append(invariant(nil), c...), invPart{q, pos})
		out = append(out, ext)
	}
	return out
}

// groups lists the facts of each instance of a verified invariant.
func (fi *factIndex) groups(c invariant) [][]int32 {
	byInst := map[string][]int32{}
	var order []string
	for _, p := range c {
		for _, f := range fi.byPred[p.pred] {
			inst, in := fi.instance(c, f)
			if !in {
				continue
			}
			if _, ok := byInst[inst]; !ok {
				order = append(order, inst)
			}
			byInst[inst] = append(byInst[inst], f)
		}
	}
	out := make([][]int32, 0, len(order))
	for _, inst := range order {
		g := byInst[inst]
		slices.Sort(g)
		out = append(out, slices.Compact(g))
	}
	return out
}

// chooseGroups picks disjoint groups for the state layout greedily, the
// largest first (as Fast Downward's translator chooses its variables).
func chooseGroups(nFacts int, groups [][]int32) [][]int32 {
	covered := make([]bool, nFacts)
	remaining := make([][]int32, len(groups))
	copy(remaining, groups)
	var chosen [][]int32
	for {
		best, bestN := -1, 1
		for i, g := range remaining {
			n := 0
			for _, f := range g {
				if !covered[f] {
					n++
				}
			}
			if n > bestN {
				best, bestN = i, n
			}
		}
		if best < 0 {
			return chosen
		}
		var g []int32
		for _, f := range remaining[best] {
			if !covered[f] {
				covered[f] = true
				g = append(g, f)
			}
		}
		chosen = append(chosen, g)
		remaining = slices.Delete(remaining, best, best+1)
	}
}
