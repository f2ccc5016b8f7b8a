package eval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/registry"
	"github.com/toolsmith-dev/toolsmith/toolmaker"
)

// Task is one BIG-Bench task: its name (the file's stem), its description if
// the file has one, and its examples.
type Task struct {
	Name        string
	Description string
	Examples    []registry.Example
}

// bbhFile is the layout of a BIG-Bench Hard task file.
type bbhFile struct {
	Description string             `json:"description"`
	Examples    []registry.Example `json:"examples"`
}

// LoadBBH reads every *.json task file of dir ({"examples": [{"input",
// "target"}], "description"?}), sorted by name.
func LoadBBH(dir string) ([]Task, error) {
	if err := checkDataDir("bbh", "BIG-Bench", "bbh", dir); err != nil {
		return nil, err
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, inputErr("bbh: %w", err)
	}
	if len(paths) == 0 {
		return nil, inputErr("bbh: no task files (*.json) in %s", dir)
	}
	slices.Sort(paths)
	tasks := make([]Task, 0, len(paths))
	for _, p := range paths {
		t, err := LoadBBHTask(p)
		if err != nil {
			return nil, err
		}
		tasks = append(tasks, t)
	}
	return tasks, nil
}

// LoadBBHTask reads one BIG-Bench task file.
func LoadBBHTask(path string) (Task, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Task{}, inputErr("bbh: %w", err)
	}
	var f bbhFile
	if err := json.Unmarshal(raw, &f); err != nil {
		return Task{}, inputErr("bbh: %s: %w", path, err)
	}
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	if !registry.ValidName(name) {
		return Task{}, inputErr("bbh: %s: %q is not a valid family name", path, name)
	}
	if len(f.Examples) == 0 {
		return Task{}, inputErr("bbh: %s: no examples", path)
	}
	for i, ex := range f.Examples {
		if strings.TrimSpace(ex.Input) == "" || strings.TrimSpace(ex.Target) == "" {
			return Task{}, inputErr("bbh: %s: example %d has no input or no target", path, i+1)
		}
	}
	return Task{Name: name, Description: f.Description, Examples: f.Examples}, nil
}

// SplitLATM splits a task's examples as LATM does: 3 of the first 5 for
// training, 3 of the next 5 for validation, chosen with rng (nil: the first
// 3 of each five). Fewer than ten examples are split as toolmaker.Split
// does.
func SplitLATM(exs []registry.Example, rng *rand.Rand) (train, valid []registry.Example) {
	pick := func(from []registry.Example, k int) []registry.Example {
		idx := make([]int, len(from))
		for i := range idx {
			idx[i] = i
		}
		if rng != nil {
			idx = rng.Perm(len(from))
		}
		idx = idx[:min(k, len(from))]
		slices.Sort(idx)
		out := make([]registry.Example, len(idx))
		for i, j := range idx {
			out[i] = from[j]
		}
		return out
	}
	if len(exs) < 10 {
		return toolmaker.Split(exs)
	}
	return pick(exs[:5], 3), pick(exs[5:10], 3)
}

// BBHOptions configure [BBH].
type BBHOptions struct {
	// Limit bounds the instances of each task in the stream (0: all).
	Limit int
	// Seed drives the LATM split and the stream's shuffle.
	Seed uint64
	// Concurrency is how many requests run at once (default 4).
	Concurrency int
	// Baseline also has the Maker answer every instance directly.
	Baseline bool
	// Scripted names the scripted-model file the models answer from, if
	// any; the report then says that no model was called.
	Scripted string
	// Progress, when set, is called after each task made and after each
	// instance of the stream (done of total).
	Progress func(stage string, done, total int)
}

// BBHReport is the outcome of [BBH], per task and in total.
type BBHReport struct {
	Tasks []BBHTask `json:"tasks"`
	Total BBHTask   `json:"total"`
	// Instances is the length of the mixed stream; Duration how long
	// answering it took (making excluded).
	Instances          int           `json:"instances"`
	Duration           time.Duration `json:"duration_ns"`
	InstancesPerSecond float64       `json:"instances_per_second"`
	MakeDuration       time.Duration `json:"make_duration_ns"`
	Seed               uint64        `json:"seed"`
	// Scripted names the scripted-model file when no model was called.
	Scripted string `json:"scripted,omitempty"`
}

