package pddl

// derived compiles the :derived rules into Axioms: each disjunct of a
// rule's body becomes an axiom whose first parameters are the rule's.
func (n *normalizer) derived(d *Domain) {
	guards := n.recursions(d.Derived)
	for _, r := range d.Derived {
		name := n.predName[lower(r.Name)]
		env, params := n.bind(r.Params)
		n.guard = guards[name]
		fresh := len(params)
		cs, err := n.dnf(r.Body, false, env, &fresh)
		if err != nil {
			n.errs.add(r.Pos, "derived predicate %s: %v", r.Name, err)
			continue
		}
		renum := make(map[int]int, len(params))
		head := Atom{Pred: name, Args: make([]Term, len(params))}
		for i := range params {
			renum[i] = i
			head.Args[i] = Term{Var: i}
		}
		for _, c := range cs {
			if ax, ok := n.rule(c, renum, params); ok {
				ax.Head = head
				n.task.Axioms = append(n.task.Axioms, ax)
			}
		}
	}
	n.guard = nil
}

// recursions maps each derived predicate that depends on itself, directly
// or through other derived predicates, to the set of predicates of that
// recursion (its strongly connected component).
func (n *normalizer) recursions(rules []*DerivedDef) map[string]map[string]bool {
	graph := map[string][]string{}
	var heads []string
	for _, r := range rules {
		h := n.predName[lower(r.Name)]
		if _, ok := graph[h]; !ok {
			heads = append(heads, h)
			graph[h] = nil
		}
		walkOccurrences(r.Body, false, func(pred string, _ bool) {
			if p := n.predName[lower(pred)]; n.sym.derived[lower(pred)] {
				graph[h] = append(graph[h], p)
			}
		})
	}
	comp := sccs(heads, func(v string) []string { return graph[v] })
	members := map[int][]string{}
	for _, h := range heads {
		members[comp[h]] = append(members[comp[h]], h)
	}
	out := map[string]map[string]bool{}
	for _, h := range heads {
		ms := members[comp[h]]
		recursive := len(ms) > 1
		for _, p := range graph[h] {
			recursive = recursive || p == h
		}
		if !recursive {
			continue
		}
		set := map[string]bool{}
		for _, m := range ms {
			set[m] = true
		}
		out[h] = set
	}
	return out
}

// pruneAxioms drops the derived predicates that no precondition, effect
// condition or goal needs, directly or through the rules of a needed one,
// with their axioms (predicates of the domain stay declared).
func (n *normalizer) pruneAxioms() {
	t := n.task
	derived := map[string]bool{}
	for _, p := range t.Predicates {
		derived[p.Name] = p.Derived
	}
	needed := map[string]bool{}
	var queue []string
	need := func(pred string) {
		if derived[pred] && !needed[pred] {
			needed[pred] = true
			queue = append(queue, pred)
		}
	}
	for _, a := range t.Actions {
		for _, l := range a.Precondition {
			need(l.Pred)
		}
		for _, e := range a.Effects {
			for _, l := range e.Cond {
				need(l.Pred)
			}
		}
	}
	for _, g := range t.Goal {
		need(g.Pred)
	}
	byHead := map[string][]int{}
	for i, ax := range t.Axioms {
		byHead[ax.Head.Pred] = append(byHead[ax.Head.Pred], i)
	}
	for len(queue) > 0 {
		p := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		for _, i := range byHead[p] {
			for _, l := range t.Axioms[i].Body {
				need(l.Pred)
			}
		}
	}
	axioms := t.Axioms[:0]
	for _, ax := range t.Axioms {
		if needed[ax.Head.Pred] {
			axioms = append(axioms, ax)
		}
	}
	t.Axioms = axioms
	preds := t.Predicates[:0]
	for _, p := range t.Predicates {
		_, declared := n.sym.preds[lower(p.Name)]
		if declared || needed[p.Name] {
			preds = append(preds, p)
		}
	}
	t.Predicates = preds
}
