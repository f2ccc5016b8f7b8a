package sandbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ErrClosed is returned by Run after Close.
var ErrClosed = errors.New("sandbox: runner is closed")

// ErrBusy is returned by Run when Options.MaxQueue calls are already
// waiting for a worker.
var ErrBusy = errors.New("sandbox: too many calls waiting for a worker")

// DefaultTimeout is the default time limit of a call.
const DefaultTimeout = 10 * time.Second

// Options configure a Pool. The zero value is usable: it runs
// runtime.NumCPU() workers of the current executable's "sandbox-worker"
// command with the default limits.
type Options struct {
	// Workers is the number of warm worker processes (default NumCPU).
	Workers int
	// Command is the worker command line (program and arguments); the
	// worker's limit flags are appended. Default: the current executable
	// followed by "sandbox-worker".
	Command []string
	// Timeout is the default per-call time limit (default 10s).
	Timeout time.Duration
	// MemoryBytes is the default per-call memory budget (default 256 MiB).
	MemoryBytes int64
	// OutputLimit bounds a call's stdout plus stderr (default 1 MiB).
	OutputLimit int
	// CacheSize is how many compiled tools a worker keeps (default 64).
	CacheSize int
	// MaxCalls recycles a worker after this many calls (default 1000).
	MaxCalls int
	// MaxQueue makes Run fail with ErrBusy when this many calls are already
	// waiting for a worker (default 0: unbounded, waits are bounded by the
	// caller's context).
	MaxQueue int
	// Allow is the list of importable packages (default DefaultAllow()).
	// Widening it (net/http, say) is a deployment's explicit choice.
	Allow []string
	// CPUSeconds is each worker's RLIMIT_CPU (default 120); a worker that
	// has used half of it is replaced.
	CPUSeconds uint64
	// OpenFiles is each worker's RLIMIT_NOFILE (default 64).
	OpenFiles uint64
	// Processes is each worker's RLIMIT_NPROC (default 4096). Linux counts
	// it per user, over all of the user's threads; it does not bind root.
	Processes uint64
	// Logger receives worker lifecycle events and, once, what confines the
	// workers: a warning naming each missing confinement layer and why, or
	// a line saying every layer is in force (default: discarded).
	Logger *slog.Logger
	// RequireConfinement makes NewPool fail, and refuses every worker,
	// when a layer of Layers is missing on this system: the error is a
	// *MissingError naming each layer and why. Without it a worker runs
	// with what the system offers and its report (Result.Confinement,
	// Pool.Confinement) says what is missing.
	RequireConfinement bool
	// Without turns layers off (to measure what each costs, or on a host
	// where one misbehaves); the report lists them as missing, so they
	// cannot be combined with RequireConfinement. Resource limits, the
	// last layer, stay.
	Without []Layer
	// NoSpare turns the spare worker off (see Pool): a worker that is
	// replaced is then replaced by one started at that moment, and the
	// pool never holds more than Workers processes.
	NoSpare bool
	// UnsafeNoAllowList gives tools the whole standard library (os,
	// os/exec, net, syscall, unsafe, reflect...) instead of the allow-list,
	// so that the operating-system layers can be tested on their own.
	// Allow is ignored and each worker serves one call. Never set it for
	// code you did not write to attack the sandbox.
	UnsafeNoAllowList bool
}