// BBHTask is the LATM-style line of one task.
type BBHTask struct {
	Task     string  `json:"task"`
	N        int     `json:"n"`
	Correct  int     `json:"correct"`
	Accuracy float64 `json:"accuracy"`
	ToolMade bool    `json:"tool_made"`
	// MakeError says why no tool was made.
	MakeError string `json:"make_error,omitempty"`
	// MakerCalls, UserCalls and DispatcherCalls count model calls for
	// making and using; CostUSD is their total cost.
	MakerCalls      int     `json:"maker_calls"`
	UserCalls       int     `json:"user_calls"`
	DispatcherCalls int     `json:"dispatcher_calls"`
	CostUSD         float64 `json:"cost_usd"`
	// Making: the Maker's replies, tokens and cost.
	MakeReplies int     `json:"make_replies"`
	MakeTokens  int64   `json:"make_tokens"`
	MakeCostUSD float64 `json:"make_cost_usd"`
	// MakeCostPerInstanceUSD is the making cost spread over the instances.
	MakeCostPerInstanceUSD float64 `json:"make_cost_per_instance_usd"`
	// Using: tokens and cost per instance (dispatch included).
	UseTokensPerInstance  float64 `json:"use_tokens_per_instance"`
	UseCostPerInstanceUSD float64 `json:"use_cost_per_instance_usd"`
	// DispatchAccuracy is the share of instances routed to the task's tool.
	DispatchAccuracy float64 `json:"dispatch_accuracy"`
	// ZeroCallShare is the share of instances answered by the tool with no
	// model call besides dispatch (the Parse path).
	ZeroCallShare float64 `json:"zero_call_share"`
	Flagged       int     `json:"flagged"`
	// Errors counts instances whose request failed (counted as wrong).
	Errors int `json:"errors"`
	// Wrong lists the instances answered wrongly.
	Wrong []WrongAnswer `json:"wrong,omitempty"`
	// Baseline: the Maker answering every instance directly (when asked).
	BaselineAccuracy       *float64 `json:"baseline_accuracy,omitempty"`
	BaselineCostPerInstUSD float64  `json:"baseline_cost_per_instance_usd,omitempty"`

	dispatched, zeroCalls int
	useTokens             int64
	useCost               float64
	baseCorrect           int
	baseCost              float64
}

// WrongAnswer is an instance the pipeline answered wrongly.
type WrongAnswer struct {
	Index    int            `json:"index"`
	Input    string         `json:"input"`
	Expected string         `json:"expected"`
	Got      string         `json:"got"`
	Path     toolmaker.Path `json:"path"`
	Routed   string         `json:"routed,omitempty"`
}

// instance is one element of the mixed stream.
type instance struct {
	task, index int
	ex          registry.Example
}

// BBH runs the LATM evaluation with tm: for each task a tool is made from
// 3 of its first 5 examples and verified on 3 of the next 5 (SplitLATM);
// then a shuffled stream mixing every task's instances (up to Limit each)
// is dispatched and answered by tm.Solve, and each answer is compared with
// the target (toolmaker.SameAnswer). Requests the Dispatcher cannot route
// are answered by the Maker; tm's AutoMake should be disabled for a clean
// measurement.
func BBH(ctx context.Context, tm *toolmaker.Toolmaker, tasks []Task, opts BBHOptions) (*BBHReport, error) {
	if opts.Concurrency <= 0 {
		opts.Concurrency = 4
	}
	rep := &BBHReport{Seed: opts.Seed, Scripted: opts.Scripted}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x5eed))
	start := time.Now()
	for i, task := range tasks {
		tr := BBHTask{Task: task.Name}
		train, valid := SplitLATM(task.Examples, rng)
		tool, err := tm.Make(ctx, toolmaker.Family{Name: task.Name, Description: task.Description, Train: train, Valid: valid})
		var me *toolmaker.MakeError
		switch {
		case err == nil:
			tr.ToolMade = true
			tr.MakeReplies = tool.Provenance.Attempts
			tr.MakeTokens = int64(tool.Provenance.PromptTokens + tool.Provenance.CompletionTokens)
			tr.MakeCostUSD = tool.Provenance.CostUSD
			tr.MakerCalls = tool.Provenance.Attempts
		case errors.As(err, &me):
			tr.MakeError = err.Error()
			tr.MakeReplies = len(me.Reasons)
			tr.MakeTokens = me.Usage.InputTokens + me.Usage.OutputTokens
			tr.MakeCostUSD = me.Usage.Cost
			tr.MakerCalls = me.Usage.ByRole[llm.Maker].Calls
		default:
			return nil, fmt.Errorf("bbh: %w", err)
		}
		rep.Tasks = append(rep.Tasks, tr)
		if opts.Progress != nil {
			opts.Progress("made "+task.Name, i+1, len(tasks))
		}
	}
	rep.MakeDuration = time.Since(start)

	var stream []instance
	for ti, task := range tasks {
		n := len(task.Examples)
		if opts.Limit > 0 {
			n = min(n, opts.Limit)
		}
		for i := range n {
			stream = append(stream, instance{task: ti, index: i, ex: task.Examples[i]})
		}
	}
	rng.Shuffle(len(stream), func(i, j int) { stream[i], stream[j] = stream[j], stream[i] })
	rep.Instances = len(stream)

	var (
		mu      sync.Mutex
		done    int
		firstEr error
	)
	work := make(chan instance)
	var wg sync.WaitGroup
	start = time.Now()
	for range opts.Concurrency {
		wg.Go(func() {
			for in := range work {
				a, err := tm.Solve(ctx, in.ex.Input, "")
				var base *toolmaker.Answer
				if err == nil && opts.Baseline {
					b, berr := tm.AnswerDirectly(ctx, in.ex.Input)
					err, base = berr, &b
				}
				mu.Lock()
				switch {
				case err != nil && ctx.Err() != nil:
					if firstEr == nil {
						firstEr = fmt.Errorf("bbh: %s instance %d: %w", tasks[in.task].Name, in.index, err)
					}
				case err != nil:
					// A failed request (a model call that failed for good,
					// say) counts as a wrong answer; the stream goes on.
					rep.Tasks[in.task].failed(in, err)
				default:
					rep.Tasks[in.task].add(in, a, base)
				}
				done++
				d := done
				mu.Unlock()
				if opts.Progress != nil {
					opts.Progress("solving", d, len(stream))
				}
			}
		})
	}
	for _, in := range stream {
		if ctx.Err() != nil {
			break
		}
		mu.Lock()
		failed := firstEr != nil
		mu.Unlock()
		if failed {
			break
		}
		work <- in
	}
	close(work)
	wg.Wait()
	rep.Duration = time.Since(start)
	if firstEr != nil {
		return rep, firstEr
	}
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	if s := rep.Duration.Seconds(); s > 0 {
		rep.InstancesPerSecond = float64(rep.Instances) / s
	}
	rep.finish(opts.Baseline)
	return rep, nil
}

