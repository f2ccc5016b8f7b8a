package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/agent"
	"github.com/toolsmith-dev/toolsmith/agent/plugin"
	"github.com/toolsmith-dev/toolsmith/cmd/toolsmith/internal/progress"
	"github.com/toolsmith-dev/toolsmith/mcp"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// agentFlags are the options shared by the commands that run the agent.
type agentFlags struct {
	apis, rules []string
	namespace   string
	approve     bool
}

func (f *agentFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.apis, "apis", nil, "API specification file (repeatable; default: the APIs in the store)")
	fl.StringArrayVar(&f.rules, "rules", nil, "ASP policy file added to the planner's rules (repeatable)")
	fl.StringVar(&f.namespace, "namespace", "", "registry namespace of the APIs and sessions")
	fl.BoolVar(&f.approve, "approve", false, "show each plan and wait for approval before calling any API")
}

// readAPIFiles reads API specifications in any format the registry imports.
func readAPIFiles(files []string) ([]registry.API, error) {
	var apis []registry.API
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		got, err := registry.ParseAPIs(name, data)
		if err != nil {
			return nil, err
		}
		apis = append(apis, got...)
	}
	return apis, nil
}

// agentOptions resolves the flags, opens the models (saying so when they are
// scripted) and the store: the options of an agent, and the store itself
// (which the commands also use beyond the agent's needs). The caller closes
// the store.
func (a *app) agentOptions(ctx context.Context, cmd string, f *agentFlags) (agent.Options, registry.Store, error) {
	opts, err := f.options()
	if err != nil {
		return opts, nil, err
	}
	ms, err := a.openModels(ctx)
	if err != nil {
		return opts, nil, err
	}
	a.noteScripted(ms)
	store, err := a.openStore(ctx)
	if err != nil {
		return opts, nil, storeErr(cmd, err)
	}
	opts.Store, opts.Models = store, ms
	if opts.APIs == nil { // planning over the store: its namespace's policies apply
		if opts.Planner, err = withNamespace(ctx, store, opts.Namespace, opts.Planner); err != nil {
			store.Close()
			return opts, nil, storeErr(cmd, err)
		}
	}
	return opts, store, nil
}

// options resolves the flags into agent options without store or models.
func (f *agentFlags) options() (agent.Options, error) {
	opts := agent.Options{
		Namespace: f.namespace,
		Approve:   f.approve,
		Invokers: map[registry.BindingKind]agent.Invoker{
			registry.BindPlugin: &plugin.Invoker{},
			registry.BindMCP:    &mcp.Invoker{Version: version},
		},
	}
	if len(f.apis) > 0 {
		apis, err := readAPIFiles(f.apis)
		if err != nil {
			return opts, usageErr("--apis: %v", err)
		}
		opts.APIs = apis
	}
	for _, name := range f.rules {
		data, err := os.ReadFile(name)
		if err != nil {
			return opts, usageErr("--rules: %v", err)
		}
		opts.Planner.Rules = append(opts.Planner.Rules, string(data))
		opts.Planner.RuleNames = append(opts.Planner.RuleNames, name)
	}
	return opts, nil
}