func (o Options) withDefaults() (Options, error) {
	if o.Workers <= 0 {
		o.Workers = runtime.NumCPU()
	}
	if len(o.Command) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return o, fmt.Errorf("sandbox: locating the worker executable: %w", err)
		}
		o.Command = []string{exe, WorkerCommand}
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MemoryBytes <= 0 {
		o.MemoryBytes = DefaultMemoryBytes
	}
	if o.MemoryBytes < MinMemoryBytes {
		return o, fmt.Errorf("sandbox: a memory budget of %d bytes is below the minimum of %d", o.MemoryBytes, MinMemoryBytes)
	}
	if o.OutputLimit <= 0 {
		o.OutputLimit = DefaultOutputLimit
	}
	if o.CacheSize <= 0 {
		o.CacheSize = 64
	}
	if o.MaxCalls <= 0 {
		o.MaxCalls = 1000
	}
	if o.Allow == nil {
		o.Allow = DefaultAllow()
	}
	if _, err := symbolTable(o.Allow); err != nil {
		return o, err
	}
	for _, p := range o.Allow {
		if strings.Contains(p, ",") {
			return o, fmt.Errorf("sandbox: bad import path %q", p)
		}
	}
	if o.CPUSeconds == 0 {
		o.CPUSeconds = 120
	}
	if o.OpenFiles == 0 {
		o.OpenFiles = 64
	}
	if o.Processes == 0 {
		o.Processes = 4096
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	for _, x := range o.Without {
		if !slices.Contains(Layers(), x) || x == LayerRlimits {
			return o, fmt.Errorf("sandbox: Options.Without: %q is not a layer that can be turned off", x)
		}
	}
	if o.RequireConfinement && len(o.Without) > 0 {
		return o, fmt.Errorf("sandbox: RequireConfinement with layers turned off (%v)", o.Without)
	}
	if o.UnsafeNoAllowList {
		o.MaxCalls = 1
	}
	return o, nil
}

// Pool runs calls in warm worker processes, one call per worker at a time.
// Each worker caches compiled tools by content hash, each in its own
// interpreter. A worker is replaced after a timeout, a crash, any failure
// while running a tool, goroutines left behind, or MaxCalls calls.
//
// Starting a worker (two executions of the binary, its confinement, the
// hello) takes tens of milliseconds, so once a pool has replaced a worker
// it keeps one spare: a worker started and confined in the background,
// idle and serving nobody, that takes the place of the next worker
// retired, while another spare starts behind it. There is at most one
// spare, it is started only after the first replacement (a pool whose
// workers are never replaced never starts one), and Close kills it with
// the rest (Options.NoSpare turns it off).
//
// A Pool is safe for concurrent use.
type Pool struct {
	opts   Options
	launch *launcher
	report atomic.Pointer[Confinement] // of the last worker started
	// logOnce logs the workers' confinement once per pool.
	logOnce sync.Once
	idle    chan *worker
	closed  chan struct{}
	once    sync.Once
	waiting atomic.Int64
	spawns  sync.WaitGroup // workers being started in the background
	kills   sync.WaitGroup // retired workers being cleaned up

	mu   sync.Mutex // orders release and supply against Close; guards what follows
	shut bool
	// owed counts retired workers not yet replaced in idle.
	owed int
	// starting counts background starts under way, for owed and the spare.
	starting int
	// spare is the started, confined worker waiting to replace the next one
	// retired; wantSpare is set by the first replacement.
	spare     *worker
	wantSpare bool
}

