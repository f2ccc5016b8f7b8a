package llmp

import (
	"fmt"
	"strings"

	"github.com/toolsmith-dev/toolsmith/planner/pddl"
)

// The prompts' fixed phrases, each at the start of a line and followed by a
// newline. Scripted-model files match them, so they are part of the
// package's contract.
const (
	// MarkProblem precedes the problem to translate.
	MarkProblem = "Problem to translate, in words:"
	// MarkRepair precedes the errors of a rejected reply, one a line.
	MarkRepair = "Your problem PDDL has errors:"
	// MarkDescribe precedes the problem whose plan is to be told in words,
	// and MarkPlan the plan, one (action arg ...) a line, then a blank line.
	MarkDescribe = "The problem whose plan to describe, in words:"
	MarkPlan     = "Plan, one action a line:"
)

const translateSystem = `You translate planning problems described in English into PDDL problem files for a given PDDL domain.
Reply with the problem file only: one (define (problem NAME) (:domain DOMAIN) (:objects ...) (:init ...) (:goal ...)) form.
Use the domain's name, types, predicates and constants exactly as the domain declares them, and the object names the description uses.
State every fact the description gives about the initial state in :init, and every condition it asks for in :goal.`

// translatePrompt shows the domain, the solved example if any, and the
// problem to translate.
func translatePrompt(req Request) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The domain, in PDDL:\n%s\n\n", strings.TrimSpace(req.DomainPDDL))
	if req.Example != nil {
		fmt.Fprintf(&b, "A solved example. The problem, in words:\n%s\n\nIts problem file:\n%s\n\n",
			strings.TrimSpace(req.Example.Text), strings.TrimSpace(req.Example.PDDL))
	}
	fmt.Fprintf(&b, "%s\n%s\n\nWrite the problem file for this problem, for the domain %s.", MarkProblem, strings.TrimSpace(req.Text), req.Domain.Name)
	return b.String()
}

// repairPrompt sends the errors of a reply back.
func repairPrompt(errs []string) string {
	return MarkRepair + "\n" + strings.Join(errs, "\n") + "\n\nCorrect them and reply with the whole corrected problem file only."
}

const describeSystem = `You explain plans to people in plain English.`

// describePrompt asks for one sentence per step of plan.
func describePrompt(text string, plan []pddl.Step) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n\n%s\n", MarkDescribe, strings.TrimSpace(text), MarkPlan)
	for _, s := range plan {
		b.WriteString(s.String())
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "\nDescribe the plan in %d numbered sentences, one a line and one for each action, in order: say what is done to what, in the problem's words. Reply with the sentences only.", len(plan))
	return b.String()
}
