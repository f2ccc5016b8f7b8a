//go:build !race

package main

// buildFlags builds the replicas as the test itself is built.
func buildFlags() []string { return nil }