func newChatCmd(a *app) *cobra.Command {
	var f agentFlags
	var session string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "chat [--apis FILE]... [--rules FILE.lp]... [--session ID]",
		Short: "Talk to the agent: it plans API calls, asks for what is missing, and answers",
		Long: `Talk to the agent in a read-eval-print loop. Each line is a message; the
agent plans the API calls that serve it, asks for missing values (answer them
in any order, several in one message, or change an earlier answer), asks
before calls with side effects, and answers from the results.

Commands: /plan (the current plan), /tools (the APIs), /cost (model usage and
cost), /history (the session's events), /reset (start over), /quit.
The session is kept in the store: --session resumes it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			opts, store, err := a.agentOptions(ctx, "chat", &f)
			if err != nil {
				return err
			}
			defer store.Close()
			tools := &toolRouter{store: store, models: opts.Models, namespace: f.namespace}
			defer tools.Close()
			opts.Tools = tools
			ag, err := agent.New(ctx, opts)
			if err != nil {
				return usageErr("chat: %v", err)
			}
			if session == "" {
				session = newSessionID()
			}
			r := &repl{a: a, ag: ag, session: session, json: asJSON, spin: progress.IsTerminal(a.stderr) && progress.IsTerminal(a.stdin)}
			return r.run(ctx, cmd.InOrStdin())
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&session, "session", "", "session id to resume (default: a new one)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print each reply as a JSON line")
	return cmd
}

// newSessionID returns a random session id.
func newSessionID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// repl is the chat loop.
type repl struct {
	a       *app
	ag      *agent.Agent
	session string
	json    bool
	spin    bool
}

func (r *repl) run(ctx context.Context, in io.Reader) error {
	out := r.a.stdout
	if !r.json {
		fmt.Fprintf(out, "session %s — /plan /tools /cost /history /reset /quit\n", r.session)
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for {
		if !r.json {
			fmt.Fprint(out, "you> ")
		}
		if !sc.Scan() {
			if !r.json {
				fmt.Fprintln(out)
			}
			return sc.Err()
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "/") {
			if quit, err := r.command(ctx, line); quit || err != nil {
				return err
			}
			continue
		}
		stop := r.spinner()
		reply, err := r.ag.Turn(ctx, r.session, line)
		stop()
		if err != nil {
			fmt.Fprintf(r.a.stderr, "error: %v\n", err)
			continue
		}
		r.print(reply)
	}
}

func (r *repl) print(reply *agent.Reply) {
	out := r.a.stdout
	if r.json {
		json.NewEncoder(out).Encode(reply)
		return
	}
	for _, c := range reply.Calls {
		if c.Error != "" {
			fmt.Fprintf(out, "  call %s failed: %s\n", c.API, c.Error)
		} else {
			fmt.Fprintf(out, "  call %s %s\n", c.API, compactJSON(c.Args))
		}
	}
	fmt.Fprintf(out, "toolsmith> %s\n", reply.Text)
}

func compactJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// command runs a slash command; quit reports /quit.
func (r *repl) command(ctx context.Context, line string) (quit bool, err error) {
	out := r.a.stdout
	switch strings.Fields(line)[0] {
	case "/quit", "/exit":
		return true, nil
	case "/plan":
		st, err := r.ag.State(ctx, r.session)
		if err != nil || st.Plan == nil {
			fmt.Fprintln(out, "no plan yet")
			return false, nil
		}
		fmt.Fprint(out, st.Plan.Text())
	case "/tools":
		for _, api := range r.ag.APIs() {
			fmt.Fprintf(out, "  %s — %s\n", api.Name, api.Description)
		}
	case "/cost":
		if err := r.ag.Models().Meter.WriteTable(out); err != nil {
			return false, err
		}
	case "/history":
		// The whole history, page by page (the state keeps only the
		// latest events).
		for from := 0; from >= 0; {
			events, next, err := r.ag.History(ctx, r.session, from, 200)
			if err != nil {
				fmt.Fprintln(out, "no history yet")
				return false, nil
			}
			for _, e := range events {
				fmt.Fprintf(out, "  %s %-9s %s\n", e.At.Format(time.TimeOnly), e.Kind, e.Data)
			}
			from = next
		}
	case "/reset":
		if err := r.ag.Reset(ctx, r.session); err != nil {
			return false, err
		}
		r.session = newSessionID()
		fmt.Fprintf(out, "new session %s\n", r.session)
	default:
		fmt.Fprintln(out, "commands: /plan /tools /cost /history /reset /quit")
	}
	return false, nil
}

// spinner shows progress on stderr while the agent works, when it is a
// terminal; the returned function stops it.
func (r *repl) spinner() func() {
	if !r.spin {
		return func() {}
	}
	return progress.Spin(r.a.stderr)
}
