package sandbox

import "strings"

// Layer names one layer of the operating system's confinement of a worker
// process. The layers are independent walls: code that gets past the
// allow-list (an interpreter bug, a package with an unexpected door, or
// Options.UnsafeNoAllowList) still meets every layer that is active.
type Layer string

// The layers, in the order they are applied.
const (
	// LayerUserNamespace: the worker runs in a user namespace of its own, as
	// an unprivileged user of the host (its root is nobody outside).
	LayerUserNamespace Layer = "user_namespace"
	// LayerPIDNamespace: the worker is process 1 of its own PID namespace:
	// no other process can be named, so none can be signalled or traced,
	// and everything it started dies with it.
	LayerPIDNamespace Layer = "pid_namespace"
	// LayerNetworkNamespace: a network namespace with no interface up: no
	// network at all, loopback included.
	LayerNetworkNamespace Layer = "network_namespace"
	// LayerMountNamespace: a mount namespace whose root is an empty
	// read-only tmpfs holding read-only binds of the worker's own binary and
	// libraries and a small private tmpfs as its temporary directory.
	LayerMountNamespace Layer = "mount_namespace"
	// LayerIPCNamespace: System V IPC and POSIX message queues of its own.
	LayerIPCNamespace Layer = "ipc_namespace"
	// LayerUTSNamespace: a host name of its own.
	LayerUTSNamespace Layer = "uts_namespace"
	// LayerNoNewPrivs: no_new_privs is set for the whole process before it
	// starts: nothing it executes gains privileges.
	LayerNoNewPrivs Layer = "no_new_privs"
	// LayerCapabilities: the worker holds no capabilities, not even within
	// its own namespaces, and cannot regain them.
	LayerCapabilities Layer = "capabilities"
	// LayerLandlock: a Landlock domain for the whole process: no file
	// outside its temporary directory can be read or written, no TCP port
	// bound or connected to, no process outside signalled.
	LayerLandlock Layer = "landlock"
	// LayerSeccomp: a seccomp-bpf filter on every thread refuses execve,
	// new processes, sockets, ptrace, mounts, namespaces, keyrings, bpf,
	// kernel modules, io_uring and signals to other processes.
	LayerSeccomp Layer = "seccomp"
	// LayerCgroup: a cgroup of its own caps the worker's memory (its RSS)
	// at the memory budget and its number of tasks.
	LayerCgroup Layer = "cgroup"
	// LayerRlimits: resource limits (CPU seconds, data segment, open files,
	// processes, file size, core dumps), the last layer.
	LayerRlimits Layer = "rlimits"
)

// Layers returns every layer in the order a worker applies them.
func Layers() []Layer {
	return []Layer{
		LayerUserNamespace, LayerPIDNamespace, LayerNetworkNamespace, LayerMountNamespace,
		LayerIPCNamespace, LayerUTSNamespace, LayerNoNewPrivs, LayerCapabilities,
		LayerLandlock, LayerSeccomp, LayerCgroup, LayerRlimits,
	}
}

// LayerStatus says whether one layer confines a worker.
type LayerStatus struct {
	Layer  Layer `json:"layer"`
	Active bool  `json:"active"`
	// Detail says what is in force (a Landlock ABI, a cgroup's limits) or,
	// for a missing layer, why it is missing.
	Detail string `json:"detail,omitempty"`
}

// Confinement reports which layers confine a worker: one status per layer,
// in the order of Layers.
type Confinement struct {
	Layers []LayerStatus `json:"layers"`
}

// Active reports whether layer l is in force.
func (c Confinement) Active(l Layer) bool {
	for _, s := range c.Layers {
		if s.Layer == l {
			return s.Active
		}
	}
	return false
}

// Missing lists the layers that are not in force.
func (c Confinement) Missing() []Layer {
	var out []Layer
	for _, l := range Layers() {
		if !c.Active(l) {
			out = append(out, l)
		}
	}
	return out
}

// set records the status of layer l, replacing an earlier one.
func (c *Confinement) set(l Layer, active bool, detail string) {
	for i := range c.Layers {
		if c.Layers[i].Layer == l {
			c.Layers[i] = LayerStatus{Layer: l, Active: active, Detail: detail}
			return
		}
	}
	c.Layers = append(c.Layers, LayerStatus{Layer: l, Active: active, Detail: detail})
}

// status returns the status of l (missing, without detail, when unknown).
func (c *Confinement) status(l Layer) LayerStatus {
	for _, s := range c.Layers {
		if s.Layer == l {
			return s
		}
	}
	return LayerStatus{Layer: l}
}

// normalize orders the statuses as Layers does and adds a missing status
// for every layer not reported.
func (c *Confinement) normalize() {
	out := make([]LayerStatus, 0, len(Layers()))
	for _, l := range Layers() {
		s := c.status(l)
		if !s.Active && s.Detail == "" {
			s.Detail = "not applied"
		}
		out = append(out, s)
	}
	c.Layers = out
}

// MissingError is returned when confinement is required (see
// Options.RequireConfinement) and a worker lacks layers.
type MissingError struct {
	Missing []LayerStatus
}

func (e *MissingError) Error() string {
	parts := make([]string, len(e.Missing))
	for i, s := range e.Missing {
		parts[i] = string(s.Layer) + " (" + s.Detail + ")"
	}
	return "sandbox: confinement required but layers are missing: " + strings.Join(parts, ", ")
}

// require returns a *MissingError when a layer is missing.
func (c *Confinement) require() error {
	var miss []LayerStatus
	for _, l := range Layers() {
		if s := c.status(l); !s.Active {
			if s.Detail == "" {
				s.Detail = "not applied"
			}
			miss = append(miss, s)
		}
	}
	if len(miss) > 0 {
		return &MissingError{Missing: miss}
	}
	return nil
}
