package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/planner"
	"github.com/toolsmith-dev/toolsmith/registry"
)

// ToolSolver answers requests that belong to a tool family (the toolmaker's
// dispatcher and tool user). ok is false when the request is not a tool task,
// and the agent plans API calls for it instead.
type ToolSolver interface {
	SolveTask(ctx context.Context, input string) (answer string, ok bool, err error)
}

// Options configure an Agent. Store and Models are required.
type Options struct {
	Store  registry.Store
	Models *llm.Models
	// Namespace scopes sessions and, when APIs is nil, the APIs read from
	// the store: one tenant never sees another's.
	Namespace string
	// APIs is the catalogue to plan over; nil reads it from Store.
	APIs []registry.API
	// Planner configures the API planner (policies in Planner.Rules).
	Planner planner.Options
	// Invokers add or replace invokers by binding kind; "fixed", "func"
	// (over Funcs) and "http" (an HTTPInvoker reading the namespace's
	// settings from Store) are built in.
	Invokers map[registry.BindingKind]Invoker
	// Funcs are Go functions serving APIs bound with kind "func".
	Funcs map[string]Func
	// Tools, when set, gets first pick of new requests that are tool tasks.
	Tools ToolSolver
	// Approve shows the plan and waits for the user's approval before any
	// API call.
	Approve bool
	// Retries is how many times a failing API call is retried before the
	// planner plans around it (default 1; negative: none).
	Retries int
	// SessionTTL is how long an idle session is kept (default
	// registry.DefaultSessionTTL).
	SessionTTL time.Duration
	// TranslatorBudget bounds the size in bytes of one request to the
	// Translator (prompt and function schema): a larger catalogue is shown
	// in part, the APIs relevant to the message first (default
	// DefaultTranslatorBudget; negative: no bound, the whole catalogue).
	TranslatorBudget int
	// MaxSteps bounds the API calls of one turn (default 50).
	MaxSteps int
	Logger   *slog.Logger
	// Tracer receives a span per turn, model call, plan and API call
	// (default: none are recorded).
	Tracer trace.Tracer
}

// plans is what the agent asks of the planner.
type plans interface {
	Plan(ctx context.Context, req planner.Request) (*planner.Plan, error)
}

// Agent runs conversations. It is safe for concurrent use; turns of one
// session are serialised.
type Agent struct {
	opts     Options
	planner  plans
	cat      *catalogue
	invokers map[registry.BindingKind]Invoker
	log      *slog.Logger
	tracer   trace.Tracer

	mu    sync.Mutex
	locks map[string]*sessionLock
}

type sessionLock struct {
	mu   sync.Mutex
	refs int
}

