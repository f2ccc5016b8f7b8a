package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
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

// Store is what an Agent keeps in the registry — sessions, with their
// history and the leases that let one turn at a time change them — and
// what it reads there: the namespace's APIs and settings. Every
// registry.Store is one.
type Store interface {
	ListAPIs(ctx context.Context, ns string) ([]registry.API, error)
	GetSettings(ctx context.Context, ns string) (*registry.Settings, error)
	GetSession(ctx context.Context, ns, id string) (*registry.Session, error)
	SaveSession(ctx context.Context, s *registry.Session, ttl time.Duration, expect uint64, events ...json.RawMessage) error
	SessionHistory(ctx context.Context, ns, id string, from, limit int) (registry.HistoryPage, error)
	DeleteSession(ctx context.Context, ns, id string) error
	AcquireLease(ctx context.Context, ns, name string, ttl time.Duration) (token string, ok bool, err error)
	RenewLease(ctx context.Context, ns, name, token string, ttl time.Duration) (ok bool, err error)
	ReleaseLease(ctx context.Context, ns, name, token string) error
}

// Options configure an Agent. Store and Models are required.
type Options struct {
	Store  Store
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
	// planner plans around it (default 1; negative: none). A call with side
	// effects is retried only when its outcome is known to be a failure, or
	// when its binding honours idempotency keys.
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
	// LeaseTTL is how long a session's lease lasts without renewal
	// (default DefaultLeaseTTL): a turn holds its session's lease in the
	// store, renewed while it runs, so that two replicas never run turns of
	// one session at once; a replica that dies frees it after LeaseTTL.
	LeaseTTL time.Duration
	// LeaseWait is how long a turn waits for another turn of its session
	// to finish before failing with a *BusyError (default
	// DefaultLeaseWait; negative: no wait).
	LeaseWait time.Duration
	// StateBudget bounds a session's stored state in bytes (default
	// DefaultStateBudget, at most registry.MaxSessionState): history beyond
	// the recent events lives in the store's log, and a request whose
	// results do not fit is stopped with a clear reply.
	StateBudget int
	// Failpoint, when set, is called with the name of each step of a turn
	// as it is reached: "loaded", "intent-saved", "invoked",
	// "result-saved", "saved". The chaos suite uses it to kill a replica
	// at each step.
	Failpoint func(name string)
	Logger    *slog.Logger
	// Tracer receives a span per turn, model call, plan and API call
	// (default: none are recorded).
	Tracer trace.Tracer
}

// Defaults of Options.
const (
	DefaultLeaseTTL    = 15 * time.Second
	DefaultLeaseWait   = 5 * time.Second
	DefaultStateBudget = 256 << 10
)

// plans is what the agent asks of the planner.
type plans interface {
	Plan(ctx context.Context, req planner.Request) (*planner.Plan, error)
}

// Agent runs conversations. It is safe for concurrent use; turns of one
// session are serialised, across replicas too (see Options.LeaseTTL).
type Agent struct {
	opts     Options
	planner  plans
	cat      *catalogue
	invokers map[registry.BindingKind]Invoker
	log      *slog.Logger
	tracer   trace.Tracer
	writer   string        // identifies this agent's saves
	saves    atomic.Uint64 // numbers them

	mu        sync.Mutex
	locks     map[string]*sessionLock
	releasing map[string]chan struct{} // leases being given up, by session
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
		log:       opts.Logger,
		tracer:    opts.Tracer,
		writer:    newNonce(),
		locks:     map[string]*sessionLock{},
		releasing: map[string]chan struct{}{},
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
	if a.opts.LeaseTTL <= 0 {
		a.opts.LeaseTTL = DefaultLeaseTTL
	}
	if a.opts.LeaseWait == 0 {
		a.opts.LeaseWait = DefaultLeaseWait
	}
	if a.opts.StateBudget <= 0 {
		a.opts.StateBudget = DefaultStateBudget
	}
	a.opts.StateBudget = min(a.opts.StateBudget, registry.MaxSessionState)

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
	// Unknown is the call whose outcome is unknown (outcome_unknown), and
	// Choices the answers the user may give: "check" (when a status-check
	// API is declared), "retry", "skip".
	Unknown *CallRecord `json:"unknown,omitempty"`
	Choices []string    `json:"choices,omitempty"`
	// Plan is the latest plan.
	Plan *planner.Plan `json:"plan,omitempty"`
	// Calls are the API calls made during this turn.
	Calls []CallRecord `json:"calls,omitempty"`
	// Cost is this turn's model usage by role.
	Cost llm.Totals `json:"cost"`
	// Degraded is set when a model failed and the agent answered without it.
	Degraded bool `json:"degraded,omitempty"`
	// Repeated is set when the message's id had been answered before: the
	// reply is the earlier one, and no turn was taken.
	Repeated bool `json:"repeated,omitempty"`
}

// Message is one user message.
type Message struct {
	Text string
	// ID, when set, makes the message idempotent: a message whose ID was
	// answered recently gets the same reply (Repeated set) instead of a
	// second turn, so a client may resend it after a lost reply, to any
	// replica. An interrupted turn of the same ID is resumed.
	ID string
}

// Turn handles one user message in a session (created when new) and returns
// the reply.
func (a *Agent) Turn(ctx context.Context, sessionID, message string) (*Reply, error) {
	return a.Send(ctx, sessionID, Message{Text: message}, nil)
}

// TurnStream is Turn that also reports progress: emit receives each event
// (plan, questions, call, reply) as it is recorded.
func (a *Agent) TurnStream(ctx context.Context, sessionID, message string, emit func(Event)) (*Reply, error) {
	return a.Send(ctx, sessionID, Message{Text: message}, emit)
}

