package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/cmd/toolsmith/internal/progress"
	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/registry"
	"github.com/toolsmith-dev/toolsmith/sandbox"
	"github.com/toolsmith-dev/toolsmith/toolmaker"
)

func newToolMakeCmd(a *app) *cobra.Command {
	var (
		family, examples, description string
		train, valid                  int
		opts                          toolmaker.Options
		asJSON                        bool
	)
	cmd := &cobra.Command{
		Use:   "make --family NAME [--examples FILE.jsonl]",
		Short: "Make a verified tool for a task family (LATM: propose, verify, wrap)",
		Long: `Have the Maker model write a Go tool for a family of tasks, compile and verify it in
the sandbox (the Maker repairs it from the errors and failing examples), and register
it in the store as the family's tool (a new version when it exists).

--examples is a JSON-lines file of {"input": ..., "target": ...}: the first --train
examples are shown to the Maker, the next --valid (default: all the rest) verify the
tool. Without --examples the family's pending examples in the store are used (requests
"tool solve" could not route, answered by the Maker).

Exit status: 0 when a tool was made, 1 when the Maker did not produce a verified tool
(the family is marked failed with the reasons), 2 for bad input.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if family == "" {
				return usageErr("--family is required")
			}
			if !registry.ValidNamespace(opts.Namespace) {
				return usageErr("--namespace: %q is not a valid namespace", opts.Namespace)
			}
			if !registry.ValidName(family) {
				return usageErr("--family: %q is not a valid name", family)
			}
			var exs []registry.Example
			if examples != "" {
				var err error
				if exs, err = readExamples(examples); err != nil {
					return usageErr("--examples: %v", err)
				}
				if train < 1 || len(exs) < train+1 {
					return usageErr("--examples: %d examples; need --train %d and at least one to verify with", len(exs), train)
				}
			}
			ctx := cmd.Context()
			prog := progress.New(a.stderr)
			env, err := a.openToolmaker(ctx, withProgress(opts, prog), toolEnvOptions{})
			if err != nil {
				return err
			}
			defer env.Close()
			var tool *registry.Tool
			if examples != "" {
				f := toolmaker.Family{Name: family, Description: description, Train: exs[:train], Valid: exs[train:]}
				if valid > 0 && len(f.Valid) > valid {
					f.Valid = f.Valid[:valid]
				}
				tool, err = env.tm.Make(ctx, f)
			} else {
				tool, err = env.tm.MakeFamily(ctx, family)
			}
			prog.Done()
			var me *toolmaker.MakeError
			switch {
			case errors.As(err, &me):
				fmt.Fprintf(a.stderr, "no verified tool for %s after %d replies:\n", family, len(me.Reasons))
				for _, r := range me.Reasons {
					fmt.Fprintf(a.stderr, "  - %s\n", r)
				}
				return exitWith(1, "tool make: family %s marked failed", family)
			case errors.Is(err, toolmaker.ErrNoExamples), errors.Is(err, registry.ErrNotFound):
				return usageErr("tool make: %v", err)
			case err != nil:
				return storeErr("tool make", err)
			}
			if asJSON {
				return writeJSON(a.stdout, tool)
			}
			p := tool.Provenance
			fmt.Fprintf(a.stdout, "made %s version %d: verified on %d examples, %d maker replies, %d+%d tokens, %.4f USD, %s\n",
				tool.Name, tool.Version, tool.Verification.Passed, p.Attempts, p.PromptTokens, p.CompletionTokens, p.CostUSD, p.Duration.Round(time.Millisecond))
			fmt.Fprintf(a.stdout, "functions: %s\n", strings.Join(toolFuncs(tool), ", "))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&family, "family", "", "task family (the tool's name)")
	f.StringVar(&opts.Namespace, "namespace", registry.DefaultNamespace, "registry namespace of the tools, families and model spending")
	f.StringVar(&examples, "examples", "", "JSON-lines file of {\"input\", \"target\"} examples")
	f.StringVar(&description, "description", "", "what the family's tasks are")
	f.IntVar(&train, "train", 3, "examples shown to the Maker")
	f.IntVar(&valid, "valid", 0, "examples that verify the tool (0: all after the training ones)")
	f.IntVar(&opts.ProposeRounds, "propose-rounds", toolmaker.DefaultProposeRounds, "Maker replies allowed to fix compile errors and contract violations")
	f.IntVar(&opts.VerifyRounds, "verify-rounds", toolmaker.DefaultVerifyRounds, "Maker replies allowed to fix verification failures")
	f.DurationVar(&opts.Timeout, "timeout", toolmaker.DefaultTimeout, "time limit of each sandbox call")
	f.BoolVar(&asJSON, "json", false, "print the registered tool record as JSON")
	return cmd
}

// toolFuncs names a tool's contract functions.
func toolFuncs(t *registry.Tool) []string {
	fs := []string{t.Entry}
	if t.Parse != "" {
		fs = append([]string{t.Parse}, fs...)
	}
	if t.Format != "" {
		fs = append(fs, t.Format)
	}
	return fs
}

// readExamples reads a --examples file (see toolmaker.ReadExamples).
func readExamples(path string) ([]registry.Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return toolmaker.ReadExamples(path, f)
}

// toolEnv is what the tool-making commands open: store, models, sandbox
// pool and the Toolmaker over them.
type toolEnv struct {
	store  registry.Store
	models *llm.Models
	pool   *sandbox.Pool
	tm     *toolmaker.Toolmaker
}

// Close releases the pool and the store.
func (e *toolEnv) Close() {
	if e.pool != nil {
		e.pool.Close()
	}
	if e.store != nil {
		e.store.Close()
	}
}

// toolEnvOptions say how openToolmaker opens a toolEnv. The zero value
// opens the configured store and models and one sandbox worker per CPU.
type toolEnvOptions struct {
	// Workers is the number of sandbox worker processes (0: one per CPU).
	Workers int
	// ModelsOptional opens no models, instead of failing, when none is
	// configured: tools with a Parse function still answer.
	ModelsOptional bool
	// Store, when set, is used instead of the configured store (and closed
	// with the toolEnv).
	Store registry.Store
}

// openToolmaker opens the models (noting a scripted model on stderr), the
// store and a sandbox pool running this binary's sandbox-worker command, as
// eo says, and the Toolmaker over them.
func (a *app) openToolmaker(ctx context.Context, opts toolmaker.Options, eo toolEnvOptions) (*toolEnv, error) {
	if opts.ProposeRounds < 1 || opts.VerifyRounds < 1 {
		return nil, usageErr("--propose-rounds and --verify-rounds must be at least 1")
	}
	if opts.Timeout <= 0 {
		return nil, usageErr("--timeout must be positive")
	}
	ms, err := a.openModels(ctx)
	if err != nil {
		// openModels reports a usage error; ask llm.Open (on this path
		// only) whether the cause is that no model is configured, in
		// which case tools with Parse still answer.
		if _, oerr := llm.Open(ctx, a.modelConfig(os.Getenv)); !eo.ModelsOptional || !errors.Is(oerr, llm.ErrNoModel) {
			return nil, err
		}
	}
	a.noteScripted(ms)
	env := &toolEnv{models: ms, store: eo.Store}
	if env.store == nil {
		if env.store, err = a.openStore(ctx); err != nil {
			return nil, storeErr("open store", err)
		}
	}
	env.pool, err = sandbox.NewPool(ctx, sandbox.Options{Workers: eo.Workers, Timeout: opts.Timeout})
	if err != nil {
		env.Close()
		return nil, exitWith(1, "sandbox: %v", err)
	}
	env.tm = toolmaker.New(env.store, env.pool, ms, opts)
	return env, nil
}

// withProgress returns opts reporting making events to p.
func withProgress(opts toolmaker.Options, p *progress.Display) toolmaker.Options {
	opts.Progress = func(e toolmaker.Event) {
		p.Line(fmt.Sprintf("%s: reply %d %s: %s", e.Family, e.Round, e.Stage, e.Message))
	}
	return opts
}

// writeJSON prints v as indented JSON: the --json output of every command
// here that prints a report.
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return exitWith(1, "%v", err)
	}
	fmt.Fprintln(w, string(b))
	return nil
}
