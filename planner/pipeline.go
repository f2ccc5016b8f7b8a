package planner

import (
	"context"
	"fmt"
	"time"
)

// The planner is a pipeline of stages, each a function from one value to
// the next:
//
//	Request   --read-->        situation   (situation.go: goals, given values, instances)
//	situation --relevance-->   relevance   (relevance.go, foresee.go: the APIs that may take part)
//	relevance --facts-->       facts       (facts.go: ASP facts as asp.Symbol values)
//	facts     --answerSet-->   analysis    (reason.go: what the answer set says)
//	analysis  --materialise--> materialised (task.go: the PDDL task; prune.go prunes it)
//	task      --search-->      action names (search.go)
//	names     --decode-->      []Step      (decode.go, choices.go, order.go)
//
// Relevance and reasoning go round more than once when the answer set
// needs APIs relevance left out (a rejected value, a policy's
// requirement), or contradicts what cost pruning foresaw.

// prepared is what the stages before search give: the request read, the
// relevant APIs, their facts and answer set, the task, and the issues
// found so far.
type prepared struct {
	s      *situation
	rel    *relevance
	facts  *facts
	an     *analysis
	task   *materialised
	issues []Issue
}

func (p *Planner) plan(ctx context.Context, req Request) (*Plan, error) {
	pr, plan, err := p.prepare(ctx, req)
	if err != nil || plan != nil {
		return plan, err
	}
	s := pr.s
	if len(s.goals) == 0 {
		return s.finish(pr.issues, nil, StatusOK), nil
	}
	start := time.Now()
	pr.task.pruneByCost()
	p.trace(StagePrune, start)
	start = time.Now()
	task := pr.task.pddl()
	names, err := p.search.plan(ctx, task, len(task.Actions) > p.opts.LargeTask, p.opts)
	p.trace(StageSearch, start)
	if err != nil {
		return nil, fmt.Errorf("planner: search: %w", err)
	}
	if names == nil {
		issues := append(pr.issues, Issue{Kind: IssueUnreachable, Message: "the search found no plan"})
		return s.finish(issues, nil, StatusInfeasible), nil
	}
	start = time.Now()
	steps, err := s.decode(pr.an, pr.task, names)
	p.trace(StageDecode, start)
	if err != nil {
		return nil, err
	}
	return s.finish(pr.issues, steps, ""), nil
}

// prepare runs the stages before search. It returns a plan instead of a
// task when the request is settled before search (invalid, unknown goals,
// unreachable goals); pr is then set as far as the stages ran.
func (p *Planner) prepare(ctx context.Context, req Request) (pr *prepared, plan *Plan, err error) {
	s, plan := p.read(req)
	if plan != nil {
		return nil, plan, nil
	}
	pr = &prepared{s: s, issues: s.issues}
	start := time.Now()
	rel := s.costPrune(s.relevance(nil, false))
	p.trace(StageRelevance, start)
	if err := p.reason(ctx, pr, rel); err != nil {
		return nil, nil, err
	}
	if !pr.an.sat {
		return pr, &Plan{Status: StatusInfeasible, Issues: []Issue{{
			Kind:    IssueForbidden,
			Message: "the policies reject this request (an integrity constraint holds)",
		}}}, nil
	}
	pr.issues = append(pr.issues, s.reportAnalysis(pr.an)...)
	if len(pr.an.unknownAPI) > 0 {
		return pr, s.finish(pr.issues, nil, StatusInfeasible), nil
	}
	start = time.Now()
	pr.task = s.materialise(pr.rel, pr.an)
	pr.task.pddl() // named before pruning, which never renames
	for _, g := range s.goals {
		if !pr.task.reachable(pr.task.done[g]) {
			pr.issues = append(pr.issues, s.reportUnreachable(pr.rel, pr.an, pr.task)...)
			p.trace(StageMaterialise, start)
			return pr, s.finish(pr.issues, nil, StatusInfeasible), nil
		}
	}
	p.trace(StageMaterialise, start)
	return pr, nil, nil
}

// reason runs relevance and reasoning until they agree: the answer set of
// the relevant APIs' facts needs no API relevance left out (it may need
// more after a value was rejected or a policy required a slot), and agrees
// with what cost pruning foresaw. It sets pr.rel, pr.facts and pr.an.
func (p *Planner) reason(ctx context.Context, pr *prepared, rel *relevance) error {
	s := pr.s
	for round := 0; ; round++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		start := time.Now()
		f := s.facts(rel)
		an, err := p.answerSet(ctx, f)
		p.trace(StageReason, start)
		if err != nil {
			return err
		}
		pr.rel, pr.facts, pr.an = rel, f, an
		if rel.foreseen != nil && !s.foreseenHolds(rel, an) {
			// The needs foreseen on the APIs kept for their cost must be
			// the real ones: a rejected value may make them dearer.
			rel = rel.full
			continue
		}
		if !an.sat {
			return nil
		}
		// Values the request gave may turn out unusable (conflicting, not
		// allowed) and policies may require more: bring in their producers.
		if round >= 8 {
			return nil
		}
		wider, ok := s.widen(rel, s.neededProducers(rel, an))
		if !ok {
			return nil
		}
		rel = wider
	}
}
