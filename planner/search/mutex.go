package search

// mutexGroups finds groups of primary facts of which at most one is true in
// every reachable state.
func mutexGroups(t *Task) [][]int32 {
	return nil
}
