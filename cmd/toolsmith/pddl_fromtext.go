package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/eval/llmp"
	"github.com/toolsmith-dev/toolsmith/planner/pddl"
	"github.com/toolsmith-dev/toolsmith/planner/search"
)

// exitNoProblem is the exit code of "pddl from-text" when no reply of the
// model parsed and checked within the repairs.
const exitNoProblem = 12

// fromTextFlags are the options of "pddl from-text".
type fromTextFlags struct {
	domain, exampleText, examplePDDL string
	problemFile, planFile            string
	words, json                      bool
	repairs                          int
	search                           search.Options
}

// fromTextResult is the --json document of "pddl from-text".
type fromTextResult struct {
	ProblemPDDL string           `json:"problem_pddl"`
	Replies     int              `json:"replies"`
	Rejected    []llmp.Rejection `json:"rejected,omitempty"`
	// Status is "solved", "unsolvable", "limit" or "invalid" (no reply
	// parsed and checked).
	Status string      `json:"status"`
	Reason string      `json:"reason,omitempty"`
	Plan   []string    `json:"plan,omitempty"`
	Cost   *int64      `json:"cost,omitempty"`
	Words  *llmp.Words `json:"words,omitempty"`
}

func newPDDLFromTextCmd(a *app) *cobra.Command {
	var fl fromTextFlags
	cmd := &cobra.Command{
		Use:   "from-text --domain D.pddl [--example-text F --example-pddl F] PROBLEM.nl",
		Short: "LLM+P: the model writes the problem PDDL for a problem in words, the planner solves it",
		Long: `Translate a planning problem described in natural language (PROBLEM.nl, "-" for
standard input) into a PDDL problem of the domain D.pddl with the translator
model, as LLM+P does: the model sees the domain and, with --example-text and
--example-pddl, one solved example. A reply that does not parse or check
against the domain goes back to the model with its errors, at most --repairs
times. The planner then solves the problem (--search, --heuristic, --timeout
as for pddl plan).

Output: the problem PDDL (or into --problem-file), a blank line, and the plan
in IPC format (or into --plan-file); with --words the plan follows in
sentences, from a second prompt to the model, or from the plan's own words
when the model fails (stderr says so). Rejected replies and search statistics
go to stderr. --json prints {"problem_pddl", "replies", "rejected", "status",
"reason", "plan", "cost", "words"} instead.

Exit codes: 0 plan found, 10 proven unsolvable, 11 a limit was reached, 12 no
reply parsed and checked within the repairs, 1 the model failed, 2 bad input
(including an example that does not check against the domain).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.pddlFromText(cmd, args[0], fl)
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.domain, "domain", "", "the domain, in PDDL (required)")
	f.StringVar(&fl.exampleText, "example-text", "", "a solved example: the problem in words (with --example-pddl)")
	f.StringVar(&fl.examplePDDL, "example-pddl", "", "a solved example: its problem PDDL (with --example-text)")
	f.BoolVar(&fl.words, "words", false, "also tell the plan in sentences")
	f.IntVar(&fl.repairs, "repairs", llmp.DefaultRepairs, "times a reply with errors goes back to the model (negative: none)")
	f.StringVar(&fl.problemFile, "problem-file", "", "write the problem PDDL to this file instead of stdout")
	f.StringVar(&fl.planFile, "plan-file", "", "write the plan to this file instead of stdout")
	f.StringVar(&fl.search.Search, "search", "lama", "search algorithm: lama, lazy, gbfs, wastar or astar")
	f.StringVar(&fl.search.Heuristic, "heuristic", "", "heuristic for searches other than lama (see pddl plan)")
	f.DurationVar(&fl.search.Timeout, "timeout", 0, "give up the search after this long (0: no limit)")
	f.BoolVar(&fl.json, "json", false, "print one JSON document")
	return cmd
}

// readFromText reads the domain, the example and the problem text; every
// failure is bad input.
func readFromText(stdin io.Reader, fl fromTextFlags, problem string) (llmp.Request, error) {
	var req llmp.Request
	if fl.domain == "" {
		return req, usageErr("--domain is required")
	}
	if (fl.exampleText == "") != (fl.examplePDDL == "") {
		return req, usageErr("--example-text and --example-pddl go together")
	}
	src, err := os.ReadFile(fl.domain)
	if err != nil {
		return req, usageErr("%v", err)
	}
	req.DomainPDDL = string(src)
	if req.Domain, err = pddl.ParseDomain(fl.domain, src); err != nil {
		return req, usageErr("%v", err)
	}
	if fl.exampleText != "" {
		text, err := os.ReadFile(fl.exampleText)
		if err != nil {
			return req, usageErr("%v", err)
		}
		ex, err := os.ReadFile(fl.examplePDDL)
		if err != nil {
			return req, usageErr("%v", err)
		}
		if _, _, errs := llmp.CheckProblem(req.Domain, fl.examplePDDL, string(ex)); errs != nil {
			return req, usageErr("--example-pddl does not check against the domain, and a solved example must be right: %s", strings.Join(errs, "; "))
		}
		req.Example = &llmp.Example{Text: string(text), PDDL: string(ex)}
	}
	var text []byte
	if problem == "-" {
		text, err = io.ReadAll(stdin)
	} else {
		text, err = os.ReadFile(problem)
	}
	if err != nil {
		return req, usageErr("%v", err)
	}
	if strings.TrimSpace(string(text)) == "" {
		return req, usageErr("the problem text is empty")
	}
	req.Text = string(text)
	return req, nil
}

func (a *app) pddlFromText(cmd *cobra.Command, problem string, fl fromTextFlags) error {
	req, err := readFromText(cmd.InOrStdin(), fl, problem)
	if err != nil {
		return err
	}
	if err := llmp.CheckOptions(fl.search); err != nil {
		return usageErr("%v", err)
	}
	ctx := cmd.Context()
	models, err := a.openModels(ctx)
	if err != nil {
		return err
	}
	a.noteScripted(models)
	tr := &llmp.Translator{Model: models.Translator, Repairs: fl.repairs}
	res, err := tr.Translate(ctx, req)
	for _, r := range res.Rejected {
		fmt.Fprintf(a.stderr, "; reply %d rejected:\n;   %s\n", r.Reply, strings.Join(r.Errors, "\n;   "))
	}
	out := fromTextResult{ProblemPDDL: res.PDDL, Replies: res.Replies, Rejected: res.Rejected}
	var inv *llmp.InvalidError
	switch {
	case errors.As(err, &inv):
		out.Status = "invalid"
		if fl.json {
			if werr := writeJSON(a.stdout, out); werr != nil {
				return werr
			}
		}
		return exitWith(exitNoProblem, "pddl from-text: no reply of the model parsed and checked in %d replies", inv.Replies)
	case err != nil:
		return exitWith(1, "pddl from-text: %v", err)
	}
	fmt.Fprintf(a.stderr, "; problem written in %d replies (repairs: %d)\n", res.Replies, res.Repairs())
	plan, err := llmp.Solve(ctx, res.Task, fl.search)
	if err != nil {
		return exitWith(1, "pddl from-text: %v", err)
	}
	st := plan.Stats
	fmt.Fprintf(a.stderr, "; search %s: expanded %d, evaluated %d, generated %d\n", ms(st.Time), st.Expanded, st.Evaluated, st.Generated)
	out.Status, out.Reason = plan.Status.String(), plan.Reason
	if plan.Status == search.Solved {
		out.Cost = &plan.Cost
		for _, s := range plan.Steps {
			out.Plan = append(out.Plan, s.String())
		}
		if fl.words {
			w := tr.Describe(ctx, req.Text, plan.Steps)
			out.Words = &w
			if !w.ByModel {
				fmt.Fprintf(a.stderr, "; words: the plan's own (%s)\n", w.Note)
			}
		}
	}
	if fl.json {
		if err := writeJSON(a.stdout, out); err != nil {
			return err
		}
	} else if err := a.writeFromText(fl, res.PDDL, plan, out.Words); err != nil {
		return err
	}
	switch plan.Status {
	case search.Unsolvable:
		return exitWith(exitPlanUnsolvable, "the problem the model wrote is proven unsolvable")
	case search.Limit:
		return exitWith(exitPlanLimit, "limit reached (%s)", plan.Reason)
	}
	return nil
}

// writeFromText prints the problem, the plan and the words, or writes the
// first two into their files.
func (a *app) writeFromText(fl fromTextFlags, problemPDDL string, plan *llmp.Plan, words *llmp.Words) error {
	problemPDDL = strings.TrimSpace(problemPDDL) + "\n"
	if fl.problemFile != "" {
		if err := os.WriteFile(fl.problemFile, []byte(problemPDDL), 0o644); err != nil {
			return exitWith(1, "writing the problem: %v", err)
		}
	} else {
		fmt.Fprint(a.stdout, problemPDDL)
	}
	if plan.Status != search.Solved {
		return nil
	}
	text := pddl.FormatPlan(plan.Steps, plan.Cost, plan.UsesCost)
	if fl.planFile != "" {
		if err := os.WriteFile(fl.planFile, []byte(text), 0o644); err != nil {
			return exitWith(1, "writing the plan: %v", err)
		}
	} else {
		if fl.problemFile == "" {
			fmt.Fprintln(a.stdout)
		}
		fmt.Fprint(a.stdout, text)
	}
	if words != nil {
		fmt.Fprintln(a.stdout)
		for i, s := range words.Sentences {
			fmt.Fprintf(a.stdout, "%d. %s\n", i+1, s)
		}
	}
	return nil
}
