package search

import "slices"

// succGen finds the operators applicable in a state with a trie over the
// operators' sorted positive preconditions (the binary-fact analogue of Fast
// Downward's successor generator): a node holds the operators whose
// preconditions are all tested on the way to it and one child per next
// precondition fact, entered only when the state has that fact. Negative
// preconditions are checked on the candidates.
type succGen struct {
	nodes []sgNode
	ops   []Operator
	neg   bool // some operator has a negative precondition
	stack []int32
}

type sgNode struct {
	immediate []int32
	facts     []int32 // sorted; facts[i] leads to children[i]
	children  []int32
}

func newSuccGen(ops []Operator) *succGen {
	g := &succGen{ops: ops}
	all := make([]int32, len(ops))
	for i := range all {
		all[i] = int32(i)
		if len(ops[i].NegPre) > 0 {
			g.neg = true
		}
	}
	g.build(all, 0)
	return g
}

// build makes the node for ops, whose first depth preconditions are tested,
// and returns its index.
func (g *succGen) build(ops []int32, depth int) int32 {
	id := int32(len(g.nodes))
	g.nodes = append(g.nodes, sgNode{})
	var imm []int32
	groups := map[int32][]int32{}
	var keys []int32
	for _, o := range ops {
		pre := g.ops[o].Pre
		if len(pre) == depth {
			imm = append(imm, o)
			continue
		}
		f := pre[depth]
		if _, ok := groups[f]; !ok {
			keys = append(keys, f)
		}
		groups[f] = append(groups[f], o)
	}
	slices.Sort(keys)
	n := sgNode{immediate: imm, facts: keys, children: make([]int32, len(keys))}
	for i, f := range keys {
		n.children[i] = g.build(groups[f], depth+1)
	}
	g.nodes[id] = n
	return id
}

// applicable appends to dst the operators applicable in s.
func (g *succGen) applicable(s state, dst []int32) []int32 {
	stack := append(g.stack[:0], 0)
	for len(stack) > 0 {
		n := &g.nodes[stack[len(stack)-1]]
		stack = stack[:len(stack)-1]
		if g.neg {
			for _, o := range n.immediate {
				if noneIn(s, g.ops[o].NegPre) {
					dst = append(dst, o)
				}
			}
		} else {
			dst = append(dst, n.immediate...)
		}
		for i, f := range n.facts {
			if s[f>>6]&(1<<(uint(f)&63)) != 0 {
				stack = append(stack, n.children[i])
			}
		}
	}
	g.stack = stack
	return dst
}
