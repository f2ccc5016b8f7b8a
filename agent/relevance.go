package agent

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"

	"github.com/toolsmith-dev/toolsmith/planner"
)

// DefaultTranslatorBudget bounds the size of one Translator request (its
// system prompt, user prompt and function schema, in bytes) when
// Options.TranslatorBudget is zero.
const DefaultTranslatorBudget = 32 << 10

// Relevance: which APIs a Translator request shows.
//
// A catalogue that fits the budget is shown whole. A larger one is ranked
// for the message: the APIs the session already uses come first; then the
// APIs by BM25 score against the message, each followed, in score order, by
// the read APIs that can supply its required inputs (the planner's backward
// relevance: a supplier scores half of what the API it feeds scores, unless
// its own score is higher). The ranked APIs are taken while the request
// stays within the budget.
const (
	// maxHits is how many BM25 hits seed the ranking.
	maxHits = 40
	// suppliersPerSlot is how many producers of one needed slot follow an
	// API (the best scoring ones), and supplierDepth how far back.
	suppliersPerSlot = 2
	supplierDepth    = 2
	// supplierShare is the share of its consumer's score a supplier gets.
	supplierShare = 0.5
)

// rank orders the APIs (positions in c.names) a request about query should
// show, most relevant first; pinned APIs lead in their order.
func (c *catalogue) rank(query string, pinned []int) []int {
	scores := c.index.Scores(query)
	score := map[int]float64{}
	var order []int
	raise := func(i int, s float64) bool {
		old, ok := score[i]
		if !ok {
			order = append(order, i)
		}
		if !ok || s > old {
			score[i] = s
			return true
		}
		return false
	}
	type item struct{ api, depth int }
	var queue []item
	for _, h := range c.index.Search(query, maxHits, nil) {
		raise(h.Doc, h.Score)
		queue = append(queue, item{h.Doc, 0})
	}
	for _, i := range pinned {
		queue = append(queue, item{i, 0})
	}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		if it.depth >= supplierDepth {
			continue
		}
		share := score[it.api] * supplierShare
		for _, s := range c.needs(it.api) {
			for _, p := range c.bestProducers(s, it.api, scores) {
				if raise(p, max(scores[p], share)) {
					queue = append(queue, item{p, it.depth + 1})
				}
			}
		}
	}
	isPinned := map[int]bool{}
	for _, i := range pinned {
		isPinned[i] = true
	}
	sort.SliceStable(order, func(a, b int) bool {
		ia, ib := order[a], order[b]
		if isPinned[ia] != isPinned[ib] {
			return isPinned[ia]
		}
		if score[ia] != score[ib] {
			return score[ia] > score[ib]
		}
		return ia < ib
	})
	out := append([]int(nil), pinned...)
	seen := map[int]bool{}
	for _, i := range pinned {
		seen[i] = true
	}
	for _, i := range order {
		if !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	return out
}

// needs returns the slots the required inputs of API i accept when they
// have no default: the values another API may have to supply.
func (c *catalogue) needs(i int) []string {
	var out []string
	for _, in := range c.apis[c.names[i]].Inputs {
		if in.Required && in.Default == nil {
			out = append(out, in.SlotType())
			out = append(out, in.Aliases...)
		}
	}
	return out
}

// bestProducers returns the suppliersPerSlot read APIs producing slot s
// with the best scores (ties by name), other than consumer.
func (c *catalogue) bestProducers(s string, consumer int, scores []float64) []int {
	ps := c.producers[s]
	best := make([]int, 0, suppliersPerSlot+1)
	for _, p := range ps {
		if p == consumer {
			continue
		}
		k := sort.Search(len(best), func(k int) bool {
			q := best[k]
			return scores[p] > scores[q] || scores[p] == scores[q] && p < q
		})
		if k >= suppliersPerSlot {
			continue
		}
		best = append(best, 0)
		copy(best[k+1:], best[k:])
		best[k] = p
		if len(best) > suppliersPerSlot {
			best = best[:suppliersPerSlot]
		}
	}
	return best
}

