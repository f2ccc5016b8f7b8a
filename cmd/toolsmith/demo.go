package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/toolsmith-dev/toolsmith/agent"
	"github.com/toolsmith-dev/toolsmith/examples/bigbench"
	"github.com/toolsmith-dev/toolsmith/examples/policies"
	"github.com/toolsmith-dev/toolsmith/examples/travel"
	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/planner"
	"github.com/toolsmith-dev/toolsmith/registry"
	"github.com/toolsmith-dev/toolsmith/sandbox"
	"github.com/toolsmith-dev/toolsmith/toolmaker"
)

// demoScene is one scene's record, for --json.
type demoScene struct {
	Name       string          `json:"name"`
	Transcript []demoLine      `json:"transcript"`
	Plans      []*planner.Plan `json:"plans,omitempty"`
	Cost       llm.Totals      `json:"cost"`
	OK         bool            `json:"ok"`
}

type demoLine struct {
	Who  string `json:"who"`
	Text string `json:"text"`
}

// demo runs the scenes, printing as it goes (unless JSON is wanted).
type demo struct {
	a      *app
	json   bool
	out    io.Writer
	scenes []*demoScene
	cur    *demoScene
}

func newDemoCmd(a *app) *cobra.Command {
	var asJSON bool
	var scene string
	cmd := &cobra.Command{
		Use:   "demo [--scene travel|policy|tools|all] [--json]",
		Short: "Run the offline demo: a get_info conversation, a policy changing a plan, a tool made and used",
		Long: `Run the offline demo on the scripted model (replies written for the demo,
embedded in the binary) and a throw-away embedded store: nothing to set up,
no network, nothing left behind.

  travel  "Book me a rental car in San Diego from Oct 5 for 3 days": the agent
          asks for the missing pickup time, the (scripted) user answers, the
          plan runs against the example's mock APIs, and the agent answers.
  policy  a team's ASP policy ("international flights need a passport
          number") changes the plan for the same request.
  tools   a tool is made for a BIG-Bench task (the Maker's first reply does not
          compile and is repaired), verified in the sandbox, and used on new
          inputs with no model call at all.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d := &demo{a: a, json: asJSON, out: a.stdout}
			if asJSON {
				d.out = io.Discard
			}
			scenes := map[string]func(context.Context, registry.Store) error{
				"travel": d.travel, "policy": d.policy, "tools": d.tools,
			}
			order := []string{"travel", "policy", "tools"}
			if scene != "all" {
				if scenes[scene] == nil {
					return usageErr("demo: --scene is travel, policy, tools or all, not %q", scene)
				}
				order = []string{scene}
			}
			dir, err := os.MkdirTemp("", "toolsmith-demo-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			ctx := cmd.Context()
			store, err := registry.Open(ctx, filepath.Join(dir, "demo.db"), registry.Options{})
			if err != nil {
				return fmt.Errorf("demo store: %w", err)
			}
			defer store.Close()
			fmt.Fprintf(d.out, "toolsmith demo — offline: scripted model replies embedded in the binary, embedded store %s\n", filepath.Join(dir, "demo.db"))
			failed := 0
			for _, name := range order {
				d.begin(name)
				if err := scenes[name](ctx, store); err != nil {
					d.say("error", err.Error())
					failed++
				} else {
					d.cur.OK = true
				}
			}
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(map[string]any{"scripted": true, "scenes": d.scenes}); err != nil {
					return err
				}
			}
			if failed > 0 {
				return exitWith(1, "demo: %d scene(s) failed", failed)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the scenes as one JSON document")
	cmd.Flags().StringVar(&scene, "scene", "all", "scene to run: travel, policy, tools or all")
	return cmd
}

func (d *demo) begin(name string) {
	d.cur = &demoScene{Name: name}
	d.scenes = append(d.scenes, d.cur)
	titles := map[string]string{
		"travel": "1. Travel: the agent asks for what is missing, then calls the APIs",
		"policy": "2. Policy: a team's ASP rule changes the plan",
		"tools":  "3. Tool making: a tool is made once, then used with no model call",
	}
	fmt.Fprintf(d.out, "\n━━ %s\n", titles[name])
}

// say prints a line of the transcript and records it.
func (d *demo) say(who, text string) {
	d.cur.Transcript = append(d.cur.Transcript, demoLine{Who: who, Text: text})
	prefix := fmt.Sprintf("%-9s ", who+">")
	fmt.Fprintln(d.out, prefix+strings.ReplaceAll(strings.TrimRight(text, "\n"), "\n", "\n"+strings.Repeat(" ", len(prefix))))
}

// scriptedModels opens the scripted model from an embedded file.
func scriptedModels(ctx context.Context, files fs.FS, name string) (*llm.Models, error) {
	data, err := fs.ReadFile(files, name)
	if err != nil {
		return nil, err
	}
	sc, err := llm.ParseScript(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return llm.Open(ctx, llm.Config{Script: sc})
}

func (d *demo) costTable(ms *llm.Models) {
	d.cur.Cost = ms.Meter.Total()
	var b bytes.Buffer
	ms.Meter.WriteTable(&b)
	sc := bufio.NewScanner(&b)
	for sc.Scan() {
		fmt.Fprintln(d.out, "          "+sc.Text())
	}
}

func (d *demo) travel(ctx context.Context, store registry.Store) error {
	ms, err := scriptedModels(ctx, travel.Files, "scripted.yaml")
	if err != nil {
		return err
	}
	data, err := fs.ReadFile(travel.Files, "apis.yaml")
	if err != nil {
		return err
	}
	apis, err := registry.ParseAPIs("examples/travel/apis.yaml", data)
	if err != nil {
		return err
	}
	if err := store.PutAPIs(ctx, "demo", apis); err != nil {
		return err
	}
	ag, err := agent.New(ctx, agent.Options{Store: store, Models: ms, Namespace: "demo"})
	if err != nil {
		return err
	}
	session := "demo-travel"
	user := []string{
		"Book me a rental car in San Diego from Oct 5 for 3 days",
		"10:30 works for me",
		"yes",
	}
	for _, msg := range user {
		d.say("user", msg)
		reply, err := ag.Turn(ctx, session, msg)
		if err != nil {
			return err
		}
		if reply.Plan != nil && len(reply.Questions) > 0 || reply.Status == agent.StatusNeedsConfirmation && len(reply.Calls) == 0 {
			d.say("plan", reply.Plan.Text())
			d.cur.Plans = append(d.cur.Plans, reply.Plan)
		}
		for _, c := range reply.Calls {
			d.say("call", fmt.Sprintf("%s %s → %s", c.API, compactJSON(c.Args), compactJSON(c.Outputs)))
		}
		for _, q := range reply.Questions {
			d.say("question", fmt.Sprintf("[%s] slot %s (%s): %s", q.ID, q.Slot, q.DataType, q.Text))
		}
		d.say("agent", reply.Text)
		if reply.Status == agent.StatusAnswered {
			break
		}
	}
	st, err := ag.State(ctx, session)
	if err != nil {
		return err
	}
	if st.Status != agent.StatusAnswered {
		return fmt.Errorf("the conversation ended with status %s", st.Status)
	}
	d.costTable(ms)
	return nil
}

func (d *demo) policy(ctx context.Context, _ registry.Store) error {
	data, err := fs.ReadFile(policies.Files, "apis.json")
	if err != nil {
		return err
	}
	apis, err := registry.ParseAPIs("examples/policies/apis.json", data)
	if err != nil {
		return err
	}
	rawReq, err := fs.ReadFile(policies.Files, "request-international.json")
	if err != nil {
		return err
	}
	req, err := planner.ParseRequest(rawReq)
	if err != nil {
		return err
	}
	rule, err := fs.ReadFile(policies.Files, "international.lp")
	if err != nil {
		return err
	}
	d.say("request", req.Query)
	for _, withPolicy := range []bool{false, true} {
		opts := planner.Options{}
		label := "plan without the policy"
		if withPolicy {
			opts.Rules = []string{string(rule)}
			label = "plan with examples/policies/international.lp"
			d.say("policy", strings.TrimSpace(policyBody(string(rule))))
		}
		p, err := planner.New(apis, opts)
		if err != nil {
			return err
		}
		start := time.Now()
		plan, err := p.Plan(ctx, req)
		if err != nil {
			return err
		}
		d.cur.Plans = append(d.cur.Plans, plan)
		d.say("planner", fmt.Sprintf("%s (%.1f ms)\n%s", label, float64(time.Since(start).Microseconds())/1000, strings.TrimRight(plan.Text(), "\n")))
	}
	if len(d.cur.Plans[1].Questions()) <= len(d.cur.Plans[0].Questions()) {
		return fmt.Errorf("the policy did not change the plan")
	}
	return nil
}

// policyBody drops the comment lines of an ASP file.
func policyBody(src string) string {
	var lines []string
	for _, l := range strings.Split(src, "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "%") {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

func (d *demo) tools(ctx context.Context, store registry.Store) error {
	ms, err := scriptedModels(ctx, bigbench.Files, "scripted.yaml")
	if err != nil {
		return err
	}
	pool, err := sandbox.NewPool(ctx, sandbox.Options{Workers: 1})
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	defer pool.Close()
	tm := toolmaker.New(store, pool, ms, toolmaker.Options{
		Namespace: "demo",
		Progress: func(e toolmaker.Event) {
			d.say("maker", fmt.Sprintf("[%s round %d] %s", e.Stage, e.Round, e.Message))
		},
	})
	data, err := fs.ReadFile(bigbench.Files, "dyck_languages.jsonl")
	if err != nil {
		return err
	}
	var exs []registry.Example
	dec := json.NewDecoder(bytes.NewReader(data))
	for dec.More() {
		var ex registry.Example
		if err := dec.Decode(&ex); err != nil {
			return fmt.Errorf("dyck_languages.jsonl: %w", err)
		}
		exs = append(exs, ex)
	}
	train, valid := toolmaker.Split(exs)
	d.say("task", fmt.Sprintf("dyck_languages: %d training and %d validation examples, e.g. %q → %q", len(train), len(valid), train[0].Input, train[0].Target))
	tool, err := tm.Make(ctx, toolmaker.Family{Name: "dyck_languages", Description: "Close the open brackets of a Dyck-language sequence.", Train: train, Valid: valid})
	if err != nil {
		return err
	}
	d.say("registry", fmt.Sprintf("tool %s v%d registered: %s (%s)", tool.Name, tool.Version, tool.Verification.Status, tool.Verification.Message))
	made := ms.Meter.Total()
	for _, in := range []string{
		"Complete the rest of the sequence, making sure that the parentheses are closed properly. Input: { [ ( <",
		"Complete the rest of the sequence, making sure that the parentheses are closed properly. Input: ( ( [ ] { < > }",
		"Complete the rest of the sequence, making sure that the parentheses are closed properly. Input: < { } [ ( ) ] ( [",
	} {
		ans, err := tm.Solve(ctx, in, "dyck_languages")
		if err != nil {
			return err
		}
		d.say("use", fmt.Sprintf("%s\n→ %q  (path %s, %d model calls)", in, ans.Text, ans.Path, ans.Usage.Calls))
	}
	used := ms.Meter.Total()
	d.say("cost", fmt.Sprintf("making: %d model calls, $%.6f; using on 3 new inputs: %d model calls, $%.6f",
		made.Calls, made.Cost, used.Calls-made.Calls, used.Cost-made.Cost))
	d.costTable(ms)
	return nil
}