// add counts one answered instance.
func (r *BBHTask) add(in instance, a toolmaker.Answer, base *toolmaker.Answer) {
	r.N++
	if toolmaker.SameAnswer(a.Text, in.ex.Target) {
		r.Correct++
	} else {
		r.Wrong = append(r.Wrong, WrongAnswer{Index: in.index, Input: in.ex.Input, Expected: in.ex.Target, Got: a.Text, Path: a.Path, Routed: a.Family})
	}
	if a.Family == r.Task && a.Tool != "" {
		r.dispatched++
	}
	if a.Path == toolmaker.PathParse {
		r.zeroCalls++
	}
	if a.Flagged {
		r.Flagged++
	}
	u := a.Usage
	r.MakerCalls += u.ByRole[llm.Maker].Calls
	r.UserCalls += u.ByRole[llm.User].Calls
	r.DispatcherCalls += u.ByRole[llm.Dispatcher].Calls
	r.useTokens += u.InputTokens + u.OutputTokens
	r.useCost += u.Cost
	if base != nil {
		if toolmaker.SameAnswer(base.Text, in.ex.Target) {
			r.baseCorrect++
		}
		r.baseCost += base.Usage.Cost
	}
}

// failed counts an instance whose request failed.
func (r *BBHTask) failed(in instance, err error) {
	r.N++
	r.Errors++
	r.Wrong = append(r.Wrong, WrongAnswer{Index: in.index, Input: in.ex.Input, Expected: in.ex.Target, Got: "error: " + err.Error()})
}

// finish computes the ratios and the total line.
func (rep *BBHReport) finish(baseline bool) {
	tot := &rep.Total
	tot.Task = "total"
	made := 0
	for i := range rep.Tasks {
		r := &rep.Tasks[i]
		r.ratios(baseline)
		if r.ToolMade {
			made++
		}
		tot.N += r.N
		tot.Correct += r.Correct
		tot.MakerCalls += r.MakerCalls
		tot.UserCalls += r.UserCalls
		tot.DispatcherCalls += r.DispatcherCalls
		tot.MakeReplies += r.MakeReplies
		tot.MakeTokens += r.MakeTokens
		tot.MakeCostUSD += r.MakeCostUSD
		tot.Flagged += r.Flagged
		tot.Errors += r.Errors
		tot.dispatched += r.dispatched
		tot.zeroCalls += r.zeroCalls
		tot.useTokens += r.useTokens
		tot.useCost += r.useCost
		tot.baseCorrect += r.baseCorrect
		tot.baseCost += r.baseCost
	}
	tot.ToolMade = made == len(rep.Tasks)
	tot.ratios(baseline)
}

