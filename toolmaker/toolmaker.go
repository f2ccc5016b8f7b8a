package toolmaker

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/toolsmith-dev/toolsmith/llm"
	"github.com/toolsmith-dev/toolsmith/registry"
	"github.com/toolsmith-dev/toolsmith/sandbox"
)

// Defaults used where Options leave a field zero.
const (
	DefaultProposeRounds = 3
	DefaultVerifyRounds  = 3
	DefaultCandidates    = 5
	DefaultTimeout       = 10 * time.Second
	// DefaultAutoMake is how many answered pending examples a family needs
	// before Solve makes its tool automatically.
	DefaultAutoMake = 6
)

// Store is what a Toolmaker keeps in the registry: tools and their call
// statistics, and the families that collect examples until a tool is made
// for them. Every registry.Store is one.
type Store interface {
	// SearchSource serves the dispatcher's relevance search; its Version
	// also tells when the cached tool of each family is stale.
	registry.SearchSource
	PutTool(ctx context.Context, t *registry.Tool) (int, error)
	GetTool(ctx context.Context, ns, name string) (*registry.Tool, error)
	RecordCall(ctx context.Context, ns, name string, c registry.Call) error
	PutFamily(ctx context.Context, f *registry.Family) error
	GetFamily(ctx context.Context, ns, name string) (*registry.Family, error)
	AddFamilyExample(ctx context.Context, ns, family string, ex registry.Example) (int, error)
	ClaimFamily(ctx context.Context, ns, family string, to registry.FamilyStatus, from ...registry.FamilyStatus) (*registry.Family, error)
}

// Options configure a Toolmaker. The zero value uses the defaults.
type Options struct {
	// Namespace is the registry namespace of tools and families
	// (default registry.DefaultNamespace).
	Namespace string
	// ProposeRounds bounds the Maker's attempts to write a tool that
	// compiles and follows the contract (default 3).
	ProposeRounds int
	// VerifyRounds bounds the Maker's attempts to repair a tool that fails
	// verification (default 3).
	VerifyRounds int
	// Candidates is how many tools the relevance search offers the
	// Dispatcher (default 5).
	Candidates int
	// ParseDispatch routes a request without the Dispatcher model when
	// exactly one candidate tool's Parse → Solve → Format succeeds on it
	// (costs a sandbox call per candidate with Parse; the Dispatcher is
	// asked when none or several succeed). A lenient parser of the wrong
	// family can misroute a request that the right tool's parser rejects,
	// so it is off by default; measure dispatch accuracy before relying on
	// it.
	ParseDispatch bool
	// Timeout bounds each sandbox call (default 10s).
	Timeout time.Duration
	// AutoMake is how many answered pending examples a family collects
	// before Solve makes a tool for it (default 6); negative disables
	// automatic making (use MakeFamily or "toolsmith tool make").
	AutoMake int
	// NoStats skips recording tool calls in the store's statistics.
	NoStats bool
	// Progress, when set, receives an Event at each step of making.
	Progress func(Event)
	// Logger receives diagnostics (default slog.Default()).
	Logger *slog.Logger
}

// Event reports progress while a tool is made.
type Event struct {
	Family string
	// Stage is "propose", "compile", "verify", "register" or "failed".
	Stage string
	// Round counts the Maker's replies so far (from 1).
	Round int
	// Message says what happened, in a line.
	Message string
}

// Toolmaker makes, dispatches and uses tools. It is safe for concurrent use.
type Toolmaker struct {
	store    Store
	search   *registry.Searcher
	runner   sandbox.Runner
	models   *llm.Models
	opts     Options
	requests atomic.Uint64
	prepared preparedCache
	families familyCache
}

// New returns a Toolmaker that keeps tools and families in store, runs tools
// with runner (a sandbox.Pool in production) and calls models.
func New(store Store, runner sandbox.Runner, models *llm.Models, opts Options) *Toolmaker {
	if opts.Namespace == "" {
		opts.Namespace = registry.DefaultNamespace
	}
	if opts.ProposeRounds <= 0 {
		opts.ProposeRounds = DefaultProposeRounds
	}
	if opts.VerifyRounds <= 0 {
		opts.VerifyRounds = DefaultVerifyRounds
	}
	if opts.Candidates <= 0 {
		opts.Candidates = DefaultCandidates
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.AutoMake == 0 {
		opts.AutoMake = DefaultAutoMake
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Toolmaker{
		store:  store,
		search: registry.NewSearcher(store, registry.SearchOptions{}),
		runner: runner,
		models: models,
		opts:   opts,
	}
}

// Options returns the effective options.
func (t *Toolmaker) Options() Options { return t.opts }

// newRequest returns a context whose model calls the meter counts towards a
// request id, and that id: the one ctx carries already, else a fresh one.
func (t *Toolmaker) newRequest(ctx context.Context, kind string) (context.Context, string) {
	if id := llm.RequestID(ctx); id != "" {
		return ctx, id
	}
	id := t.requestID(kind)
	return t.metered(ctx, id), id
}

// metered returns a context whose model calls the meter counts towards
// request id of the toolmaker's namespace.
func (t *Toolmaker) metered(ctx context.Context, id string) context.Context {
	return llm.WithNamespace(llm.WithRequest(ctx, id), t.opts.Namespace)
}

// requestID returns a fresh request id starting with kind.
func (t *Toolmaker) requestID(kind string) string {
	return kind + "-" + strconv.FormatInt(time.Now().UnixNano(), 36) + "-" + strconv.FormatUint(t.requests.Add(1), 10)
}

// usage returns the meter's totals for request id.
func (t *Toolmaker) usage(id string) llm.Totals {
	if t.models == nil || t.models.Meter == nil {
		return llm.Totals{}
	}
	return t.models.Meter.Request(t.opts.Namespace, id)
}

// progress sends an event to Options.Progress, if set.
func (t *Toolmaker) progress(family, stage string, round int, format string, args ...any) {
	if t.opts.Progress != nil {
		t.opts.Progress(Event{Family: family, Stage: stage, Round: round, Message: fmt.Sprintf(format, args...)})
	}
}

// needModel returns the model of role or an error when none is configured.
func (t *Toolmaker) needModel(r llm.Role) (*llm.Model, error) {
	if t.models == nil {
		return nil, fmt.Errorf("toolmaker: no %s model configured", r)
	}
	m := t.models.ByRole(r)
	if m == nil {
		return nil, fmt.Errorf("toolmaker: no %s model configured", r)
	}
	return m, nil
}