// fit returns the view of the most relevant APIs for query whose
// Translator request stays within budget bytes (no bound when budget < 0):
// fixed bytes of prompt plus the view's part, as size measures it. The
// pinned APIs and the extra slots come first; a catalogue that fits is
// shown whole.
func (c *catalogue) fit(query string, pinned, slots []string, fixed, budget int, size func(*view) int) *view {
	room := budget - fixed
	if budget < 0 || c.wholeSize <= room && c.estimate(c.all, slots) <= room {
		if v := c.view(c.all, slots...); budget < 0 || size(v) <= room {
			return v
		}
	}
	var order []int
	for _, n := range pinned {
		if i, ok := c.pos[n]; ok {
			order = append(order, i)
		}
	}
	if query != "" {
		order = c.rank(query, order)
	}
	// Take APIs in order while the estimate fits, then check the real size
	// and give back the last ones until it does.
	var sel []int
	used := map[string]bool{}
	for _, s := range slots {
		used[s] = true
	}
	total := c.estimate(nil, slots)
	for _, i := range order {
		add := c.apiCost(i, used)
		if total+add > room {
			continue
		}
		total += add
		sel = append(sel, i)
		for _, s := range c.inSlots[i] {
			used[s] = true
		}
	}
	for {
		v := c.view(sel, slots...)
		if size(v) <= room || len(sel) == 0 {
			return v
		}
		sel = sel[:len(sel)-1]
	}
}

// apiCost estimates the bytes API i adds to a request whose slots so far
// are used: its prompt entry, its name in the two enums and its new slots.
func (c *catalogue) apiCost(i int, used map[string]bool) int {
	n := len(c.lines[i]) + 2*(len(c.names[i])+3)
	for _, s := range c.inSlots[i] {
		if !used[s] {
			n += len(c.props[s]) + len(s) + 4
		}
	}
	return n
}

// estimate is the bytes of a request showing the APIs apis and the slots.
func (c *catalogue) estimate(apis []int, slots []string) int {
	used := map[string]bool{}
	n := emptyRequestSize
	for _, s := range slots {
		if p, ok := c.props[s]; ok && !used[s] {
			used[s] = true
			n += len(p) + len(s) + 4
		}
	}
	for _, i := range apis {
		n += c.apiCost(i, used)
		for _, s := range c.inSlots[i] {
			used[s] = true
		}
	}
	return n
}

// emptyRequestSize is about the size of the functions' fixed text.
const emptyRequestSize = 1200

// requestSize is the view's part of an understanding request: the APIs'
// text in the system prompt and the plan_request function, as JSON.
func requestSize(v *view) int {
	raw, _ := json.Marshal(v.request)
	return jsonLen(v.text) + len(raw)
}

// answersSize is the view's part of an answers request: the give_answers
// function, as JSON.
func answersSize(v *view) int {
	raw, _ := json.Marshal(v.answers)
	return len(raw)
}

// envelope is about the bytes a provider's request adds around the
// prompts and the function: model name, roles, options.
const envelope = 512

// promptSize is the bytes the prompts take in a provider's request, with
// its envelope: the fixed part of a Translator request.
func promptSize(prompts ...string) int {
	n := envelope
	for _, p := range prompts {
		n += jsonLen(p)
	}
	return n
}

func jsonLen(s string) int {
	raw, _ := json.Marshal(s)
	return len(raw)
}

// apisInUse lists the APIs the session's request and plan name: its goals,
// the APIs its known values are keyed by, and the APIs of its plan's steps.
func (s *State) apisInUse() []string {
	var out []string
	add := func(name string) {
		if i := strings.LastIndexByte(name, '#'); i > 0 {
			name = name[:i]
		}
		if name != "" && name != planner.GetInfo && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	for _, g := range s.Request.Goals {
		add(g)
	}
	for _, k := range s.Request.Known {
		if dot := strings.LastIndexByte(k.Key, '.'); dot > 0 {
			add(k.Key[:dot])
		}
	}
	if s.Plan != nil {
		for _, st := range s.Plan.Steps {
			add(st.API)
		}
	}
	return out
}

// slotsInUse lists the slots the session asks for or has values of.
func (s *State) slotsInUse() []string {
	var out []string
	for _, q := range s.Pending {
		out = append(out, q.Slot)
	}
	for _, k := range s.Request.Known {
		out = append(out, k.Key)
	}
	return out
}
