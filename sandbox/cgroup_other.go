//go:build !linux

package sandbox

// cgroupParent and cgroup exist on Linux only.
type cgroupParent struct{}

type cgroup struct{}

func findCgroups() (*cgroupParent, string) { return nil, "cgroups are a Linux feature" }

func (*cgroupParent) create(int64, uint64) (*cgroup, error) { return nil, nil }
func (*cgroupParent) removeStale() (int, error)             { return 0, nil }
func (*cgroup) add(int) error                               { return nil }
func (*cgroup) oomKilled() bool                             { return false }
func (*cgroup) remove()                                     {}
func (*cgroup) describe() string                            { return "" }
