package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
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
				if exs, err = tmReadExamples(examples); err != nil {
					return usageErr("--examples: %v", err)
				}
				if train < 1 || len(exs) < train+1 {
					return usageErr("--examples: %d examples; need --train %d and at least one to verify with", len(exs), train)
				}
			}
			ctx := cmd.Context()
			prog := newTMProgress(a.stderr)
			env, err := a.openToolmaker(ctx, tmWithProgress(opts, prog), 0, false)
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
			fmt.Fprintf(a.stdout, "functions: %s\n", strings.Join(tmToolFuncs(tool), ", "))
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

// tmToolFuncs names a tool's contract functions.
func tmToolFuncs(t *registry.Tool) []string {
	fs := []string{t.Entry}
	if t.Parse != "" {
		fs = append([]string{t.Parse}, fs...)
	}
	if t.Format != "" {
		fs = append(fs, t.Format)
	}
	return fs
}

// tmReadExamples reads a JSON-lines file of {"input", "target"} objects.
func tmReadExamples(path string) ([]registry.Example, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var exs []registry.Example
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var ex registry.Example
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&ex); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, n, err)
		}
		if strings.TrimSpace(ex.Input) == "" || strings.TrimSpace(ex.Target) == "" {
			return nil, fmt.Errorf("%s:%d: an example needs an input and a target", path, n)
		}
		exs = append(exs, ex)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(exs) == 0 {
		return nil, fmt.Errorf("%s: no examples", path)
	}
	return exs, nil
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

// openToolmaker opens the models (noting a scripted model on stderr; with
// modelsOptional, none when none is configured), the store (or the given
// one) and a sandbox pool of workers (0: one per CPU) running this binary's
// sandbox-worker command.
func (a *app) openToolmaker(ctx context.Context, opts toolmaker.Options, workers int, modelsOptional bool, store ...registry.Store) (*toolEnv, error) {
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
		if _, oerr := llm.Open(ctx, a.modelConfig(os.Getenv)); !modelsOptional || !errors.Is(oerr, llm.ErrNoModel) {
			return nil, err
		}
	}
	a.noteScripted(ms)
	env := &toolEnv{models: ms}
	if len(store) > 0 {
		env.store = store[0]
	} else if env.store, err = a.openStore(ctx); err != nil {
		return nil, storeErr("open store", err)
	}
	env.pool, err = sandbox.NewPool(ctx, sandbox.Options{Workers: workers, Timeout: opts.Timeout})
	if err != nil {
		env.Close()
		return nil, exitWith(1, "sandbox: %v", err)
	}
	env.tm = toolmaker.New(env.store, env.pool, ms, opts)
	return env, nil
}

// tmWithProgress returns opts reporting making events to p.
func tmWithProgress(opts toolmaker.Options, p *tmProgress) toolmaker.Options {
	opts.Progress = func(e toolmaker.Event) {
		p.Line(fmt.Sprintf("%s: reply %d %s: %s", e.Family, e.Round, e.Stage, e.Message))
	}
	return opts
}

// tmProgress shows progress on stderr: a spinner line redrawn in place when
// stderr is a terminal, plain lines otherwise.
type tmProgress struct {
	mu    sync.Mutex
	w     io.Writer
	tty   bool
	frame int
	drawn bool
	last  time.Time
}

func newTMProgress(w io.Writer) *tmProgress {
	tty := false
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &tmProgress{w: w, tty: tty}
}

// tmSpinner holds the spinner's frames.
const tmSpinner = `|/-\`

// Line reports one step.
func (p *tmProgress) Line(msg string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.tty {
		fmt.Fprintln(p.w, msg)
		return
	}
	p.frame++
	fmt.Fprintf(p.w, "\r\033[K%c %s", tmSpinner[p.frame%len(tmSpinner)], tmTrim(msg, 100))
	p.drawn = true
}

// Bar reports done of total: a bar on a terminal (redrawn at most every
// 100 ms), a plain line at every tenth otherwise.
func (p *tmProgress) Bar(label string, done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if total <= 0 {
		return
	}
	if !p.tty {
		step := max(1, total/10)
		if done%step == 0 || done == total {
			fmt.Fprintf(p.w, "%s %d/%d\n", label, done, total)
		}
		return
	}
	if done != total && time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	const width = 30
	fill := width * done / total
	fmt.Fprintf(p.w, "\r\033[K%s [%s%s] %d/%d", label, strings.Repeat("=", fill), strings.Repeat(" ", width-fill), done, total)
	p.drawn = true
}

// Done ends a redrawn line.
func (p *tmProgress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty && p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}

// tmTrim cuts s to n bytes on one line.
func tmTrim(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
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