// NewPool starts opts.Workers workers and returns when all are ready.
func NewPool(ctx context.Context, opts Options) (*Pool, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	p := &Pool{opts: o, launch: newLauncher(o), idle: make(chan *worker, o.Workers), closed: make(chan struct{})}
	errs := make(chan error, o.Workers)
	for range o.Workers {
		go func() {
			w, err := p.start(o.MemoryBytes)
			if err == nil {
				p.release(w)
			}
			errs <- err
		}()
	}
	for range o.Workers {
		select {
		case e := <-errs:
			err = errors.Join(err, e)
		case <-ctx.Done():
			err = errors.Join(err, ctx.Err())
			go func() {
				for range o.Workers {
					<-errs
				}
				p.Close()
			}()
			return nil, err
		}
	}
	if err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

// Run runs one call in a worker. It waits for a free worker as long as ctx
// allows. A call whose MemoryBytes differs from the pool's runs in a worker
// of its own that is discarded afterwards.
func (p *Pool) Run(ctx context.Context, c Call) (Result, error) {
	select {
	case <-p.closed:
		return Result{}, ErrClosed
	default:
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = p.opts.Timeout
	}
	wc := wireCall{Source: c.Source, Func: c.Func, Args: c.Args}
	if c.MemoryBytes > 0 && c.MemoryBytes < MinMemoryBytes {
		return Result{}, fmt.Errorf("sandbox: a memory budget of %d bytes is below the minimum of %d", c.MemoryBytes, MinMemoryBytes)
	}
	if c.MemoryBytes > 0 && c.MemoryBytes != p.opts.MemoryBytes {
		w, err := p.start(c.MemoryBytes)
		if err != nil {
			return Result{}, err
		}
		defer w.kill()
		res, _, err := w.call(ctx, wc, timeout)
		return res, err
	}
	w, err := p.acquire(ctx)
	if err != nil {
		return Result{}, err
	}
	res, reuse, err := w.call(ctx, wc, timeout)
	p.done(w, reuse, res)
	return res, err
}

// start starts a worker with a memory budget and checks its confinement.
func (p *Pool) start(memory int64) (*worker, error) {
	w, err := p.launch.startWorker(memory)
	if err != nil {
		return nil, err
	}
	rep := w.report
	p.report.Store(&rep)
	if p.opts.RequireConfinement {
		if err := rep.require(); err != nil {
			w.kill()
			return nil, err
		}
	}
	p.logConfinement(rep)
	return w, nil
}

// logConfinement logs, once per pool, what confines its workers: a warning
// naming each missing layer and why it is missing, so that an operator sees
// a degraded sandbox, or one line saying that every layer is in force.
func (p *Pool) logConfinement(rep Confinement) {
	p.logOnce.Do(func() {
		var missing []string
		var why []any
		for _, s := range rep.Layers {
			if !s.Active {
				missing = append(missing, string(s.Layer))
				why = append(why, slog.String(string(s.Layer), s.Detail))
			}
		}
		if len(missing) == 0 {
			p.opts.Logger.Info("sandbox: workers confined by every layer", "layers", len(rep.Layers))
			return
		}
		p.opts.Logger.Warn("sandbox: workers run without some confinement layers",
			"missing", strings.Join(missing, ","), slog.Group("why", why...))
	})
}

// Confinement reports the layers that confine the pool's workers (those of
// the worker started last; every worker is started the same way).
func (p *Pool) Confinement() Confinement {
	if r := p.report.Load(); r != nil {
		return *r
	}
	return Confinement{}
}

// done returns a worker after a call: to the pool, or retired and replaced.
func (p *Pool) done(w *worker, reuse bool, last Result) {
	if reuse && w.calls < p.opts.MaxCalls {
		p.release(w)
	} else {
		p.replace(w, last)
	}
}

// Check compiles src in a worker without running any of it. It returns nil,
// an *Error (kind compile or forbidden, or timeout, memory or crash when the
// compiler itself hit a limit), or an error of the pool (ctx ended, closed).
func (p *Pool) Check(ctx context.Context, src string) error {
	w, err := p.acquire(ctx)
	if err != nil {
		return err
	}
	res, reuse, err := w.call(ctx, wireCall{Source: src, Check: true}, p.opts.Timeout)
	p.done(w, reuse, res)
	if err != nil {
		return err
	}
	if !res.OK {
		return res.Error
	}
	return nil
}

func (p *Pool) acquire(ctx context.Context) (*worker, error) {
	select {
	case w := <-p.idle:
		return w, nil
	default:
	}
	if n := p.waiting.Add(1); p.opts.MaxQueue > 0 && n > int64(p.opts.MaxQueue) {
		p.waiting.Add(-1)
		return nil, ErrBusy
	}
	defer p.waiting.Add(-1)
	select {
	case w := <-p.idle:
		return w, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-p.closed:
		return nil, ErrClosed
	}
}

// release returns a healthy worker to the pool.
func (p *Pool) release(w *worker) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shut {
		w.kill()
		return
	}
	p.idle <- w // never blocks: there are at most Workers workers
}

