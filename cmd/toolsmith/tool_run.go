package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/sandbox"
)

func newToolRunCmd(a *app) *cobra.Command {
	var (
		file, fn, args, memory string
		timeout                time.Duration
		asJSON, unsafe, strict bool
	)
	cmd := &cobra.Command{
		Use:   "run --file F.go [--func NAME] [--args JSON]",
		Short: "Run Go source in the sandbox",
		Long: `Run a tool (one Go file) in a sandbox worker process and print the result.

--func names the exported function to call; without it a package main is run
as a program, and otherwise the file must have exactly one exported function.
--args is a JSON object keyed by parameter name or a JSON array in parameter
order. With --json the sandbox result document is printed:
  {"ok": true, "result": ..., "stdout": "...", "duration_ms": N, "confinement": {...}}
  {"ok": false, "error": {"kind": "...", "message": "..."}, "confinement": {...}}
"confinement" lists the operating-system layers that confined the worker
(see "toolsmith config --check"); a missing layer is also reported on
stderr, and --require-confinement refuses to run the tool at all then.

--unsafe-no-allowlist gives the tool the whole standard library (os,
os/exec, net, syscall, unsafe, reflect...) so that the operating-system
layers can be tested on their own. It is for testing the sandbox with code
you wrote to attack it; nothing else in toolsmith (serve, chat, the tool
maker, any API) can turn the allow-list off.
Exit status: 0 when the call succeeded, 1 when the tool failed, 2 for bad input.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if file == "" {
				return usageErr("--file is required")
			}
			src, err := os.ReadFile(file)
			if err != nil {
				return usageErr("%v", err)
			}
			var raw json.RawMessage
			if s := strings.TrimSpace(args); s != "" {
				if !json.Valid([]byte(s)) || (s[0] != '{' && s[0] != '[') {
					return usageErr("--args must be a JSON object or array")
				}
				raw = json.RawMessage(s)
			}
			mem, err := parseBytes(memory)
			if err != nil {
				return usageErr("--memory: %v", err)
			}
			if timeout <= 0 {
				return usageErr("--timeout must be positive")
			}
			if mem < sandbox.MinMemoryBytes {
				return usageErr("--memory: %d bytes is below the minimum of %d (32MiB)", mem, sandbox.MinMemoryBytes)
			}
			if unsafe {
				fmt.Fprintln(a.stderr, "toolsmith: warning: --unsafe-no-allowlist: the tool gets the whole standard library (files, processes, network, syscall, unsafe); only the operating system's confinement stands between it and this machine")
			}
			ctx := cmd.Context()
			pool, err := sandbox.NewPool(ctx, sandbox.Options{Workers: 1, Timeout: timeout, MemoryBytes: mem,
				UnsafeNoAllowList: unsafe, RequireConfinement: strict})
			if err != nil {
				return exitWith(1, "%v", err)
			}
			defer pool.Close()
			res, err := pool.Run(ctx, sandbox.Call{Source: string(src), Func: fn, Args: raw})
			if err != nil {
				return exitWith(1, "%v", err)
			}
			warnMissingLayers(a, res.Confinement)
			if asJSON {
				b, err := json.Marshal(res)
				if err != nil {
					return exitWith(1, "%v", err)
				}
				fmt.Fprintln(a.stdout, string(b))
			} else {
				printResult(a, res)
			}
			if !res.OK {
				return exitWith(1, "")
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&file, "file", "", "the tool's Go source file")
	f.StringVar(&fn, "func", "", "exported function to call")
	f.StringVar(&args, "args", "", "arguments: a JSON object keyed by parameter name, or a JSON array")
	f.DurationVar(&timeout, "timeout", sandbox.DefaultTimeout, "time limit of the call")
	f.StringVar(&memory, "memory", strconv.Itoa(sandbox.DefaultMemoryBytes), "memory budget in bytes (suffixes KiB, MiB, GiB accepted)")
	f.BoolVar(&asJSON, "json", false, "print the sandbox result JSON")
	f.BoolVar(&unsafe, "unsafe-no-allowlist", false, "give the tool the whole standard library, to test the operating-system confinement alone")
	f.BoolVar(&strict, "require-confinement", false, "refuse to run the tool when a confinement layer is missing on this machine")
	return cmd
}

// checkConfinement starts a sandbox worker that must have every
// confinement layer; the error names the missing ones.
func checkConfinement(ctx context.Context) error {
	pool, err := sandbox.NewPool(ctx, sandbox.Options{Workers: 1, RequireConfinement: true})
	if err != nil {
		return err
	}
	return pool.Close()
}

// warnMissingLayers says on stderr which confinement layers did not
// confine a call: a sandbox never degrades silently.
func warnMissingLayers(a *app, c *sandbox.Confinement) {
	if c == nil {
		return
	}
	var miss []string
	for _, s := range c.Layers {
		if !s.Active {
			miss = append(miss, fmt.Sprintf("%s (%s)", s.Layer, s.Detail))
		}
	}
	if len(miss) > 0 {
		fmt.Fprintf(a.stderr, "toolsmith: warning: the sandbox lacks %d of %d confinement layers: %s\n", len(miss), len(c.Layers), strings.Join(miss, "; "))
	}
}

// printResult prints a result for people: the tool's output, then the
// result value (indented JSON) or the error.
func printResult(a *app, res sandbox.Result) {
	if res.Stdout != "" {
		fmt.Fprint(a.stdout, res.Stdout)
		if !strings.HasSuffix(res.Stdout, "\n") {
			fmt.Fprintln(a.stdout)
		}
	}
	if res.Stderr != "" {
		fmt.Fprint(a.stderr, res.Stderr)
	}
	if !res.OK {
		fmt.Fprintf(a.stdout, "error (%s): %s\n", res.Error.Kind, res.Error.Message)
		return
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, res.Result, "", "  "); err != nil {
		buf.Reset()
		buf.Write(res.Result)
	}
	fmt.Fprintf(a.stdout, "result: %s\n(%.3g ms)\n", buf.String(), res.DurationMS)
}

// parseBytes reads a byte count with an optional binary suffix.
func parseBytes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a positive byte count", s)
	}
	return n * mult, nil
}
