package toolmaker

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// EvalOptions configure Toolmaker.Eval.
type EvalOptions struct {
	// Limit bounds the instances of each task in the stream (0: all).
	Limit int
	// Seed drives the LATM split and the stream's shuffle.
	Seed uint64
	// Concurrency is how many requests run at once (default 4).
	Concurrency int
	// Baseline also has the Maker answer every instance directly.
	Baseline bool
	// Progress, when set, is called after each instance of the stream
	// (done of total) and once per task made (done is 0 then).
	Progress func(stage string, done, total int)
}

// EvalReport is the outcome of an evaluation, per task and in total.
type EvalReport struct {
	Tasks []TaskReport `json:"tasks"`
	Total TaskReport   `json:"total"`
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

// TaskReport is the LATM-style line of one task.
type TaskReport struct {
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
	Index    int    `json:"index"`
	Input    string `json:"input"`
	Expected string `json:"expected"`
	Got      string `json:"got"`
	Path     Path   `json:"path"`
	Routed   string `json:"routed,omitempty"`
}

// instance is one element of the mixed stream.
type instance struct {
	task, index int
	ex          registry.Example
}

// Eval runs the LATM evaluation: for each task a tool is made from 3 of its
// first 5 examples and verified on 3 of the next 5 (SplitLATM); then a
// shuffled stream mixing every task's instances (up to Limit each) is
// dispatched and answered by Solve, and each answer is compared with the
// target. Requests the Dispatcher cannot route are answered by the Maker
// (the Toolmaker's AutoMake should be disabled for a clean measurement).
func (t *Toolmaker) Eval(ctx context.Context, tasks []Task, opts EvalOptions) (*EvalReport, error) {
	if opts.Concurrency <= 0 {
		opts.Concurrency = 4
	}
	rep := &EvalReport{Seed: opts.Seed}
	if t.models != nil && t.models.Scripted {
		rep.Scripted = t.models.ScriptFile
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x5eed))
	start := time.Now()
	for i, task := range tasks {
		tr := TaskReport{Task: task.Name}
		train, valid := SplitLATM(task.Examples, rng)
		tool, err := t.Make(ctx, Family{Name: task.Name, Description: task.Description, Train: train, Valid: valid})
		var me *MakeError
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
			return nil, err
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
		wg.Add(1)
		go func() {
			defer wg.Done()
			for in := range work {
				a, err := t.Solve(ctx, in.ex.Input, "")
				var base *Answer
				if err == nil && opts.Baseline {
					b, berr := t.baseline(ctx, in.ex.Input)
					err, base = berr, &b
				}
				mu.Lock()
				switch {
				case err != nil && ctx.Err() != nil:
					if firstEr == nil {
						firstEr = fmt.Errorf("%s instance %d: %w", tasks[in.task].Name, in.index, err)
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
		}()
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

// baseline has the Maker answer input directly, metered apart.
func (t *Toolmaker) baseline(ctx context.Context, input string) (Answer, error) {
	id := t.requestID("baseline")
	ctx = t.metered(ctx, id)
	text, err := t.direct(ctx, "", input)
	return Answer{Request: id, Text: text, Path: PathMaker, Usage: t.usage(id)}, err
}

// add counts one answered instance.
func (r *TaskReport) add(in instance, a Answer, base *Answer) {
	r.N++
	if sameAnswer(a.Text, in.ex.Target) {
		r.Correct++
	} else {
		r.Wrong = append(r.Wrong, WrongAnswer{Index: in.index, Input: in.ex.Input, Expected: in.ex.Target, Got: a.Text, Path: a.Path, Routed: a.Family})
	}
	if a.Family == r.Task && a.Tool != "" {
		r.dispatched++
	}
	if a.Path == PathParse {
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
		if sameAnswer(base.Text, in.ex.Target) {
			r.baseCorrect++
		}
		r.baseCost += base.Usage.Cost
	}
}

// failed counts an instance whose request failed.
func (r *TaskReport) failed(in instance, err error) {
	r.N++
	r.Errors++
	r.Wrong = append(r.Wrong, WrongAnswer{Index: in.index, Input: in.ex.Input, Expected: in.ex.Target, Got: "error: " + err.Error()})
}

// finish computes the ratios and the total line.
func (rep *EvalReport) finish(baseline bool) {
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
func (r *TaskReport) ratios(baseline bool) {
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