// ratios fills the per-instance figures from the counts.
func (r *BBHTask) ratios(baseline bool) {
	r.CostUSD = r.MakeCostUSD + r.useCost
	if r.N == 0 {
		return
	}
	n := float64(r.N)
	r.Accuracy = float64(r.Correct) / n
	r.DispatchAccuracy = float64(r.dispatched) / n
	r.ZeroCallShare = float64(r.zeroCalls) / n
	r.UseTokensPerInstance = float64(r.useTokens) / n
	r.UseCostPerInstanceUSD = r.useCost / n
	r.MakeCostPerInstanceUSD = r.MakeCostUSD / n
	if baseline {
		acc := float64(r.baseCorrect) / n
		r.BaselineAccuracy = &acc
		r.BaselineCostPerInstUSD = r.baseCost / n
	}
}

// Report lays out the LATM-style table: per task the accuracy, whether a
// tool was made (and in how many Maker replies), dispatch accuracy, the
// share of instances answered with no model call besides dispatch, and what
// making and using cost; then the total, the baseline when measured, the
// stream's throughput, and per task why no tool was made and the first ten
// wrongly answered instances.
func (rep *BBHReport) Report() Report {
	base := rep.Total.BaselineAccuracy != nil
	t := Table{Columns: []Column{{Name: "task"}, {Name: "n", Right: true}, {Name: "tool (replies)", Right: true},
		{Name: "accuracy", Right: true}, {Name: "dispatch", Right: true}, {Name: "no model", Right: true},
		{Name: "make tokens", Right: true}, {Name: "make $", Right: true}, {Name: "make $/inst", Right: true},
		{Name: "use tokens/inst", Right: true}, {Name: "use $/inst", Right: true},
		{Name: "maker", Right: true}, {Name: "user", Right: true}, {Name: "dispatcher", Right: true}}}
	if base {
		t.Columns = append(t.Columns, Column{Name: "maker direct", Right: true}, Column{Name: "direct $/inst", Right: true})
	}
	line := func(r BBHTask) {
		made := "no"
		if r.ToolMade {
			made = "yes"
		}
		cells := []string{r.Task, fmt.Sprint(r.N), fmt.Sprintf("%s (%d)", made, r.MakeReplies),
			percent(r.Accuracy), percent(r.DispatchAccuracy), percent(r.ZeroCallShare),
			fmt.Sprint(r.MakeTokens), fmt.Sprintf("%.4f", r.MakeCostUSD), fmt.Sprintf("%.6f", r.MakeCostPerInstanceUSD),
			fmt.Sprintf("%.1f", r.UseTokensPerInstance), fmt.Sprintf("%.6f", r.UseCostPerInstanceUSD),
			fmt.Sprint(r.MakerCalls), fmt.Sprint(r.UserCalls), fmt.Sprint(r.DispatcherCalls)}
		if base {
			cells = append(cells, percent(*r.BaselineAccuracy), fmt.Sprintf("%.6f", r.BaselineCostPerInstUSD))
		}
		t.Rows = append(t.Rows, cells)
	}
	for _, r := range rep.Tasks {
		line(r)
	}
	line(rep.Total)
	sec := Section{Table: t, Notes: []string{
		fmt.Sprintf("making: %s; stream: %d instances in %s (%.0f instances/s)",
			rep.MakeDuration.Round(time.Millisecond), rep.Instances, rep.Duration.Round(time.Millisecond), rep.InstancesPerSecond),
		fmt.Sprintf("cost: making %.4f USD once, using %.6f USD per instance; total %.4f USD",
			rep.Total.MakeCostUSD, rep.Total.UseCostPerInstanceUSD, rep.Total.CostUSD),
	}}
	if n := rep.Total.Errors; n > 0 {
		sec.Notes = append(sec.Notes, fmt.Sprintf("%d requests failed (counted as wrong; see below)", n))
	}
	if rep.Scripted != "" {
		sec.Notes = append(sec.Notes, fmt.Sprintf("scripted model (%s): no model was called; tokens are estimates, priced like the models it stands for", rep.Scripted))
	}
	out := Report{Sections: []Section{sec}}
	for _, r := range rep.Tasks {
		var notes []string
		if r.MakeError != "" {
			notes = append(notes, fmt.Sprintf("%s: no tool: %s", r.Task, r.MakeError))
		}
		if len(r.Wrong) > 0 {
			notes = append(notes, fmt.Sprintf("%s: %d wrong", r.Task, len(r.Wrong)))
		}
		for i, x := range r.Wrong {
			if i == 10 {
				notes = append(notes, fmt.Sprintf("  ... and %d more", len(r.Wrong)-i))
				break
			}
			notes = append(notes, fmt.Sprintf("  #%d (%s, routed to %q): expected %q, got %q: %s",
				x.Index, x.Path, x.Routed, x.Expected, x.Got, oneLine(x.Input, 120)))
		}
		if len(notes) > 0 {
			out.Sections = append(out.Sections, Section{Notes: notes})
		}
	}
	return out
}

// oneLine collapses white space in s and cuts it after n bytes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}
