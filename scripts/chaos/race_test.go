//go:build race

package main

// buildFlags builds the replicas as the test itself is built, so the build
// reuses the packages the race-detecting test run compiled already (and
// the replicas run with the race detector too).
func buildFlags() []string { return []string{"-race"} }
