package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/planner/pddl"
)

// exitPlanInvalid is the exit code of "pddl validate" when a step does not
// apply or the goal is not reached (0: valid, 2: bad input).
const exitPlanInvalid = 1

func newPDDLValidateCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "validate DOMAIN PROBLEM PLAN",
		Short: "Check a plan in IPC format against a PDDL domain and problem",
		Long: `Check a plan in IPC format — one (action arg ...) a line, ';' comments —
against a PDDL domain and problem: every step must exist, take objects of its
parameters' types and have its precondition true; the goal must hold at the
end. Derived predicates (:derived) are evaluated in every state. Prints
"plan valid, cost N" (N counts steps unless the problem minimises
total-cost).

Exit codes: 0 valid, 1 invalid (the first failing step and why is printed),
2 bad input (unreadable files, file:line:col parse and type errors).`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 3 {
				return usageErr("pddl validate takes DOMAIN PROBLEM PLAN, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.pddlValidate(args[0], args[1], args[2])
		},
	}
}

func (a *app) pddlValidate(domainFile, problemFile, planFile string) error {
	task, err := loadTask(domainFile, problemFile)
	if err != nil {
		return err
	}
	src, err := os.ReadFile(planFile)
	if err != nil {
		return usageErr("%v", err)
	}
	plan, err := pddl.ParsePlan(src)
	if err != nil {
		var list pddl.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				e.File = planFile
			}
		}
		return usageErr("%v", err)
	}
	cost, err := pddl.Validate(task, plan)
	var pe *pddl.PlanError
	if errors.As(err, &pe) {
		fmt.Fprintf(a.stdout, "plan invalid: %v\n", pe)
		return exitWith(exitPlanInvalid, "")
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "plan valid, cost %d\n", cost)
	return nil
}

// readPDDLFiles reads and parses a domain and a problem file; every
// failure is bad input (exit 2).
func readPDDLFiles(domainFile, problemFile string) (*pddl.Domain, *pddl.Problem, error) {
	dsrc, err := os.ReadFile(domainFile)
	if err != nil {
		return nil, nil, usageErr("%v", err)
	}
	psrc, err := os.ReadFile(problemFile)
	if err != nil {
		return nil, nil, usageErr("%v", err)
	}
	d, err := pddl.ParseDomain(domainFile, dsrc)
	if err != nil {
		return nil, nil, usageErr("%v", err)
	}
	p, err := pddl.ParseProblem(problemFile, psrc)
	if err != nil {
		return nil, nil, usageErr("%v", err)
	}
	return d, p, nil
}