// Send handles one user message in a session (created when new); emit, when
// not nil, receives each event as it is recorded. The turn holds the
// session's lease: when another turn of the session runs (here or on another
// replica) and does not finish within Options.LeaseWait, Send fails with a
// *BusyError. Errors of the store (a *registry.UnavailableError) leave the
// session as it was saved last.
func (a *Agent) Send(ctx context.Context, sessionID string, m Message, emit func(Event)) (*Reply, error) {
	return a.runMessage(ctx, sessionID, m, emit, func(ctx context.Context, t *turn) error { return t.run(ctx) })
}

// runTurn runs body as one turn of a session, without a message of its own
// (see runMessage).
func (a *Agent) runTurn(ctx context.Context, sessionID string, emit func(Event), body func(context.Context, *turn) error) (*Reply, error) {
	return a.runMessage(ctx, sessionID, Message{}, emit, body)
}

// runMessage runs body as one turn of a session on message m: the session is
// locked in this process, its lease taken in the store, it is loaded, and
// body's end of the turn saves it. A message whose id was answered gets the
// earlier reply and body does not run.
func (a *Agent) runMessage(ctx context.Context, sessionID string, m Message, emit func(Event), body func(context.Context, *turn) error) (*Reply, error) {
	if !registry.ValidSessionID(sessionID) {
		return nil, &InputError{Msg: fmt.Sprintf("invalid session id %q: use 1 to 128 letters, digits, '_', '.' and '-'", sessionID)}
	}
	unlock, err := a.lock(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	defer unlock()
	lost, release, err := a.lease(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	defer release()

	sess, st, err := a.load(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	if raw, ok := st.seen(m.ID); ok {
		var r Reply
		if err := json.Unmarshal(raw, &r); err == nil {
			r.Repeated = true
			return &r, nil
		}
	}
	st.Turns++
	reqID := fmt.Sprintf("%s#%d", sessionID, st.Turns)
	ctx = llm.WithNamespace(llm.WithRequest(llm.WithSession(ctx, sessionID), reqID), a.opts.Namespace)
	ctx, span := a.span(ctx, "agent.turn", attribute.String("session", sessionID), attribute.Int("turn", st.Turns))
	t := &turn{a: a, id: sessionID, req: reqID, st: st, sess: sess, version: sess.Version, msg: m, emit: emit,
		reply: &Reply{SessionID: sessionID}, tried: map[string]int{}, lost: lost}
	a.failpoint("loaded")
	err = body(ctx, t)
	t.reply.Cost = a.opts.Models.Meter.Request(a.opts.Namespace, reqID)
	span.SetAttributes(
		attribute.String("status", string(t.reply.Status)),
		attribute.Int("api_calls", len(t.reply.Calls)),
		attribute.Int64("tokens.input", t.reply.Cost.InputTokens),
		attribute.Int64("tokens.output", t.reply.Cost.OutputTokens),
		attribute.Float64("cost_usd", t.reply.Cost.Cost),
	)
	endSpan(span, err)
	if err != nil {
		if t.reply.Cost.Cost > 0 || t.reply.Cost.Calls > 0 || len(t.reply.Calls) > 0 {
			return nil, &TurnError{Err: err, Cost: t.reply.Cost, Calls: t.reply.Calls}
		}
		return nil, err
	}
	return t.reply, nil
}

// TurnError is the error of a turn that failed after it had spent something:
// model calls (Cost) or API calls (Calls, the outcome of each as far as it is
// known). A server charges them to the caller's budget as it would a
// completed turn's. It unwraps to the turn's error.
type TurnError struct {
	Err   error
	Cost  llm.Totals
	Calls []CallRecord
}

func (e *TurnError) Error() string { return e.Err.Error() }

// Unwrap returns the turn's error.
func (e *TurnError) Unwrap() error { return e.Err }

// InputError reports a request the agent cannot take (an invalid session
// id): the caller's mistake, not the agent's.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return "agent: " + e.Msg }

// State returns a session's state: its request, plan, pending questions,
// calls and recent history.
func (a *Agent) State(ctx context.Context, sessionID string) (*State, error) {
	_, st, err := a.read(ctx, sessionID)
	return st, err
}

// History returns up to limit events of a session's whole history from
// index from (0 is the first event), and the index of the next page (-1
// after the last).
func (a *Agent) History(ctx context.Context, sessionID string, from, limit int) ([]Event, int, error) {
	if _, _, err := a.read(ctx, sessionID); err != nil {
		return nil, -1, err
	}
	page, err := a.opts.Store.SessionHistory(ctx, a.opts.Namespace, sessionID, from, limit)
	if err != nil {
		return nil, -1, fmt.Errorf("agent: session history: %w", err)
	}
	events := make([]Event, 0, len(page.Events))
	for _, raw := range page.Events {
		var e Event
		if err := json.Unmarshal(raw, &e); err != nil {
			return nil, -1, fmt.Errorf("agent: session %s history: %w", sessionID, err)
		}
		events = append(events, e)
	}
	next := page.Start + len(page.Events)
	if next >= page.Total {
		next = -1
	}
	return events, next, nil
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

// failpoint reports reaching a named step of a turn (Options.Failpoint).
func (a *Agent) failpoint(name string) {
	if a.opts.Failpoint != nil {
		a.opts.Failpoint(name)
	}
}

// Models returns the models the agent calls (their meter holds the costs).
func (a *Agent) Models() *llm.Models { return a.opts.Models }

// Plan plans a request against the agent's APIs and policies without running
// anything.
func (a *Agent) Plan(ctx context.Context, req planner.Request) (*planner.Plan, error) {
	return a.planner.Plan(ctx, req)
}