// replace retires w and puts another worker in its place: the spare when
// one is ready, otherwise one started in the background (see supply).
func (p *Pool) replace(w *worker, last Result) {
	reason := "max calls"
	if last.Error != nil {
		reason = string(last.Error.Kind)
	}
	p.opts.Logger.Debug("sandbox: replacing worker", "pid", w.pid, "calls", w.calls, "reason", reason)
	p.mu.Lock()
	if p.shut {
		p.mu.Unlock()
		w.kill()
		return
	}
	defer p.mu.Unlock()
	// Added under mu before Close sets shut, so Close's Wait sees it.
	p.kills.Add(1)
	go func() {
		defer p.kills.Done()
		w.kill()
	}()
	p.owed++
	p.wantSpare = !p.opts.NoSpare
	p.supply()
}

// supply hands the spare to idle for a retired worker and starts workers in
// the background: one for each retired worker the spare does not replace,
// else a spare. A start under way for the spare goes to a retired worker
// instead when one is owed when it is ready: it is further along than a new
// start would be. The caller holds p.mu.
func (p *Pool) supply() {
	if p.shut {
		return
	}
	if p.owed > 0 && p.spare != nil {
		p.idle <- p.spare // never blocks: owed workers are missing from the pool
		p.spare = nil
		p.owed--
	}
	need := p.owed
	if need == 0 && p.wantSpare && p.spare == nil {
		need = 1
	}
	for ; p.starting < need; p.starting++ {
		p.spawns.Add(1)
		go p.startInBackground()
	}
}

// startInBackground starts a worker and gives it to whom supply started it
// for. A start for a retired worker is retried with backoff until it
// succeeds or the pool is closed; a start for the spare is not retried (the
// next replacement tries again).
func (p *Pool) startInBackground() {
	defer p.spawns.Done()
	backoff := 10 * time.Millisecond
	for {
		w, err := p.start(p.opts.MemoryBytes)
		p.mu.Lock()
		if err == nil {
			p.starting--
			switch {
			case p.shut:
			case p.owed > 0:
				p.idle <- w
				p.owed--
				w = nil
			case p.spare == nil && p.wantSpare:
				p.spare = w
				w = nil
			}
			p.supply()
			p.mu.Unlock()
			if w != nil { // closed meanwhile, or not needed after all
				w.kill()
			}
			return
		}
		spare := p.owed < p.starting // more starts under way than owed: this one was the spare
		if p.shut || spare {
			p.starting--
			p.mu.Unlock()
			if spare && !p.isClosed() {
				p.opts.Logger.Warn("sandbox: starting a spare worker", "err", err)
			}
			return
		}
		p.mu.Unlock()
		p.opts.Logger.Error("sandbox: starting a replacement worker", "err", err)
		select {
		case <-p.closed:
			p.mu.Lock()
			p.starting--
			p.mu.Unlock()
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

// isClosed reports whether Close has been called.
func (p *Pool) isClosed() bool {
	select {
	case <-p.closed:
		return true
	default:
		return false
	}
}

// Close kills the idle workers and makes later calls return ErrClosed.
// Calls in flight finish (or time out); their workers are killed after.
func (p *Pool) Close() error {
	p.once.Do(func() {
		p.mu.Lock()
		p.shut = true
		close(p.closed)
		p.mu.Unlock()
		p.spawns.Wait()
		for done := false; !done; {
			select {
			case w := <-p.idle:
				w.kill()
			default:
				done = true
			}
		}
		p.mu.Lock()
		spare := p.spare
		p.spare = nil
		p.mu.Unlock()
		if spare != nil {
			spare.kill()
		}
		p.kills.Wait()
	})
	return nil
}
