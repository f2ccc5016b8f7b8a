package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/planner"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// planFlags are the options of "toolsmith plan".
type planFlags struct {
	apis, rules      []string
	request, emitDir string
	namespace        string
	json             bool
	opts             planner.Options
}

func newPlanCmd(a *app) *cobra.Command {
	var f planFlags
	cmd := &cobra.Command{
		Use:   "plan [--apis FILE...] --request FILE [--rules FILE.lp]... [--json]",
		Short: "Plan the API calls that serve a request, asking for missing values",
		Long: `Plan the API calls that serve a request. --apis reads the native registry
format, the NESTFUL specification format and OpenAPI 3 documents (format
detected from the content); without --apis the plan is made over the APIs
registered in the store (--namespace), with the namespace's stored policies
(toolsmith policy add) added to the rules. --request holds one request
{"query", "goals": ["Api.Name"], "known": {"slot" or "Api.input": value}}
or JSON lines, one plan printed per request ("-" reads stdin). --rules adds
ASP policies to the built-in rules (see examples/policies).

Exit codes: 0 when every plan has status ok or needs_info, 1 when one is
infeasible, 2 on invalid input (a request or specification that cannot be
read, a policy with a syntax error).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.plan(cmd.Context(), f, cmd.InOrStdin())
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.apis, "apis", nil, "API specification file (repeatable; default: the APIs in the store)")
	fl.StringVar(&f.namespace, "namespace", "", "registry namespace of the APIs when --apis is not given")
	fl.StringVar(&f.request, "request", "", "request file: one JSON request or JSON lines (- for stdin)")
	fl.StringArrayVar(&f.rules, "rules", nil, "ASP policy file added to the built-in rules (repeatable)")
	fl.BoolVar(&f.json, "json", false, "print the plan JSON (one line per request)")
	fl.StringVar(&f.emitDir, "emit-pddl", "", "also write each request's PDDL domain and problem into this directory")
	fl.Int64Var(&f.opts.AskCost, "ask-cost", 0, "cost of one get_info step (default: the namespace's cost.ask setting, else 5)")
	fl.Int64Var(&f.opts.ReadCost, "read-cost", 0, "cost of a read call (default: the namespace's cost.read setting, else 1; an API's own cost wins)")
	fl.Int64Var(&f.opts.WriteCost, "write-cost", 0, "cost of a write or destructive call (default: the namespace's cost.write setting, else 1)")
	fl.StringVar(&f.opts.Search, "search", "", "search: astar (optimal) or gbfs (greedy); default by task size")
	fl.StringVar(&f.opts.Heuristic, "heuristic", "", "heuristic: lmcut, ff, add, max or blind")
	return cmd
}

func (a *app) plan(ctx context.Context, f planFlags, stdin io.Reader) error {
	if f.request == "" {
		return usageErr("plan: --request is required")
	}
	var apis []registry.API
	if len(f.apis) == 0 {
		store, err := a.openStore(ctx)
		if err != nil {
			return storeErr("plan", err)
		}
		apis, err = store.ListAPIs(ctx, f.namespace)
		if err == nil { // the namespace's stored settings and policies apply to its APIs
			flags := f.opts
			f.opts, err = withNamespace(ctx, store, f.namespace, f.opts)
			// Costs given as flags win over the settings.
			f.opts.AskCost = cmp.Or(flags.AskCost, f.opts.AskCost)
			f.opts.ReadCost = cmp.Or(flags.ReadCost, f.opts.ReadCost)
			f.opts.WriteCost = cmp.Or(flags.WriteCost, f.opts.WriteCost)
		}
		store.Close()
		if err != nil {
			return storeErr("plan", err)
		}
		if len(apis) == 0 {
			return usageErr("plan: no --apis given and the store has no APIs (toolsmith api add FILE)")
		}
	}
	for _, name := range f.apis {
		data, err := os.ReadFile(name)
		if err != nil {
			return usageErr("plan: %v", err)
		}
		got, err := registry.ParseAPIs(name, data)
		if err != nil {
			return a.invalidSpec(f, err)
		}
		apis = append(apis, got...)
	}
	for _, name := range f.rules {
		data, err := os.ReadFile(name)
		if err != nil {
			return usageErr("plan: %v", err)
		}
		f.opts.Rules = append(f.opts.Rules, string(data))
		f.opts.RuleNames = append(f.opts.RuleNames, name)
	}
	p, err := planner.New(apis, f.opts)
	if err != nil {
		return a.invalidSpec(f, err)
	}
	var in io.Reader
	if f.request == "-" {
		in = stdin
	} else {
		file, err := os.Open(f.request)
		if err != nil {
			return usageErr("plan: %v", err)
		}
		defer file.Close()
		in = file
	}
	dec := json.NewDecoder(in)
	worst := 0
	for n := 1; ; n++ {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			if n == 1 {
				return usageErr("plan: %s holds no request", f.request)
			}
			break
		}
		var plan *planner.Plan
		if err != nil {
			plan = invalidPlan(fmt.Sprintf("request %d: %v", n, err))
		} else if req, perr := planner.ParseRequest(raw); perr != nil {
			plan = invalidPlan(fmt.Sprintf("request %d: %v", n, perr))
		} else {
			plan, err = p.Plan(ctx, req)
			var pe *planner.PolicyError
			if errors.As(err, &pe) {
				return usageErr("plan: %v", err)
			}
			if err != nil {
				return err
			}
			if f.emitDir != "" {
				if err := emitPDDL(ctx, p, req, f.emitDir, n); err != nil {
					return err
				}
			}
		}
		if n > 1 && !f.json {
			fmt.Fprintln(a.stdout)
		}
		if err := a.printPlan(plan, f.json); err != nil {
			return err
		}
		worst = max(worst, planExitCode(plan.Status))
		if err != nil { // the stream cannot be read past a syntax error
			break
		}
	}
	if worst != 0 {
		return exitWith(worst, "")
	}
	return nil
}

func planExitCode(s planner.Status) int {
	switch s {
	case planner.StatusInfeasible:
		return 1
	case planner.StatusInvalid:
		return 2
	}
	return 0
}

func invalidPlan(msg string) *planner.Plan {
	return &planner.Plan{Status: planner.StatusInvalid, Issues: []planner.Issue{{Kind: planner.IssueInvalid, Message: msg}}}
}

// invalidSpec reports an API specification that cannot be used: with --json
// as an invalid plan, otherwise as a one-line reason; exit code 2 either way.
func (a *app) invalidSpec(f planFlags, err error) error {
	if f.json {
		if perr := a.printPlan(invalidPlan(err.Error()), true); perr != nil {
			return perr
		}
		return exitWith(2, "")
	}
	return usageErr("plan: %v", err)
}

func (a *app) printPlan(p *planner.Plan, asJSON bool) error {
	if asJSON {
		data, err := json.Marshal(p)
		if err != nil {
			return err
		}
		data = append(data, '\n')
		_, err = a.stdout.Write(data)
		return err
	}
	_, err := io.WriteString(a.stdout, p.Text())
	return err
}

// emitPDDL writes the request's task as domain.pddl and problem.pddl (with
// the request's number in the names from the second request on).
func emitPDDL(ctx context.Context, p *planner.Planner, req planner.Request, dir string, n int) error {
	d, pr, _, err := p.Materialise(ctx, req)
	if errors.Is(err, planner.ErrNoTask) {
		return nil // settled before search: nothing to export
	}
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("emit-pddl: %w", err)
	}
	suffix := ""
	if n > 1 {
		suffix = fmt.Sprintf("-%d", n)
	}
	var db, pb bytes.Buffer
	db.WriteString(d.String())
	pb.WriteString(pr.String())
	if err := os.WriteFile(filepath.Join(dir, "domain"+suffix+".pddl"), db.Bytes(), 0o644); err != nil {
		return fmt.Errorf("emit-pddl: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "problem"+suffix+".pddl"), pb.Bytes(), 0o644); err != nil {
		return fmt.Errorf("emit-pddl: %w", err)
	}
	return nil
}
