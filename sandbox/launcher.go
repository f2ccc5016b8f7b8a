package sandbox

import (
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
)

// launcher starts the workers of one pool: the command, the limits and the
// confinement the host sets up for them (namespaces, cgroups). It remembers
// what this host refused, so that later workers do not try it again, and
// says so in every worker's report.
type launcher struct {
	command []string
	opts    Options
	logger  *slog.Logger

	// dirPattern is the os.MkdirTemp pattern of the workers' host
	// directories: named for this host where it can be (see hostTag).
	dirPattern string

	mu     sync.Mutex
	nsOff  string // why this host creates no namespaces; "" while it does
	cgroup *cgroupParent
	cgNote string // why there is no cgroup layer
}

func newLauncher(o Options) *launcher {
	l := &launcher{command: o.Command, opts: o, logger: o.Logger, dirPattern: workerDirPrefix + "*"}
	if tag, err := selfTag(); err == nil {
		l.dirPattern = workerDirPrefix + tag.String() + "-*"
		n, err := removeStaleDirs(os.TempDir(), tag)
		if n > 0 {
			l.logger.Info("sandbox: removed worker directories left by hosts that are gone", "removed", n)
		}
		if err != nil {
			l.logger.Warn("sandbox: worker directories left by hosts that are gone could not all be removed", "err", err)
		}
	}
	if l.without(LayerCgroup) {
		l.cgNote = "turned off by Options.Without"
	} else {
		l.cgroup, l.cgNote = findCgroups()
		if l.cgroup != nil {
			n, err := l.cgroup.removeStale()
			if n > 0 {
				l.logger.Info("sandbox: removed cgroups left by hosts that are gone", "removed", n)
			}
			if err != nil {
				l.logger.Warn("sandbox: cgroups left by hosts that are gone could not all be removed", "err", err)
			}
		}
		if l.cgroup == nil {
			// The pool's confinement warning says so, with the reason.
			l.logger.Debug("sandbox: no cgroup layer", "reason", l.cgNote)
		}
	}
	return l
}

// without reports whether the pool's options turn layer x off.
func (l *launcher) without(x Layer) bool { return slices.Contains(l.opts.Without, x) }

// namespaceLayers maps the worker's namespace names to their layers.
var namespaceLayers = []struct {
	name  string
	layer Layer
}{
	{"user", LayerUserNamespace}, {"pid", LayerPIDNamespace}, {"net", LayerNetworkNamespace},
	{"mount", LayerMountNamespace}, {"ipc", LayerIPCNamespace}, {"uts", LayerUTSNamespace},
}

// namespaces lists the namespaces the next worker is started in.
func (l *launcher) namespaces() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.nsOff != "" || !namespacesSupported {
		return nil
	}
	var out []string
	for _, n := range namespaceLayers {
		if !l.without(n.layer) {
			out = append(out, n.name)
		}
	}
	return out
}

// refuseNamespaces records that the host cannot create namespaces.
func (l *launcher) refuseNamespaces(why string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.nsOff == "" {
		l.nsOff = why
		// Loud even after the pool's first report: this can happen later.
		l.logger.Warn("sandbox: workers start without namespaces", "reason", why)
	}
}

func (l *launcher) workerConfig(memory int64, tmp string, ns []string) workerConfig {
	var without []string
	for _, x := range l.opts.Without {
		without = append(without, string(x))
	}
	return workerConfig{
		memory:      memory,
		cpuSeconds:  l.opts.CPUSeconds,
		openFiles:   l.opts.OpenFiles,
		processes:   l.opts.Processes,
		outputLimit: l.opts.OutputLimit,
		cacheSize:   l.opts.CacheSize,
		allow:       strings.Join(l.opts.Allow, ","),
		unsafe:      l.opts.UnsafeNoAllowList,
		tmp:         tmp,
		namespaces:  strings.Join(ns, ","),
		without:     strings.Join(without, ","),
		stage:       1,
	}
}

// hostLayers completes a worker's report with what the host knows: the
// namespaces it could not create, the cgroup.
func (l *launcher) hostLayers(rep *Confinement, cg *cgroup, ns []string) {
	l.mu.Lock()
	nsOff := l.nsOff
	l.mu.Unlock()
	for _, n := range namespaceLayers {
		switch {
		case slices.Contains(ns, n.name):
		case l.without(n.layer):
			rep.set(n.layer, false, "turned off by Options.Without")
		case !namespacesSupported:
			rep.set(n.layer, false, "namespaces are a Linux feature")
		case nsOff != "":
			rep.set(n.layer, false, "the host cannot create namespaces: "+nsOff)
		}
	}
	switch {
	case cg != nil:
		rep.set(LayerCgroup, true, cg.describe())
	case l.cgNote != "":
		rep.set(LayerCgroup, false, l.cgNote)
	default:
		rep.set(LayerCgroup, false, "the worker's cgroup could not be set up")
	}
	rep.normalize()
}
