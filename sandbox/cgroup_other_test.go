//go:build !linux

package sandbox

// cgroupDirs lists a worker cgroup's directories (none but on Linux).
func cgroupDirs(*cgroup) []string { return nil }
