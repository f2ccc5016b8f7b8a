package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/registry"
	"github.com/toolsmith-dev/toolsmith/toolmaker"
)

func newToolSolveCmd(a *app) *cobra.Command {
	var (
		family string
		opts   toolmaker.Options
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   `solve [--family NAME] "input"`,
		Short: "Answer a request with a cached tool (dispatch, then Parse or the User model)",
		Long: `Answer one request ("-" reads it from standard input). Without --family the
Dispatcher model picks a cached tool among those the relevance search finds, or says
unknown. A tool with Parse answers with no model call; otherwise the User model calls
the tool by function calling, with one retry after a tool error, and then the Maker
answers directly (the answer is flagged). A request no tool serves is answered by the
Maker and kept as a pending example of its family; once --auto-make examples have
gathered, a tool is made for the family.

The answer is printed on stdout; how it was found, and its cost by role, on stderr.
--json prints {"request", "answer", "path", "family", "tool", "version", "flagged",
"notes", "pending", "made", "usage", "duration_ns"}.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			input := args[0]
			if input == "-" {
				b, err := io.ReadAll(cmd.InOrStdin())
				if err != nil {
					return usageErr("read stdin: %v", err)
				}
				input = string(b)
			}
			if strings.TrimSpace(input) == "" {
				return usageErr("the request is empty")
			}
			if !registry.ValidNamespace(opts.Namespace) {
				return usageErr("--namespace: %q is not a valid namespace", opts.Namespace)
			}
			if family != "" && !registry.ValidName(family) {
				return usageErr("--family: %q is not a valid name", family)
			}
			ctx := cmd.Context()
			env, err := a.openToolmaker(ctx, opts, toolEnvOptions{Workers: 1, ModelsOptional: true})
			if err != nil {
				return err
			}
			defer env.Close()
			ans, err := env.tm.Solve(ctx, input, family)
			if err != nil {
				if env.models == nil {
					// A model is needed and none is configured: a usage
					// error, like every other command's missing model.
					return usageErr("tool solve: %v (%v)", err, llm.ErrNoModel)
				}
				return storeErr("tool solve", err)
			}
			if asJSON {
				return writeJSON(a.stdout, ans)
			}
			fmt.Fprintln(a.stdout, ans.Text)
			a.describeAnswer(ans)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&family, "family", "", "use this family's tool (no dispatch)")
	f.StringVar(&opts.Namespace, "namespace", registry.DefaultNamespace, "registry namespace of the tools, families and model spending")
	f.IntVar(&opts.AutoMake, "auto-make", toolmaker.DefaultAutoMake, "make a family's tool once it has this many answered pending examples (negative: never)")
	f.IntVar(&opts.ProposeRounds, "propose-rounds", toolmaker.DefaultProposeRounds, "Maker replies allowed to fix compile errors when a tool is made")
	f.IntVar(&opts.VerifyRounds, "verify-rounds", toolmaker.DefaultVerifyRounds, "Maker replies allowed to fix verification failures when a tool is made")
	f.DurationVar(&opts.Timeout, "timeout", toolmaker.DefaultTimeout, "time limit of each sandbox call")
	f.BoolVar(&opts.ParseDispatch, "parse-dispatch", false, "route a request without the Dispatcher when exactly one candidate tool's Parse accepts it")
	f.BoolVar(&asJSON, "json", false, "print the answer and its accounting as JSON")
	return cmd
}

// describeAnswer prints how an answer was found and what it cost, on stderr.
func (a *app) describeAnswer(ans toolmaker.Answer) {
	switch {
	case ans.Tool != "" && !ans.Flagged:
		fmt.Fprintf(a.stderr, "answered by tool %s v%d via %s", ans.Tool, ans.Version, ans.Path)
	case ans.Flagged:
		fmt.Fprintf(a.stderr, "FLAGGED: tool %s failed; the Maker answered directly", ans.Tool)
	default:
		fmt.Fprintf(a.stderr, "no tool for this request: the Maker answered; kept as a pending example of family %s", ans.Family)
	}
	u := ans.Usage
	fmt.Fprintf(a.stderr, "; %d model calls", u.Calls)
	for _, role := range llm.Roles() {
		ru, ok := u.ByRole[role]
		if !ok {
			continue
		}
		fmt.Fprintf(a.stderr, ", %s %d (%d tokens)", role, ru.Calls, ru.InputTokens+ru.OutputTokens)
	}
	fmt.Fprintf(a.stderr, "; %.6f USD\n", u.Cost)
	for _, n := range ans.Notes {
		fmt.Fprintf(a.stderr, "  note: %s\n", n)
	}
	if ans.Made != "" {
		fmt.Fprintf(a.stderr, "made tool %s for family %s\n", ans.Made, ans.Family)
	}
}