// New builds an Agent: it reads the API catalogue (from Options.APIs or the
// store) and prepares the planner.
func New(ctx context.Context, opts Options) (*Agent, error) {
	if opts.Store == nil {
		return nil, errors.New("agent: Options.Store is required")
	}
	if opts.Models == nil {
		return nil, errors.New("agent: Options.Models is required")
	}
	apis := opts.APIs
	if apis == nil {
		var err error
		if apis, err = opts.Store.ListAPIs(ctx, opts.Namespace); err != nil {
			return nil, fmt.Errorf("agent: read APIs: %w", err)
		}
	}
	p, err := planner.New(apis, opts.Planner)
	if err != nil {
		return nil, fmt.Errorf("agent: %w", err)
	}
	a := &Agent{
		opts:    opts,
		planner: p,
		cat:     newCatalogue(apis),
		invokers: map[registry.BindingKind]Invoker{
			registry.BindFixed: fixedInvoker{},
			registry.BindFunc:  funcInvoker(opts.Funcs),
			registry.BindHTTP: &HTTPInvoker{Settings: func(ctx context.Context) (*registry.Settings, error) {
				return opts.Store.GetSettings(ctx, opts.Namespace)
			}},
		},
		log:    opts.Logger,
		tracer: opts.Tracer,
		locks:  map[string]*sessionLock{},
	}
	if a.tracer == nil {
		a.tracer = noop.NewTracerProvider().Tracer("toolsmith/agent")
	}
	if a.log == nil {
		a.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	for k, inv := range opts.Invokers {
		a.invokers[k] = inv
	}
	if a.opts.Retries == 0 {
		a.opts.Retries = 1
	}
	if a.opts.MaxSteps <= 0 {
		a.opts.MaxSteps = 50
	}
	if a.opts.TranslatorBudget == 0 {
		a.opts.TranslatorBudget = DefaultTranslatorBudget
	}
	return a, nil
}

// APIs returns the catalogue the agent plans over.
func (a *Agent) APIs() []registry.API {
	out := make([]registry.API, len(a.cat.names))
	for i, n := range a.cat.names {
		out[i] = a.cat.apis[n]
	}
	return out
}

// Reply is the outcome of one turn.
type Reply struct {
	SessionID string `json:"session_id"`
	Status    Status `json:"status"`
	// Text is what the agent says to the user.
	Text string `json:"text"`
	// Questions are the values asked for (status needs_info), all at once.
	Questions []Question `json:"questions,omitempty"`
	// Confirm is the call waiting for confirmation (needs_confirmation).
	Confirm *planner.Step `json:"confirm,omitempty"`
	// Plan is the latest plan.
	Plan *planner.Plan `json:"plan,omitempty"`
	// Calls are the API calls made during this turn.
	Calls []CallRecord `json:"calls,omitempty"`
	// Cost is this turn's model usage by role.
	Cost llm.Totals `json:"cost"`
	// Degraded is set when a model failed and the agent answered without it.
	Degraded bool `json:"degraded,omitempty"`
}

// Turn handles one user message in a session (created when new) and returns
// the reply. The session is saved after every step.
func (a *Agent) Turn(ctx context.Context, sessionID, message string) (*Reply, error) {
	return a.TurnStream(ctx, sessionID, message, nil)
}

// TurnStream is Turn that also reports progress: emit receives each event
// (plan, questions, call, reply) as it is recorded.
func (a *Agent) TurnStream(ctx context.Context, sessionID, message string, emit func(Event)) (*Reply, error) {
	return a.runTurn(ctx, sessionID, emit, func(ctx context.Context, t *turn) error { return t.run(ctx, message) })
}

// runTurn runs body as one turn of a session: the session is locked,
// loaded, and saved by body's end of the turn.
func (a *Agent) runTurn(ctx context.Context, sessionID string, emit func(Event), body func(context.Context, *turn) error) (*Reply, error) {
	if sessionID == "" {
		return nil, errors.New("agent: empty session id")
	}
	unlock := a.lock(sessionID)
	defer unlock()

	st, err := a.load(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	st.Turns++
	reqID := fmt.Sprintf("%s#%d", sessionID, st.Turns)
	ctx = llm.WithRequest(llm.WithSession(ctx, sessionID), reqID)
	ctx, span := a.span(ctx, "agent.turn", attribute.String("session", sessionID), attribute.Int("turn", st.Turns))
	t := &turn{a: a, id: sessionID, req: reqID, st: st, emit: emit, reply: &Reply{SessionID: sessionID}}
	err = body(ctx, t)
	t.reply.Cost = a.opts.Models.Meter.Request(reqID)
	span.SetAttributes(
		attribute.String("status", string(t.reply.Status)),
		attribute.Int("api_calls", len(t.reply.Calls)),
		attribute.Int64("tokens.input", t.reply.Cost.InputTokens),
		attribute.Int64("tokens.output", t.reply.Cost.OutputTokens),
		attribute.Float64("cost_usd", t.reply.Cost.Cost),
	)
	endSpan(span, err)
	if err != nil {
		return nil, err
	}
	return t.reply, nil
}

// State returns a session's state: its request, plan, pending questions,
// calls and history.
func (a *Agent) State(ctx context.Context, sessionID string) (*State, error) {
	sess, err := a.opts.Store.GetSession(ctx, a.opts.Namespace, sessionID)
	if err != nil {
		return nil, err
	}
	var st State
	if err := json.Unmarshal(sess.State, &st); err != nil {
		return nil, fmt.Errorf("agent: session %s: %w", sessionID, err)
	}
	return &st, nil
}

// Reset forgets a session.
func (a *Agent) Reset(ctx context.Context, sessionID string) error {
	err := a.opts.Store.DeleteSession(ctx, a.opts.Namespace, sessionID)
	var nf *registry.NotFoundError
	if errors.As(err, &nf) {
		return nil
	}
	return err
}

func (a *Agent) load(ctx context.Context, id string) (*State, error) {
	st, err := a.State(ctx, id)
	var nf *registry.NotFoundError
	switch {
	case errors.As(err, &nf):
		return &State{}, nil
	case err != nil:
		return nil, fmt.Errorf("agent: load session: %w", err)
	}
	return st, nil
}

func (a *Agent) save(ctx context.Context, id string, st *State) error {
	raw, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("agent: encode session: %w", err)
	}
	_, err = a.opts.Store.UpdateSession(ctx, a.opts.Namespace, id, a.opts.SessionTTL, func(s *registry.Session) error {
		s.State = raw
		return nil
	})
	if err != nil {
		return fmt.Errorf("agent: save session: %w", err)
	}
	return nil
}

// lock serialises the turns of one session within this process.
func (a *Agent) lock(id string) func() {
	a.mu.Lock()
	l := a.locks[id]
	if l == nil {
		l = &sessionLock{}
		a.locks[id] = l
	}
	l.refs++
	a.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		a.mu.Lock()
		if l.refs--; l.refs == 0 {
			delete(a.locks, id)
		}
		a.mu.Unlock()
	}
}

// Models returns the models the agent calls (their meter holds the costs).
func (a *Agent) Models() *llm.Models { return a.opts.Models }

// Plan plans a request against the agent's APIs and policies without running
// anything.
func (a *Agent) Plan(ctx context.Context, req planner.Request) (*planner.Plan, error) {
	return a.planner.Plan(ctx, req)
}
